"""The landing page in a real browser against a real `devcenter serve`: Japanese, then English."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"devcenter serve exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"devcenter serve did not answer within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and anything it started (it leads its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A `devcenter serve` on a free loopback port with a fresh SQLite in `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DEVCENTER_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "devcenter.settings",
    }
    port = _free_port()
    script = Path(sys.executable).with_name("devcenter")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "devcenter.cli"]
    process = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
        [*command, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/", process)
        yield base
    finally:
        _stop(process)


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
