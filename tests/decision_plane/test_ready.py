"""GET /api/v1/ready: 200 only when the database answers and the snapshot is loaded.

With the database away (a server pointed at an unreachable database) see
tests/server/test_database_down.py; here the in-process application with a working database.
"""

import pytest

from tests.decision_plane.live_registry import corporate_general, sequence

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {"kind": "service", "partner_type": "individual", "service": "app_pc"}


def test_ready_with_database_and_snapshot(anonymous, application):
    corporate_general()
    reply = anonymous.request("GET", "/api/v1/ready")
    assert reply.status == 200, reply.body
    assert reply.body["status"] == "ready"
    assert reply.body["database"] == {"ok": True}
    assert reply.body["snapshot"]["loaded"] is True
    assert reply.body["snapshot"]["sequence"] == sequence()
    assert 0 <= reply.body["snapshot"]["age_seconds"] < 1


def test_health_stays_liveness_only(anonymous):
    reply = anonymous.request("GET", "/api/v1/health")
    assert (reply.status, reply.body) == (200, {"status": "ok"})


def test_decisions_carry_the_snapshot_age_header(client):
    reply = client.decide(GOOD)
    assert reply.status == 200
    # Whole seconds since the snapshot was last known current (polled at most 0.2 s apart here)
    assert 0 <= int(reply.headers["devcenter-snapshot-age"]) <= 2
