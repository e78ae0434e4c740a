"""The only writer of audit rows: `audit_record` (and `audit_change`), called by services inside
their transaction, and `audit_link_pending`, which appends committed events to the chain.

How one verifiable chain takes parallel writers (docs/decisions.md, "The audit chain's lock"):

- On PostgreSQL, `audit_record` inserts the event into `PendingAuditEvent`, in the caller's
  transaction, and takes no lock, so writers do not wait for each other. A transaction that
  rolls back takes its events with it.
- Right after that transaction commits, `audit_link_pending` takes the chain's one lock (an
  advisory transaction lock), moves every committed pending event, oldest first, to the
  append-only `AuditEvent` with the next sequence and its hash, and commits. Only this short
  step is serialised, and it appends the events of every writer that committed meanwhile at
  once.
- PostgreSQL makes a commit visible before it releases the transaction's locks, so a link step
  starts only once the previous one is visible: sequences become visible in order, and
  whoever sees sequence N sees every sequence below it.
- On SQLite (one writer at a time: its transactions are IMMEDIATE), and inside a test case's
  transaction (which never commits), the event is appended at once, linked, in the caller's
  transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import DatabaseError, connection, transaction
from django.db.models import Model

from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget

GENESIS_HASH = "0" * 64
# Any constant works; it names the one advisory lock that serialises linking on PostgreSQL.
_CHAIN_LOCK_KEY = 0x6465_7663_6175_6474  # "devcaudt"
NOTIFY_CHANNEL = "devcenter_audit"
SYSTEM = "system"

M = TypeVar("M", bound=Model)


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
    target_type: AuditTarget,
    target_id: str,
    partner: str | None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> None:
    """Record one event inside the caller's transaction; it joins the chain once committed.

    `event_type` and `target_type` must be values of `AuditEventType` and `AuditTarget` (an
    unknown one raises ValueError). `partner` is the public id of the partner the event
    concerns, and must be given: None only for an event that concerns no partner (an API
    key). `old`/`new` must be JSON data of strings, numbers, booleans and None.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    fields = {
        "occurred_at": datetime.now(tz=UTC),
        "actor": actor,
        "event_type": AuditEventType(event_type).value,
        "target_type": AuditTarget(target_type).value,
        "target_id": target_id,
        "partner": partner or "",
        "old": old,
        "new": new,
    }
    if _links_at_once():
        _lock_chain()
        event = AuditEvent(**fields)
        _link([event], after=_newest_link())
        event.save(force_insert=True)
        sequence = event.sequence
        _announce(sequence)
        transaction.on_commit(lambda: _run_hooks(sequence))
    else:
        _insert_pending(fields)
        _link_after_commit()


def audit_change(  # noqa: PLR0913 (each argument is one part of the event)
    instance: M,
    changes: Mapping[str, Any],
    *,
    snapshot: Callable[[M], dict[str, Any]],
    event_type: AuditEventType | str,
    actor: str,
    target_type: AuditTarget,
    partner: str | None,
    note: Mapping[str, Any] | None = None,
) -> None:
    """Take the old state, apply `changes`, save just those fields, and audit old and new.

    `snapshot(instance)` is what the log keeps of the instance, before and after (`note` is
    added to the new one, e.g. a reason). Fields with `auto_now` (`updated_at`) are saved
    too. The target id is the instance's `public_id`.
    """
    old = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    stamped = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=[*changes, *stamped])
    audit_record(
        event_type=event_type,
        actor=actor,
        target_type=target_type,
        target_id=str(instance.serializable_value("public_id")),
        partner=partner,
        old=old,
        new={**snapshot(instance), **(note or {})},
    )


def audit_link_pending() -> int:
    """Append every committed pending event to the chain, oldest first; return how many.

    Runs in its own short transaction, the only one that takes the chain's lock. Called after
    each writing transaction commits; safe to call at any time (`devcenter audit link`), e.g.
    for the events of a process killed between its commit and its link.
    """
    if connection.vendor != "postgresql":
        return 0  # nothing is ever pending there
    if connection.in_atomic_block or not connection.get_autocommit():
        events = _link_in_transaction()
    else:
        events = _link_in_two_round_trips()
    if not events:
        return 0
    _run_hooks(events[-1].sequence)
    return len(events)


# The link is made from rows that are already durable: were it lost in a crash of the database,
# the events would simply be pending again, and linked again. So its commit need not wait for
# its own WAL flush, which it would otherwise do while holding the lock.
_LOCK = "SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(%s)"


def _link_in_two_round_trips() -> list[AuditEvent]:
    """Link outside any transaction: hold the lock for one round trip of this client.

    BEGIN, the lock and the take go in one message, the append and COMMIT in another. Each
    statement of a message has its own snapshot, so the take, after the lock, sees every
    earlier link.
    """
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"BEGIN; {_LOCK}; {_TAKE}", [_CHAIN_LOCK_KEY])
            cursor.nextset()  # past BEGIN's result
            cursor.nextset()  # past the lock's
            events, after = _pending_events(cursor.fetchall())
            if not events:
                cursor.execute("COMMIT")
                return []
            _link(events, after=after)
            append, params = _append_statement(events)
            cursor.execute(f"{append}; COMMIT", params)
        except BaseException:
            with contextlib.suppress(DatabaseError):
                cursor.execute("ROLLBACK")
            raise
    return events


