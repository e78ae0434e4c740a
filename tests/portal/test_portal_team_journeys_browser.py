"""Two journeys of issue 11 in a real browser, in Japanese and English, at 1,280 and 390 px:

- a corporation registers as general, downloads the application form (申込書), applies for
  certification with documents and sees "under review"; a staff user logs in with TOTP and
  approves it on the staff review screens; the partner sees itself certified with its partner
  account;
- an owner invites a colleague by e-mail; the colleague accepts the invitation and later leaves
  the partner after a confirmation.

Every screen is checked as in the card journey (no horizontal scroll, axe, loopback only)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.portal.test_portal_journeys_browser import RUNS, check_screen
from tests.running_server import devcenter_command, migrate_embedded, running_server, server_env

PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (throwaway users of a temporary DB)
STAFF = "reviewer@example.com"
SET_UP = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.services import CorporateDetails, partner_register_corporate_general

def verified(email, **extra):
    user = get_user_model().objects.create_user(
        username=email, email=email, password="{PASSWORD}", **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user

staff = verified("{STAFF}", is_staff=True, is_superuser=True)
TOTP.activate(staff, "JBSWY3DPEHPK3PXP")
for n, (lang, width) in enumerate({RUNS!r}):
    verified(f"corp-{{lang}}-{{width}}@example.com")
    owner = verified(f"owner-{{lang}}-{{width}}@example.com")
    verified(f"colleague-{{lang}}-{{width}}@example.com")
    base = f"{{800000000000 + n:012d}}"
    partner_register_corporate_general(acting_user=owner, details=CorporateDetails(
        registration_name=f"Team {{lang}} {{width}}", legal_name="Team KK",
        corporate_number=str(corporate_number_check_digit(base)) + base,
        legal_entity_registered=True, contact_email="owner@example.com"))
"""
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 (the throwaway staff user's)
TEXT = {
    "ja": {
        "corporate": "法人・一般パートナーとして登録する",
        "certified": "法人・認定パートナー",
        "nav": "パートナー",
        "review": "審査中",
        "approved": "承認",
        "leave": "抜ける…",
        "leave_confirm": "パートナーから抜ける",
        "accept": "招待を受ける",
        "invite": "招待を送る",
    },
    "en": {
        "corporate": "Register a corporate general partner",
        "certified": "Corporate, certified",
        "nav": "Partner",
        "review": "Under review",
        "approved": "Approved",
        "leave": "Leave…",
        "leave_confirm": "Leave the partner",
        "accept": "Accept the invitation",
        "invite": "Send invitation",
    },
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """One `devcenter serve` for the module; yield its URL and its environment."""
    env = server_env(tmp_path_factory.mktemp("team") / "var")
    migrate_embedded(env)
    subprocess.run([*devcenter_command(), "shell", "-c", SET_UP], env=env, check=True, timeout=180)  # noqa: S603
    with running_server(env) as (base, _process):
        yield base, env


USED_CODES: set[str] = set()
# Neither the element nor any element around it is wider than its box (finding 4: the members
# table stacks its rows at 390 px instead of scrolling).
NOTHING_SCROLLS_SIDEWAYS = """t => {
  for (let e = t; e; e = e.parentElement) {
    if (e.scrollWidth > e.clientWidth + 1) return false;
  }
  return t.getBoundingClientRect().right <= document.documentElement.clientWidth;
}"""


def totp_now() -> str:
    """Return a TOTP code for the staff user that has not been used yet (allauth refuses a code
    twice): wait for the next 30-second step when this one's was used by an earlier run."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    while True:
        code = str(format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30)))
        if code not in USED_CODES:
            USED_CODES.add(code)
            return code
        time.sleep(1)


def leaves_the_machine(url: str) -> bool:
    """Return whether a request goes over the network to anything but 127.0.0.1 (the
    browser's own schemes, such as its PDF viewer's, stay inside it)."""
    return url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(
        "http://127.0.0.1:"
    )


def new_page(browser: Any, lang: str, width: int, outside: list[str]) -> Any:
    locale = "ja-JP" if lang == "ja" else "en-US"
    page = browser.new_page(locale=locale, viewport={"width": width, "height": 800})
    page.on("request", lambda r: outside.append(r.url) if leaves_the_machine(r.url) else None)
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_corporation_is_certified(
    served: tuple[str, dict[str, str]], chromium_path: Path, tmp_path: Path, lang: str, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from devcenter.partners.corporate_number import corporate_number_check_digit

    server, _env = served
    text = TEXT[lang]
    outside: list[str] = []
    base = f"{900000000000 + RUNS.index((lang, width)):012d}"
    number = str(corporate_number_check_digit(base)) + base
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, lang, width, outside)
            page.goto(f"{server}/accounts/login/?next=/partners/%3Flang%3D{lang}")
            log_in(page, f"corp-{lang}-{width}@example.com", PASSWORD)
            page.get_by_role("link", name=text["corporate"]).click()
            page.locator("#id_registration_name").fill(f"Corp {lang} {width}")
            page.locator("#id_legal_name").fill("Corp KK")
            page.locator("#id_corporate_number").fill(number)
            page.locator("#id_legal_entity_registered").check()
            page.locator("#id_contact_email").fill("corp@example.com")
            page.locator("form .button[type=submit]").click()
            expect(page.locator("#checklist")).to_be_visible()
            page.locator("#checklist a").first.click()  # the next step: apply for certification
            expect(page).to_have_url(re.compile(r"/certification/$"))
            check_screen(page, width, tmp_path, f"{lang}-{width}-certification")

            href = page.locator("#application-form-download").get_attribute("href")
            pdf = page.request.get(f"{server}{href}")
            assert pdf.headers["content-type"] == "application/pdf"
            form = tmp_path / "application-form.pdf"
            form.write_bytes(pdf.body())
            page.locator("#id_registry_certificate").set_input_files(str(form))
            page.locator("#id_application_form").set_input_files(str(form))
            page.locator("#certification-form .button[type=submit]").click()
            expect(page.locator("#application-status")).to_contain_text(text["review"])
            expect(page.locator("#application-next")).to_be_visible()
            check_screen(page, width, tmp_path, f"{lang}-{width}-certification-under-review")
            partner_url = page.url.rsplit("/certification/", 1)[0]

            staff = new_page(browser, lang, width, outside)
            staff.goto(f"{server}/accounts/login/?next=/staff/reviews/%3Flang%3D{lang}")
            log_in(staff, STAFF, PASSWORD)
            staff.locator('input[name="code"]').fill(totp_now())
            staff.locator('form button[type="submit"]').first.click()
            staff.locator("#review-queue tr", has_text=f"Corp {lang} {width}").locator("a").click()
            for action in ("start_review", "confirm_identity", "approve"):
                form_locator = staff.locator(f"#form-{action}")
                if action == "confirm_identity":
                    form_locator.locator("textarea").fill("Called the office")
                form_locator.locator("button[type=submit]").click()
                staff.wait_for_load_state()
            expect(staff.locator("#application-status")).to_have_text(text["approved"])
            check_screen(staff, width, tmp_path, f"{lang}-{width}-staff-approved")
            staff.close()

            page.goto(f"{partner_url}/")
            expect(page.locator("#partner-type")).to_have_text(text["certified"])
            check_screen(page, width, tmp_path, f"{lang}-{width}-certified-home")
            page.goto(f"{partner_url}/accounts/")
            expect(
                page.locator('#platform-accounts li[data-kind="partner_account"]')
            ).to_have_count(1)
        finally:
            browser.close()
    assert not outside, outside


def invitation_link(env: dict[str, str], email: str) -> str:
    """Send the invitation to `email` again from the server's database and return its path
    (the console mail backend prints the e-mail; the token is in no database)."""
    script = f"""
from devcenter.partners.invitations import invitation_resend
from devcenter.partners.models import Invitation
invitation = Invitation.objects.get(email="{email}", status="pending")
invitation_resend(partner_id=invitation.partner.public_id, invitation_id=invitation.public_id,
                  acting_user=invitation.invited_by)
"""
    out = subprocess.run(  # noqa: S603
        [*devcenter_command(), "shell", "-c", script],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    return re.findall(r"https?://[^/\s]+(/invitations/[^/\s]+/)", out)[0]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_member_is_invited_accepts_and_leaves(
    served: tuple[str, dict[str, str]], chromium_path: Path, tmp_path: Path, lang: str, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server, env = served
    text = TEXT[lang]
    colleague = f"colleague-{lang}-{width}@example.com"
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            owner = new_page(browser, lang, width, outside)
            owner.goto(f"{server}/accounts/login/?next=/partners/%3Flang%3D{lang}")
            log_in(owner, f"owner-{lang}-{width}@example.com", PASSWORD)
            owner.get_by_role("link", name=f"Team {lang} {width}").click()
            owner.locator('nav.partner-nav a[href$="/members/"]').click()
            owner.locator("#id_email").fill(colleague)
            owner.get_by_role("button", name=text["invite"]).click()
            expect(owner.locator("#invitation-list")).to_contain_text(colleague)
            check_screen(owner, width, tmp_path, f"{lang}-{width}-members-invited")

            path = invitation_link(env, colleague)
            member = new_page(browser, lang, width, outside)
            member.goto(f"{server}{path}?lang={lang}")
            log_in(member, colleague, PASSWORD)
            check_screen(member, width, tmp_path, f"{lang}-{width}-invitation")
            member.get_by_role("button", name=text["accept"]).click()
            expect(member.locator("#checklist")).to_be_visible()
            member.locator('nav.partner-nav a[href$="/members/"]').click()
            table = member.locator("#member-table")
            expect(table.locator("tbody tr")).to_have_count(2)
            assert table.evaluate(NOTHING_SCROLLS_SIDEWAYS), "the members table scrolls sideways"
            check_screen(member, width, tmp_path, f"{lang}-{width}-members")
            member.get_by_role("link", name=text["leave"]).click()
            check_screen(member, width, tmp_path, f"{lang}-{width}-leave-confirm")
            member.get_by_role("button", name=text["leave_confirm"]).click()
            expect(member).to_have_url(re.compile(r"/partners/$"))
            owner.reload()
            expect(owner.locator("#member-table tbody tr")).to_have_count(1)
        finally:
            browser.close()
    assert not outside, outside
