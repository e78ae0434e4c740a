"""The staff console's policy diff page in a real browser, in Japanese and English, at 1,280 and
390 px: a file that changes something fits the screen (long codes wrap); a broken file's problem
is at the field and its summary takes the focus; a file over the limit is refused at the field
before it is sent (past the front door's cut the answer would be its JSON 413, not the page).
Screenshots are kept in tmp_path."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devcenter.policy import shipped_policy_text
from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.portal.test_portal_journeys_browser import RUNS
from tests.running_server import serving_after

PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (a throwaway user of a temporary DB)
STAFF = "policy-staff@example.com"
SECRET = "JBSWY3DPEHPK3PXQ"  # noqa: S105 (the throwaway staff user's TOTP secret)
SET_UP = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model

user = get_user_model().objects.create_user(
    username="{STAFF}", email="{STAFF}", password="{PASSWORD}", is_staff=True)
EmailAddress.objects.create(user=user, email="{STAFF}", verified=True, primary=True)
TOTP.activate(user, "{SECRET}")
"""
ROW = "graph_api       = { corporate_certified = true, corporate_general = false"
OPENS_GRAPH_API = shipped_policy_text().replace(ROW, ROW.replace("l = false", "l = true"))
TEXT = {"ja": ("変わるリクエスト", "有効なポリシーではありません"),
        "en": ("requests that change", "not a valid policy")}  # fmt: skip
URL = "/admin/policy/diff/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_after(tmp_path_factory.mktemp("policy-diff") / "var", SET_UP) as base:
        yield base


@pytest.fixture(scope="module")
def staff_state(server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Log the staff user in once (password, then TOTP); allauth takes each code once."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_PATH

    state = tmp_path_factory.mktemp("staff") / "state.json"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{server}/accounts/login/?next={URL}")
            log_in(page, STAFF, PASSWORD)
            code = format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))
            page.locator('input[name="code"]').fill(str(code))
            page.locator('form button[type="submit"]').first.click()
            page.wait_for_url(f"**{URL}")
            page.context.storage_state(path=str(state))
        finally:
            browser.close()
    return state


def upload(page: Any, path: Path, *, sent: bool = True) -> None:
    page.set_input_files("#id_policy_file", str(path))
    button = page.locator('#policy-diff-form input[type="submit"]')
    if sent:
        with page.expect_navigation():
            button.click()
    else:
        button.click()


def fits(page: Any, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{scroll} px wide at {width} px"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_the_policy_diff_page_fits_and_shows_errors_at_the_field(
    server: str, staff_state: Path, chromium_path: Path, tmp_path: Path, lang: str, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    changed, invalid = TEXT[lang]
    files = {"opens.toml": OPENS_GRAPH_API.encode(), "broken.toml": b"this is [ not toml\n",
             "large.toml": b"#" * (300 * 1024)}  # fmt: skip
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                locale="ja-JP" if lang == "ja" else "en-US",
                viewport={"width": width, "height": 800},
                storage_state=str(staff_state),
            )
            page = context.new_page()
            page.goto(f"{server}{URL}")

            upload(page, tmp_path / "opens.toml")
            expect(page.locator("#policy-diff-result")).to_contain_text(changed)
            fits(page, width)
            page.screenshot(path=str(tmp_path / f"changed-{lang}-{width}.png"), full_page=True)

            upload(page, tmp_path / "broken.toml")
            expect(page.locator("#error-summary")).to_contain_text(invalid)
            expect(page.locator("#error-summary")).to_be_focused()
            expect(page.locator(".form-row #policy-file-problem")).to_be_visible()
            fits(page, width)
            page.screenshot(path=str(tmp_path / f"broken-{lang}-{width}.png"), full_page=True)

            page.goto(f"{server}{URL}")
            upload(page, tmp_path / "large.toml", sent=False)
            expect(page.locator(".form-row #policy-file-too-large")).to_be_visible()
            page.wait_for_timeout(300)  # had it been sent, the front door's JSON would be here
            expect(page.locator("#policy-diff-form")).to_be_visible()
            page.screenshot(path=str(tmp_path / f"large-{lang}-{width}.png"), full_page=True)
        finally:
            browser.close()
