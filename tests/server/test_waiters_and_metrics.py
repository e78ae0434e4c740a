"""A real server under many `min_snapshot` waiters, and its metrics across worker processes."""

from __future__ import annotations

import asyncio
import subprocess
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.running_server import devcenter_command, migrate_embedded, server_env
from tests.server.servers import RawConnection, decide, logged_server

pytestmark = pytest.mark.slow

SERVICE = {"kind": "service", "partner_type": "individual", "service": "app_pc"}
NEVER = 10**12  # a sequence the log may reach one day, but not during this test


def _prepared(tmp_path) -> tuple[dict[str, str], str]:
    """Return a server environment on a fresh embedded SQLite and a decisions key."""
    env = server_env(tmp_path)
    run = [*devcenter_command()]
    migrate_embedded(env)
    created = subprocess.run(  # noqa: S603
        [*run, "apikey", "create", "svc", "--scope", "decisions"],
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    return env, created.stdout.strip().splitlines()[-1]


async def _waiters_and_ordinary(base: str, key: str, waiters: int):
    """Start `waiters` min_snapshot waits at once, and ordinary decisions meanwhile."""
    headers = {"Authorization": f"Bearer {key}"}
    connections = [await RawConnection.open(base) for _ in range(waiters + 1)]
    ordinary_connection = connections.pop()

    async def wait_one(connection):
        body = {"requests": [SERVICE], "min_snapshot": NEVER}
        answer = await connection.post("/api/v1/decisions", body, headers)
        return answer, time.monotonic()

    async def ordinary(stop_at):
        took = []
        while time.monotonic() < stop_at:
            before = time.monotonic()
            answer = await ordinary_connection.post(
                "/api/v1/decisions", {"requests": [SERVICE]}, headers
            )
            assert answer[0] == 200
            took.append(time.monotonic() - before)
            await asyncio.sleep(0.05)
        return took

    started = time.monotonic()
    tasks = [asyncio.ensure_future(wait_one(connection)) for connection in connections]
    ordinary_took = await ordinary(started + 2.0)
    answered = await asyncio.gather(*tasks)
    for connection in [*connections, ordinary_connection]:
        await connection.close()
    return started, answered, ordinary_took


def test_200_waiters_answered_in_time_while_ordinary_decisions_stay_fast(tmp_path):
    env, key = _prepared(tmp_path)
    with logged_server(env, tmp_path / "server.log") as (base, _process):
        started, answered, ordinary_took = asyncio.run(_waiters_and_ordinary(base, key, 200))
    assert len(answered) == 200
    for (status, headers, body), _ in answered:
        assert (status, body["code"], headers["retry-after"]) == (503, "snapshot_behind", "1")
    slowest = max(at for _, at in answered) - started
    assert slowest < 3.0, f"the slowest waiter was answered after {slowest:.2f} s"
    assert len(ordinary_took) >= 5
    assert sorted(ordinary_took)[len(ordinary_took) // 2] < 0.1, ordinary_took
    assert max(ordinary_took) < 0.5, ordinary_took


def test_metrics_add_up_the_workers(tmp_path):
    env, key = _prepared(tmp_path)
    calls = 40
    with logged_server(env, tmp_path / "server.log", workers=2) as (base, _process):
        for _ in range(calls):  # a new connection each: the kernel spreads them over both workers
            reply = decide(base, key, SERVICE, SERVICE)
            assert reply.status_code == 200
        time.sleep(1.5)  # each worker hands its counts over once a second
        text = httpx.get(f"{base}/metrics").text
    values = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert values[("devcenter_decision_calls_total", (("outcome", "answered"),))] == calls
    assert values[("devcenter_decisions_total", (("kind", "service"),))] == 2 * calls
    assert values[("devcenter_decision_seconds_count", ())] == calls
    assert values[("devcenter_ready", ())] == 1
