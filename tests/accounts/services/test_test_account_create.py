"""test_account_create: certified partners' members create test accounts up to the limit."""

from __future__ import annotations

import pytest

from devcenter.accounts.models import AccountKind
from devcenter.errors import ConflictError, NotFoundError
from devcenter.partners.services import partner_certify, partner_suspend
from devcenter.partners.services import test_account_create as create_test_account
from devcenter.policy import default_policy
from tests.partners.factories import corporate_general_partner, individual_partner, platform_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified():
    owner = platform_user()
    partner = partner_certify(partner=corporate_general_partner(user=owner), actor="system")
    return partner, owner


def test_a_member_creates_a_test_account(certified, last_event) -> None:
    partner, owner = certified
    account = create_test_account(
        partner_id=partner.public_id, display_name="テスト1", acting_user=owner
    )
    assert (account.kind, account.emblem, account.partner) == (
        AccountKind.PARTNER_TEST_ACCOUNT,
        False,
        partner,
    )
    event = last_event()
    assert (event.event_type, event.actor, event.target_id) == (
        "account.created",
        f"user:{owner.pk}",
        account.public_id,
    )


def test_the_limit_is_the_setting(certified, settings, row_counts) -> None:
    settings.DEVCENTER_TEST_ACCOUNT_LIMIT = 2
    partner, owner = certified
    for n in range(2):
        create_test_account(partner_id=partner.public_id, display_name=f"t{n}", acting_user=owner)
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        create_test_account(partner_id=partner.public_id, display_name="t3", acting_user=owner)
    assert refused.value.code == "test_account_limit"
    assert row_counts() == before


def test_deleted_test_accounts_do_not_count(certified, settings) -> None:
    from devcenter.partners.services import test_account_delete

    settings.DEVCENTER_TEST_ACCOUNT_LIMIT = 1
    partner, owner = certified
    first = create_test_account(partner_id=partner.public_id, display_name="t1", acting_user=owner)
    test_account_delete(partner_id=partner.public_id, account_id=first.public_id, acting_user=owner)
    create_test_account(partner_id=partner.public_id, display_name="t2", acting_user=owner)


@pytest.mark.parametrize("make", [corporate_general_partner, individual_partner])
def test_an_uncertified_partner_is_refused_with_the_policy_code(make, row_counts) -> None:
    owner = platform_user()
    partner = make(user=owner)
    decision = default_policy().decide_account(partner.partner_type, "partner_test_account")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        create_test_account(partner_id=partner.public_id, display_name="t", acting_user=owner)
    assert refused.value.code == decision.code
    assert not decision.allowed
    assert row_counts() == before


def test_a_non_member_does_not_find_the_partner(certified, row_counts) -> None:
    partner, _ = certified
    before = row_counts()
    with pytest.raises(NotFoundError) as refused:
        create_test_account(
            partner_id=partner.public_id, display_name="t", acting_user=platform_user()
        )
    assert refused.value.code == "partner_not_found"
    assert row_counts() == before


def test_a_suspended_partner_is_refused(certified, row_counts) -> None:
    partner, owner = certified
    partner_suspend(partner_id=partner.public_id, actor="system", reason="x")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        create_test_account(partner_id=partner.public_id, display_name="t", acting_user=owner)
    assert refused.value.code == "partner_suspended"
    assert row_counts() == before
