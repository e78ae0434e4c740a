"""The journeys of issue 9's done-when in a real browser, in Japanese and English, at 1,280 and
390 px:

- a certified partner registers an app and a Graph API service, gets the Graph API keys once its
  contact e-mail is confirmed, requests listing of both; a staff user logs in with TOTP and
  publishes them from the listing queue; the partner sees them published;
- an individual without a card sees the Graph API locked with a link to add a card, adds one,
  registers a Graph API service, removes the card after a confirmation that names the
  registration it suspends, sees it suspended, adds a card again and sees it restored.

Every screen is checked as in the card journey (no horizontal scroll at 390 px, axe, loopback
only) and its screenshot kept."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.portal.test_portal_journeys_browser import RUNS, check_screen
from tests.portal.test_portal_team_journeys_browser import new_page, totp_now
from tests.running_server import devcenter_command, migrate_embedded, running_server, server_env

PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (throwaway users of a temporary DB)
STAFF = "reviewer@example.com"
SET_UP = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.db import transaction
from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.services import (
    CorporateDetails, partner_certify, partner_register_corporate_general,
    partner_register_individual)

def verified(email, **extra):
    user = get_user_model().objects.create_user(
        username=email, email=email, password="{PASSWORD}", **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user

staff = verified("{STAFF}", is_staff=True, is_superuser=True)
TOTP.activate(staff, "JBSWY3DPEHPK3PXP")
for n, (lang, width) in enumerate({RUNS!r}):
    owner = verified(f"cert-{{lang}}-{{width}}@example.com")
    base = f"{{700000000000 + n:012d}}"
    partner = partner_register_corporate_general(acting_user=owner, details=CorporateDetails(
        registration_name=f"Studio {{lang}} {{width}}", legal_name="Studio KK",
        corporate_number=str(corporate_number_check_digit(base)) + base,
        legal_entity_registered=True, contact_email="owner@example.com"))
    with transaction.atomic():
        partner_certify(partner=partner, actor="system")
    person = verified(f"ind-{{lang}}-{{width}}@example.com")
    partner_register_individual(acting_user=person, registration_name=f"Solo {{lang}} {{width}}")
"""
TEXT = {
    "ja": {
        "nav": "パートナー",
        "services": "サービス",
        "card": "カード",
        "remove": "カードを削除…",
        "confirm": "カードを削除する",
        "add": "カードを登録",
    },
    "en": {
        "nav": "Partner",
        "services": "Services",
        "card": "Card",
        "remove": "Remove card…",
        "confirm": "Remove the card",
        "add": "Register card",
    },
}


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """One `devcenter serve` for the module; yield its URL and its environment."""
    env = server_env(tmp_path_factory.mktemp("registrations") / "var")
    migrate_embedded(env)
    subprocess.run([*devcenter_command(), "shell", "-c", SET_UP], env=env, check=True, timeout=180)  # noqa: S603
    with running_server(env) as (base, _process):
        yield base, env


def platform_does(env: dict[str, str], script: str) -> None:
    """Run what the platform (or the e-mailed link) does, in the server's database."""
    subprocess.run(  # noqa: S603
        [*devcenter_command(), "shell", "-c", script], env=env, check=True, timeout=120
    )


def confirm_contact_email(env: dict[str, str], name: str) -> None:
    """Follow the contact e-mail's link (the console mail backend prints it; we rebuild it)."""
    platform_does(
        env,
        f"""
from devcenter.registrations import links
from devcenter.registrations.models import Registration
from devcenter.registrations.services import contact_email_confirm
r = Registration.objects.get(name="{name}")
contact_email_confirm(token=links.link_token(links.CONTACT_EMAIL_LINK, r.pk, r.contact_email_nonce))
""",
    )


def report_users(env: dict[str, str], name: str, count: int) -> None:
    """The platform reports the app's user count (PUT /registrations/{{id}}/user-count)."""
    platform_does(
        env,
        f"""
from devcenter.registrations.models import Registration
from devcenter.registrations.services import user_count_report
r = Registration.objects.get(name="{name}")
user_count_report(registration_id=r.public_id, count={count}, actor="platform")
""",
    )


def register(page: Any, service: str, fields: dict[str, str]) -> None:
    """Click the service's register button, fill the form and submit it."""
    page.locator(f'a[data-register="{service}"]').click()
    for field, value in fields.items():
        page.locator(f"#id_{field}").fill(value)
    page.locator("#registration-form button[type=submit]").click()
    page.wait_for_load_state()


