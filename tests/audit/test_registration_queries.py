"""The queries of one registration on PostgreSQL, pinned: the audit chain costs little.

A corporate general registration writes the partner, its owner's membership and its general
partner account, with three audit events. Inside its transaction each event is one INSERT
(no lock, no read of the chain); after the commit, linking them is two round trips.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_verify_chain
from tests.partners.factories import corporate_general_partner, platform_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IN_TRANSACTION_AT_MOST = 13  # BEGIN … COMMIT, the audit events' three INSERTs included
LINK = 2  # BEGIN + lock + take; append + NOTIFY + COMMIT


def test_a_registration_takes_at_most_13_queries_and_2_to_link_its_events() -> None:
    user = platform_user()
    with CaptureQueriesContext(connection) as captured:
        corporate_general_partner(user=user)
    sql = [query["sql"] for query in captured.captured_queries]
    commit = sql.index("COMMIT")
    business, link = sql[: commit + 1], sql[commit + 1 :]

    assert len(business) <= IN_TRANSACTION_AT_MOST, "\n".join(business)
    audit_writes = [text for text in business if "audit_" in text]
    assert len(audit_writes) == 3
    assert all(text.startswith("INSERT INTO audit_pendingauditevent") for text in audit_writes)
    assert len(link) == LINK, "\n".join(link)
    assert link[0].startswith("BEGIN; SELECT set_config")
    assert link[1].endswith("; COMMIT")
    assert AuditEvent.objects.count() == 3
    assert audit_verify_chain().verified == 3
