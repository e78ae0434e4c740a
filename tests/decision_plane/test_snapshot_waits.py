"""Waiting for `min_snapshot`: one catch-up at a time per process, bounded by the documented 2 s."""

import asyncio
import time

import pytest
from django.db.backends.signals import connection_created

from devcenter.decision_plane.snapshot import Snapshot
from tests.decision_plane.live_registry import corporate_general, individual, sequence

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server_snapshot():
    """A loaded snapshot that keeps its connection, as in a server; closed afterwards."""
    snapshot = Snapshot(wait_seconds=1.0)
    snapshot.database.keep_connection = True
    snapshot.reload()
    yield snapshot
    snapshot.database.close()


@pytest.fixture
def opened_connections():
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(count)
    yield opened
    connection_created.disconnect(count)


def test_waiters_share_one_session_and_are_answered_in_time(server_snapshot, opened_connections):
    """50 waiters for a sequence that never comes: each False within the wait, one session."""
    target = sequence() + 1_000

    async def wait_all():
        started = time.monotonic()
        reached = await asyncio.gather(*(server_snapshot.reach(target) for _ in range(50)))
        return reached, time.monotonic() - started

    reached, took = asyncio.run(wait_all())
    assert reached == [False] * 50
    assert 0.9 < took < 1.5
    assert len(opened_connections) <= 1  # the plane's thread's one connection, kept


def test_one_waiter_opens_at_most_one_session(server_snapshot, opened_connections):
    """Before: each try of a waiter ran in a new thread with a new connection (42 in 2 s)."""
    assert asyncio.run(server_snapshot.reach(sequence() + 1_000)) is False
    assert len(opened_connections) <= 1


def test_waiter_sees_a_write_made_meanwhile(server_snapshot):
    async def write_then_wait():
        waiting = asyncio.ensure_future(server_snapshot.reach(target))
        await asyncio.sleep(0.1)
        await asyncio.to_thread(_register_individual)  # the write the waiter asked for
        return await waiting

    partner = corporate_general()
    target = sequence() + 2  # the individual's registration: partner, account events
    assert asyncio.run(write_then_wait()) is True
    assert server_snapshot.sequence >= target
    assert server_snapshot.partner(partner.public_id) == ("corporate_general", "active")


def _register_individual():
    """Register an individual in this (worker) thread and close the thread's connection."""
    from django.db import connection

    try:
        individual()
    finally:
        connection.close()


def test_reload_swaps_new_maps_in(monkeypatch):
    """A reader during a reload sees the old maps, full, never an emptied one."""
    from devcenter.accounts import selectors

    for _ in range(3):
        individual()
    snapshot = Snapshot()
    snapshot.reload()
    before = dict(snapshot.accounts)
    seen_while_loading = []
    rows = selectors.account_snapshot_rows

    def watched_rows(**lookup):
        seen_while_loading.append((len(snapshot.accounts), len(snapshot.partners)))
        return rows(**lookup)

    monkeypatch.setattr(selectors, "account_snapshot_rows", watched_rows)
    snapshot.reload()
    assert seen_while_loading == [(len(before), 3)]
    assert snapshot.accounts == before
