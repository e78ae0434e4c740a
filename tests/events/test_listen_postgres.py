"""On PostgreSQL the feed's long-polls and the worker wake on the audit NOTIFY of a commit
made elsewhere, not at their next re-check (set here far beyond the test's waits)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from devcenter.audit.hooks import on_audit_appended
from devcenter.audit.selectors import audit_current_sequence
from devcenter.events import audit_listener, feed_bell
from devcenter.events.delivery import Worker
from devcenter.events.projection import EVENT_TYPE_OF
from devcenter.events.selectors import events_wait
from devcenter.events.services import webhook_endpoint_create, webhook_test_send
from devcenter.partners.services import card_register
from tests.partners.factories import individual_partner, platform_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NEVER = 600.0  # re-check intervals no test waits for


@pytest.fixture
def only_notify(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[None]:
    """No in-process bell after a commit and no timely re-check: only a NOTIFY wakes."""
    monkeypatch.setattr("devcenter.audit.hooks.on_audit_appended", [])
    assert feed_bell.ring in on_audit_appended  # the hook that the test takes away
    settings.DEVCENTER_EVENTS_POLL_SECONDS = NEVER
    settings.DEVCENTER_EVENTS_LISTEN_RECHECK_SECONDS = NEVER
    settings.DEVCENTER_WEBHOOK_POLL_SECONDS = NEVER
    settings.DEVCENTER_WEBHOOK_IDLE_SECONDS = NEVER
    audit_listener.stop()
    audit_listener.start()
    deadline = time.monotonic() + 30
    while not audit_listener.listening() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert audit_listener.listening()
    yield
    audit_listener.stop()


def _in_thread(work: Any) -> threading.Thread:
    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.usefixtures("only_notify")
def test_a_commit_wakes_a_waiting_feed_request() -> None:
    owner = platform_user(email="feed-owner@example.com")
    partner = individual_partner(user=owner)
    after = audit_current_sequence()
    pages: list[Any] = []
    waiting = _in_thread(
        lambda: pages.append(
            events_wait(
                after=after, limit=10, audit_types=list(EVENT_TYPE_OF), partners=None, wait=25
            )
        )
    )
    time.sleep(0.3)  # the request is waiting (an empty page first)
    assert waiting.is_alive()
    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    waiting.join(timeout=20)  # well before the request's own 25 s and the 600 s re-check
    assert not waiting.is_alive()
    assert [e.type for e in pages[0].events][:1] == ["card.verified"]


@pytest.mark.usefixtures("only_notify")
def test_a_commit_wakes_an_idle_worker(receiver: Any) -> None:
    owner = platform_user(email="worker-owner@example.com")
    partner = individual_partner(user=owner)
    webhook_endpoint_create(acting_user=None, partner_id=None, url=receiver.url)
    worker = Worker(threads=2)
    running = _in_thread(worker.run)
    try:
        time.sleep(0.5)  # idle, waiting on the bell
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
        received = receiver.wait_for(2, timeout=20)
    finally:
        worker.stop()
        running.join(timeout=30)
    assert [r.event["type"] for r in received] == ["card.verified", "partner.type_changed"]
    assert not running.is_alive()


@pytest.mark.usefixtures("only_notify")
def test_a_test_send_wakes_an_idle_worker(receiver: Any) -> None:
    # A test send queues a delivery without any audit event: its own NOTIFY wakes the worker.
    endpoint = webhook_endpoint_create(acting_user=None, partner_id=None, url=receiver.url)
    worker = Worker(threads=2)
    running = _in_thread(worker.run)
    try:
        time.sleep(0.5)  # idle, waiting on the bell
        webhook_test_send(acting_user=None, partner_id=None, endpoint_id=endpoint.public_id)
        received = receiver.wait_for(1, timeout=20)
    finally:
        worker.stop()
        running.join(timeout=30)
    assert [r.event["type"] for r in received] == ["webhook.test"]
