"""The worker: delivery, the retry schedule, failures of a real receiver, order, leases,
disabling after three days, the delivery log, replay and test sends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from devcenter.audit.models import AuditEvent
from devcenter.events.choices import DeliveryState
from devcenter.events.delivery import Worker, deliveries_claim
from devcenter.events.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from devcenter.events.projection import EVENT_TYPE_OF
from devcenter.events.services import (
    RETRY_SCHEDULE,
    EndpointChanges,
    webhook_endpoint_create,
    webhook_endpoint_update,
    webhook_replay,
    webhook_secret_rotate,
    webhook_test_send,
)
from devcenter.partners.services import card_register, card_remove
from tests.events.test_signing import spec_verify
from tests.partners.factories import individual_partner, platform_user


@pytest.fixture
def owner(db: None) -> Any:
    return platform_user(email="owner@example.com")


@pytest.fixture
def partner(owner: Any) -> Any:
    return individual_partner(user=owner)


@pytest.fixture
def endpoint(owner: Any, partner: Any, receiver: Any) -> WebhookEndpoint:
    return webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url=receiver.url
    )


def _card_cycle(partner: Any, owner: Any) -> None:
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=owner)


def _drain(worker: Worker | None = None) -> Worker:
    worker = worker or Worker(threads=4)
    while worker.run_once():
        pass
    return worker


def test_events_after_the_endpoint_are_delivered_signed_in_order(
    owner, partner, endpoint, receiver
):
    _card_cycle(partner, owner)
    _drain()
    received = receiver.wait_for(4)
    assert [r.event["type"] for r in received] == [
        "card.verified",
        "partner.type_changed",
        "card.removed",
        "partner.type_changed",
    ]
    assert all(spec_verify(endpoint.secret, r.headers, r.body.decode(), now=r.at) for r in received)
    assert [r.headers["webhook-id"] for r in received] == [r.event["id"] for r in received]
    assert "partner.created" not in [r.event["type"] for r in received]  # before the endpoint
    assert WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).count() == 4


def test_the_event_type_filter_holds(owner, partner, receiver):
    webhook_endpoint_create(
        acting_user=owner,
        partner_id=partner.public_id,
        url=receiver.url,
        event_types=["card.removed"],
    )
    _card_cycle(partner, owner)
    _drain()
    assert [r.event["type"] for r in receiver.received] == ["card.removed"]


def test_a_partner_endpoint_gets_only_its_partners_events(owner, partner, endpoint, receiver):
    other_owner = platform_user()
    _card_cycle(individual_partner(user=other_owner), other_owner)
    _drain()
    assert receiver.received == []


def test_retries_follow_the_schedule(owner, partner, endpoint, receiver, frozen_clock):
    receiver.default = 500
    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    worker = _drain()
    head = WebhookDelivery.objects.order_by("pk").first()
    waits = []
    for step in range(9):
        head.refresh_from_db()
        assert head.state == DeliveryState.SCHEDULED
        wait = head.next_attempt_at - frozen_clock.current
        expected = RETRY_SCHEDULE[min(step, len(RETRY_SCHEDULE) - 1)]
        assert expected * 0.9 <= wait <= expected * 1.1, step
        waits.append(wait)
        frozen_clock.advance(wait - timedelta(seconds=1))
        assert worker.run_once() == 0  # not due yet
        frozen_clock.advance(timedelta(seconds=1))
        _drain(worker)
    head.refresh_from_db()
    assert head.attempts == 10
    assert WebhookAttempt.objects.filter(delivery=head, status_code=500).count() == 10
    # a later delivery of the same partner waited behind the head all along
    assert WebhookDelivery.objects.filter(attempts=0).count() == 1


def test_after_three_days_the_endpoint_is_disabled_and_its_owner_told(
    owner, partner, endpoint, receiver, frozen_clock, django_capture_on_commit_callbacks
):
    receiver.default = 500
    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    worker = _drain()
    for _ in range(20):
        endpoint.refresh_from_db()
        if not endpoint.enabled:
            break
        frozen_clock.advance(timedelta(hours=11))
        with django_capture_on_commit_callbacks(execute=True):
            _drain(worker)
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.disabled_reason == "failing"
    assert frozen_clock.current - endpoint.failing_since >= timedelta(days=3)
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    assert "3" in mail.outbox[0].body
    [disabled] = AuditEvent.objects.filter(
        event_type="webhook_endpoint.updated", target_id=endpoint.public_id
    )
    assert (disabled.actor, disabled.new) == ("system", {"enabled": False, "reason": "failing"})
    # enabled again, the waiting events go out
    receiver.default = 200
    webhook_endpoint_update(
        acting_user=owner,
        partner_id=partner.public_id,
        endpoint_id=endpoint.public_id,
        changes=EndpointChanges(enabled=True),
    )
    frozen_clock.advance(timedelta(hours=11))
    _drain(worker)
    assert WebhookDelivery.objects.exclude(state=DeliveryState.SCHEDULED).count() >= 1


@pytest.mark.usefixtures("short_timeout")
@pytest.mark.parametrize(
    ("answer", "error"), [(500, ""), ("timeout", "timeout"), ("close", "connection")]
)
def test_a_failing_receiver_is_logged_and_retried(
    owner, partner, endpoint, receiver, answer, error
):
    receiver.answers = [answer]
    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    worker = Worker(threads=2)
    worker.run_once()
    attempt = WebhookAttempt.objects.get()
    assert not attempt.succeeded
    assert attempt.error.startswith(error)
    assert attempt.status_code == (500 if answer == 500 else None)
    delivery = attempt.delivery
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.attempts == 1
    assert delivery.next_attempt_at > attempt.attempted_at


def test_order_per_partner_holds_under_retries(owner, partner, endpoint, receiver, frozen_clock):
    receiver.answers = [500, 500]
    _card_cycle(partner, owner)
    worker = _drain()
    for _ in range(3):
        frozen_clock.advance(timedelta(minutes=31))
        _drain(worker)
    types = [r.event["type"] for r in receiver.received]
    sequences = [r.event["sequence"] for r in receiver.received if r.event.get("sequence")]
    delivered = [s for s, r in zip(sequences, receiver.received, strict=True) if r]
    assert types[:3] == ["card.verified"] * 3  # the head, retried, before anything after it
    assert delivered[2:] == sorted(delivered[2:])
    assert WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).count() == 4


def test_a_killed_workers_lease_runs_out_and_another_delivers(
    owner, partner, endpoint, receiver, frozen_clock
):
    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    dead = Worker(threads=1)
    from devcenter.events.services import events_fan_out

    events_fan_out()
    claimed = deliveries_claim(worker=dead.name, limit=10)  # then the worker dies
    # The partner's queue: its head and, as one chain behind it, the change's second event.
    assert [c.delivery_id for c in claimed] == list(
        WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert len(claimed) == 2
    other = Worker(threads=1)
    assert other.run_once() == 0  # leased: nobody else sends them
    frozen_clock.advance(timedelta(seconds=61))
    assert other.run_once() == 4  # claimed, then recorded
    assert [r.headers["webhook-id"] for r in receiver.wait_for(2)] == [c.event_id for c in claimed]
    for delivery in WebhookDelivery.objects.filter(pk__in=[c.delivery_id for c in claimed]):
        assert delivery.state == DeliveryState.DELIVERED
        assert delivery.leased_by == ""


def test_delivery_log_records_status_duration_and_excerpt(owner, partner, endpoint, receiver):
    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    _drain()
    attempt = WebhookAttempt.objects.filter(endpoint=endpoint).first()
    assert attempt.status_code == 200
    assert attempt.succeeded
    assert attempt.response_excerpt == "thanks"
    assert attempt.duration_ms >= 0


def test_replay_one_event_and_all_since_a_time(owner, partner, endpoint, receiver, frozen_clock):
    _card_cycle(partner, owner)
    _drain()
    first = receiver.received[0].event
    queued = webhook_replay(
        acting_user=owner,
        partner_id=partner.public_id,
        endpoint_id=endpoint.public_id,
        event_id=first["id"],
    )
    assert queued == 1
    _drain()
    assert receiver.received[-1].event == first
    since = endpoint.created_at - timedelta(days=1)
    queued = webhook_replay(
        acting_user=owner, partner_id=partner.public_id, endpoint_id=endpoint.public_id, since=since
    )
    every = AuditEvent.objects.filter(partner=partner.public_id, event_type__in=list(EVENT_TYPE_OF))
    assert queued == every.count() > 4  # partner.created too: before the endpoint
    _drain()
    assert len(receiver.received) == 4 + 1 + queued
    assert receiver.received[5].event["type"] == "partner.created"


def test_test_send_is_signed_and_typed_webhook_test(owner, partner, endpoint, receiver):
    delivery = webhook_test_send(
        acting_user=owner, partner_id=partner.public_id, endpoint_id=endpoint.public_id
    )
    _drain()
    (received,) = receiver.wait_for(1)
    assert received.event["type"] == "webhook.test"
    assert received.headers["webhook-id"] == delivery.event_id
    assert spec_verify(endpoint.secret, received.headers, received.body.decode(), now=received.at)


def test_rotation_signs_with_both_secrets_for_24_hours(
    owner, partner, endpoint, receiver, frozen_clock
):
    old_secret = endpoint.secret
    rotated = webhook_secret_rotate(
        acting_user=owner, partner_id=partner.public_id, endpoint_id=endpoint.public_id
    )
    webhook_test_send(
        acting_user=owner, partner_id=partner.public_id, endpoint_id=endpoint.public_id
    )
    _drain()
    frozen_clock.advance(timedelta(hours=24, seconds=1))
    webhook_test_send(
        acting_user=owner, partner_id=partner.public_id, endpoint_id=endpoint.public_id
    )
    _drain()
    during, after = receiver.wait_for(2)
    for secret in (old_secret, rotated.secret):
        assert spec_verify(secret, during.headers, during.body.decode(), now=during.at)
    sent_at = float(after.headers["webhook-timestamp"])  # the moved clock's time
    assert spec_verify(rotated.secret, after.headers, after.body.decode(), now=sent_at)
    assert not spec_verify(old_secret, after.headers, after.body.decode(), now=sent_at)
