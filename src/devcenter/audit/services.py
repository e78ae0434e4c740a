"""The only writer of audit rows: `audit_record`, called by services inside their transaction."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from devcenter.audit.models import AuditEvent, AuditEventType

GENESIS_HASH = "0" * 64
# Any constant works; it names the one advisory lock that serialises appends on PostgreSQL.
_APPEND_LOCK_KEY = 0x6465_7663_6175_6474  # "devcaudt"
SYSTEM = "system"


def actor_of(user: Any) -> str:
    """Return the audit actor string for a user (or `system` for None)."""
    if user is None:
        return SYSTEM
    return f"user:{user.pk}"


def canonical_payload(
    *,
    sequence: int,
    occurred_at: datetime,
    actor: str,
    event_type: str,
    target_type: str,
    target_id: str,
    partner: str,
    old: Any,
    new: Any,
    prev_hash: str,
) -> bytes:
    """Return the canonical JSON bytes an event's hash is computed over."""
    document = {
        "sequence": sequence,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "event_type": event_type,
        "target": {"type": target_type, "id": target_id, "partner": partner},
        "old": old,
        "new": new,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    """Return the SHA-256 an event should carry, recomputed from its fields."""
    payload = canonical_payload(
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        actor=event.actor,
        event_type=event.event_type,
        target_type=event.target_type,
        target_id=event.target_id,
        partner=event.partner,
        old=event.old,
        new=event.new,
        prev_hash=event.prev_hash,
    )
    return hashlib.sha256(payload).hexdigest()


def audit_record(
    *,
    event_type: AuditEventType | str,
    actor: str,
    target_type: str,
    target_id: str,
    partner: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Appends are serialised (an advisory transaction lock on PostgreSQL; SQLite transactions
    are IMMEDIATE, so writers already queue), so the chain never forks. `old`/`new` must be
    JSON data of strings, numbers, booleans and None.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    _lock_chain()
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    sequence, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event = AuditEvent(
        sequence=sequence,
        occurred_at=datetime.now(tz=UTC),
        actor=actor,
        event_type=str(event_type),
        target_type=target_type,
        target_id=target_id,
        partner=partner,
        old=old,
        new=new,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    _notify_after_commit(sequence)
    return event


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK_KEY])


def _notify_after_commit(sequence: int) -> None:
    """Tell listeners (the decision plane's snapshot) that the chain moved, once committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # NOTIFY is transactional: delivered only if the change commits.
            cursor.execute("SELECT pg_notify('devcenter_audit', %s)", [str(sequence)])
    transaction.on_commit(lambda: _run_hooks(sequence))


def _run_hooks(sequence: int) -> None:
    from devcenter.audit.hooks import audit_appended

    audit_appended(sequence)
