"""In Chromium, against a real `devcenter serve`: no page breaks its Content-Security-Policy
(no inline script or style blocked, nothing from another origin), the TOTP QR code included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.running_server import serving_after

EMAIL = "csp@example.com"
PASSWORD = "Csp-Browser-Test-9"  # noqa: S105 (a test user's)
SETUP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(username="csp", email="{EMAIL}", password="{PASSWORD}")
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
ANONYMOUS_PAGES = ["/", "/?lang=en", "/accounts/login/", "/accounts/signup/"]
MEMBER_PAGES = [
    "/partners/",
    "/partners/new/corporate/",
    "/partners/new/individual/",
    "/partners/new/certification/",
    "/accounts/2fa/totp/activate/",
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serving_after(tmp_path / "var", SETUP) as base:
        yield base


def _violations(page: Any, url: str, console: list[str]) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    return [*page.evaluate("window.__violations"), *console]


@pytest.mark.browser
@pytest.mark.slow
def test_no_page_violates_its_content_security_policy(server: str, chromium_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(WATCH)
            console: list[str] = []
            page.on(
                "console",
                lambda message: (
                    console.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            found = {path: _violations(page, server + path, console) for path in ANONYMOUS_PAGES}
            page.goto(f"{server}/accounts/login/")
            log_in(page, EMAIL, PASSWORD)
            page.wait_for_load_state("load")
            for path in MEMBER_PAGES:
                found[path] = _violations(page, server + path, console)
            if "reauthenticate" in page.url:  # allauth asks for the password again first
                page.locator('input[name="password"]').fill(PASSWORD)
                page.locator('form:has(input[name="password"]) button[type="submit"]').click()
                page.wait_for_url("**/2fa/totp/activate/")
                found["activate after reauthentication"] = [
                    *page.evaluate("window.__violations"),
                    *console,
                ]
            qr_code = page.locator('img[src^="data:"]')
            qr_loaded = qr_code.count() == 1 and qr_code.evaluate("img => img.naturalWidth > 0")
        finally:
            browser.close()

    assert {path: seen for path, seen in found.items() if seen} == {}
    assert qr_loaded  # the TOTP activation page's QR code (a data: image) is shown
