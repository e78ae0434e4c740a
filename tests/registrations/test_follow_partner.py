"""Registrations follow the partner: a card removed -> its Graph API registrations suspended
(with the reason and the unlock path), credentials stop; a card added -> restored to the status
they had. Suspension of the partner likewise. Both audited; nothing deleted. The impact of a
move is shown before it happens."""

from __future__ import annotations

import pytest
from django.db import transaction

from devcenter.partners.models import Card
from devcenter.partners.services import (
    card_register,
    card_remove,
    partner_restore,
    partner_suspend,
)
from devcenter.registrations.models import Registration
from devcenter.registrations.selectors import (
    registration_client_usable,
    registration_snapshot_rows,
)
from devcenter.registrations.services import credentials_issue
from tests.registrations.conftest import audit_events
from tests.registrations.factories import partner_of_type, valid_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_partner(developer):
    return partner_of_type("individual_card", developer)


def _create(dev, partner, service):
    response = dev.post(
        f"/partners/{partner.public_id}/registrations",
        {"service": service, "name": "連携サービス", **valid_fields(service)},
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _remove_card(partner, user):
    card = Card.objects.get(partner=partner, status="verified")
    with transaction.atomic():
        card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=user)


def test_card_removed_suspends_graph_api_then_a_card_restores(dev, developer, card_partner):
    graph = _create(dev, card_partner, "graph_api")
    plugin = _create(dev, card_partner, "plugin")

    _remove_card(card_partner, developer)

    suspended = Registration.objects.get(public_id=graph)
    assert (suspended.status, suspended.suspended_reason) == ("suspended", "requires_card")
    assert suspended.restore_status == "in_development"
    assert Registration.objects.get(public_id=plugin).status == "in_development"
    [event] = audit_events("registration.suspended", graph)
    assert event.new["suspended_reason"] == "requires_card"
    assert event.new["unlock"] == [[{"step": "register_card", "to": "individual_card"}]]
    detail = dev.get(f"/registrations/{graph}").json()
    assert (detail["status"], detail["usable"]) == ("suspended", False)

    card_register(partner_id=card_partner.public_id, token="tok_visa", acting_user=developer)  # noqa: S106

    restored = Registration.objects.get(public_id=graph)
    assert (restored.status, restored.suspended_reason, restored.restore_status) == (
        "in_development",
        "",
        "",
    )
    [event] = audit_events("registration.restored", graph)
    assert (event.old["status"], event.new["status"]) == ("suspended", "in_development")
    assert Registration.objects.count() == 2  # nothing deleted


def test_suspended_credentials_stop_and_come_back(dev, developer, card_partner):
    from devcenter.registrations.models import Credential

    reg = _create(dev, card_partner, "app_smartphone")
    with transaction.atomic():
        issued = credentials_issue(registration_id=reg, acting_user=developer)
    client_id = issued.secret.client_id
    assert registration_client_usable(client_id)

    _remove_card(card_partner, developer)

    assert not registration_client_usable(client_id)
    rows = {row[0]: row for row in registration_snapshot_rows()}
    assert rows[reg][1:] == (client_id, card_partner.public_id, "app_smartphone", "suspended")
    rotate = dev.post(f"/registrations/{reg}/credentials/rotate")
    assert (rotate.status_code, rotate.json()["code"]) == (409, "registration_suspended")

    card_register(partner_id=card_partner.public_id, token="tok_visa", acting_user=developer)  # noqa: S106

    assert registration_client_usable(client_id)
    assert Credential.objects.filter(client_id=client_id, revoked_at__isnull=True).exists()


def test_a_restored_registration_returns_to_the_status_it_had(
    dev, developer, card_partner, staff, platform_key
):
    from tests.registrations.factories import listable_app

    app = listable_app(dev, card_partner.public_id, platform_key)
    dev.post(f"/registrations/{app}/listing-request")
    staff.post(f"/staff/registrations/{app}/publish")

    _remove_card(card_partner, developer)  # app_pc stays (individual may use it)
    assert Registration.objects.get(public_id=app).status == "published"
    partner_suspend(partner_id=card_partner.public_id, actor="system", reason="abuse")
    suspended = Registration.objects.get(public_id=app)
    assert (suspended.status, suspended.suspended_reason) == ("suspended", "partner_suspended")

    partner_restore(partner_id=card_partner.public_id, actor="system")

    assert Registration.objects.get(public_id=app).status == "published"
    assert len(audit_events("registration.restored", app)) == 1


def test_the_impact_of_a_move_is_shown_before_it_happens(dev, card_partner):
    graph = _create(dev, card_partner, "graph_api")
    page = _create(dev, card_partner, "page")

    response = dev.get(f"/partners/{card_partner.public_id}/registrations/impact", to="individual")

    assert response.status_code == 200
    body = response.json()
    effects = {row["registration"]: row["effect"] for row in body["registrations"]}
    assert effects == {graph: "suspend", page: "none"}
    decision = next(r["decision"] for r in body["registrations"] if r["registration"] == graph)
    assert decision["code"] == "requires_card"
    assert Registration.objects.get(public_id=graph).status == "in_development"  # nothing written


def test_the_impact_refuses_an_unknown_type(dev, card_partner):
    response = dev.get(f"/partners/{card_partner.public_id}/registrations/impact", to="gold")

    assert (response.status_code, response.json()["field"]) == (422, "to")


def test_a_staff_suspension_suspends_every_registration(dev, certified_partner):
    regs = [_create(dev, certified_partner, s) for s in ("graph_api", "page", "app_mobile")]

    with transaction.atomic():
        partner_suspend(partner_id=certified_partner.public_id, actor="system", reason="x")

    assert {r.suspended_reason for r in Registration.objects.filter(public_id__in=regs)} == {
        "partner_suspended"
    }
    assert len(audit_events("registration.suspended")) == 3
