"""partner_certify: pending or general -> certified, partner account created, general deleted."""

from __future__ import annotations

import pytest

from devcenter.accounts.models import AccountKind, AccountStatus
from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError
from devcenter.partners.models import PartnerStatus, PartnerType
from devcenter.partners.services import partner_certify, partner_suspend
from tests.partners.factories import (
    corporate_general_partner,
    corporate_pending_partner,
    individual_partner,
)

pytestmark = pytest.mark.django_db


def test_a_general_partner_becomes_certified_and_its_general_account_is_deleted() -> None:
    partner = corporate_general_partner()
    general = partner.platform_accounts.get()
    certified = partner_certify(partner=partner, actor="user:staff")
    assert certified.partner_type == PartnerType.CORPORATE_CERTIFIED
    assert certified.status == PartnerStatus.ACTIVE
    general.refresh_from_db()
    assert general.status == AccountStatus.DELETED
    assert general.deleted_at is not None
    account = certified.platform_accounts.get(status=AccountStatus.ACTIVE)
    assert account.kind == AccountKind.PARTNER_ACCOUNT
    assert account.emblem is True
    events = list(AuditEvent.objects.filter(partner=partner.public_id).order_by("sequence"))[-3:]
    assert [e.event_type for e in events] == [
        "partner.type_changed",
        "account.created",
        "account.deleted",
    ]
    assert events[0].old["partner_type"] == "corporate_general"
    assert events[0].new["partner_type"] == "corporate_certified"
    assert {e.actor for e in events} == {"user:staff"}


def test_a_pending_partner_becomes_active_and_certified() -> None:
    partner = corporate_pending_partner()
    certified = partner_certify(partner=partner, actor="system")
    assert (certified.partner_type, certified.status) == ("corporate_certified", "active")
    assert [a.kind for a in certified.platform_accounts.all()] == ["partner_account"]
    event = AuditEvent.objects.get(event_type="partner.type_changed", partner=partner.public_id)
    assert event.old["status"] == "pending"
    assert event.new["status"] == "active"


def test_an_unregistered_organisation_is_refused(row_counts) -> None:
    partner = corporate_general_partner(legal_entity_registered=False)
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_certify(partner=partner, actor="system")
    assert refused.value.code == "legal_entity_required"
    assert row_counts() == before


def test_an_individual_cannot_be_certified(row_counts) -> None:
    partner = individual_partner()
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_certify(partner=partner, actor="system")
    assert refused.value.code == "individual_to_corporate"
    assert row_counts() == before


def test_a_certified_partner_is_not_certified_twice(row_counts) -> None:
    partner = partner_certify(partner=corporate_general_partner(), actor="system")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_certify(partner=partner, actor="system")
    assert refused.value.code == "no_change"
    assert row_counts() == before


def test_a_suspended_partner_is_not_certified(row_counts) -> None:
    partner = corporate_general_partner()
    partner_suspend(partner_id=partner.public_id, actor="system", reason="調査中")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_certify(partner=partner, actor="system")
    assert refused.value.code == "partner_suspended"
    assert row_counts() == before
