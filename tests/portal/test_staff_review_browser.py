"""The staff review screens in a real browser, in Japanese and English, at 1,280 and 390 px.

A staff user with TOTP opens the queue, opens an application, starts the review, tries to
approve too early (the refusal names the step, at the top of the viewport, focused), confirms
the applicant's identity and approves: the application is decided and its waiting time stops.
A staff user without TOTP is refused (sent to activate it). On every screen: no horizontal
scroll, no serious or critical axe violation, no request leaves 127.0.0.1; screenshots are kept
(tmp_path, and /tmp/portal-shots when that folder exists).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.portal.test_portal_journeys_browser import RUNS, check_screen
from tests.portal.test_portal_team_journeys_browser import leaves_the_machine
from tests.running_server import serving_after

PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (throwaway users of a temporary DB)
REVIEWER = "reviewer@example.com"
NO_TOTP = "staff-without-totp@example.com"
SECRET = "JBSWY3DPEHPK3PXQ"  # noqa: S105 (the throwaway reviewer's TOTP secret)
SET_UP = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from devcenter.demo.samples import sample_pdf, sample_png
from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.services import CorporateDetails
from devcenter.reviews.services import application_submit_new

def verified(email, **extra):
    user = get_user_model().objects.create_user(
        username=email, email=email, password="{PASSWORD}", **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user

TOTP.activate(verified("{REVIEWER}", is_staff=True), "{SECRET}")
verified("{NO_TOTP}", is_staff=True)
for n, (lang, width) in enumerate({RUNS!r}):
    base = f"{{700000000000 + n:012d}}"
    application_submit_new(
        acting_user=verified(f"applicant-{{lang}}-{{width}}@example.com"),
        details=CorporateDetails(
            registration_name=f"Review {{lang}} {{width}}", legal_name="株式会社レビュー",
            corporate_number=str(corporate_number_check_digit(base)) + base,
            legal_entity_registered=True, representative_name="山田 花子",
            head_office_address="東京都渋谷区道玄坂1-2-3", contact_email="office@example.com",
            contact_phone="03-1234-5678"),
        registry_certificate=SimpleUploadedFile("registry.pdf", sample_pdf(), "application/pdf"),
        application_form=SimpleUploadedFile("form.png", sample_png(), "image/png"),
    )
"""
TEXT = {
    "ja": {
        "start": "審査を開始",
        "approve": "承認して認定する",
        "record": "本人確認を記録する",
        "too_early": "「本人確認」の手順",
        "next_identity": "次の手順: 本人確認",
        "next_decide": "次の手順: 判定",
        "approved": "承認",
        "open": "未処理",
    },
    "en": {
        "start": "Start the review",
        "approve": "Approve and certify",
        "record": "Record the identity confirmation",
        "too_early": "Confirm the applicant's identity first",
        "next_identity": "Next: Confirm the applicant's identity",
        "next_decide": "Next: Decide",
        "approved": "Approved",
        "open": "Open",
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_after(tmp_path_factory.mktemp("staff-review") / "var", SET_UP) as base:
        yield base


def _totp() -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return str(format_hotp_value(hotp_value(SECRET, int(time.time()) // 30)))


@pytest.fixture(scope="module")
def reviewer_state(server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Log the reviewer in once (password, then TOTP) and keep the session for every run:
    allauth takes each TOTP code once, so one log-in per run would wait 30 s each."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_PATH

    state = tmp_path_factory.mktemp("reviewer") / "state.json"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{server}/accounts/login/?next=/staff/reviews/")
            log_in(page, REVIEWER, PASSWORD)
            page.locator('input[name="code"]').fill(_totp())
            page.locator('form button[type="submit"]').first.click()
            page.wait_for_url("**/staff/reviews/")
            page.context.storage_state(path=str(state))
        finally:
            browser.close()
    return state


def _page(browser: Any, lang: str, width: int, outside: list[str], state: Path | None) -> Any:
    context = browser.new_context(
        locale="ja-JP" if lang == "ja" else "en-US",
        viewport={"width": width, "height": 800},
        storage_state=str(state) if state else None,
    )
    page = context.new_page()
    page.on("request", lambda r: outside.append(r.url) if leaves_the_machine(r.url) else None)
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_a_reviewer_with_totp_approves_an_application(
    server: str,
    reviewer_state: Path,
    chromium_path: Path,
    tmp_path: Path,
    lang: str,
    width: int,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    text = TEXT[lang]
    outside: list[str] = []
    shot = f"staff-{lang}-{width}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, lang, width, outside, reviewer_state)
            page.goto(f"{server}/partners/?lang={lang}")
            page.locator("#staff-console-link").click()  # the header leads to the queue
            expect(page.locator('#queue-filters a[aria-current="true"]')).to_have_text(text["open"])
            row = page.locator("#review-queue tr", has_text=f"Review {lang} {width}")
            expect(row).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-queue")

            row.locator("a").first.click()
            expect(page.locator("#company-details")).to_contain_text("山田 花子")
            expect(page.locator('#review-steps li[data-state="next"]')).to_have_attribute(
                "data-step", "start_review"
            )
            check_screen(page, width, tmp_path, f"{shot}-application")

            page.get_by_role("button", name=text["start"]).click()
            expect(page.locator("#review-next")).to_contain_text(text["next_identity"])
            check_screen(page, width, tmp_path, f"{shot}-in-review")

            page.get_by_role("button", name=text["approve"]).click()  # too early
            summary = page.locator("#error-summary")
            expect(summary).to_contain_text(text["too_early"])
            expect(summary).to_be_in_viewport()
            expect(summary).to_be_focused()
            assert "invalid_status_move" not in page.content()
            assert "identity_not_confirmed" not in page.content()
            check_screen(page, width, tmp_path, f"{shot}-approve-too-early")
            page.reload()  # a reload after the refusal is the page again, never a 405
            expect(page.locator("#review-panel")).to_be_visible()

            page.locator("#confirm_identity_note").fill("代表者に電話で確認 / Called the office")
            page.get_by_role("button", name=text["record"]).click()
            expect(page.locator("#review-next")).to_contain_text(text["next_decide"])
            check_screen(page, width, tmp_path, f"{shot}-identity-confirmed")

            page.get_by_role("button", name=text["approve"]).click()
            expect(page.locator("#application-status")).to_have_text(text["approved"])
            expect(page.locator("#review-trail")).not_to_contain_text("user:")
            check_screen(page, width, tmp_path, f"{shot}-approved")

            page.goto(f"{server}/staff/reviews/?status=approved")
            expect(
                page.locator("#review-queue tr", has_text=f"Review {lang} {width}")
            ).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-queue-approved")
        finally:
            browser.close()
    assert not outside, outside


@pytest.mark.browser
@pytest.mark.slow
def test_a_staff_user_without_totp_is_refused(
    server: str, chromium_path: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, "en", 1280, outside, None)
            page.goto(f"{server}/accounts/login/?next=/staff/reviews/")
            log_in(page, NO_TOTP, PASSWORD)
            page.goto(f"{server}/staff/reviews/")
            # sent to activate TOTP (allauth may first ask for the password again)
            expect(page).to_have_url(re.compile(r"/accounts/.*2fa.*totp.*activate"))
            assert page.locator("#review-queue").count() == 0
            page.screenshot(path=str(tmp_path / "staff-without-totp.png"), full_page=True)
        finally:
            browser.close()
    assert not outside, outside


# The pages no journey walks through (each journey checks its own screens the same way).
PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/docs/", "/no-such-page/"]
SIGNED_IN_PAGES = [
    "/partners/",
    "/partners/new/corporate/",
    "/partners/new/individual/",
    "/partners/new/certification/",
    "/account/",
]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_every_other_page_fits_and_passes_axe(
    server: str, reviewer_state: Path, chromium_path: Path, tmp_path: Path, lang: str, width: int
) -> None:
    """Finding 9 and "everywhere": no horizontal scroll at 390 px, no serious or critical axe
    violation, nothing loaded from outside 127.0.0.1, on the pages outside the journeys."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            for state, paths in ((None, PUBLIC_PAGES), (reviewer_state, SIGNED_IN_PAGES)):
                page = _page(browser, lang, width, outside, state)
                for path in paths:
                    page.goto(f"{server}{path}?lang={lang}")
                    name = path.strip("/").replace("/", "-") or "landing"
                    check_screen(page, width, tmp_path, f"page-{lang}-{width}-{name}")
                page.context.close()
        finally:
            browser.close()
    assert not outside, outside
