"""An owner in a real browser against `devcenter serve`: add a colleague as a developer of a
corporate general partner, then see them in the members table (and the colleague's e-mail sent)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.running_server import serving_after

OWNER = "owner@example.com"
COLLEAGUE = "colleague@example.com"
PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (throwaway users of a temporary DB)
SET_UP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.services import CorporateDetails, partner_register_corporate_general

def verified(name, email):
    user = get_user_model().objects.create_user(username=name, email=email, password="{PASSWORD}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user

owner = verified("owner", "{OWNER}")
verified("colleague", "{COLLEAGUE}")
base = "700000000001"
partner_register_corporate_general(user=owner, details=CorporateDetails(
    registration_name="ブラウザ開発", legal_name="株式会社ブラウザ",
    corporate_number=str(corporate_number_check_digit(base)) + base,
    legal_entity_registered=True, contact_email="{OWNER}"))
"""


@pytest.fixture
def server_with_partner(tmp_path: Path) -> Iterator[str]:
    """A `devcenter serve` on a fresh SQLite: two verified users, the first owning a partner."""
    with serving_after(tmp_path / "var", SET_UP) as base:
        yield base


@pytest.mark.browser
@pytest.mark.slow
def test_owner_adds_a_developer_from_the_partner_page(
    server_with_partner: str, chromium_path: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server = server_with_partner
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
            page.goto(f"{server}/accounts/login/?next=/partners/")
            log_in(page, OWNER, PASSWORD)
            expect(page).to_have_url(f"{server}/partners/")
            page.get_by_role("link", name="ブラウザ開発").click()
            page.get_by_role("navigation", name="パートナー").get_by_role(
                "link", name="メンバー"
            ).click()

            members = page.locator("#member-table tbody tr")
            expect(members).to_have_count(1)
            expect(members.first).to_contain_text(OWNER)
            page.locator("#member-form").get_by_label("メールアドレス").fill(COLLEAGUE)
            page.locator("#member-form").get_by_label("役割").select_option("developer")
            page.get_by_role("button", name="メンバーを追加", exact=True).click()

            expect(page.get_by_role("status")).to_contain_text("メンバーを追加しました")
            expect(members).to_have_count(2)
            added = page.locator('#member-table tr[data-role="developer"]')
            expect(added).to_contain_text(COLLEAGUE)
            expect(added).to_contain_text("開発者")
            page.locator("main").screenshot(path=str(tmp_path / "members.png"))
        finally:
            browser.close()

    assert (tmp_path / "members.png").stat().st_size > 0
