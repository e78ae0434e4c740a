"""audit_batch: the events recorded in the block are written together, in order, when it ends.

They still commit or roll back with the change. These tests use real transactions
(`transactional_db`), on SQLite (linked at once, in the transaction) and on PostgreSQL (pending,
linked after the commit).
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget, PendingAuditEvent
from devcenter.audit.selectors import audit_verify_chain
from devcenter.audit.services import audit_batch, audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def _record(target_id: str) -> None:
    audit_record(
        event_type=AuditEventType.PARTNER_UPDATED,
        actor="system",
        target_type=AuditTarget.PARTNER,
        target_id=target_id,
        partner=target_id,
        new={"name": f"株式会社 {target_id}", "n": 1.5},
    )


def _audit_statements(captured: CaptureQueriesContext) -> list[str]:
    """Return the audit INSERTs captured (in the transaction: the capture ends before COMMIT)."""
    return [q["sql"] for q in captured.captured_queries if "INSERT INTO" in q["sql"]]


def test_the_events_of_a_batch_are_written_in_one_statement_in_order() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, audit_batch():
        _record("ptn_a")
        _record("ptn_b")
        assert _audit_statements(captured) == []  # kept until the block ends
        _record("ptn_c")
    assert len(_audit_statements(captured)) == 1
    assert list(AuditEvent.objects.values_list("sequence", "target_id")) == [
        (1, "ptn_a"),
        (2, "ptn_b"),
        (3, "ptn_c"),
    ]
    assert AuditEvent.objects.get(sequence=2).new == {"name": "株式会社 ptn_b", "n": 1.5}
    assert audit_verify_chain().verified == 3


@transaction.atomic
def _batch_then_refuse(*target_ids: str) -> None:
    with audit_batch():
        for target_id in target_ids:
            _record(target_id)
        raise RuntimeError("changed my mind")


def test_an_exception_leaving_the_batch_writes_none_of_its_events() -> None:
    with pytest.raises(RuntimeError, match="changed my mind"):
        _batch_then_refuse("ptn_a", "ptn_b")
    assert AuditEvent.objects.count() == 0
    assert PendingAuditEvent.objects.count() == 0


def test_a_batch_rolled_back_with_its_savepoint_leaves_the_events_outside_it() -> None:
    with transaction.atomic():
        _record("ptn_kept")
        with pytest.raises(RuntimeError, match="changed my mind"):
            _batch_then_refuse("ptn_dropped")
    assert list(AuditEvent.objects.values_list("target_id", flat=True)) == ["ptn_kept"]
    assert audit_verify_chain().verified == 1


def test_a_batch_inside_a_batch_is_written_with_the_outer_one() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, audit_batch():
        _record("ptn_a")
        with audit_batch():
            _record("ptn_b")
        assert _audit_statements(captured) == []
    assert len(_audit_statements(captured)) == 1
    assert list(AuditEvent.objects.values_list("target_id", flat=True)) == ["ptn_a", "ptn_b"]


def test_a_record_in_a_savepoint_opened_inside_the_batch_is_refused() -> None:
    # Its rollback could not take back the events the batch keeps, so it may not happen.
    with transaction.atomic(), audit_batch():
        _record("ptn_a")
        with pytest.raises(RuntimeError, match="savepoint"), transaction.atomic():
            _record("ptn_b")
    assert list(AuditEvent.objects.values_list("target_id", flat=True)) == ["ptn_a"]


def test_a_block_without_a_savepoint_inside_the_batch_joins_it() -> None:
    with transaction.atomic(), audit_batch():
        _record("ptn_a")
        with transaction.atomic(savepoint=False):
            _record("ptn_b")
    assert list(AuditEvent.objects.values_list("target_id", flat=True)) == ["ptn_a", "ptn_b"]


def test_a_batch_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"), audit_batch():
        pass
