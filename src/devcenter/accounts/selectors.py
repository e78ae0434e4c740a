"""Reads of platform accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from devcenter.accounts.errors import AccountErrorCode, account_error
from devcenter.accounts.models import AccountKind, AccountStatus, PlatformAccount
from devcenter.errors import NotFoundError

if TYPE_CHECKING:
    from devcenter.partners.models import Partner


def accounts_of_partner(
    *, partner: Partner, include_deleted: bool = False
) -> QuerySet[PlatformAccount]:
    """Return the partner's accounts, oldest first (active ones unless asked otherwise)."""
    accounts = PlatformAccount.objects.filter(partner=partner)
    if not include_deleted:
        accounts = accounts.filter(status=AccountStatus.ACTIVE)
    return accounts.order_by("created_at", "pk")


def account_snapshot_rows(
    **lookup: Any,
) -> QuerySet[PlatformAccount, tuple[str, str, str, str]]:
    """Return `(public_id, kind, partner public id, status)` of the matching accounts, unordered.

    Deleted accounts included (filter with `.exclude(status=...)`). The decision plane's snapshot
    reads (and streams, with `.iterator()`) the registry with it.
    """
    return (
        PlatformAccount.objects.filter(**lookup)
        .order_by()
        .values_list("public_id", "kind", "partner__public_id", "status")
    )


def account_get(*, public_id: str) -> PlatformAccount:
    """Return the account with this public id; raise NotFoundError `account_not_found`."""
    account = PlatformAccount.objects.select_related("partner").filter(public_id=public_id).first()
    if account is None:
        raise account_error(NotFoundError, AccountErrorCode.ACCOUNT_NOT_FOUND)
    return account


def active_test_account_count(*, partner: Partner) -> int:
    """Return how many active partner test accounts the partner holds."""
    return PlatformAccount.objects.filter(
        partner=partner, kind=AccountKind.PARTNER_TEST_ACCOUNT, status=AccountStatus.ACTIVE
    ).count()


def account_for_update(*, partner: Partner, public_id: str) -> PlatformAccount | None:
    """Return the partner's account `public_id` locked for update (in the caller's
    transaction), or None."""
    return (
        PlatformAccount.objects.select_for_update()
        .filter(partner=partner, public_id=public_id)
        .first()
    )
