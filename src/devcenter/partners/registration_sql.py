"""A registration's rows in one statement on PostgreSQL: partner, owner, account, audit events.

The ORM writes a registration in four statements (three model INSERTs and the events' INSERT),
each a round trip with the ORM's own cost on top; on PostgreSQL, whose data-modifying CTEs
let one statement insert into several tables, the registration services write the same rows
in one (`docs/performance.md`, "Writes"). The services decide first, as on the ORM path (the
details, the policy's move and account kind, the account's emblem); this module only writes
what they decided. `tests/partners/services/test_registration_statement.py` compares the rows
with the ORM path's, field by field.

The statement is built once, below: the values are bound parameters. The partner's id comes
from its INSERT's RETURNING, so the membership and the account are `INSERT … SELECT … FROM
partner`. The audit events are the last CTE, added by `audit_statement` (the audit app's
writer). Outside a transaction the statement is its own transaction; inside one, a savepoint
of its own, so a refusal (the unique corporate number, the individual's one user) leaves the
caller's transaction usable, as the ORM path's `@transaction.atomic` does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from devcenter.accounts.services import account_created_event
from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import actor_of, audit_event, audit_statement
from devcenter.partners.models import Partner
from devcenter.partners.moves import partner_snapshot

if TYPE_CHECKING:
    from devcenter.accounts.models import PlatformAccount

_PARTNER_COLUMNS = (
    "public_id",
    "kind",
    "partner_type",
    "status",
    "registration_name",
    "legal_name",
    "corporate_number",
    "legal_entity_registered",
    "representative_name",
    "head_office_address",
    "contact_email",
    "contact_phone",
    "user_id",
    "created_at",
    "updated_at",
)
_ACCOUNT_COLUMNS = (
    "public_id",
    "kind",
    "user_id",
    "display_name",
    "emblem",
    "status",
    "created_at",
)

# The tables' names are written out (models.py names them); the values are parameters.
_CTES = (  # noqa: S608 (no input: column names from this module)
    "partner AS (INSERT INTO partners_partner ({partner}) VALUES ({partner_values}) RETURNING id),"
    " membership AS (INSERT INTO partners_membership (partner_id, user_id, role, created_at)"
    " SELECT id, %s, %s, %s FROM partner),"
    " account AS (INSERT INTO platform_accounts_platformaccount (partner_id, {account})"
    " SELECT id, {account_values} FROM partner RETURNING id)"
).format(
    partner=", ".join(_PARTNER_COLUMNS),
    partner_values=", ".join(["%s"] * len(_PARTNER_COLUMNS)),
    account=", ".join(_ACCOUNT_COLUMNS),
    account_values=", ".join(["%s"] * len(_ACCOUNT_COLUMNS)),
)
_SELECT = "SELECT partner.id, account.id FROM partner, account"


def partner_registered_event(partner: Partner, actor: str) -> dict[str, Any]:
    """Return the arguments of a new partner's `partner.registered` event (both paths)."""
    return {
        "event_type": AuditEventType.PARTNER_REGISTERED,
        "actor": actor,
        "target_type": AuditTarget.PARTNER,
        "target_id": partner.public_id,
        "partner": partner.public_id,
        "new": partner_snapshot(partner),
    }


def membership_added_event(
    partner: Partner, user: Any, role: str, actor: str, *, reason: str = ""
) -> dict[str, Any]:
    """Return the arguments of a `member.added` event (both paths, and `member_add`)."""
    return {
        "event_type": AuditEventType.MEMBER_ADDED,
        "actor": actor,
        "target_type": AuditTarget.MEMBERSHIP,
        "target_id": actor_of(user),
        "partner": partner.public_id,
        "new": {"user": user.pk, "role": role, **({"reason": reason} if reason else {})},
    }


def one_statement_possible() -> bool:
    """Return whether registrations are written in one statement here (PostgreSQL)."""
    return connection.vendor == "postgresql"


def register_in_one_statement(
    partner: Partner, *, owner: Any, role: str, account: PlatformAccount, actor: str
) -> Partner:
    """Insert the checked, unsaved `partner`, `owner`'s membership and `account`, with their
    three events (`partner.registered`, `member.added`, `account.created`, in that order).

    Return the partner, saved. A unique constraint refusing the partner raises IntegrityError
    and writes nothing.
    """
    if connection.in_atomic_block:
        with transaction.atomic():  # a savepoint: a refusal leaves the caller's block usable
            return _insert(partner, owner=owner, role=role, account=account, actor=actor)
    return _insert(partner, owner=owner, role=role, account=account, actor=actor)


def _insert(
    partner: Partner, *, owner: Any, role: str, account: PlatformAccount, actor: str
) -> Partner:
    now = datetime.now(tz=UTC)
    partner.created_at = partner.updated_at = now
    account.created_at = now
    params = [getattr(partner, name) for name in _PARTNER_COLUMNS]
    params += [owner.pk, role, now]
    params += [getattr(account, name) for name in _ACCOUNT_COLUMNS]
    events = [
        audit_event(**partner_registered_event(partner, actor)),
        audit_event(**membership_added_event(partner, owner, role, actor)),
        audit_event(**account_created_event(account, actor=actor)),
    ]
    partner.pk, account.pk = audit_statement(_CTES, _SELECT, params, events)
    partner._state.adding = account._state.adding = False  # noqa: SLF001 (saved, as the ORM marks it)
    partner._state.db = account._state.db = connection.alias  # noqa: SLF001
    account.partner = partner
    return partner
