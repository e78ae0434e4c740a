"""On PostgreSQL the audit table refuses UPDATE and DELETE (a trigger); inserts still work.

Pending events (inserted by writers, moved into the chain after their commit) are never
updated either.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction

from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget, PendingAuditEvent
from devcenter.audit.services import audit_record
from tests.partners.factories import individual_partner

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    return str(refused.value)


def test_update_is_refused() -> None:
    individual_partner()
    message = _refused("UPDATE audit_auditevent SET actor = 'user:0' WHERE sequence = 1")
    assert "append-only" in message
    assert AuditEvent.objects.get(sequence=1).actor != "user:0"


def test_update_through_the_orm_is_refused() -> None:
    individual_partner()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).update(target_id="forged")


def test_delete_is_refused() -> None:
    individual_partner()
    count = AuditEvent.objects.count()
    assert "append-only" in _refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == count


def test_appending_still_works() -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.PARTNER_UPDATED,
            actor="system",
            target_type=AuditTarget.PARTNER,
            target_id="ptn_x",
            partner="ptn_x",
        )
    assert AuditEvent.objects.get(target_id="ptn_x").sequence == 1


def test_a_pending_event_is_never_updated() -> None:
    pending = PendingAuditEvent.objects.create(
        occurred_at=datetime(2026, 11, 30, tzinfo=UTC),
        actor="system",
        event_type=AuditEventType.PARTNER_UPDATED,
        target_type=AuditTarget.PARTNER,
        target_id="ptn_x",
        partner="ptn_x",
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PendingAuditEvent.objects.filter(pk=pending.pk).update(actor="user:0")
    assert PendingAuditEvent.objects.get(pk=pending.pk).actor == "system"
