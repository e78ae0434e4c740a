"""With the database unreachable: liveness stays ok, readiness says what is missing, decisions
are answered from the snapshot in memory (or 503 JSON), Django's routes answer 503 JSON, the
log says so once, and everything recovers by itself.

A second server is pointed at an unreachable database (a closed loopback port), or reaches the
test's PostgreSQL database through a TCP proxy that the test cuts and restores: the shared
PostgreSQL itself is never stopped.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from tests.decision_plane.live_registry import corporate_general, sequence
from tests.running_server import free_port, server_env
from tests.server.servers import TcpProxy, decide, logged_server

SERVICE = {"kind": "service", "partner_type": "individual", "service": "app_pc"}


def _tracebacks(log: Path) -> int:
    return log.read_text(errors="replace").count("Traceback")


def test_server_whose_database_never_answered(tmp_path):
    nowhere = f"postgres://postgres@127.0.0.1:{free_port()}/devcenter"
    log = tmp_path / "server.log"
    with logged_server(server_env(tmp_path, nowhere), log) as (base, _process):
        assert httpx.get(f"{base}/api/v1/health").json() == {"status": "ok"}

        ready = httpx.get(f"{base}/api/v1/ready")
        assert ready.status_code == 503
        body = ready.json()
        assert (body["code"], body["not_ready"]) == ("not_ready", ["database", "snapshot"])
        assert body["database"]["ok"] is False
        assert body["snapshot"] == {"loaded": False, "sequence": 0, "age_seconds": None}

        for _ in range(10):  # a key cannot be checked: 503 JSON, never a plain-text 500
            reply = decide(base, "dc_any_key_at_all", SERVICE)
            assert reply.status_code == 503
            assert reply.json()["code"] == "registry_unavailable"
            assert reply.headers["retry-after"] == "1"
        for _ in range(10):  # Django's registry routes
            reply = httpx.get(f"{base}/api/v1/partners", headers={"authorization": "Bearer x"})
            assert reply.status_code == 503
            assert reply.json()["code"] == "database_unavailable"
            assert reply.headers["retry-after"] == "1"

    text = log.read_text(errors="replace")
    assert _tracebacks(log) == 0  # not one per request, not even the first
    assert text.count("database unreachable") <= 3  # plane and Django, once per interval


@pytest.mark.postgres
@pytest.mark.slow
def test_database_lost_and_back(tmp_path, transactional_db):
    from devcenter.apikeys.services import apikey_create

    partner = corporate_general()
    _, key = apikey_create(name="plane-db-down", scope="decisions")
    database = settings.DATABASES["default"]
    proxy = TcpProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.restore()
    url = f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}"
    by_id = {"kind": "service", "partner": partner.public_id, "service": "page"}
    log = tmp_path / "server.log"
    try:
        with logged_server(server_env(tmp_path, url), log) as (base, _process):
            assert httpx.get(f"{base}/api/v1/ready").status_code == 200
            loaded_at = sequence()
            assert decide(base, key, by_id).json()["decisions"][0]["snapshot"] == loaded_at

            # When the database goes away
            proxy.cut()
            time.sleep(2.2)
            ready = httpx.get(f"{base}/api/v1/ready")
            reply = decide(base, key, by_id)
            bad_key = decide(base, key + "x", by_id)
            registry = httpx.get(f"{base}/api/v1/partners", headers={"authorization": "Bearer x"})
            for _ in range(20):
                decide(base, key, by_id)

            # Then decisions come from the snapshot, with its age; readiness says what is down
            assert ready.status_code == 503
            assert ready.json()["not_ready"] == ["database"]
            assert ready.json()["snapshot"]["loaded"] is True
            assert ready.json()["snapshot"]["age_seconds"] >= 2
            assert reply.status_code == 200
            (decision,) = reply.json()["decisions"]
            assert (decision["allowed"], decision["snapshot"]) == (True, loaded_at)
            assert int(reply.headers["devcenter-snapshot-age"]) >= 2
            assert (bad_key.status_code, bad_key.json()["code"]) == (401, "unauthorized")
            assert (registry.status_code, registry.json()["code"]) == (503, "database_unavailable")
            assert _tracebacks(log) == 0

            # And once it is back, everything recovers without a restart
            proxy.restore()
            deadline = time.monotonic() + 10
            while httpx.get(f"{base}/api/v1/ready").status_code != 200:
                assert time.monotonic() < deadline, "not ready 10 s after the database came back"
                time.sleep(0.2)
            reply = decide(base, key, by_id)
            assert int(reply.headers["devcenter-snapshot-age"]) <= 1  # polled every 0.2 s
            # Django's routes look again at most every few seconds (each worker on its own).
            while True:
                partners = httpx.get(
                    f"{base}/api/v1/partners", headers={"authorization": "Bearer x"}
                )
                if partners.status_code != 503 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert partners.status_code == 401  # Django answers again (an unknown key)
    finally:
        proxy.cut()
    assert "database answers again" in log.read_text(errors="replace")
