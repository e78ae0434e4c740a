"""The partner's webhooks screen in a real browser, in Japanese and English at 1,280 and 390 px:
an owner adds an endpoint (a bad URL first: the error at the top and at the field), copies the
secret shown once, sends a test event that a local receiver gets signed, sees the delivery in
the log, disables the endpoint and deletes it after the confirmation. Every screen is checked
(no horizontal scroll, axe, loopback only) and its screenshot kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.events.conftest import Receiver, _handler
from tests.portal.browser import log_in
from tests.portal.test_landing_browser import CHROMIUM_ARGS
from tests.portal.test_portal_journeys_browser import RUNS, check_screen
from tests.portal.test_portal_team_journeys_browser import new_page
from tests.running_server import serving_after

PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (throwaway users of a temporary DB)
SET_UP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from devcenter.partners.services import partner_register_individual

for lang, width in {RUNS!r}:
    email = f"hooks-{{lang}}-{{width}}@example.com"
    user = get_user_model().objects.create_user(username=email, email=email, password="{PASSWORD}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    partner_register_individual(acting_user=user, registration_name=f"Hooks {{lang}} {{width}}")
"""
TEXT = {
    "ja": {"disabled": "エンドポイントを無効にしました。", "delete": "エンドポイントを削除する"},
    "en": {"disabled": "The endpoint is disabled.", "delete": "Delete the endpoint"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `devcenter serve` (with its webhook worker) for the module."""
    with serving_after(tmp_path_factory.mktemp("webhooks") / "var", SET_UP) as base:
        yield base


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local webhook receiver on 127.0.0.1 (the events tests' own)."""
    found = Receiver()
    http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    http.daemon_threads = True
    found.url = f"http://127.0.0.1:{http.server_address[1]}/hook"
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield found
    http.shutdown()
    http.server_close()


def reload_until(page: Any, selector: str, timeout: float = 20) -> None:
    """Reload until `selector` is on the page (the worker delivers in the background)."""
    deadline = time.monotonic() + timeout
    while page.locator(selector).count() == 0:
        assert time.monotonic() < deadline, f"{selector} did not appear within {timeout} s"
        time.sleep(0.3)
        page.reload()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "width"), RUNS)
def test_add_test_send_disable_delete(
    server: str,
    receiver: Receiver,
    chromium_path: Path,
    tmp_path: Path,
    lang: str,
    width: int,
) -> None:
    from playwright.sync_api import expect, sync_playwright
    from standardwebhooks.webhooks import Webhook

    outside: list[str] = []
    shot = f"{lang}-{width}-webhooks"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, lang, width, outside)
            page.goto(f"{server}/accounts/login/?next=/partners/")
            log_in(page, f"hooks-{lang}-{width}@example.com", PASSWORD)
            page.locator("main a[href^='/partners/ptn_']").first.click()
            page.locator(".partner-nav a[href$='/webhooks/']").click()
            expect(page.locator("#no-webhooks")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-empty")

            page.locator("#id_url").fill("not a url")
            page.locator("#webhook-form button[type=submit]").click()
            expect(page.locator("#error-summary")).to_be_in_viewport()
            expect(page.locator('.field-error[data-field="url"]')).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-refused")

            page.locator("#id_url").fill(receiver.url)
            page.locator("#id_description").fill("gateway")
            page.locator("#id_scope_1").check()
            page.locator("#id_events input[value='card.removed']").check()
            page.locator("#webhook-form button[type=submit]").click()
            expect(page.locator("#new-secret")).to_be_visible()
            secret = page.locator("#new-secret-value").inner_text().strip()
            assert secret.startswith("whsec_")
            check_screen(page, width, tmp_path, f"{shot}-secret")

            page.locator("#send-test").click()
            expect(page.locator(".message--success")).to_be_visible()
            expect(page.locator("#new-secret")).to_have_count(0)  # shown once
            (received,) = receiver.wait_for(1)
            signed = Webhook(secret).verify(received.body, received.headers)
            assert signed["type"] == "webhook.test"
            reload_until(page, '#delivery-table tr[data-type="webhook.test"]')
            expect(page.locator('#delivery-table [data-status="200"]')).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-log")

            page.locator("#disable").click()
            expect(page.locator(".message--success")).to_contain_text(TEXT[lang]["disabled"])
            expect(page.locator("#webhook-state")).to_have_attribute("data-enabled", "false")
            expect(page.locator("#send-test")).to_have_count(0)
            check_screen(page, width, tmp_path, f"{shot}-disabled")

            page.locator("#delete").click()
            expect(page.locator("#loss")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-delete-confirm")
            page.get_by_role("button", name=TEXT[lang]["delete"]).click()
            expect(page.locator("#no-webhooks")).to_be_visible()
            check_screen(page, width, tmp_path, f"{shot}-deleted")
        finally:
            browser.close()
    assert not outside, outside
    assert len(receiver.received) == 1
