"""Authorization code + PKCE in Chromium against a real `devcenter serve`: log in, read the
consent page (the client's name, each scope's label from the policy), allow, then exchange the
code at /oauth/token with httpx. Denying sends the user back with access_denied."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.oauth.conftest import pkce_pair
from tests.oauth.test_oauth_server import (
    EMAIL,
    PASSWORD,
    REDIRECT_URI,
    authorize_query,
    issued_of,
    set_up,
)
from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.running_server import serving_after

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    var = tmp_path / "var"
    var.mkdir()
    with serving_after(var, set_up(var)) as base:
        yield base, issued_of(var)


def consent_in_browser(
    base: str, client_id: str, challenge: str, chromium_path: Path, shots: Path, *, allow: bool
) -> dict[str, list[str]]:
    """Log in, answer the consent page in Chromium; return the query the client received."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="ja-JP", viewport={"width": 390, "height": 844})
            # The client's callback is not on this machine: answer it in the browser.
            page.route(f"{REDIRECT_URI}**", lambda route: route.fulfill(status=200, body="ok"))
            page.goto(f"{base}/oauth/authorize?{authorize_query(client_id, challenge)}")
            log_in(page, EMAIL, PASSWORD)  # login required: allauth, then back here

            expect(page.locator("h1")).to_have_text(
                "「写真共有」にあなたのmixiアカウントへのアクセスを許可しますか？"
            )
            scopes = page.locator("#requested-scopes li")
            expect(scopes).to_have_count(2)
            expect(scopes.nth(0)).to_have_text(
                "あなたのプロフィール（ニックネーム、プロフィール画像など）を取得する"
            )
            expect(scopes.nth(1)).to_have_text("あなたとマイミクのフォトアルバムと写真を取得する")
            page.screenshot(path=str(shots / "consent-ja-390.png"), full_page=True)

            button = "許可する" if allow else "許可しない"
            page.get_by_role("button", name=button, exact=True).click()
            page.wait_for_url(f"{REDIRECT_URI}**")
            return parse_qs(urlsplit(page.url).query)
        finally:
            browser.close()


def test_allow_in_the_browser_then_exchange_the_code_with_httpx(server, chromium_path, tmp_path):
    base, issued = server
    verifier, challenge = pkce_pair()

    query = consent_in_browser(
        base, issued["client_id"], challenge, chromium_path, tmp_path, allow=True
    )

    assert query["state"] == ["s-1"]
    exchanged = httpx.post(
        f"{base}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=(issued["client_id"], issued["secret"]),
    )
    assert exchanged.status_code == 200
    assert exchanged.json()["scope"] == "r_profile r_photo"
    assert (tmp_path / "consent-ja-390.png").stat().st_size > 0


def test_deny_in_the_browser_sends_access_denied(server, chromium_path, tmp_path):
    base, issued = server
    _, challenge = pkce_pair()

    query = consent_in_browser(
        base, issued["client_id"], challenge, chromium_path, tmp_path, allow=False
    )

    assert query["error"] == ["access_denied"]
    assert "code" not in query
