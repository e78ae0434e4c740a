"""The chain link after commit: pending while the writer's transaction runs, linked after it.

On PostgreSQL, `audit_record` inserts a pending event; once the transaction commits,
`audit_link_pending` appends it to the chain under the chain's lock. These tests use real
transactions (`transactional_db`): a test case's own transaction never commits.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget, PendingAuditEvent
from devcenter.audit.selectors import audit_verify_chain
from devcenter.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def _record(target_id: str = "ptn_a") -> None:
    audit_record(
        event_type=AuditEventType.PARTNER_UPDATED,
        actor="system",
        target_type=AuditTarget.PARTNER,
        target_id=target_id,
        partner=target_id,
        new={"n": 1},
    )


@pytest.mark.postgres
def test_an_event_is_pending_in_its_transaction_and_linked_after_commit() -> None:
    with transaction.atomic():
        _record()
        _record("ptn_b")
        assert AuditEvent.objects.count() == 0
        assert PendingAuditEvent.objects.count() == 2
    assert PendingAuditEvent.objects.count() == 0
    linked = list(AuditEvent.objects.values_list("sequence", "target_id"))
    assert linked == [(1, "ptn_a"), (2, "ptn_b")]
    assert audit_verify_chain().verified == 2


@transaction.atomic
def _record_then_refuse(target_id: str) -> None:
    _record(target_id)
    raise RuntimeError("changed my mind")


def test_a_rolled_back_transaction_leaves_no_audit_row() -> None:
    with pytest.raises(RuntimeError, match="changed my mind"):
        _record_then_refuse("ptn_a")
    assert AuditEvent.objects.count() == 0
    assert PendingAuditEvent.objects.count() == 0


def test_a_rolled_back_savepoint_leaves_only_the_events_outside_it() -> None:
    with transaction.atomic():
        _record("ptn_kept")
        with pytest.raises(RuntimeError, match="changed my mind"):
            _record_then_refuse("ptn_dropped")
    assert list(AuditEvent.objects.values_list("target_id", flat=True)) == ["ptn_kept"]
    assert audit_verify_chain().ok


@pytest.mark.postgres
def test_events_left_pending_by_a_dead_writer_are_linked_by_the_next_link() -> None:
    # Given a committed pending event whose writer died before linking it
    with transaction.atomic():
        _record("ptn_first")
    PendingAuditEvent.objects.create(
        occurred_at=datetime(2026, 11, 30, tzinfo=UTC),
        actor="system",
        event_type=AuditEventType.PARTNER_UPDATED,
        target_type=AuditTarget.PARTNER,
        target_id="ptn_orphan",
        partner="ptn_orphan",
    )
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "verified 1 events; 1 committed events not linked yet"

    # When the operator (or the next writer) links
    out = StringIO()
    call_command("audit", "link", stdout=out)

    # Then it is in the chain, after the events linked before it
    assert out.getvalue().strip() == "linked 1 pending events"
    assert list(AuditEvent.objects.values_list("sequence", "target_id")) == [
        (1, "ptn_first"),
        (2, "ptn_orphan"),
    ]
    assert audit_verify_chain().verified == 2
    with transaction.atomic():
        _record("ptn_next")
    assert AuditEvent.objects.get(target_id="ptn_next").sequence == 3


@pytest.mark.postgres
def test_json_values_read_back_from_the_pending_table_keep_their_hash() -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.PARTNER_UPDATED,
            actor="user:1",
            target_type=AuditTarget.PARTNER,
            target_id="ptn_json",
            partner="ptn_json",
            old={"name": "株式会社 テスト", "n": 1.5, "none": None, "list": [1, "two"]},
            new=None,
        )
    event = AuditEvent.objects.get()
    assert event.old == {"name": "株式会社 テスト", "n": 1.5, "none": None, "list": [1, "two"]}
    assert event.new is None
    assert audit_verify_chain().verified == 1


def _pending_pages() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('audit_pendingauditevent')"
            " / current_setting('block_size')::int"
        )
        (pages,) = cursor.fetchone()
    return int(pages)


@pytest.mark.postgres
def test_the_linker_vacuums_the_pending_table_so_its_dead_rows_do_not_pile_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from devcenter.audit import services

    monkeypatch.setattr(services, "VACUUM_EVERY", 40)
    monkeypatch.setattr(services, "_linked_since_vacuum", 0)
    for round_ in range(12):  # 12 × 10 events: three vacuums
        with transaction.atomic():
            for i in range(10):  # about 1.4 kB each (hex does not compress): 5 to a page
                audit_record(
                    event_type=AuditEventType.PARTNER_UPDATED,
                    actor="system",
                    target_type=AuditTarget.PARTNER,
                    target_id=f"ptn_{round_}_{i}",
                    partner=f"ptn_{round_}_{i}",
                    new={"pad": secrets.token_hex(700)},
                )
    assert PendingAuditEvent.objects.count() == 0
    assert audit_verify_chain().verified == 120
    assert services._linked_since_vacuum == 0  # noqa: SLF001
    # Vacuumed, the table's space is reused: it holds about one vacuum interval's rows (8
    # pages), not all 120 dead ones (24 pages; every link's DELETE scans them all).
    assert _pending_pages() <= 12
