"""The registry as the decision plane needs it, in memory, kept up to date from the audit log.

`Snapshot` maps each partner's public id to a state, and each live platform account's public
id to `(kind, partner public id, status)`; `sequence` is the audit sequence the maps reflect (at
least). A state is a small integer, an index into `states`, the list of the `(partner_type,
status)` pairs seen so far (a few dozen at most; index 0, `MISSING_STATE`, is `(None,
"not_found")`, what an unknown id looks like). `partners` is a `PartnerTable` (flat numpy
arrays, about 38 bytes per partner, looked up a batch at a time), and a decision on a partner is
a lookup of its state and then of a table row per state (`devcenter.decision_plane.answer.Live`).

The snapshot is loaded once (one streaming query per table) and then caught up: every event
after `sequence` names the partner (and for accounts the account) it touched, and the current
rows of those are read again. So a decision never queries the database; catching up
runs in a worker thread when

- this process appended an event (the `devcenter.audit.hooks.on_audit_appended` hook),
- PostgreSQL delivered a NOTIFY on `devcenter_audit` (a listener thread with its own connection),
- or, at most every `poll_seconds`, a request finds that the cheap current sequence moved.

`states` only grows (appended before any map names the new index), so an index read from
`partners` always has its pair.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from devcenter.decision_plane.partner_table import PartnerTable

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
WAIT_SECONDS = 2.0  # the longest a request waits for `min_snapshot`
WAIT_STEP_SECONDS = 0.02
CHANNEL = "devcenter_audit"
LISTEN_TIMEOUT_SECONDS = 0.5  # how often the listener checks that it should stop
LISTEN_RETRY_SECONDS = 2.0
READ_CHUNK = 500  # ids per `IN (…)` query when catching up
LOAD_CHUNK = 20_000
DELETED = "deleted"
_ACCOUNT_TARGETS = frozenset({"account", "platform_account"})

PartnerEntry = tuple[str | None, str]  # (partner_type, status)
MISSING_STATE = 0  # the state of an id that is not in the registry
NOT_FOUND = "not_found"
AccountEntry = tuple[str, str, str]  # (kind, partner public id, status)


class Snapshot:
    """Partners and accounts by public id, as of audit `sequence`; see the module docstring."""

    def __init__(
        self, *, poll_seconds: float = POLL_SECONDS, wait_seconds: float = WAIT_SECONDS
    ) -> None:
        self.partners = PartnerTable()  # public id -> index into `states`
        self.states: list[PartnerEntry] = [(None, NOT_FOUND)]
        self.accounts: dict[str, AccountEntry] = {}
        self.sequence = 0
        self.loaded = False
        self.poll_seconds = poll_seconds
        self.wait_seconds = wait_seconds
        self._hash = ""  # the hash of the event at `sequence`: a reset log is noticed
        self._stale = True
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._state_of: dict[PartnerEntry, int] = {(None, NOT_FOUND): MISSING_STATE}
        self._task: asyncio.Task[None] | None = None
        self._listener: AuditListener | None = None

    # -- the request path (event loop): never waits for the database unless asked --------

    def partner(self, public_id: str) -> PartnerEntry:
        """Return `(partner_type, status)` of a partner; `(None, "not_found")` when unknown."""
        return self.states[self.partners.get(public_id, MISSING_STATE)]

    def mark_stale(self, sequence: int | None = None) -> None:
        """Catch up before the next answer (an `on_audit_appended` hook: this process wrote)."""
        self._stale = True

    async def ensure_loaded(self) -> None:
        """Load the snapshot if it is not loaded yet (the first request of a process)."""
        if not self.loaded:
            await asyncio.to_thread(self.catch_up)

    async def freshen(self) -> None:
        """Catch up now if this process wrote; else start a background poll when one is due.

        Like the keyring: a change made in this process is answered at once, a change made
        elsewhere within `poll_seconds` (or at once on NOTIFY); only the former waits.
        """
        if self._stale:
            # One catch-up shared by the requests that need it; a second one if the first had
            # started before the write (bounded: a burst of writes must not hold answers back).
            for _ in range(2):
                await asyncio.shield(self._catch_up_task())
                if not self._stale:
                    break
        elif time.monotonic() - self._checked_at > self.poll_seconds:
            self._catch_up_task()

    def _catch_up_task(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(asyncio.to_thread(self.catch_up))
        return self._task

    async def reach(self, sequence: int) -> bool:
        """Catch up until the snapshot reflects `sequence`; False after `wait_seconds`."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            await asyncio.to_thread(self.catch_up)
            if self.sequence >= sequence:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            await asyncio.sleep(min(WAIT_STEP_SECONDS, remaining))

    async def start(self) -> None:
        """Load now and listen for NOTIFY on PostgreSQL (server start-up)."""
        await asyncio.to_thread(self.catch_up)
        self.start_listening()

    async def stop(self) -> None:
        """Stop listening (server shut-down)."""
        await asyncio.to_thread(self.stop_listening)

    # -- catching up (worker threads) ----------------------------------------------------

    def catch_up(self) -> None:
        """Bring the maps up to the current audit sequence (load them the first time)."""
        with self._lock:
            _with_connection(self._catch_up_locked)

    def reload(self) -> None:
        """Load everything again from the tables (start-up, or the audit log went back)."""
        with self._lock:
            _with_connection(self._load)

    def _catch_up_locked(self) -> None:
        from devcenter.audit.selectors import audit_current_sequence

        if not self.loaded:
            self._load()
            return
        self._stale = False  # before reading: a hook firing meanwhile marks it again
        current = audit_current_sequence()
        self._checked_at = time.monotonic()
        if current < self.sequence:
            self._load()
            return
        while self.sequence < current:
            if not self._apply_events_after_sequence():
                self._load()
                return

    def _apply_events_after_sequence(self) -> bool:
        """Apply the next batch of events; False when the event at `sequence` is not ours."""
        from devcenter.audit.selectors import audit_events_after

        start = max(self.sequence - 1, 0)
        events = list(
            audit_events_after(sequence=start).values_list(
                "sequence", "hash", "partner", "target_type", "target_id"
            )
        )
        if self.sequence and (not events or events[0][:2] != (self.sequence, self._hash)):
            return False
        fresh = events[1:] if self.sequence else events
        if not fresh:
            return True
        partner_ids = {partner for _, _, partner, _, _ in fresh if partner}
        partner_ids |= {target for _, _, _, kind, target in fresh if kind == "partner"}
        account_ids = {target for _, _, _, kind, target in fresh if kind in _ACCOUNT_TARGETS}
        self._refresh(partner_ids, account_ids)
        self.sequence, self._hash = fresh[-1][0], fresh[-1][1]
        return True

    def _refresh(self, partner_ids: set[str], account_ids: set[str]) -> None:
        partner_ids.discard("")
        for chunk in _chunks(sorted(partner_ids)):
            found = set()
            for public_id, partner_type, status in _partner_rows(public_id__in=chunk):
                self.partners[public_id] = self._state(partner_type, status)
                found.add(public_id)
            for gone in set(chunk) - found:
                self.partners.pop(gone, None)
            self._put_accounts(_account_rows(partner__public_id__in=chunk))
        for chunk in _chunks(sorted(account_ids - {""})):
            self._put_accounts(_account_rows(public_id__in=chunk))

    def _put_accounts(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        for public_id, kind, partner_id, status in rows:
            if status == DELETED:
                self.accounts.pop(public_id, None)
            else:
                self.accounts[public_id] = self._account_entry(kind, partner_id, status)

    def _load(self) -> None:
        from devcenter.audit.selectors import audit_current_sequence, audit_events_after

        sequence = audit_current_sequence()
        last = audit_events_after(sequence=sequence - 1, limit=1).values_list("sequence", "hash")
        rows = _partner_rows().iterator(chunk_size=LOAD_CHUNK)
        self.partners = PartnerTable(
            (public_id, self._state(partner_type, status))
            for public_id, partner_type, status in rows
        )
        self.accounts = {}
        self._put_accounts(_account_rows().exclude(status=DELETED).iterator(chunk_size=LOAD_CHUNK))
        # Rows read after the sequence reflect at least that sequence; events after it are
        # applied again by the next catch-up, which is harmless.
        self.sequence, self._hash = next(iter(last), (0, ""))
        self.loaded = True
        self._stale = False
        self._checked_at = time.monotonic()

    def _state(self, partner_type: str | None, status: str) -> int:
        """Return the index of `(partner_type, status)` in `states`, appending it when new."""
        key = (partner_type, status)
        state = self._state_of.get(key)
        if state is None:
            self.states.append((_intern(partner_type), sys.intern(status)))
            state = self._state_of[key] = len(self.states) - 1
        return state

    def _account_entry(self, kind: str, partner_id: str, status: str) -> AccountEntry:
        return (sys.intern(kind), partner_id, sys.intern(status))

    # -- PostgreSQL LISTEN ---------------------------------------------------------------

    def start_listening(self) -> bool:
        """On PostgreSQL, catch up as soon as a NOTIFY arrives; return whether it listens."""
        from django.db import connection

        if connection.vendor != "postgresql" or self._listener is not None:
            return self._listener is not None
        self._listener = AuditListener(_conninfo(connection.settings_dict), self._notified)
        self._listener.start()
        return True

    def stop_listening(self) -> None:
        """Stop the listener thread and close its connection."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()

    @property
    def listening(self) -> bool:
        """Whether a LISTEN connection is open right now."""
        return self._listener is not None and self._listener.listening.is_set()

    def _notified(self) -> None:
        self._stale = True
        self.catch_up()


class AuditListener(threading.Thread):
    """LISTEN on `devcenter_audit` with its own connection; call `on_notify` per burst.

    When LISTEN fails (no privilege, connection lost) it logs, retries every few seconds, and
    the snapshot keeps catching up by polling meanwhile.
    """

    def __init__(self, conninfo: str, on_notify: Callable[[], None]) -> None:
        super().__init__(name="devcenter-audit-listener", daemon=True)
        self.conninfo = conninfo
        self.on_notify = on_notify
        self.listening = threading.Event()
        self._stopping = threading.Event()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to end and wait for it."""
        self._stopping.set()
        self.join(timeout)

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except Exception:
                logger.warning("LISTEN %s failed; polling until it works again", CHANNEL)
                logger.debug("LISTEN failure", exc_info=True)
            finally:
                self.listening.clear()
            self._stopping.wait(LISTEN_RETRY_SECONDS)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.listening.set()
            while not self._stopping.is_set():
                burst = any(
                    True for _ in conn.notifies(timeout=LISTEN_TIMEOUT_SECONDS, stop_after=1)
                )
                if not burst:
                    continue
                for _ in conn.notifies(timeout=0.005):
                    pass  # a burst of appends needs one catch-up, not one per event
                try:
                    self.on_notify()
                except Exception:
                    logger.exception("snapshot catch-up after NOTIFY failed")


# -- reads (the two tables the decisions need) -------------------------------------------


# Imported when called, like every Django read in this module.


def _partner_rows(**lookup: object) -> QuerySet[Any, tuple[str, str | None, str]]:
    from devcenter.partners.selectors import partner_snapshot_rows

    return partner_snapshot_rows(**lookup)


def _account_rows(**lookup: object) -> QuerySet[Any, tuple[str, str, str, str]]:
    from devcenter.accounts.selectors import account_snapshot_rows

    return account_snapshot_rows(**lookup)


def _intern(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), READ_CHUNK):
        yield ids[start : start + READ_CHUNK]


def _conninfo(settings_dict: dict[str, object]) -> str:
    from psycopg.conninfo import make_conninfo

    names = {
        "NAME": "dbname",
        "USER": "user",
        "PASSWORD": "password",
        "HOST": "host",
        "PORT": "port",
    }
    given = {key: settings_dict.get(name) for name, key in names.items()}
    return make_conninfo(**{key: str(value) for key, value in given.items() if value})


def _with_connection(work: Callable[[], None]) -> None:
    """Run database work in this worker thread and give its connection back afterwards."""
    from django.db import close_old_connections

    close_old_connections()
    try:
        work()
    finally:
        close_old_connections()
