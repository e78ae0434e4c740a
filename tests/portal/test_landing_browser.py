"""The landing page in a real browser against a real `devcenter serve`: Japanese, then English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.running_server import running_server, server_env

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A `devcenter serve` on a free loopback port with a fresh SQLite in `tmp_path`."""
    with running_server(server_env(tmp_path / "var")) as (base, _process):
        yield base


@pytest.mark.browser
@pytest.mark.slow
def test_landing_page_in_japanese_then_english(
    server: str, chromium_path: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
            page.goto(f"{server}/")

            expect(page.locator("html")).to_have_attribute("lang", "ja")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "mixi Platform 利用登録の概要"
            )
            row = page.locator('#service-matrix tr[data-code="payment_program"]')
            cell = row.locator('td[data-column="corporate_certified"]')
            expect(cell).to_contain_text("○")
            expect(cell.locator(".visually-hidden")).to_have_text("利用可")
            # The stylesheet is served: the spoken text is hidden from sight, not from readers.
            assert (
                cell.locator(".visually-hidden").evaluate("e => getComputedStyle(e).position")
                == "absolute"
            )
            page.screenshot(path=str(tmp_path / "landing-ja.png"), full_page=True)

            page.get_by_role("navigation", name="言語").get_by_role("link", name="English").click()

            expect(page).to_have_url(f"{server}/?lang=en")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "mixi Platform registration overview"
            )
            expect(
                page.get_by_role("heading", name="Services each partner type may use")
            ).to_be_visible()
            expect(page.locator("#service-matrix")).to_contain_text("mixi Payment Program")
            page.screenshot(path=str(tmp_path / "landing-en.png"), full_page=True)

            page.goto(f"{server}/")  # the choice is remembered in the language cookie
            expect(page.locator("html")).to_have_attribute("lang", "en")
        finally:
            browser.close()

    assert (tmp_path / "landing-ja.png").stat().st_size > 0
    assert (tmp_path / "landing-en.png").stat().st_size > 0
