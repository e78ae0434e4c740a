"""GET /partners/{id}/impact?to=TYPE: what a move would take away and give, before it happens.

Every move of the policy is asked, from a partner of each type (and a pending one), and the
answer is checked against the policy's matrices: an allowed move lists the services and
accounts lost and gained; a forbidden one is a 409 with the policy's code. Registrations that
would be suspended or restored, and the platform accounts that would be closed, come from the
registry. Nothing is written.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest
from django.db import transaction

from devcenter.accounts.selectors import accounts_of_partner
from devcenter.audit.models import AuditEvent
from devcenter.partners.facts import DerivedFacts, FactSubject
from devcenter.partners.models import Card, CardStatus
from devcenter.partners.services import card_remove, partner_suspend
from devcenter.policy import default_policy
from devcenter.registrations.services import registration_create
from tests.api.conftest import error_code
from tests.api.factories import ApiCaller
from tests.partners.factories import corporate_pending_partner
from tests.registrations.factories import partner_of_type, valid_fields

pytestmark = pytest.mark.django_db

POLICY = default_policy()
FROM_TYPES = (*POLICY.partner_types, None)  # None: a corporation pending certification
MOVES = list(product(FROM_TYPES, POLICY.partner_types))


def make_partner(partner_type: str | None, owner: Any) -> Any:
    if partner_type is None:
        return corporate_pending_partner(user=owner)
    return partner_of_type(partner_type, owner)


def impact(caller: ApiCaller, partner: Any, to: str | None) -> Any:
    params = {} if to is None else {"to": to}
    return caller.get(f"/partners/{partner.public_id}/impact", **params)


def allowed(group: str, partner_type: str | None, status: str) -> set[str]:
    codes = POLICY.services if group == "service" else POLICY.accounts
    decide = POLICY.decide_partner_service if group == "service" else POLICY.decide_partner_account
    return {c for c in codes if decide(partner_type, status, c).allowed}


def codes(side: dict[str, Any], group: str) -> list[str]:
    key = "service" if group == "service" else "account"
    return [item[key] for item in side[f"{group}s"]]


@pytest.mark.parametrize(("from_type", "to_type"), MOVES, ids=lambda t: str(t))
def test_every_move_of_the_policy(
    dev: ApiCaller, developer: Any, from_type: str | None, to_type: str
) -> None:
    partner = make_partner(from_type, developer)
    decision = POLICY.decide_move(from_type, to_type, DerivedFacts(FactSubject(partner, None)))
    events = AuditEvent.objects.count()

    response = impact(dev, partner, to_type)

    if not decision.allowed:
        assert response.status_code == 409, response.json()
        assert error_code(response) == decision.code
        return
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["partner"], body["from_type"], body["to_type"]) == (
        partner.public_id,
        from_type,
        to_type,
    )
    assert body["decision"]["allowed"] is True
    after = body["status"]
    for group in ("service", "account"):
        before_set = allowed(group, from_type, partner.status)
        after_set = allowed(group, to_type, after)
        order = POLICY.services if group == "service" else POLICY.accounts
        assert codes(body["lose"], group) == [c for c in order if c in before_set - after_set]
        assert codes(body["gain"], group) == [c for c in order if c in after_set - before_set]
    for item in body["lose"]["services"]:
        assert item["label"] == POLICY.label("service", item["service"]).as_dict()
    assert AuditEvent.objects.count() == events  # nothing written


def test_the_moves_asked_include_allowed_and_forbidden_ones() -> None:
    answers = {
        POLICY.decide_move(f, t, {"legal_entity_registered": True}).allowed for f, t in MOVES
    }
    assert answers == {True, False}


def test_losing_the_card_lists_the_registrations_it_suspends(
    dev: ApiCaller, developer: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    partner = partner_of_type("individual_card", developer)
    made = {
        service: registration_create(
            partner_id=partner.public_id,
            service=service,
            name=f"{service} の登録",
            fields=valid_fields(service),
            acting_user=developer,
        )
        for service in ("graph_api", "plugin")
    }

    body = impact(dev, partner, "individual").json()

    assert body["lose"]["registrations"] == [
        {
            "registration": made["graph_api"].public_id,
            "service": "graph_api",
            "name": "graph_api の登録",
            "status": "in_development",
        }
    ]
    assert body["gain"]["registrations"] == []

    # Once the card is gone, registering one again restores that registration.
    card = Card.objects.get(partner=partner, status=CardStatus.VERIFIED)
    with transaction.atomic():
        card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=developer)
    back = impact(dev, partner, "individual_card").json()
    assert [r["registration"] for r in back["gain"]["registrations"]] == [
        made["graph_api"].public_id
    ]
    assert back["gain"]["registrations"][0]["status"] == "suspended"
    assert back["lose"]["registrations"] == []


def test_certification_lists_the_general_partner_account_it_closes(
    dev: ApiCaller, developer: Any
) -> None:
    partner = partner_of_type("corporate_general", developer)
    [general_account] = accounts_of_partner(partner=partner)

    body = impact(dev, partner, "corporate_certified").json()

    assert body["lose"]["accounts"] == [
        {
            "account": general_account.kind,
            "label": POLICY.label("account", general_account.kind).as_dict(),
            "held": [general_account.public_id],
        }
    ]
    assert {a["held"] == [] for a in body["gain"]["accounts"]} == {True}


@pytest.mark.parametrize("to", ["platinum", "", "none", "INDIVIDUAL"])
def test_an_unknown_type_is_a_422_naming_to(dev: ApiCaller, developer: Any, to: str) -> None:
    partner = partner_of_type("individual", developer)

    response = impact(dev, partner, to)

    assert response.status_code == 422
    assert (error_code(response), response.json()["field"]) == ("invalid_field", "to")


def test_without_to_is_a_422_naming_to(dev: ApiCaller, developer: Any) -> None:
    response = impact(dev, partner_of_type("individual", developer), None)

    assert response.status_code == 422
    assert (error_code(response), response.json()["field"]) == ("invalid_field", "to")


def test_a_suspended_partner_moves_nowhere(dev: ApiCaller, developer: Any) -> None:
    partner = partner_of_type("individual", developer)
    partner_suspend(partner_id=partner.public_id, actor="system", reason="規約違反の確認")

    response = impact(dev, partner, "individual_card")

    assert response.status_code == 409
    assert error_code(response) == "partner_suspended"


def test_a_stranger_gets_404(other_dev: ApiCaller, developer: Any) -> None:
    partner = partner_of_type("individual_card", developer)

    response = impact(other_dev, partner, "individual")

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_the_message_of_a_forbidden_move_is_in_the_request_language(developer: Any) -> None:
    from tests.api.factories import api_key

    partner = partner_of_type("corporate_certified", developer)
    caller = ApiCaller(api_key(developer), lang="en")

    response = impact(caller, partner, "corporate_general")

    assert (response.status_code, error_code(response)) == (409, "no_downgrade")
    expected = POLICY.decide_move("corporate_certified", "corporate_general").reason.en
    assert response.json()["message"] == expected
