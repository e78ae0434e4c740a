"""Changes of webhook endpoints are audited in the change's transaction: created, updated
(URL, filter, description, enabled), secret rotated and deleted; partner endpoints through the
API (and the portal: tests/portal/test_webhooks_screen.py), platform endpoints through the CLI.
The audit data never holds a secret, nor the URL's path or query (it may carry a token). A
rolled-back change leaves no audit row; these audit types are not events of the feed."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from devcenter.audit.models import AuditEvent, PendingAuditEvent
from devcenter.audit.selectors import audit_verify_chain
from devcenter.audit.services import audit_link_pending
from devcenter.errors import InvalidError
from devcenter.events.models import WebhookEndpoint
from devcenter.events.projection import EVENT_TYPE_OF
from devcenter.events.services import (
    EndpointChanges,
    webhook_endpoint_create,
    webhook_endpoint_update,
)
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_general_partner, platform_user

TYPES = (
    "webhook_endpoint.created",
    "webhook_endpoint.updated",
    "webhook_endpoint.secret_rotated",
    "webhook_endpoint.deleted",
)
TOKEN = "receiver-token-9f2c"  # noqa: S105 (a made-up path secret of the receiver)


def rows() -> list[Any]:
    """The webhook audit rows, linked or still pending, oldest first."""
    linked = list(AuditEvent.objects.filter(event_type__in=TYPES).order_by("sequence"))
    pending = list(PendingAuditEvent.objects.filter(event_type__in=TYPES).order_by("pk"))
    return linked + pending


def secrets_of(endpoint_ids: list[str]) -> set[str]:
    found = set()
    for endpoint in WebhookEndpoint.objects.filter(public_id__in=endpoint_ids):
        found |= {endpoint.secret, endpoint.previous_secret} - {""}
    return found


def assert_no_secret(audited: list[Any], secrets: set[str]) -> None:
    for row in audited:
        text = json.dumps([row.old, row.new])
        assert "whsec_" not in text
        assert TOKEN not in text
        assert not any(secret in text for secret in secrets)


@pytest.fixture
def owner(db: None) -> Any:
    return platform_user()


@pytest.fixture
def partner(owner: Any) -> Any:
    return corporate_general_partner(user=owner)


def test_partner_endpoint_changes_through_the_api_are_audited(
    owner: Any, partner: Any, receiver: Any
) -> None:
    api = ApiCaller(api_key(owner))
    hooks = f"/partners/{partner.public_id}/webhooks"
    created = api.post(hooks, {"url": f"{receiver.url}/{TOKEN}?t={TOKEN}", "events": ["all"]})
    hook = f"{hooks}/{created.json()['id']}"
    first_secret = created.json()["secret"]
    patch = {"description": "gateway", "events": ["card.removed"], "enabled": False}
    assert (
        api.client.patch(
            f"/api/v1{hook}",
            json.dumps(patch),
            content_type="application/json",
            headers=api.headers,
        ).status_code
        == 200
    )
    assert api.post(f"{hook}/rotate-secret").status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    secrets = {first_secret, endpoint.secret, endpoint.previous_secret}
    assert api.delete(hook).status_code == 204

    audited = rows()
    assert [r.event_type for r in audited] == list(TYPES)
    assert {(r.actor, r.partner, r.target_type, r.target_id) for r in audited} == {
        (f"user:{owner.pk}", partner.public_id, "webhook_endpoint", endpoint.public_id)
    }
    created_row, updated, rotated, deleted = audited
    assert created_row.new["url_origin"] == receiver.url.rsplit("/", 1)[0]
    assert created_row.new["events"] == []
    assert updated.old["enabled"] is True
    assert updated.new == {
        **updated.old,
        "description": "gateway",
        "events": ["card.removed"],
        "enabled": False,
    }
    assert rotated.new["previous_secret_until"]
    assert deleted.old == updated.new
    assert_no_secret(audited, secrets)


def test_platform_endpoint_changes_through_the_cli_are_audited(db: None, receiver: Any) -> None:
    out = StringIO()
    call_command("webhook", "add", receiver.url, "--events", "card.removed", stdout=out)
    endpoint = WebhookEndpoint.objects.get()
    secrets = {endpoint.secret}
    for action in ("disable", "enable", "rotate"):
        call_command("webhook", action, endpoint.public_id, stdout=StringIO())
    secrets |= secrets_of([endpoint.public_id])
    call_command("webhook", "remove", endpoint.public_id, stdout=StringIO())

    audited = rows()
    assert [r.event_type for r in audited] == [
        "webhook_endpoint.created",
        "webhook_endpoint.updated",
        "webhook_endpoint.updated",
        "webhook_endpoint.secret_rotated",
        "webhook_endpoint.deleted",
    ]
    assert {(r.actor, r.partner) for r in audited} == {("system", "")}  # concerns no partner
    assert_no_secret(audited, secrets)


def test_an_update_that_changes_nothing_records_nothing(owner: Any, partner: Any, receiver: Any):
    endpoint = webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url=receiver.url, description="same"
    )
    webhook_endpoint_update(
        acting_user=owner,
        partner_id=partner.public_id,
        endpoint_id=endpoint.public_id,
        changes=EndpointChanges(description="same", enabled=True),
    )
    assert [r.event_type for r in rows()] == ["webhook_endpoint.created"]


def test_they_are_audit_only_not_feed_events() -> None:
    assert not set(TYPES) & set(EVENT_TYPE_OF)


def _fails_after(change: Any, before: int) -> None:
    """Run `change` in a transaction that then fails; its audit row is there until then."""
    with transaction.atomic():
        change()
        assert len(rows()) == before + 1  # written with the change…
        raise RuntimeError("the change fails after the service")


def _rolled_back(owner: Any, partner: Any, url: str) -> None:
    endpoint = webhook_endpoint_create(acting_user=owner, partner_id=partner.public_id, url=url)
    before = len(rows())

    def disable() -> None:
        webhook_endpoint_update(
            acting_user=owner,
            partner_id=partner.public_id,
            endpoint_id=endpoint.public_id,
            changes=EndpointChanges(enabled=False),
        )

    def create() -> None:
        webhook_endpoint_create(acting_user=owner, partner_id=partner.public_id, url=url)

    with pytest.raises(RuntimeError):
        _fails_after(disable, before)
    assert len(rows()) == before  # …and gone with it
    assert WebhookEndpoint.objects.get().enabled is True
    with pytest.raises(RuntimeError):
        _fails_after(create, before)
    assert len(rows()) == before
    assert WebhookEndpoint.objects.count() == 1


def test_a_rolled_back_change_leaves_no_audit_row(owner: Any, partner: Any, receiver: Any):
    _rolled_back(owner, partner, receiver.url)


def test_a_refused_change_writes_nothing(owner: Any, partner: Any, receiver: Any) -> None:
    endpoint = webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url=receiver.url
    )
    with pytest.raises(InvalidError):
        webhook_endpoint_update(
            acting_user=owner,
            partner_id=partner.public_id,
            endpoint_id=endpoint.public_id,
            changes=EndpointChanges(description="new", url="ftp://nope"),
        )
    assert [r.event_type for r in rows()] == ["webhook_endpoint.created"]
    assert WebhookEndpoint.objects.get().description == ""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_rows_join_the_chain_or_roll_back_with_the_change(receiver: Any) -> None:
    owner = platform_user()
    partner = corporate_general_partner(user=owner)
    _rolled_back(owner, partner, receiver.url)
    audit_link_pending()

    assert not PendingAuditEvent.objects.filter(event_type__in=TYPES).exists()
    linked = AuditEvent.objects.filter(event_type__in=TYPES).order_by("sequence")
    assert [e.event_type for e in linked] == ["webhook_endpoint.created"]
    assert audit_verify_chain().ok
