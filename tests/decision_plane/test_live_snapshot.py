"""The registry snapshot: loaded in one query per table, caught up from the audit log."""

import asyncio
import time

import pytest
from django.db import transaction

from devcenter.audit import hooks
from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget
from devcenter.audit.services import audit_record
from devcenter.decision_plane.snapshot import Snapshot
from devcenter.partners.models import Partner
from devcenter.partners.services import partner_restore, partner_suspend
from tests.decision_plane.live_registry import (
    corporate_general,
    corporate_pending,
    individual,
    sequence,
    user_account_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def elsewhere(application, monkeypatch):
    """Writes in this test behave as if made by another process: no in-process hook runs."""
    monkeypatch.setattr(hooks, "on_audit_appended", [])


def openid(partner_id: str) -> dict:
    return {"kind": "service", "partner": partner_id, "service": "openid"}


def test_load_reads_each_table_once_and_shares_values(django_assert_max_num_queries):
    first, second, pending = corporate_general(), corporate_general(), corporate_pending()
    person = individual()
    snapshot = Snapshot()
    # the sequence, the event at it, partners, accounts, registrations
    with django_assert_max_num_queries(5):
        snapshot.reload()
    assert snapshot.sequence == sequence()
    assert snapshot.partner(first.public_id) == ("corporate_general", "active")
    assert snapshot.partners[first.public_id] == snapshot.partners[second.public_id]  # one state
    assert snapshot.partner("ptn_unknown") == (None, "not_found")
    assert len(snapshot.states) == 4  # not found; general, active; pending; individual, active
    assert snapshot.partner(pending.public_id) == (None, "pending")
    account = user_account_of(person)
    assert snapshot.accounts[account.public_id] == ("user_account", person.public_id, "active")


def test_catch_up_reads_only_the_partners_that_changed(django_assert_max_num_queries):
    partners = [corporate_general() for _ in range(3)]
    snapshot = Snapshot()
    snapshot.reload()
    before = snapshot.sequence
    partner_suspend(partner_id=partners[0].public_id, actor="system", reason="test")
    # current sequence, events, the partner rows, their accounts, their registrations
    with django_assert_max_num_queries(5):
        snapshot.catch_up()
    assert snapshot.sequence == before + 1
    assert snapshot.partner(partners[0].public_id) == ("corporate_general", "suspended")
    assert snapshot.partner(partners[1].public_id) == ("corporate_general", "active")
    with django_assert_max_num_queries(1):
        snapshot.catch_up()  # nothing new: only the cheap sequence query


def test_catch_up_across_many_batches():
    partner = corporate_general()
    snapshot = Snapshot()
    snapshot.reload()
    for _ in range(3):
        partner_suspend(partner_id=partner.public_id, actor="system", reason="x")
        partner_restore(partner_id=partner.public_id, actor="system")
    snapshot.catch_up()
    assert snapshot.sequence == sequence()
    assert snapshot.partner(partner.public_id) == ("corporate_general", "active")


def test_a_log_that_went_back_is_loaded_again():
    """If the event at the snapshot's sequence is not the one it saw, it reloads everything."""
    snapshot = Snapshot()
    snapshot.reload()
    snapshot.sequence, snapshot._hash = 1, "f" * 64  # as if the database had been restored
    corporate_general()
    snapshot.catch_up()
    assert snapshot.sequence == sequence()
    public_ids = list(Partner.objects.values_list("public_id", flat=True))
    assert len(snapshot.partners) == len(public_ids)
    assert all(public_id in snapshot.partners for public_id in public_ids)


def test_change_by_another_process_is_seen_by_polling(client, application, elsewhere):
    application.snapshot.reload()
    partner = corporate_general()  # elsewhere: the hook does not run
    deadline = time.monotonic() + 3
    decision = client.decide(openid(partner.public_id)).body["decisions"][0]
    while decision["code"] == "not_found" and time.monotonic() < deadline:
        time.sleep(0.05)
        decision = client.decide(openid(partner.public_id)).body["decisions"][0]
    assert decision["allowed"] is True
    assert decision["snapshot"] == sequence()


def test_change_by_another_process_with_min_snapshot_is_answered_at_once(
    client, application, elsewhere
):
    application.snapshot.reload()
    application.snapshot.poll_seconds = 3600.0  # no poll: only min_snapshot can catch up
    try:
        partner = corporate_general()
        body = {"requests": [openid(partner.public_id)], "min_snapshot": sequence()}
        reply = client.request("POST", "/api/v1/decisions", json_body=body)
    finally:
        application.snapshot.poll_seconds = 0.2
    assert reply.body["decisions"][0]["allowed"] is True


def test_in_process_write_is_answered_at_once(client, application):
    """The on_audit_appended hook marks the snapshot stale: the next answer catches up first."""
    application.snapshot.reload()
    application.snapshot.poll_seconds = 3600.0
    try:
        partner = corporate_general()
        decision = client.decide(openid(partner.public_id)).body["decisions"][0]
    finally:
        application.snapshot.poll_seconds = 0.2
    assert (decision["allowed"], decision["snapshot"]) == (True, sequence())


def test_a_raw_audit_event_for_an_unknown_target_is_harmless():
    snapshot = Snapshot()
    snapshot.reload()
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.APIKEY_CREATED,
            actor="system",
            target_type=AuditTarget.APIKEY,
            target_id="svc",
            partner=None,
        )
    snapshot.catch_up()
    assert snapshot.sequence == AuditEvent.objects.count()


@pytest.mark.postgres
def test_listen_notify_wakes_the_snapshot_without_requests(elsewhere):
    snapshot = Snapshot(poll_seconds=3600.0)
    snapshot.reload()
    assert snapshot.start_listening()
    try:
        deadline = time.monotonic() + 5
        while not snapshot.listening and time.monotonic() < deadline:
            time.sleep(0.02)
        assert snapshot.listening
        partner = corporate_general()
        written_at = time.monotonic()
        while partner.public_id not in snapshot.partners and time.monotonic() < written_at + 3:
            time.sleep(0.01)
        woke_after = time.monotonic() - written_at
    finally:
        snapshot.stop_listening()
    assert snapshot.partner(partner.public_id) == ("corporate_general", "active")
    assert woke_after < 1.0
    assert not snapshot.listening


@pytest.mark.postgres
def test_lifespan_start_listens_and_stop_closes(application):
    async def cycle():
        await application.snapshot.start()
        listening = application.snapshot._listener is not None
        await application.snapshot.stop()
        return listening

    assert asyncio.run(cycle())
    assert application.snapshot._listener is None
