"""`audit_change`: take the old state, save just the changed fields, audit old and new."""

from __future__ import annotations

import pytest

from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget
from devcenter.audit.services import audit_change
from devcenter.partners.models import Partner, PartnerStatus
from devcenter.partners.moves import partner_snapshot
from tests.partners.factories import individual_partner

pytestmark = pytest.mark.django_db


def test_the_change_is_saved_and_audited_with_old_new_and_note() -> None:
    partner = individual_partner()
    before = Partner.objects.get(pk=partner.pk).updated_at

    audit_change(
        partner,
        {"status": PartnerStatus.SUSPENDED},
        snapshot=partner_snapshot,
        event_type=AuditEventType.PARTNER_SUSPENDED,
        actor="user:1",
        target_type=AuditTarget.PARTNER,
        partner=partner.public_id,
        note={"reason": "fraud check"},
    )

    stored = Partner.objects.get(pk=partner.pk)
    assert stored.status == PartnerStatus.SUSPENDED
    assert stored.updated_at > before  # auto_now fields are saved too
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.event_type, event.target_type) == ("partner.suspended", "partner")
    assert (event.target_id, event.partner) == (partner.public_id, partner.public_id)
    assert event.old == {**partner_snapshot(stored), "status": PartnerStatus.ACTIVE}
    assert event.new == {**partner_snapshot(stored), "reason": "fraud check"}


def test_only_the_changed_fields_are_written() -> None:
    partner = individual_partner()
    Partner.objects.filter(pk=partner.pk).update(registration_name="changed elsewhere")

    audit_change(
        partner,
        {"status": PartnerStatus.SUSPENDED},
        snapshot=partner_snapshot,
        event_type=AuditEventType.PARTNER_SUSPENDED,
        actor="system",
        target_type=AuditTarget.PARTNER,
        partner=partner.public_id,
    )

    assert Partner.objects.get(pk=partner.pk).registration_name == "changed elsewhere"