def upload(page: Any, kind: str) -> None:
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_file").set_input_files(
        files=[{"name": f"{kind}.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.locator("#image-form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_certified_partner_registers_and_staff_publish(
    served: tuple[str, dict[str, str]], chromium_path: Path, tmp_path: Path, lang: str, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server, env = served
    text = TEXT[lang]
    outside: list[str] = []
    shot = f"{lang}-{width}-reg"
    app, graph = f"Fortune {lang} {width}", f"Diary sync {lang} {width}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, lang, width, outside)
            page.goto(f"{server}/accounts/login/?next=/partners/")
            log_in(page, f"cert-{lang}-{width}@example.com", PASSWORD)
            page.locator("main a[href^='/partners/ptn_']").first.click()
            nav = page.get_by_role("navigation", name=text["nav"], exact=True)
            nav.get_by_role("link", name=text["services"], exact=True).click()
            check_screen(page, width, tmp_path, f"{shot}-services")
            services_url = page.url

            register(
                page,
                "app_pc",
                {
                    "name": app,
                    "description": "占い",
                    "gadget_xml_url": "https://apps.example.com/g.xml",
                },
            )
            expect(page.locator("#registration-name")).to_have_text(app)
            expect(page.locator("#listing-missing")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-app-new")
            for kind in ("logo", "icon", "screenshot"):
                upload(page, kind)
            report_users(env, app, 10)
            page.reload()
            expect(page.locator("#listing-missing")).to_have_count(0)
            page.locator("#issue").click()
            expect(page.locator("#new-secret")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-app-secret")
            page.locator("#request-listing").click()
            expect(page.locator("#listing-under-review")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-app-requested")

            page.goto(services_url)
            register(
                page,
                "graph_api",
                {
                    "name": graph,
                    "description": "日記を読みます",
                    "redirect_uris": "http://example.com/cb",
                    "contact_email": "dev@example.com",
                },
            )
            summary = page.locator("#error-summary")
            expect(summary).to_be_in_viewport()
            check_screen(page, width, tmp_path, f"{shot}-graph-refused")
            page.locator("#id_redirect_uris").fill("https://example.com/cb")
            page.locator("#registration-form button[type=submit]").click()
            expect(page.locator("#contact-pending")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-graph-pending")
            confirm_contact_email(env, graph)
            page.reload()
            page.locator("#issue").click()
            expect(page.locator("#new-secret")).to_be_visible()
            page.locator("#rotate").click()
            check_screen(page, width, tmp_path, f"{shot}-graph-rotate-confirm")
            page.locator(".confirm__actions button[type=submit]").click()
            expect(page.locator("#new-secret")).to_be_visible()
            upload(page, "logo")
            page.locator("#request-listing").click()
            expect(page.locator("#listing-under-review")).to_be_visible()
            registration_urls = [page.url]

            staff = new_page(browser, lang, width, outside)
            staff.goto(f"{server}/accounts/login/?next=/staff/registrations/")
            log_in(staff, STAFF, PASSWORD)
            staff.locator('input[name="code"]').fill(totp_now())
            staff.locator('form button[type="submit"]').first.click()
            expect(staff.locator("#listing-queue")).to_be_visible()
            check_screen(staff, width, tmp_path, f"{shot}-staff-queue")
            for name in (app, graph):
                staff.locator("#listing-queue a", has_text=name).click()
                check_screen(staff, width, tmp_path, f"{shot}-staff-review")
                staff.locator("#publish").click()
                expect(staff.locator(".message--success")).to_be_visible()
                staff.goto(f"{server}/staff/registrations/")
            expect(staff.locator("#queue-empty, #listing-queue")).to_have_count(1)
            staff.close()

            page.goto(registration_urls[0])
            expect(page.locator("#review-outcome")).to_be_visible()
            page.goto(services_url)
            for name in (app, graph):
                expect(page.locator(".registration-list li", has_text=name)).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-services-published")
        finally:
            browser.close()
    assert not outside, outside


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_individual_graph_api_follows_the_card(
    served: tuple[str, dict[str, str]], chromium_path: Path, tmp_path: Path, lang: str, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server, _env = served
    text = TEXT[lang]
    outside: list[str] = []
    shot = f"{lang}-{width}-solo"
    graph = f"Solo graph {lang} {width}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, lang, width, outside)
            page.goto(f"{server}/accounts/login/?next=/partners/")
            log_in(page, f"ind-{lang}-{width}@example.com", PASSWORD)
            page.locator("main a[href^='/partners/ptn_']").first.click()
            nav = page.get_by_role("navigation", name=text["nav"], exact=True)
            nav.get_by_role("link", name=text["services"], exact=True).click()
            card = page.locator('.service-card[data-service="graph_api"]')
            expect(card).to_have_attribute("data-state", "locked")
            expect(card.locator("a[data-register]")).to_have_count(0)
            check_screen(page, width, tmp_path, f"{shot}-locked")
            card.locator('a[data-step="register_card"]').click()

            page.locator("#id_token").fill("tok_visa")
            page.get_by_role("button", name=text["add"], exact=True).click()
            nav.get_by_role("link", name=text["services"], exact=True).click()
            expect(card).to_have_attribute("data-state", "usable")
            register(
                page,
                "graph_api",
                {
                    "name": graph,
                    "description": "写真を表示します",
                    "redirect_uris": "http://127.0.0.1:8000/cb",
                    "contact_email": "solo@example.com",
                },
            )
            expect(page.locator("#registration-name")).to_have_text(graph)
            registration_url = page.url

            nav.locator('a[href$="/card/"]').click()
            page.get_by_role("link", name=text["remove"]).click()
            expect(page.locator("#suspended-registrations")).to_contain_text(graph)
            check_screen(page, width, tmp_path, f"{shot}-card-remove-confirm")
            page.get_by_role("button", name=text["confirm"]).click()

            page.goto(registration_url)
            expect(page.locator("#suspension")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-suspended")
            page.locator('#suspension a[data-step="register_card"]').click()
            page.locator("#id_token").fill("tok_mastercard")
            page.get_by_role("button", name=text["add"], exact=True).click()
            page.goto(registration_url)
            expect(page.locator("#suspension")).to_have_count(0)
            expect(page.locator("#contact-pending")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-restored")
        finally:
            browser.close()
    assert not outside, outside
