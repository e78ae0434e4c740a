"""Test accounts: a certified partner's members create and delete them (the policy decides).

Re-exported by `devcenter.partners.services`. The accounts app below keeps the accounts
themselves (`account_create`, the audited delete); this module adds who may, for which partner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from devcenter.accounts.choices import AccountKind, AccountStatus
from devcenter.accounts.errors import AccountErrorCode, account_error
from devcenter.accounts.selectors import account_for_update, active_test_account_count
from devcenter.accounts.services import account_create, account_delete
from devcenter.audit.services import actor_of
from devcenter.errors import ConflictError, NotFoundError
from devcenter.partners.selectors import partner_lock_for
from devcenter.users import ActingUser

if TYPE_CHECKING:
    from devcenter.accounts.models import PlatformAccount


@transaction.atomic
def test_account_create(
    *, partner_id: str, display_name: str, acting_user: ActingUser
) -> PlatformAccount:
    """Create a partner test account, if the policy lets `by` (`test_account.create`).

    Refuses `partner_not_found` (404, also for a non-member), `partner_suspended`, the
    policy's code when the type may not hold test accounts, and `test_account_limit` when
    `DEVCENTER_TEST_ACCOUNT_LIMIT` active test accounts exist.
    """
    partner = partner_lock_for(
        public_id=partner_id, acting_user=acting_user, operation="test_account.create"
    )
    if active_test_account_count(partner=partner) >= settings.DEVCENTER_TEST_ACCOUNT_LIMIT:
        raise account_error(ConflictError, AccountErrorCode.TEST_ACCOUNT_LIMIT)
    return account_create(
        partner=partner,
        kind=AccountKind.PARTNER_TEST_ACCOUNT,
        display_name=display_name,
        actor=actor_of(acting_user),
    )


@transaction.atomic
def test_account_delete(
    *, partner_id: str, account_id: str, acting_user: ActingUser
) -> PlatformAccount:
    """Delete one of the partner's test accounts (status deleted; the row is kept).

    Refuses `partner_not_found`, `partner_suspended`, `account_not_found` (404),
    `not_a_test_account` and `account_deleted` (409).
    """
    partner = partner_lock_for(
        public_id=partner_id, acting_user=acting_user, operation="test_account.delete"
    )
    account = account_for_update(partner=partner, public_id=account_id)
    if account is None:
        raise account_error(NotFoundError, AccountErrorCode.ACCOUNT_NOT_FOUND)
    if account.kind != AccountKind.PARTNER_TEST_ACCOUNT:
        raise account_error(ConflictError, AccountErrorCode.NOT_A_TEST_ACCOUNT)
    if account.status == AccountStatus.DELETED:
        raise account_error(ConflictError, AccountErrorCode.ACCOUNT_DELETED)
    return account_delete(account, actor=actor_of(acting_user))
