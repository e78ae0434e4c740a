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
- A service that records several events wraps them in `audit_batch()`: they are kept and
  written together, in one INSERT, when the block ends (still inside its transaction).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
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

logger = logging.getLogger(__name__)

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


def event_hash(event: AuditEvent | _Linked) -> str:
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
    fields = audit_event(
        event_type=event_type,
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        partner=partner,
        old=old,
        new=new,
    )
    batch = _batch.get()
    if batch is None:
        _write([fields])
    elif batch.savepoints != _savepoints():
        raise RuntimeError("audit_record inside a savepoint opened within audit_batch()")
    else:
        batch.events.append(fields)


def audit_event(
    *,
    event_type: AuditEventType | str,
    actor: str,
    target_type: AuditTarget,
    target_id: str,
    partner: str | None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return one event's fields, checked as `audit_record` checks them, stamped now.

    For `audit_record` and for `audit_statement`, which writes events with a caller's statement.
    """
    return {
        "occurred_at": datetime.now(tz=UTC),
        "actor": actor,
        "event_type": AuditEventType(event_type).value,
        "target_type": AuditTarget(target_type).value,
        "target_id": target_id,
        "partner": partner or "",
        "old": old,
        "new": new,
    }


def audit_statement(
    ctes: str, select: str, params: Sequence[Any], events: list[dict[str, Any]]
) -> tuple[Any, ...]:
    """Run one data-modifying statement and record `events` (`audit_event`) in it; PostgreSQL only.

    The statement is `WITH {ctes} {select}`: the caller's rows are written by its
    data-modifying CTEs, and the events' INSERT into the pending table joins them as one more
    CTE, after the caller's (`params` are the caller's, in order). So the change and its
    events are one statement, one round trip, and commit or fail together. Returns the row
    `select` gives (the first one).

    Outside any transaction the statement is its own transaction, and its events are linked
    right after it. Inside one, they are linked once it commits, as `audit_record`'s are. In a
    test case's transaction (which never commits) the statement runs alone and the events are
    appended, linked, at once (`_links_at_once`).
    """
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "audit_statement is for PostgreSQL (elsewhere: the ORM and audit_record)"
        )
    if not events:
        raise ValueError("audit_statement records at least one event")
    if _batch.get() is not None:
        raise RuntimeError("audit_statement inside audit_batch()")
    if not connection.in_atomic_block and not connection.get_autocommit():
        raise RuntimeError("audit_statement in a transaction not opened by transaction.atomic")
    if _links_at_once():
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {ctes} {select}", params)
            row = cursor.fetchone()
        _write(events)
        return tuple(row)
    sql = _statement_with_events(ctes, select, len(events))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *_pending_params(events)])
        row = cursor.fetchone()
    if connection.in_atomic_block:
        _link_after_commit()
    else:  # committed already: autocommit made the statement its own transaction
        _link_now()
    return tuple(row)


def _link_now() -> None:
    """Link after a commit, as the robust on-commit callback does: a failure is logged, and the
    events stay pending for the next link (the change itself is committed)."""
    try:
        audit_link_pending()
    except Exception:
        logger.exception("audit: linking the committed events failed; they stay pending")


@functools.cache
def _statement_with_events(ctes: str, select: str, count: int) -> str:
    """Return the caller's statement with the INSERT of `count` pending events as its last CTE."""
    return (
        f"WITH {ctes}, audit_pending AS (INSERT INTO audit_pendingauditevent"  # noqa: S608
        f" ({', '.join((*_CONTENT, *_JSON))}) VALUES {', '.join([_PENDING_ROW] * count)})"
        f" {select}"
    )


@dataclass
class _Batch:
    savepoints: tuple[str, ...]  # the transaction's savepoints when the batch began
    events: list[dict[str, Any]] = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("audit_batch", default=None)


