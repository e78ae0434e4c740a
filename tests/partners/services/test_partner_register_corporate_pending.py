"""partner_register_corporate_pending: a direct certification applicant, no type yet."""

from __future__ import annotations

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError
from devcenter.partners.models import PartnerKind, PartnerStatus
from devcenter.partners.services import partner_register_corporate_pending
from devcenter.policy import default_policy
from tests.partners.factories import corporate_details, platform_user

pytestmark = pytest.mark.django_db


def test_registers_a_pending_partner_without_type_or_accounts() -> None:
    partner = partner_register_corporate_pending(
        acting_user=platform_user(), details=corporate_details()
    )
    assert partner.kind == PartnerKind.CORPORATE
    assert partner.partner_type is None
    assert partner.status == PartnerStatus.PENDING
    assert not partner.platform_accounts.exists()
    events = AuditEvent.objects.filter(partner=partner.public_id)
    assert [e.event_type for e in events] == ["partner.registered", "member.added"]
    assert events[0].new["status"] == "pending"


def test_an_unregistered_organisation_is_refused_with_the_policy_code(row_counts) -> None:
    expected = default_policy().decide_move(
        None, "corporate_certified", {"legal_entity_registered": False}
    )
    user = platform_user()
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_register_corporate_pending(
            acting_user=user, details=corporate_details(legal_entity_registered=False)
        )
    assert refused.value.code == expected.code == "legal_entity_required"
    assert refused.value.ja == expected.reason.ja
    assert row_counts() == before
