"""The worker's batches: chains of a queue sent in order by one thread, a batch's outcomes
recorded together, one failing endpoint among healthy ones, and the reuse of a checked DNS
answer for a short time only."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from devcenter.events.choices import DeliveryState
from devcenter.events.delivery import Sender, Worker, deliveries_claim
from devcenter.events.models import WebhookAttempt, WebhookDelivery
from devcenter.events.services import events_fan_out, webhook_endpoint_create
from devcenter.partners.services import card_register, card_remove
from tests.partners.factories import individual_partner, platform_user


@pytest.fixture
def owner(db: None) -> Any:
    return platform_user(email="owner@example.com")


@pytest.fixture
def partner(owner: Any) -> Any:
    return individual_partner(user=owner)


def _card_cycle(partner: Any, owner: Any) -> None:
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=owner)


def test_a_queue_is_claimed_as_one_chain_in_order(owner, partner, receiver):
    endpoint = webhook_endpoint_create(acting_user=None, partner_id=None, url=receiver.url)
    _card_cycle(partner, owner)
    events_fan_out()
    claimed = deliveries_claim(worker="w1", limit=10, chain=3)
    queue = list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert [c.delivery_id for c in claimed] == queue[:3]  # the head and two behind it
    assert deliveries_claim(worker="w2", limit=10, chain=3) == []  # the rest waits behind
    leased = WebhookDelivery.objects.filter(leased_by="w1").count()
    assert leased == 3


def test_one_failing_endpoint_leaves_the_others_delivered_and_itself_rescheduled(
    owner, partner, receivers
):
    healthy, failing = receivers(), receivers()
    failing.default = 500
    for found in (healthy, failing):
        webhook_endpoint_create(acting_user=None, partner_id=None, url=found.url)
    _card_cycle(partner, owner)  # four events: four deliveries to each endpoint
    assert Worker(threads=4).run_once() == 4 + 8 + 8  # fanned out, claimed, recorded
    assert [r.event["sequence"] for r in healthy.wait_for(4)] == sorted(
        r.event["sequence"] for r in healthy.received
    )
    assert len(failing.received) == 1  # its chain stopped at the first failure
    bad = WebhookDelivery.objects.filter(endpoint__url=failing.url).order_by("pk")
    head, *rest = bad
    assert head.state == DeliveryState.SCHEDULED
    assert head.attempts == 1
    assert head.leased_by == ""
    assert head.next_attempt_at > WebhookAttempt.objects.get(delivery=head).attempted_at
    assert [(d.state, d.attempts, d.leased_by) for d in rest] == [
        (DeliveryState.SCHEDULED, 0, "")
    ] * 3
    good = WebhookDelivery.objects.filter(endpoint__url=healthy.url)
    assert {d.state for d in good} == {DeliveryState.DELIVERED}
    assert WebhookAttempt.objects.count() == 4 + 1


@pytest.fixture
def resolves_to(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return names


@pytest.mark.parametrize(("ttl", "second"), [(60.0, 200), (0.0, None)])
def test_a_checked_answer_is_reused_only_within_its_ttl(
    owner, partner, receiver, resolves_to, settings, ttl, second
):
    settings.DEVCENTER_WEBHOOK_RESOLVE_TTL_SECONDS = ttl
    port = receiver.url.split(":")[2].split("/")[0]
    resolves_to["hooks.example.test"] = "127.0.0.1"
    webhook_endpoint_create(
        acting_user=None, partner_id=None, url=f"http://hooks.example.test:{port}/hook"
    )
    _card_cycle(partner, owner)
    events_fan_out()
    first, following = deliveries_claim(worker="w", limit=10, chain=2)
    sender = Sender()
    assert sender.send(first).status_code == 200
    resolves_to["hooks.example.test"] = "169.254.169.254"  # rebound to the metadata address
    outcome = sender.send(following)
    # Within the TTL the address checked before is connected to; after it, the new answer
    # is checked and refused.
    assert outcome.status_code == second
    assert outcome.error == ("" if second else "refused: url_not_public")