@contextlib.contextmanager
def audit_batch() -> Iterator[None]:
    """Keep the events recorded in the block and write them together when it ends.

    For a service that records several events (a registration records three): one INSERT
    instead of one per event. The block runs inside the service's transaction and writes its
    events before it ends, so they commit or roll back with the change as before; an exception
    leaving the block discards them (its transaction rolls back). A block inside another adds
    its events to the outer one. A savepoint opened inside the block must not hold an
    `audit_record` (its rollback could not take the kept events with it): that raises
    RuntimeError.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_batch must run inside the transaction of the changes")
    if _batch.get() is not None:
        yield
        return
    batch = _Batch(savepoints=_savepoints())
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    if batch.events:
        _write(batch.events)


def _savepoints() -> tuple[str, ...]:
    return tuple(sid for sid in connection.savepoint_ids if sid)


def _write(events: list[dict[str, Any]]) -> None:
    """Write recorded events in the current transaction: pending, or linked at once."""
    if _links_at_once():
        _lock_chain()
        linked = [_Linked(**fields) for fields in events]
        _link(linked, after=_newest_link())
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(**fields, sequence=e.sequence, prev_hash=e.prev_hash, hash=e.hash)
                for fields, e in zip(events, linked, strict=True)
            ]
        )
        sequence = linked[-1].sequence
        _announce(sequence)
        transaction.on_commit(lambda: _run_hooks(sequence))
    else:
        _insert_pending(events)
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
        _vacuum_pending_now_and_then(len(events))
    if not events:
        return 0
    _run_hooks(events[-1].sequence)
    return len(events)


# The link is made from rows that are already durable: were it lost in a crash of the database,
# the events would simply be pending again, and linked again. So its commit need not wait for
# its own WAL flush, which it would otherwise do while holding the lock.
_LOCK = "SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(%s)"


# Every link DELETEs what it takes from the pending table, which every write fills: its dead
# rows pile up faster than autovacuum comes by (and some servers run without it), and each
# link's DELETE scans them all (after 12,000 events: 380 pages, 2 ms of the server's CPU a
# link). So a linking process vacuums the table itself once it has linked this many events:
# about 50 pages' worth, a millisecond or two of VACUUM, instead of a growing scan every link.
VACUUM_EVERY = 1024
_linked_since_vacuum = 0


def _vacuum_pending_now_and_then(linked: int) -> None:
    """Vacuum the pending table once this process has linked `VACUUM_EVERY` events since the
    last time. Outside any transaction (VACUUM cannot run in one); SKIP_LOCKED: if another
    process is vacuuming it, that is enough; no TRUNCATE (it would lock out the writers)."""
    global _linked_since_vacuum  # noqa: PLW0603 (one counter per process)
    _linked_since_vacuum += linked
    if _linked_since_vacuum < VACUUM_EVERY:
        return
    _linked_since_vacuum = 0
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (SKIP_LOCKED, TRUNCATE false) audit_pendingauditevent")


def _link_in_two_round_trips() -> list[_Linked]:
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


def _link_in_transaction() -> list[_Linked]:
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


def _link(events: list[_Linked], *, after: tuple[int, str]) -> None:
    """Give `events`, in order, the sequences and hashes that follow the link `after`."""
    sequence, prev_hash = after
    for event in events:
        sequence += 1
        event.sequence, event.prev_hash = sequence, prev_hash
        event.hash = prev_hash = event_hash(event)


_CONTENT = ("occurred_at", "actor", "event_type", "target_type", "target_id", "partner")
_JSON = ("old", "new")


@dataclass(slots=True)
class _Linked:
    """An event on its way into the chain: an `AuditEvent`'s fields without a model instance.

    `old_text`/`new_text` keep the JSON as PostgreSQL gave it back from the pending table, so
    the append passes it on unchanged instead of encoding it again.
    """

    occurred_at: datetime
    actor: str
    event_type: str
    target_type: str
    target_id: str
    partner: str
    old: Any = None
    new: Any = None
    sequence: int = 0
    prev_hash: str = ""
    hash: str = ""
    old_text: str | None = field(default=None, repr=False)
    new_text: str | None = field(default=None, repr=False)


# The tables' names are written out: these statements run on every write (models.py names them).
_TAKE = (  # noqa: S608 (no input: column names from this module)
    "WITH moved AS (DELETE FROM audit_pendingauditevent RETURNING id, {columns}),"
    " newest AS (SELECT sequence, hash FROM audit_auditevent ORDER BY sequence DESC LIMIT 1)"
    " SELECT moved.*, newest.sequence, newest.hash"
    " FROM moved LEFT JOIN newest ON true ORDER BY moved.id"
).format(columns=", ".join((*_CONTENT, *_JSON)))


def _pending_events(rows: list[tuple[Any, ...]]) -> tuple[list[_Linked], tuple[int, str]]:
    """Return the taken pending events, oldest first, and the newest link."""
    if not rows:
        return [], (0, GENESIS_HASH)
    events = []
    for _id, occurred_at, actor, event_type, target_type, target_id, partner, old, new, *_ in rows:
        event = _Linked(occurred_at, actor, event_type, target_type, target_id, partner)
        event.old, event.new = _json(old), _json(new)
        event.old_text, event.new_text = _text(old), _text(new)
        events.append(event)
    newest_sequence, newest_hash = rows[0][-2:]
    return events, (newest_sequence or 0, newest_hash or GENESIS_HASH)


_PENDING_ROW = "(" + ", ".join(["%s"] * len(_CONTENT) + ["%s::jsonb"] * len(_JSON)) + ")"


def _insert_pending(events: list[dict[str, Any]]) -> None:
    """Insert pending events, in order, in one statement (plain SQL: it runs on every write)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_pendingauditevent ({', '.join((*_CONTENT, *_JSON))})"  # noqa: S608
            f" VALUES {', '.join([_PENDING_ROW] * len(events))}",
            _pending_params(events),
        )


def _pending_params(events: list[dict[str, Any]]) -> list[Any]:
    params: list[Any] = []
    for fields in events:
        params += [fields[name] for name in _CONTENT]
        params += [_json_text(fields[name]) for name in _JSON]
    return params


def _json_text(value: Any) -> str | None:
    """Return JSON text as `JSONField` stores it; None (SQL NULL) for None."""
    return None if value is None else json.dumps(value)


def _json(value: Any) -> Any:
    """Return a JSON column's value as `JSONField` reads it (text from psycopg, or None)."""
    if value is None or not isinstance(value, str | bytes):
        return value
    return json.loads(value)


def _text(value: Any) -> str | None:
    """Return a JSON column's value as JSON text (psycopg gives text; else encode it)."""
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, str) else _json_text(value)


_APPENDED = ("sequence", *_CONTENT, "old", "new", "prev_hash", "hash")
_APPEND_ROW = "(" + ", ".join("%s::jsonb" if n in _JSON else "%s" for n in _APPENDED) + ")"


def _append_statement(events: list[_Linked]) -> tuple[str, list[Any]]:
    """Return the one statement that appends the linked events and NOTIFYs listeners.

    NOTIFY is transactional: listeners hear of it once the link commits.
    """
    params: list[object] = []
    for e in events:
        params += [e.sequence, e.occurred_at, e.actor, e.event_type, e.target_type, e.target_id]
        params += [e.partner, e.old_text, e.new_text, e.prev_hash, e.hash]
    sql = (
        f"WITH appended AS (INSERT INTO audit_auditevent ({', '.join(_APPENDED)})"  # noqa: S608
        f" VALUES {', '.join([_APPEND_ROW] * len(events))}) SELECT pg_notify(%s, %s)"
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
