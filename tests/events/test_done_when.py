"""Done when: a card removed in the portal reaches a local webhook receiver, signed, within a
second, and appears in the feed."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.test import Client
from standardwebhooks.webhooks import Webhook

from devcenter.events.delivery import Worker
from devcenter.events.services import webhook_endpoint_create
from devcenter.partners.services import card_register
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import individual_partner, platform_user


@pytest.mark.django_db(transaction=True)
def test_a_card_removed_in_the_portal_reaches_the_receiver_signed_within_a_second(
    receiver: Any,
) -> None:
    # Given an individual partner with a card, a webhook endpoint and a running worker
    owner = platform_user()
    partner = individual_partner(user=owner)
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    endpoint = webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url=receiver.url
    )
    worker = Worker(threads=4)
    running = threading.Thread(target=worker.run, daemon=True)
    running.start()
    try:
        # When the owner removes the card in the portal
        portal = Client()
        portal.force_login(owner)
        confirm = f"/partners/{partner.public_id}/card/{card.public_id}/remove/"
        assert portal.get(confirm).status_code == 200  # the confirmation the owner reads first
        removed_at = time.time()
        response = portal.post(confirm)
        assert response.status_code == 303
        # Then the receiver gets card.removed (and the type change), signed, within a second
        received = receiver.wait_for(2, timeout=5)
    finally:
        worker.stopping.set()
        running.join(timeout=10)
    types = [r.event["type"] for r in received]
    assert "card.removed" in types
    card_removed = received[types.index("card.removed")]
    assert card_removed.at - removed_at < 1.0
    assert Webhook(endpoint.secret).verify(card_removed.body, card_removed.headers)
    assert card_removed.event["data"]["card"] == card.public_id
    # And the event is in the feed, under the same id
    feed = ApiCaller(api_key(owner)).get("/events").json()
    assert card_removed.event["id"] in [e["id"] for e in feed["events"]]
    changed = [e for e in feed["events"] if e["type"] == "partner.type_changed"][-1]
    assert changed["data"]["old_type"] != changed["data"]["new_type"]
    assert "graph_api" in changed["data"]["services_lost"]  # the policy's answer
