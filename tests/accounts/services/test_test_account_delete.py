"""test_account_delete: only test accounts, only once, only by members."""

from __future__ import annotations

import pytest

from devcenter.accounts.models import AccountStatus
from devcenter.errors import ConflictError, NotFoundError
from devcenter.partners.services import partner_certify
from devcenter.partners.services import test_account_create as create_test_account
from devcenter.partners.services import test_account_delete as delete_test_account
from tests.partners.factories import corporate_general_partner, platform_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_test_account():
    owner = platform_user()
    partner = partner_certify(partner=corporate_general_partner(user=owner), actor="system")
    account = create_test_account(partner_id=partner.public_id, display_name="t", acting_user=owner)
    return partner, owner, account


def test_a_member_deletes_a_test_account(with_test_account, last_event) -> None:
    partner, owner, account = with_test_account
    deleted = delete_test_account(
        partner_id=partner.public_id, account_id=account.public_id, acting_user=owner
    )
    assert deleted.status == AccountStatus.DELETED
    assert deleted.deleted_at is not None
    event = last_event()
    assert (event.event_type, event.target_id) == ("account.deleted", account.public_id)
    assert (event.old["status"], event.new["status"]) == ("active", "deleted")


def _refused(partner_id, account_id, by, row_counts):
    before = row_counts()
    with pytest.raises((ConflictError, NotFoundError)) as refused:
        delete_test_account(partner_id=partner_id, account_id=account_id, acting_user=by)
    assert row_counts() == before
    return refused.value


def test_refusals(with_test_account, row_counts) -> None:
    partner, owner, account = with_test_account
    partner_account = partner.platform_accounts.get(kind="partner_account")
    other = partner_certify(partner=corporate_general_partner(), actor="system")
    other_account = other.platform_accounts.get(kind="partner_account")
    pid = partner.public_id
    assert _refused(pid, partner_account.public_id, owner, row_counts).code == "not_a_test_account"
    assert _refused(pid, other_account.public_id, owner, row_counts).code == "account_not_found"
    assert _refused(pid, "acc_nope", owner, row_counts).code == "account_not_found"
    outsider = platform_user()
    assert _refused(pid, account.public_id, outsider, row_counts).code == "partner_not_found"
    delete_test_account(partner_id=pid, account_id=account.public_id, acting_user=owner)
    assert _refused(pid, account.public_id, owner, row_counts).code == "account_deleted"
