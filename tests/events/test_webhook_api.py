"""/api/v1/partners/{id}/webhooks…: a partner's endpoints, for its owners only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devcenter.events.models import WebhookEndpoint
from devcenter.events.services import webhook_endpoint_create
from devcenter.partners.choices import MemberRole
from devcenter.partners.services import card_register, member_add
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_general_partner, platform_user


@pytest.fixture
def owner(db: None) -> Any:
    return platform_user()


@pytest.fixture
def partner(owner: Any) -> Any:
    return corporate_general_partner(user=owner)


@pytest.fixture
def api(owner: Any) -> ApiCaller:
    return ApiCaller(api_key(owner))


def _patch(caller: ApiCaller, path: str, body: dict[str, Any]) -> Any:
    return caller.client.patch(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=caller.headers
    )


def _create(api: ApiCaller, partner: Any, url: str, **fields: Any) -> Any:
    return api.post(f"/partners/{partner.public_id}/webhooks", {"url": url, **fields})


def test_create_shows_the_secret_once(api: ApiCaller, partner: Any, receiver: Any) -> None:
    response = _create(api, partner, receiver.url, events=["card.removed"], description="gateway")
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["card.removed"]
    assert body["description"] == "gateway"
    listed = api.get(f"/partners/{partner.public_id}/webhooks").json()
    assert [e["id"] for e in listed] == [body["id"]]
    assert "secret" not in listed[0]
    detail = api.get(f"/partners/{partner.public_id}/webhooks/{body['id']}").json()
    assert detail["url"] == receiver.url


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"url": "not a url"}, "url_invalid", "url"),
        ({"events": ["card.exploded"]}, "unknown_event_type", "events"),
        ({"description": "x" * 501}, "invalid_field", "description"),
    ],
)
def test_invalid_fields_are_422(api, partner, receiver, fields, code, field):
    response = api.post(f"/partners/{partner.public_id}/webhooks", {"url": receiver.url, **fields})
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["field"] == field


def test_a_developer_member_may_not_manage_webhooks(owner, partner, receiver):
    developer = platform_user()
    member_add(
        partner_id=partner.public_id,
        email=developer.email,
        role=MemberRole.DEVELOPER,
        acting_user=owner,
    )
    response = _create(ApiCaller(api_key(developer)), partner, receiver.url)
    assert response.status_code == 403
    assert response.json()["code"] == default_role_code("webhooks.manage")
    listed = ApiCaller(api_key(developer)).get(f"/partners/{partner.public_id}/webhooks")
    assert listed.status_code == 403


def default_role_code(operation: str) -> str:
    from devcenter.policy import default_policy

    return default_policy().partner_state.operations[operation].role_code


def test_a_stranger_gets_404(partner, receiver):
    response = _create(ApiCaller(api_key(platform_user())), partner, receiver.url)
    assert response.status_code == 404
    assert response.json()["code"] == "partner_not_found"


def test_patch_disable_and_delete(api, owner, partner, receiver):
    endpoint = webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url=receiver.url
    )
    path = f"/partners/{partner.public_id}/webhooks/{endpoint.public_id}"
    response = _patch(api, path, {"enabled": False, "events": ["all"]})
    assert response.status_code == 200
    assert response.json()["enabled"] is False
    assert response.json()["events"] == []
    assert api.delete(path).status_code == 204
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    missing = api.get(path)
    assert missing.status_code == 404
    assert missing.json()["code"] == "webhook_not_found"


def test_rotate_test_send_replay_and_log(api, owner, partner, receiver):
    endpoint = webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url=receiver.url
    )
    path = f"/partners/{partner.public_id}/webhooks/{endpoint.public_id}"
    rotated = api.post(f"{path}/rotate-secret")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != endpoint.secret
    assert api.post(f"{path}/test").status_code == 202
    nothing = api.post(f"{path}/replay", {})
    assert nothing.status_code == 422
    assert nothing.json()["code"] == "replay_target_required"
    unknown = api.post(f"{path}/replay", {"event_id": "evt_999999"})
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "event_not_found"
    replayed = api.post(f"{path}/replay", {"since": "2000-01-01T00:00:00Z"})
    assert replayed.status_code == 202
    assert replayed.json()["queued"] >= 1
    from devcenter.events.delivery import Worker

    worker = Worker(threads=2)
    while worker.run_once():
        pass
    log = api.get(f"{path}/deliveries").json()
    assert {entry["event_type"] for entry in log} >= {"webhook.test", "partner.created"}
    assert all(entry["status_code"] == 200 and entry["succeeded"] for entry in log)


def test_replay_of_another_partners_event_is_404(api, owner, partner, receiver):
    stranger = platform_user()
    from tests.partners.factories import individual_partner

    theirs = individual_partner(user=stranger)
    card_register(partner_id=theirs.public_id, token="tok_visa", acting_user=stranger)  # noqa: S106
    from devcenter.audit.models import AuditEvent

    their_event = AuditEvent.objects.filter(partner=theirs.public_id).last()
    endpoint = webhook_endpoint_create(
        acting_user=owner, partner_id=partner.public_id, url=receiver.url
    )
    path = f"/partners/{partner.public_id}/webhooks/{endpoint.public_id}"
    response = api.post(f"{path}/replay", {"event_id": f"evt_{their_event.sequence}"})
    assert response.status_code == 404
    assert response.json()["code"] == "event_not_found"
