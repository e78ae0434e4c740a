"""audit_record refuses to run outside the transaction of the change it records."""

from __future__ import annotations

import pytest

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(
            event_type=AuditEventType.PARTNER_UPDATED,
            actor="system",
            target_type=AuditTarget.PARTNER,
            target_id="ptn_x",
            partner="ptn_x",
        )
