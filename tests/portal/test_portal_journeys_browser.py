"""The individual's journey in a real browser, in Japanese and English, at 1,280 and 390 px:
register, meet a declined card (the error is in the viewport, focused; a reload is no 405),
register a card and unlock the Graph API, then remove the card after a confirmation that names
what is lost. On every screen: no horizontal scroll, no serious or critical axe violation, and
no request leaves 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.running_server import serving_after

PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (throwaway users of a temporary DB)
RUNS = [("ja", 1280), ("ja", 390), ("en", 1280), ("en", 390)]
SET_UP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
for lang, width in {RUNS!r}:
    email = f"dev-{{lang}}-{{width}}@example.com"
    user = get_user_model().objects.create_user(username=email, email=email, password="{PASSWORD}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
"""
TEXT = {
    "ja": {
        "register": "個人パートナーとして登録する",
        "name": "登録名",
        "services": "サービス",
        "card": "カード",
        "token": "カードトークン",
        "add": "カードを登録",
        "remove": "カードを削除…",
        "confirm": "カードを削除する",
        "nav": "パートナー",
    },
    "en": {
        "register": "Register as an individual partner",
        "name": "Registration name",
        "services": "Services",
        "card": "Card",
        "token": "Card token",
        "add": "Register card",
        "remove": "Remove card…",
        "confirm": "Remove the card",
        "nav": "Partner",
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `devcenter serve` for the module, with one verified user per run."""
    with serving_after(tmp_path_factory.mktemp("journeys") / "var", SET_UP) as base:
        yield base


def check_screen(page: Any, width: int, shots: Path, name: str) -> None:
    """Assert no horizontal scroll and no serious or critical axe violation; take a shot."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()  # a click may still be navigating
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: {scroll} px wide at {width} px"
    results = Axe().run(page)
    bad = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: {bad}"
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    kept = Path("/tmp/portal-shots")  # noqa: S108 (for a human to look at, when present)
    if kept.is_dir():
        shutil.copy(shots / f"{name}.png", kept / f"{name}.png")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_individual_card_journey(
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
            page.goto(f"{server}/?lang={lang}")
            check_screen(page, width, tmp_path, f"{lang}-{width}-landing")
            page.goto(f"{server}/accounts/login/?next=/partners/")
            log_in(page, f"dev-{lang}-{width}@example.com", PASSWORD)
            expect(page).to_have_url(f"{server}/partners/")
            page.get_by_role("link", name=text["register"]).click()
            page.get_by_label(text["name"]).fill("Dev")
            page.get_by_role("button", name=text["register"]).click()
            check_screen(page, width, tmp_path, f"{lang}-{width}-home")

            nav = page.get_by_role("navigation", name=text["nav"], exact=True)
            nav.get_by_role("link", name=text["services"], exact=True).click()
            expect(nav.locator('[aria-current="page"]')).to_have_text(text["services"])
            graph = page.locator('#service-entitlements tr[data-code="graph_api"]')
            check_screen(page, width, tmp_path, f"{lang}-{width}-services")
            graph.locator('a[data-step="register_card"]').click()

            page.get_by_label(text["token"]).fill("tok_declined")
            page.get_by_role("button", name=text["add"], exact=True).click()
            summary = page.locator("#error-summary")
            expect(summary).to_be_in_viewport()
            expect(summary).to_be_focused()
            check_screen(page, width, tmp_path, f"{lang}-{width}-card-declined")
            reloaded = page.reload()
            assert reloaded is not None
            assert reloaded.status == 200  # a reload after an error: a GET, no 405

            page.get_by_label(text["token"]).fill("tok_visa")
            page.get_by_role("button", name=text["add"], exact=True).click()
            expect(page.locator("#current-card")).to_contain_text("4242")
            nav.get_by_role("link", name=text["services"], exact=True).click()
            expect(graph.locator("td.mark--yes")).to_have_count(1)

            nav.locator('a[href$="/card/"]').click()
            page.get_by_role("link", name=text["remove"]).click()
            expect(page.locator("#lost-services")).to_contain_text("Graph API")
            check_screen(page, width, tmp_path, f"{lang}-{width}-card-remove-confirm")
            page.get_by_role("button", name=text["confirm"]).click()
            expect(page.locator("#current-card")).not_to_contain_text("4242")
            partner_url = page.url.rsplit("/card/", 1)[0]
            for screen in ("members", "history", "settings", "accounts", "api-keys"):
                answer = page.goto(f"{partner_url}/{screen}/")
                assert answer is not None
                assert answer.status == 200, screen
                check_screen(page, width, tmp_path, f"{lang}-{width}-{screen}")
        finally:
            browser.close()

    assert not outside, outside
