"""The notices in a real browser, in Japanese and English, at 1,280 and 390 px: the partner
home shows the scheduled card expiry and what it takes away, the header counts the unread
notice, the inbox shows it and marks it read. On every screen: no horizontal scroll, no serious
or critical axe violation, and no request leaves 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.portal.test_portal_journeys_browser import check_screen
from tests.running_server import serving_after

PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (throwaway users of a temporary DB)
RUNS = [("ja", 1280), ("ja", 390), ("en", 1280), ("en", 390)]
# Each run's user: an individual partner whose card expires at the start of next month, with a
# Graph API registration, told 7 days before by the sweep (as `devcenter cards notify` would).
SET_UP = f"""
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from devcenter.notices import clock
from devcenter.notices.card_expiry import card_expiry_notify
from devcenter.partners.card_services import card_expires_on
from devcenter.partners.models import Card
from devcenter.partners.services import card_register, partner_register_individual
from devcenter.registrations.services import registration_create
today = clock.today()
for lang, width in {RUNS!r}:
    email = f"dev-{{lang}}-{{width}}@example.com"
    user = get_user_model().objects.create_user(
        username=email, email=email, password="{PASSWORD}", first_name="Hanako", last_name="Yamada"
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    partner = partner_register_individual(acting_user=user, registration_name="Hanako Dev")
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    Card.objects.filter(pk=card.pk).update(exp_year=today.year, exp_month=today.month)
    registration_create(
        partner_id=partner.public_id, service="graph_api", name="Photo viewer", acting_user=user,
        fields={{"description": "Shows photos", "redirect_uris": ["https://example.com/cb"],
                "contact_email": email}},
    )
card_expiry_notify(today=card_expires_on(today.year, today.month) - timedelta(days=7))
"""
TEXT = {
    "ja": {
        "scheduled": "予定されている変更",
        "graph": "mixi Connect: mixi Graph API",
        "notices": "お知らせ",
        "title": "有効期限が切れます",
        "mark": "既読にする",
        "read": "既読",
    },
    "en": {
        "scheduled": "Scheduled changes",
        "graph": "mixi Graph API",
        "notices": "Notices",
        "title": "Your card ending in 4242 expires on",
        "mark": "Mark as read",
        "read": "Read",
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `devcenter serve` for the module, with one notified user per run."""
    with serving_after(tmp_path_factory.mktemp("notices") / "var", SET_UP) as base:
        yield base


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_scheduled_change_and_inbox(
    server: str, chromium_path: Path, tmp_path: Path, lang: str, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    text = TEXT[lang]
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            locale = "ja-JP" if lang == "ja" else "en-US"
            page = browser.new_page(locale=locale, viewport={"width": width, "height": 800})
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith(("http://127.0.0.1", "data:"))
                    else outside.append(r.url)
                ),
            )
            page.goto(f"{server}/accounts/login/?next=/partners/%3Flang%3D{lang}")
            log_in(page, f"dev-{lang}-{width}@example.com", PASSWORD)
            page.locator("#partners a").first.click()

            scheduled = page.locator("#scheduled-changes")
            expect(page.get_by_role("heading", name=text["scheduled"])).to_be_visible()
            expect(scheduled).to_contain_text(text["graph"])
            expect(scheduled).to_contain_text("Photo viewer")
            scheduled.scroll_into_view_if_needed()
            check_screen(page, width, tmp_path, f"notices-{lang}-{width}-home")

            expect(page.locator("#notice-count")).to_contain_text("1")
            page.locator("#notices-link").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(text["notices"])
            notice = page.locator("#notices li.notice").first
            expect(notice).to_have_attribute("data-state", "unread")
            expect(notice).to_contain_text(text["title"])
            expect(notice).to_contain_text("Photo viewer")
            check_screen(page, width, tmp_path, f"notices-{lang}-{width}-inbox")

            notice.get_by_role("button", name=text["mark"]).click()
            expect(page.locator("#notices li.notice").first).to_have_attribute("data-state", "read")
            expect(page.locator("#notice-count")).to_have_count(0)
            check_screen(page, width, tmp_path, f"notices-{lang}-{width}-inbox-read")
        finally:
            browser.close()
    assert outside == []
