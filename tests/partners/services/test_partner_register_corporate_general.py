"""partner_register_corporate_general: instant, owner membership, general partner account."""

from __future__ import annotations

import pytest
from django.db import transaction

from devcenter.accounts.models import AccountKind, AccountStatus
from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_verify_chain
from devcenter.errors import ConflictError, InvalidError
from devcenter.partners.models import MemberRole, Partner, PartnerKind, PartnerStatus, PartnerType
from devcenter.partners.services import partner_register_corporate_general
from tests.partners.factories import corporate_details, platform_user

pytestmark = pytest.mark.django_db


def test_registers_an_active_corporate_general_partner_with_its_account() -> None:
    user = platform_user()
    partner = partner_register_corporate_general(
        acting_user=user, details=corporate_details(corporate_number="7000012050002")
    )
    assert partner.public_id.startswith("ptn_")
    assert partner.kind == PartnerKind.CORPORATE
    assert partner.partner_type == PartnerType.CORPORATE_GENERAL
    assert partner.status == PartnerStatus.ACTIVE
    assert partner.corporate_number == "7000012050002"
    assert partner.memberships.get().user == user
    assert partner.memberships.get().role == MemberRole.OWNER
    account = partner.platform_accounts.get()
    assert account.kind == AccountKind.GENERAL_PARTNER_ACCOUNT
    assert account.status == AccountStatus.ACTIVE
    assert account.emblem is False
    events = list(AuditEvent.objects.filter(partner=partner.public_id))
    assert [e.event_type for e in events] == [
        "partner.registered",
        "member.added",
        "account.created",
    ]
    assert events[0].actor == f"user:{user.pk}"
    assert events[0].new["partner_type"] == "corporate_general"
    assert events[2].target_id == account.public_id


@pytest.mark.parametrize(
    ("override", "code", "field"),
    [
        ({"corporate_number": "8000012050002"}, "corporate_number_check_digit", "corporate_number"),
        ({"corporate_number": "12345"}, "corporate_number_format", "corporate_number"),
        ({"registration_name": "  "}, "invalid_field", "registration_name"),
        ({"legal_name": ""}, "invalid_field", "legal_name"),
        ({"contact_email": "not-an-email"}, "invalid_field", "contact_email"),
        ({"contact_phone": "0" * 31}, "invalid_field", "contact_phone"),
    ],
)
def test_invalid_details_are_refused_and_nothing_is_written(
    override: dict, code: str, field: str, row_counts
) -> None:
    user = platform_user()
    before = row_counts()
    with pytest.raises(InvalidError) as refused:
        partner_register_corporate_general(acting_user=user, details=corporate_details(**override))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert row_counts() == before


def test_a_registered_corporate_number_is_refused(row_counts) -> None:
    details = corporate_details()
    partner_register_corporate_general(acting_user=platform_user(), details=details)
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_register_corporate_general(acting_user=platform_user(), details=details)
    assert refused.value.code == "already_registered"
    assert refused.value.field == "corporate_number"
    assert row_counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_refusal_inside_a_callers_transaction_leaves_that_transaction_usable() -> None:
    # The unique constraint refuses the INSERT (no existence check, no savepoint of its own):
    # the service's block, a savepoint inside the caller's transaction, takes the failed
    # statement back, so the caller's transaction carries on and commits.
    user = platform_user()
    with transaction.atomic():
        first = partner_register_corporate_general(
            acting_user=user, details=corporate_details(corporate_number="7000012050002")
        )
        with pytest.raises(ConflictError) as refused:
            partner_register_corporate_general(
                acting_user=user, details=corporate_details(corporate_number="7000012050002")
            )
        second = partner_register_corporate_general(
            acting_user=user, details=corporate_details(corporate_number="6000012050003")
        )
    assert refused.value.code == "already_registered"
    assert Partner.objects.count() == 2
    assert {first.pk, second.pk} == set(Partner.objects.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(event_type="partner.registered").count() == 2
    assert audit_verify_chain().verified == 6
