"""The queries of one registration on PostgreSQL, pinned: the audit chain costs little.

A corporate general registration writes the partner, its owner's membership and its general
partner account, with three audit events. Inside its transaction that is BEGIN, one INSERT per
row, one INSERT of the three events (no lock, no read of the chain: `audit_batch`) and COMMIT:
no existence check (the unique constraint decides) and no savepoint. After the commit, linking
the events is two round trips.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_verify_chain
from tests.partners.factories import corporate_general_partner, platform_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IN_TRANSACTION = 6  # BEGIN, partner, membership, account, the three events, COMMIT
LINK = 2  # BEGIN + lock + take; append + NOTIFY + COMMIT


def test_a_registration_takes_6_queries_and_2_to_link_its_events() -> None:
    user = platform_user()
    with CaptureQueriesContext(connection) as captured:
        corporate_general_partner(user=user)
    sql = [query["sql"] for query in captured.captured_queries]
    commit = sql.index("COMMIT")
    business, link = sql[: commit + 1], sql[commit + 1 :]

    assert len(business) == IN_TRANSACTION, "\n".join(business)
    assert business[0] == "BEGIN"
    assert [text.split(" (")[0] for text in business[1:4]] == [
        'INSERT INTO "partners_partner"',
        'INSERT INTO "partners_membership"',
        'INSERT INTO "platform_accounts_platformaccount"',
    ]
    audit_writes = [text for text in business if "audit_" in text]
    assert len(audit_writes) == 1
    assert audit_writes[0].startswith("INSERT INTO audit_pendingauditevent")
    assert audit_writes[0].count("::jsonb)") == 3  # one row per event
    assert len(link) == LINK, "\n".join(link)
    assert link[0].startswith("BEGIN; SELECT set_config")
    assert link[1].endswith("; COMMIT")
    assert AuditEvent.objects.count() == 3
    assert audit_verify_chain().verified == 3