def _link_in_transaction() -> list[AuditEvent]:
    """Link inside the caller's transaction (a savepoint of it): statement by statement."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK, [_CHAIN_LOCK_KEY])
        cursor.execute(_TAKE)  # a statement after the lock: it sees every earlier link
        events, after = _pending_events(cursor.fetchall())
        if events:
            _link(events, after=after)
            append, params = _append_statement(events)
            cursor.execute(append, params)
    return events


def _links_at_once() -> bool:
    """Link in the caller's transaction: on SQLite, and in a test case's transaction.

    A test case wraps each test in a transaction that is rolled back, never committed, so
    on-commit work never runs there (Django marks those blocks `_from_testcase`).
    """
    if connection.vendor != "postgresql":
        return True
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    return bool(getattr(outermost, "_from_testcase", False))


def _newest_link() -> tuple[int, str]:
    newest = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return newest or (0, GENESIS_HASH)


def _link(events: list[AuditEvent], *, after: tuple[int, str]) -> None:
    """Give `events`, in order, the sequences and hashes that follow the link `after`."""
    sequence, prev_hash = after
    for event in events:
        sequence += 1
        event.sequence, event.prev_hash = sequence, prev_hash
        event.hash = prev_hash = event_hash(event)


_CONTENT = ("occurred_at", "actor", "event_type", "target_type", "target_id", "partner")
_JSON = ("old", "new")


# The tables' names are written out: these statements run on every write (models.py names them).
_TAKE = (  # noqa: S608 (no input: column names from this module)
    "WITH moved AS (DELETE FROM audit_pendingauditevent RETURNING id, {columns}),"
    " newest AS (SELECT sequence, hash FROM audit_auditevent ORDER BY sequence DESC LIMIT 1)"
    " SELECT moved.*, newest.sequence, newest.hash"
    " FROM moved LEFT JOIN newest ON true ORDER BY moved.id"
).format(columns=", ".join((*_CONTENT, *_JSON)))


def _pending_events(rows: list[tuple[Any, ...]]) -> tuple[list[AuditEvent], tuple[int, str]]:
    """Return the taken pending events as chain events, oldest first, and the newest link."""
    if not rows:
        return [], (0, GENESIS_HASH)
    width = 1 + len(_CONTENT)
    events = [
        AuditEvent(
            **dict(zip(_CONTENT, row[1:width], strict=True)),
            **{name: _json(value) for name, value in zip(_JSON, row[width:], strict=False)},
        )
        for row in rows
    ]
    newest_sequence, newest_hash = rows[0][-2:]
    return events, (newest_sequence or 0, newest_hash or GENESIS_HASH)


def _insert_pending(fields: dict[str, Any]) -> None:
    """Insert one pending event (plain SQL: this runs three times per registration)."""
    names = (*_CONTENT, *_JSON)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_pendingauditevent ({', '.join(names)})"  # noqa: S608
            f" VALUES ({', '.join(['%s'] * len(_CONTENT) + ['%s::jsonb'] * len(_JSON))})",
            [fields[name] for name in _CONTENT] + [_json_text(fields[name]) for name in _JSON],
        )


def _json_text(value: Any) -> str | None:
    """Return JSON text as `JSONField` stores it; None (SQL NULL) for None."""
    return None if value is None else json.dumps(value)


def _json(value: Any) -> Any:
    """Return a JSON column's value as `JSONField` reads it (text from psycopg, or None)."""
    if value is None or not isinstance(value, str | bytes):
        return value
    return json.loads(value)


def _append_statement(events: list[AuditEvent]) -> tuple[str, list[Any]]:
    """Return the one statement that appends the linked events and NOTIFYs listeners.

    NOTIFY is transactional: listeners hear of it once the link commits.
    """
    names = ("sequence", *_CONTENT, *_JSON, "prev_hash", "hash")
    row = "(" + ", ".join("%s::jsonb" if name in _JSON else "%s" for name in names) + ")"
    params: list[object] = []
    for event in events:
        params += [
            _json_text(getattr(event, n)) if n in _JSON else getattr(event, n) for n in names
        ]
    sql = (
        f"WITH appended AS (INSERT INTO audit_auditevent ({', '.join(names)})"  # noqa: S608
        f" VALUES {', '.join([row] * len(events))}) SELECT pg_notify(%s, %s)"
    )
    return sql, [*params, NOTIFY_CHANNEL, str(events[-1].sequence)]


def _link_after_commit() -> None:
    """Have the transaction link its events once it commits (one callback per transaction)."""
    if not any(entry[1] is _link_committed for entry in connection.run_on_commit):
        # robust: a failure is logged, the events stay pending and the next link takes them.
        transaction.on_commit(_link_committed, robust=True)


def _link_committed() -> None:
    audit_link_pending()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _announce(sequence: int) -> None:
    """Tell listeners (the decision plane's snapshot) that the chain moved, once committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # NOTIFY is transactional: delivered only if the change commits.
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, str(sequence)])


def _run_hooks(sequence: int) -> None:
    from devcenter.audit.hooks import audit_appended

    audit_appended(sequence)
