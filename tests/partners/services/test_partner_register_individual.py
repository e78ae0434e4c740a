"""partner_register_individual: a platform user, once, with the user's own user account."""

from __future__ import annotations

import pytest

from devcenter.accounts.models import AccountKind
from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError
from devcenter.partners.models import PartnerKind, PartnerStatus, PartnerType
from devcenter.partners.services import partner_register_individual
from tests.partners.factories import UserFactory, corporate_general_partner, platform_user

pytestmark = pytest.mark.django_db


def test_registers_an_individual_with_a_user_account() -> None:
    user = platform_user()
    partner = partner_register_individual(acting_user=user, registration_name="  山田アプリ ")
    assert partner.kind == PartnerKind.INDIVIDUAL
    assert partner.partner_type == PartnerType.INDIVIDUAL
    assert partner.status == PartnerStatus.ACTIVE
    assert partner.user == user
    assert partner.registration_name == "山田アプリ"
    account = partner.platform_accounts.get()
    assert account.kind == AccountKind.USER_ACCOUNT
    assert account.user == user
    events = AuditEvent.objects.filter(partner=partner.public_id)
    assert [e.event_type for e in events] == [
        "partner.registered",
        "member.added",
        "account.created",
    ]


def test_a_member_of_a_corporate_partner_may_also_register_as_individual() -> None:
    user = platform_user()
    corporate_general_partner(user=user)
    partner = partner_register_individual(acting_user=user, registration_name="副業")
    assert partner.partner_type == PartnerType.INDIVIDUAL


def test_a_user_without_a_verified_email_is_refused_by_the_policy(row_counts) -> None:
    user = UserFactory()
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_register_individual(acting_user=user, registration_name="x")
    assert refused.value.code == "platform_user_required"
    assert row_counts() == before


def test_an_inactive_user_is_not_a_platform_user(row_counts) -> None:
    user = platform_user(is_active=False)
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_register_individual(acting_user=user, registration_name="x")
    assert refused.value.code == "platform_user_required"
    assert row_counts() == before


def test_a_second_registration_is_refused(row_counts) -> None:
    user = platform_user()
    partner_register_individual(acting_user=user, registration_name="一度目")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        partner_register_individual(acting_user=user, registration_name="二度目")
    assert refused.value.code == "already_registered"
    assert row_counts() == before


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_bad_registration_name_is_refused(name: str, row_counts) -> None:
    user = platform_user()
    before = row_counts()
    with pytest.raises(InvalidError) as refused:
        partner_register_individual(acting_user=user, registration_name=name)
    assert (refused.value.code, refused.value.field) == ("invalid_field", "registration_name")
    assert row_counts() == before
