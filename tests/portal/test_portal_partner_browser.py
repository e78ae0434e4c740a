"""A developer in a real browser against `devcenter serve`: log in, register as an individual
partner, register the sandbox card `tok_visa`, and see the Graph API turn from – to ○."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.running_server import serving_after

EMAIL = "dev@example.com"
PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (a throwaway user of a temporary DB)
CREATE_USER = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(username="dev", email="{EMAIL}", password="{PASSWORD}")
EmailAddress.objects.create(user=user, email="{EMAIL}", verified=True, primary=True)
"""


@pytest.fixture
def server_with_user(tmp_path: Path) -> Iterator[str]:
    """A `devcenter serve` on a fresh SQLite holding one verified (platform) user."""
    with serving_after(tmp_path / "var", CREATE_USER) as base:
        yield base


@pytest.mark.browser
@pytest.mark.slow
def test_individual_registers_a_card_and_gets_the_graph_api(
    server_with_user: str, chromium_path: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server = server_with_user
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
            page.goto(f"{server}/partners/")
            expect(page).to_have_url(f"{server}/accounts/login/?next=/partners/")
            log_in(page, EMAIL, PASSWORD)

            expect(page).to_have_url(f"{server}/partners/")
            expect(page.get_by_role("heading", level=1)).to_have_text("あなたのパートナー登録")
            page.get_by_role("link", name="個人パートナーとして登録する").click()
            page.get_by_label("登録名").fill("個人開発者テスト")
            page.get_by_role("button", name="個人パートナーとして登録する").click()

            expect(page.get_by_role("status")).to_contain_text("個人パートナーとして登録しました")
            nav = page.get_by_role("navigation", name="パートナー")
            nav.get_by_role("link", name="サービス").click()
            graph = page.locator('#service-entitlements tr[data-code="graph_api"]')
            expect(graph.locator("td.mark")).to_have_text("–利用不可")
            page.screenshot(path=str(tmp_path / "partner-before.png"), full_page=True)

            graph.get_by_role("link", name="クレジットカードを登録して認証する").click()
            page.get_by_label("カードトークン").fill("tok_visa")
            page.get_by_role("button", name="カードを登録", exact=True).click()

            expect(page.get_by_role("status")).to_contain_text("カードを登録しました")
            expect(page.locator("#current-card")).to_contain_text("4242")
            nav.get_by_role("link", name="サービス").click()
            expect(graph.locator("td.mark")).to_have_text("○利用可")
            page.screenshot(path=str(tmp_path / "partner-after.png"), full_page=True)
        finally:
            browser.close()

    assert (tmp_path / "partner-before.png").stat().st_size > 0
    assert (tmp_path / "partner-after.png").stat().st_size > 0
