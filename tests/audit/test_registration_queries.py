"""The queries of one registration on PostgreSQL, pinned: the audit chain costs little.

A corporate general registration writes the partner, its owner's membership and its general
partner account, with three audit events. On PostgreSQL that is one statement, its own
transaction (data-modifying CTEs, `partners.registration_sql`): no existence check (the unique
constraint decides), no lock, no read of the chain. After it, linking the events is two round
trips.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_verify_chain
from tests.partners.factories import corporate_general_partner, platform_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IN_TRANSACTION = 1  # one statement: partner, membership, account and the three events
LINK = 2  # BEGIN + lock + take; append + NOTIFY + COMMIT


def test_a_registration_is_one_statement_and_2_to_link_its_events() -> None:
    user = platform_user()
    with CaptureQueriesContext(connection) as captured:
        corporate_general_partner(user=user)
    sql = [query["sql"] for query in captured.captured_queries]
    link_start = next(
        i for i, text in enumerate(sql) if text.startswith("BEGIN; SELECT set_config")
    )
    business, link = sql[:link_start], sql[link_start:]

    assert len(business) == IN_TRANSACTION, "\n".join(business)
    (statement,) = business
    assert statement.startswith("WITH partner AS (INSERT INTO partners_partner")
    assert "membership AS (INSERT INTO partners_membership" in statement
    assert "account AS (INSERT INTO platform_accounts_platformaccount" in statement
    assert "audit_pending AS (INSERT INTO audit_pendingauditevent" in statement
    assert statement.count("::jsonb)") == 3  # one row per event
    assert len(link) == LINK, "\n".join(link)
    assert link[1].endswith("; COMMIT")
    assert AuditEvent.objects.count() == 3
    assert audit_verify_chain().verified == 3
