"""The registry as the decision plane needs it, in memory, kept up to date from the audit log.

`Snapshot` maps each partner's public id to a state, and each live platform account's public
id to `(kind, partner public id, status)`; `sequence` is the audit sequence the maps reflect (at
least). A state is a small integer, an index into `states`, the list of the `(partner_type,
status)` pairs seen so far (a few dozen at most; index 0, `MISSING_STATE`, is `(None,
"not_found")`, what an unknown id looks like). `partners` is a `PartnerTable` (flat numpy
arrays, about 38 bytes per partner, looked up a batch at a time), and a decision on a partner is
a lookup of its state and then of a table row per state (`devcenter.decision_plane.answer.Live`).

The snapshot is loaded once (one streaming query per table, into new maps that are then swapped
in) and then caught up: every event after `sequence` names the partner (and for accounts the
account) it touched, and the current rows of those are read again. So a decision never queries
the database; catching up runs in the plane's one database thread (`PlaneDatabase`), one
catch-up at a time shared by everyone who needs it, when

- this process appended an event (the `devcenter.audit.hooks.on_audit_appended` hook),
- PostgreSQL delivered a NOTIFY on `devcenter_audit` (a listener thread with its own connection),
- a request waits for `min_snapshot`,
- or every `poll_seconds` (a background task in a server, else the next request).

When the database is away the maps stay as they were and keep answering; `age()` says how long
ago they were last known to be current, and the next try comes `RETRY_SECONDS` later.

`states` only grows (appended before any map names the new index), so an index read from
`partners` always has its pair.

Registrations (issue 9, §5) are kept the same way: `registrations` maps a live registration's
public id, and `clients` its credential's client id, to a registration state, an index into
`registration_states`, the list of `(partner_type, partner status, service, registration
status)` seen so far (index 0: not found). Registration events name the registration (target
`registration`) or its client id (target `oauth_client`) and its partner; a partner read again
has its registrations read again too, so that their state follows the partner's.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from itertools import islice
from typing import TYPE_CHECKING, Any

from devcenter.decision_plane.database import PlaneDatabase
from devcenter.decision_plane.partner_table import PartnerTable, fingerprint

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
RETRY_SECONDS = 1.0  # after a failed read, the next background try (the database is away)
WAIT_SECONDS = 2.0  # the longest a request waits for `min_snapshot`
WAIT_STEP_SECONDS = 0.05  # between two catch-ups for waiters whose sequence is not there yet
CHANNEL = "devcenter_audit"
LISTEN_TIMEOUT_SECONDS = 0.5  # how often the listener checks that it should stop
LISTEN_RETRY_SECONDS = 2.0
LISTEN_LOG_SECONDS = 30.0
READ_CHUNK = 500  # ids per `IN (…)` query when catching up
LOAD_CHUNK = 20_000
DELETED = "deleted"
_ACCOUNT_TARGETS = frozenset({"account", "platform_account"})
_REGISTRATION_TARGET = "registration"  # AuditTarget.REGISTRATION: target_id is the reg_ id
_CLIENT_TARGET = "oauth_client"  # AuditTarget.OAUTH_CLIENT: target_id is the client id

PartnerEntry = tuple[str | None, str]  # (partner_type, status)
MISSING_STATE = 0  # the state of an id that is not in the registry
NOT_FOUND = "not_found"
AccountEntry = tuple[str, str, str]  # (kind, partner public id, status)
# (partner_type, partner status, service, registration status); index 0: not found
RegistrationEntry = tuple[str | None, str, str, str]
RegistrationRow = tuple[str, str | None, str, str, str]  # registration_snapshot_rows


class Snapshot:
    """Partners and accounts by public id, as of audit `sequence`; see the module docstring."""

    def __init__(
        self,
        *,
        poll_seconds: float = POLL_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
        database: PlaneDatabase | None = None,
    ) -> None:
        self.partners = PartnerTable()  # public id -> index into `states`
        self.states: list[PartnerEntry] = [(None, NOT_FOUND)]
        self.accounts: dict[str, AccountEntry] = {}
        self.registrations = PartnerTable(linked=True)  # reg id -> registration state, client id
        self.clients = PartnerTable()  # client id -> registration state
        self.registration_states: list[RegistrationEntry] = [(None, NOT_FOUND, "", NOT_FOUND)]
        self.sequence = 0
        self.loaded = False
        self.poll_seconds = poll_seconds
        self.wait_seconds = wait_seconds
        self.database = database or PlaneDatabase()
        self.checked_at = 0.0  # monotonic: when the maps were last known to be current
        self._hash = ""  # the hash of the event at `sequence`: a reset log is noticed
        self._stale = True
        self._next_poll_at = 0.0
        self._lock = threading.Lock()
        self._state_of: dict[PartnerEntry, int] = {(None, NOT_FOUND): MISSING_STATE}
        self._registration_state_of: dict[RegistrationEntry, int] = {
            self.registration_states[0]: MISSING_STATE
        }
        self._task: asyncio.Task[bool] | None = None  # the one catch-up in flight
        self._poller: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: AuditListener | None = None

    # -- the request path (event loop): never waits for the database unless asked --------

    def partner(self, public_id: str) -> PartnerEntry:
        """Return `(partner_type, status)` of a partner; `(None, "not_found")` when unknown."""
        return self.states[self.partners.get(public_id, MISSING_STATE)]

    def age(self) -> float:
        """Return how many seconds ago the maps were last known to be current."""
        return time.monotonic() - self.checked_at

    def mark_stale(self, sequence: int | None = None) -> None:
        """Catch up before the next answer (an `on_audit_appended` hook: this process wrote)."""
        self._stale = True

    async def ensure_loaded(self) -> bool:
        """Load the snapshot if it is not loaded yet; return whether it is loaded.

        Waits at most `wait_seconds`, and not at all right after a failed try (the database is
        away: every request must not wait for it again).
        """
        if not self.loaded and (self._in_flight() or time.monotonic() >= self._next_poll_at):
            await self._join(self._catch_up_task(), self.wait_seconds)
        return self.loaded

    async def freshen(self) -> None:
        """Catch up now if this process wrote; else start a background poll when one is due.

        Like the keyring: a change made in this process is answered at once, a change made
        elsewhere within `poll_seconds` (or at once on NOTIFY); only the former waits, and at
        most `wait_seconds` (then the snapshot in memory answers).
        """
        if self._stale:
            # One catch-up shared by the requests that need it; a second one if the first had
            # started before the write (bounded: a burst of writes must not hold answers back).
            deadline = time.monotonic() + self.wait_seconds
            for _ in range(2):
                if not await self._join(self._catch_up_task(), deadline - time.monotonic()):
                    break
                if not self._stale:
                    break
        elif time.monotonic() >= self._next_poll_at:
            self._catch_up_task()

    async def reach(self, sequence: int) -> bool:
        """Wait until the snapshot reflects `sequence`; False after `wait_seconds`.

        The waiters of a process share one catch-up at a time (`_catch_up_task`) and sleep on it:
        no thread, no database session and no query of their own.
        """
        deadline = time.monotonic() + self.wait_seconds
        while self.sequence < sequence:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            await self._join(self._catch_up_task(), remaining)
            if self.sequence >= sequence:
                break
            await asyncio.sleep(min(WAIT_STEP_SECONDS, max(deadline - time.monotonic(), 0)))
        return True

    async def catch_up_now(self, timeout: float) -> bool:
        """Catch up (sharing a catch-up in flight); return whether it worked within `timeout`."""
        return await self._join(self._catch_up_task(), timeout)

    def _in_flight(self) -> bool:
        return self._task is not None and not self._task.done()

    def _catch_up_task(self) -> asyncio.Task[bool]:
        """Return the catch-up in flight, starting one when there is none."""
        if self._task is None or self._task.done():
            self._loop = asyncio.get_running_loop()
            self._task = self._loop.create_task(self._catch_up_in_thread())
        return self._task

    async def _catch_up_in_thread(self) -> bool:
        try:
            await self.database.run(self._catch_up_locked_with_lock)
        except Exception:  # recorded and logged (once per interval) by `database`
            self._next_poll_at = time.monotonic() + RETRY_SECONDS
            return False
        self._next_poll_at = time.monotonic() + self.poll_seconds
        return True

    @staticmethod
    async def _join(task: asyncio.Task[bool], timeout: float) -> bool:
        """Wait for `task` at most `timeout` seconds (without cancelling it); its outcome."""
        if timeout <= 0:
            return False
        try:
            return await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            return False

    async def start(self) -> None:
        """Server start-up: keep the connection, load now, listen for NOTIFY, poll when idle."""
        self.database.keep_connection = True
        await self._catch_up_task()
        self.start_listening()
        self._poller = asyncio.get_running_loop().create_task(self._poll_forever())

    async def stop(self) -> None:
        """Server shut-down: stop polling and listening, close the connection."""
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None
        await asyncio.to_thread(self.stop_listening)
        await asyncio.to_thread(self.database.close)
        self.database.keep_connection = False

    async def _poll_forever(self) -> None:
        """Keep the snapshot current (and its age honest) while no request comes."""
        while True:
            await asyncio.sleep(max(self._next_poll_at - time.monotonic(), 0.05))
            if time.monotonic() >= self._next_poll_at:
                await self._catch_up_task()

    # -- catching up (worker threads) ----------------------------------------------------

    def catch_up(self) -> None:
        """Bring the maps up to the current audit sequence (load them the first time)."""
        self.database.run_sync(self._catch_up_locked_with_lock)

    def reload(self) -> None:
        """Load everything again from the tables (start-up, or the audit log went back)."""
        with self._lock:
            self.database.run_sync(self._load)

    def _catch_up_locked_with_lock(self) -> None:
        with self._lock:
            self._catch_up_locked()

    def _catch_up_locked(self) -> None:
        from devcenter.audit.selectors import audit_current_sequence

        if not self.loaded:
            self._load()
            return
        self._stale = False  # before reading: a hook firing meanwhile marks it again
        checked_at = time.monotonic()
        current = audit_current_sequence()
        if current < self.sequence:
            self._load()
            return
        while self.sequence < current:
            if not self._apply_events_after_sequence():
                self._load()
                return
        self.checked_at = checked_at

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
        registration_ids = {t for _, _, _, kind, t in fresh if kind == _REGISTRATION_TARGET}
        client_ids = {target for _, _, _, kind, target in fresh if kind == _CLIENT_TARGET}
        self._refresh(partner_ids, account_ids)
        self._refresh_registrations(partner_ids, registration_ids, client_ids)
        self.sequence, self._hash = fresh[-1][0], fresh[-1][1]
        return True

    def _refresh(self, partner_ids: set[str], account_ids: set[str]) -> None:
        """Read the rows of the changed partners and accounts again, changing the maps in place.

        A reader sees each partner or account either as it was or as it is now, never a map
        without it: the maps are only ever added to, updated or popped one key at a time.
        """
        partner_ids.discard("")
        for chunk in _chunks(sorted(partner_ids)):
            found = set()
            for public_id, partner_type, status in _partner_rows(public_id__in=chunk):
                self.partners[public_id] = self._state(partner_type, status)
                found.add(public_id)
            for gone in set(chunk) - found:
                self.partners.pop(gone, None)
            _put_accounts(self.accounts, _account_rows(partner__public_id__in=chunk))
        for chunk in _chunks(sorted(account_ids - {""})):
            _put_accounts(self.accounts, _account_rows(public_id__in=chunk))

    def _refresh_registrations(
        self, partner_ids: set[str], registration_ids: set[str], client_ids: set[str]
    ) -> None:
        """Read the registrations of the changed partners, and the changed registrations and
        client ids, again (after `_refresh`: their partners' states are current)."""
        for chunk in _chunks(sorted(partner_ids - {""})):
            self._put_registrations(_registration_rows(partner__public_id__in=chunk))
        for chunk in _chunks(sorted(registration_ids - {""})):
            found = self._put_registrations(_registration_rows(public_id__in=chunk))
            for gone in set(chunk) - found:
                self._drop_registration(gone)
        for chunk in _chunks(sorted(client_ids - {""})):
            rows = list(_registration_rows(credential__client_id__in=chunk))
            self._put_registrations(rows)
            for gone in set(chunk) - {row[1] for row in rows}:
                self.clients.pop(gone, None)

    def _put_registrations(self, rows: Iterable[RegistrationRow]) -> set[str]:
        """Put each registration row in the maps; return the registration ids put."""
        rows = list(rows)
        states = self._registration_states_of(rows, self.partners)
        for (public_id, client_id, *_), state in zip(rows, states, strict=True):
            old_client = self.registrations.link_of(public_id)
            if old_client is not None and (
                client_id is None or old_client != fingerprint(client_id)
            ):
                self.clients.pop_fingerprint(old_client)
            self.registrations.put(public_id, state, client_id)
            if client_id is not None:
                self.clients[client_id] = state
        return {row[0] for row in rows}

    def _drop_registration(self, public_id: str) -> None:
        """Remove a registration that is no longer live, and its client id."""
        old_client = self.registrations.link_of(public_id)
        if old_client is not None:
            self.clients.pop_fingerprint(old_client)
        self.registrations.pop(public_id, None)

    def _registration_states_of(
        self, rows: list[RegistrationRow], partners: PartnerTable
    ) -> list[int]:
        """Return the registration state of each row (its partner's state from `partners`)."""
        partner_states = partners.get_many([row[2] for row in rows])
        states = self.states
        return [
            self._registration_state((*states[partner_state], service, status))
            for (_, _, _, service, status), partner_state in zip(rows, partner_states, strict=True)
        ]

    def _registration_state(self, key: RegistrationEntry) -> int:
        """Return the index of `key` in `registration_states`, appending it when new."""
        state = self._registration_state_of.get(key)
        if state is None:
            partner_type, partner_status, service, status = key
            entry = (_intern(partner_type), sys.intern(partner_status), sys.intern(service))
            self.registration_states.append((*entry, sys.intern(status)))
            state = self._registration_state_of[key] = len(self.registration_states) - 1
        return state

    def _load_registrations(self, partners: PartnerTable) -> tuple[PartnerTable, PartnerTable]:
        """Build the registration and client id maps from the tables, against `partners`."""

        def triples() -> Iterable[tuple[str, int, str | None]]:
            rows = iter(_registration_rows().iterator(chunk_size=LOAD_CHUNK))
            while chunk := list(islice(rows, LOAD_CHUNK)):
                states = self._registration_states_of(chunk, partners)
                for (public_id, client_id, *_), state in zip(chunk, states, strict=True):
                    yield public_id, state, client_id

        registrations = PartnerTable(triples(), linked=True)
        return registrations, registrations.linked_table()

    def _load(self) -> None:
        """Build new maps from the tables, then swap them in: a reader never sees a map filling.

        The sequence is read first: rows read after it reflect at least that sequence (events
        after it are applied again by the next catch-up, which is harmless).
        """
        from devcenter.audit.selectors import audit_current_sequence, audit_events_after

        checked_at = time.monotonic()
        sequence = audit_current_sequence()
        last = audit_events_after(sequence=sequence - 1, limit=1).values_list("sequence", "hash")
        rows = _partner_rows().iterator(chunk_size=LOAD_CHUNK)
        partners = PartnerTable(
            (public_id, self._state(partner_type, status))
            for public_id, partner_type, status in rows
        )
        accounts: dict[str, AccountEntry] = {}
        live_accounts = _account_rows().exclude(status=DELETED)
        _put_accounts(accounts, live_accounts.iterator(chunk_size=LOAD_CHUNK))
        registrations, clients = self._load_registrations(partners)
        # One assignment each, maps first: a reader holding the old maps answers at the old
        # sequence (`Live.current` compares the maps and the sequence).
        self.partners, self.accounts = partners, accounts
        self.registrations, self.clients = registrations, clients
        self.sequence, self._hash = next(iter(last), (0, ""))
        self.loaded = True
        self._stale = False
        self.checked_at = checked_at

    def _state(self, partner_type: str | None, status: str) -> int:
        """Return the index of `(partner_type, status)` in `states`, appending it when new."""
        key = (partner_type, status)
        state = self._state_of.get(key)
        if state is None:
            self.states.append((_intern(partner_type), sys.intern(status)))
            state = self._state_of[key] = len(self.states) - 1
        return state

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
        """A NOTIFY arrived (listener thread): catch up in the plane's thread, like the rest."""
        self._stale = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._catch_up_task)
        else:
            self.catch_up()  # no event loop has run a catch-up yet (tests, tools)


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
        logged_at = float("-inf")
        while not self._stopping.is_set():
            try:
                self._listen()
            except Exception:
                if time.monotonic() - logged_at >= LISTEN_LOG_SECONDS:  # not every retry
                    logged_at = time.monotonic()
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


def _registration_rows(**lookup: object) -> QuerySet[Any, RegistrationRow]:
    from devcenter.registrations.selectors import registration_snapshot_rows

    return registration_snapshot_rows(**lookup)


def _put_accounts(
    accounts: dict[str, AccountEntry], rows: Iterable[tuple[str, str, str, str]]
) -> None:
    """Put each live account in `accounts` (a deleted one is removed)."""
    for public_id, kind, partner_id, status in rows:
        if status == DELETED:
            accounts.pop(public_id, None)
        else:
            accounts[public_id] = (sys.intern(kind), partner_id, sys.intern(status))


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
