"""Every write to platform accounts. Which kinds a partner may hold comes from the policy core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from devcenter.accounts.errors import AccountErrorCode, account_error
from devcenter.accounts.models import AccountStatus, PlatformAccount
from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import audit_change, audit_record
from devcenter.errors import ConflictError, InvalidError
from devcenter.policy import default_policy
from devcenter.public_ids import new_public_id

if TYPE_CHECKING:
    from devcenter.partners.models import Partner

DISPLAY_NAME_MAX_LENGTH = 100


def _emblem(kind: str) -> bool:
    """Return whether accounts of `kind` show the emblem, as the policy file says."""
    return next(a.emblem for a in default_policy().source.accounts if a.code == kind)


def _check_display_name(display_name: str) -> str:
    name = (display_name or "").strip()
    if not name or len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise account_error(
            InvalidError, AccountErrorCode.INVALID_DISPLAY_NAME, field="display_name"
        )
    return name


def _snapshot(account: PlatformAccount) -> dict[str, Any]:
    return {
        "kind": account.kind,
        "display_name": account.display_name,
        "emblem": account.emblem,
        "status": account.status,
    }


def account_create(
    *, partner: Partner, kind: str, display_name: str, user: Any = None, actor: str
) -> PlatformAccount:
    """Create an account of `kind` for `partner` if the policy lets its type hold one.

    The caller holds the partner's row lock (its own service locked it). A refused kind raises
    ConflictError with the policy's code and writes nothing.

    The refusals come before the transaction block. The block adds no savepoint to the
    caller's transaction (every caller is a service that created or locked the partner in its
    own): were the insert to fail, the caller's whole transaction would fail with it, which is
    what a savepoint would have led to as well, since no caller carries on after a failure.
    """
    account = account_new(partner=partner, kind=kind, display_name=display_name, user=user)
    with transaction.atomic(savepoint=False):
        account.save(force_insert=True)
        audit_record(**account_created_event(account, actor=actor))
    return account


def account_new(
    *, partner: Partner, kind: str, display_name: str, user: Any = None
) -> PlatformAccount:
    """Return the account `account_create` would create, checked and not yet saved.

    Refuses as `account_create` does. For a service that writes the account row in a statement
    of its own (`partners.registration_statement`); `account_create` saves it with the ORM.
    """
    name = _check_display_name(display_name)
    decision = default_policy().decide_account(partner.partner_type, kind)
    if not decision.allowed:
        raise ConflictError(decision.code, decision.reason.ja, decision.reason.en)
    return PlatformAccount(
        public_id=new_public_id("acc"),
        kind=kind,
        partner=partner,
        user=user,
        display_name=name,
        emblem=_emblem(kind),
        status=AccountStatus.ACTIVE,
    )


def account_created_event(account: PlatformAccount, *, actor: str) -> dict[str, Any]:
    """Return the arguments of the `account.created` event of a new account."""
    return {
        "event_type": AuditEventType.ACCOUNT_CREATED,
        "actor": actor,
        "target_type": AuditTarget.ACCOUNT,
        "target_id": account.public_id,
        "partner": account.partner.public_id,
        "new": _snapshot(account),
    }


def account_delete(account: PlatformAccount, *, actor: str) -> PlatformAccount:
    """Mark a locked account deleted (the row is kept) and audit it."""
    audit_change(
        account,
        {"status": AccountStatus.DELETED, "deleted_at": timezone.now()},
        snapshot=_snapshot,
        event_type=AuditEventType.ACCOUNT_DELETED,
        actor=actor,
        target_type=AuditTarget.ACCOUNT,
        partner=account.partner.public_id,
    )
    return account


@transaction.atomic
def accounts_close_disallowed(*, partner: Partner, actor: str) -> list[PlatformAccount]:
    """Delete the partner's active accounts its (new) type may no longer hold; return them.

    Called by the partners services after a type move (certification replaces the general
    partner account), with the partner's row already locked.
    """
    policy = default_policy()
    closing = [
        account
        for account in PlatformAccount.objects.select_for_update()
        .filter(partner=partner, status=AccountStatus.ACTIVE)
        .order_by("pk")
        if not policy.decide_account(partner.partner_type, account.kind).allowed
    ]
    return [account_delete(account, actor=actor) for account in closing]


def accounts_purge(*, partner: Partner) -> int:
    """Delete every account row of a partner being deleted (test personas); return how many."""
    deleted, _rows = PlatformAccount.objects.filter(partner=partner).delete()
    return deleted
