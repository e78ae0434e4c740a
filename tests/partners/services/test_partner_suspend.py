"""partner_suspend / partner_restore."""

from __future__ import annotations

import pytest

from devcenter.errors import ConflictError, NotFoundError
from devcenter.partners.models import PartnerStatus
from devcenter.partners.services import partner_restore, partner_suspend
from tests.partners.factories import corporate_general_partner, corporate_pending_partner

pytestmark = pytest.mark.django_db


def test_suspend_then_restore_an_active_partner(last_event) -> None:
    partner = corporate_general_partner()
    suspended = partner_suspend(partner_id=partner.public_id, actor="user:1", reason="規約違反")
    assert suspended.status == PartnerStatus.SUSPENDED
    event = last_event()
    assert (event.event_type, event.actor) == ("partner.suspended", "user:1")
    assert event.old["status"] == "active"
    assert event.new == {**event.new, "status": "suspended", "reason": "規約違反"}
    restored = partner_restore(partner_id=partner.public_id, actor="user:1", reason="解決")
    assert restored.status == PartnerStatus.ACTIVE
    assert last_event().event_type == "partner.restored"
    assert last_event().new["status"] == "active"


def test_a_pending_partner_is_restored_to_pending() -> None:
    partner = corporate_pending_partner()
    partner_suspend(partner_id=partner.public_id, actor="system", reason="x")
    assert partner_restore(partner_id=partner.public_id, actor="system").status == "pending"


def test_suspending_twice_is_refused(row_counts) -> None:
    partner = corporate_general_partner()
    partner_suspend(partner_id=partner.public_id, actor="system", reason="x")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_suspend(partner_id=partner.public_id, actor="system", reason="x")
    assert refused.value.code == "already_suspended"
    assert row_counts() == before


def test_restoring_an_active_partner_is_refused(row_counts) -> None:
    partner = corporate_general_partner()
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_restore(partner_id=partner.public_id, actor="system")
    assert refused.value.code == "not_suspended"
    assert row_counts() == before


def test_an_unknown_partner_is_not_found() -> None:
    with pytest.raises(NotFoundError) as refused:
        partner_suspend(partner_id="ptn_nope", actor="system", reason="x")
    assert refused.value.code == "partner_not_found"
