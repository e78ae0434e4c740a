"""Benchmark (b): `POST /api/v1/decisions` with 10,000 mixed requests per call, end to end."""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench.machine import core_count, group_cpu_seconds
from bench.report import Check, check_at_least, info, print_check, rate
from bench.server import RunningServer
from bench.workload import expected_decision, mixed_requests
from devcenter.decision_plane.answer import answer
from devcenter.decision_plane.schema import decode_body
from devcenter.policy import Policy

TARGET_RATE = 300_000.0
DECISIONS_PATH = "/api/v1/decisions"
CALL_TIMEOUT = 60.0


@dataclass(frozen=True)
class BatchSize:
    """How much work benchmark (b) does."""

    requests_per_call: int = 10_000
    connections_per_worker: int = 4
    seconds: float = 10.0
    max_calls: int = 20_000
    in_process_repeats: int = 5


@dataclass
class Connection:
    """One client connection's tally."""

    calls: int = 0
    failures: list[str] = field(default_factory=list)
    seconds_per_call: list[float] = field(default_factory=list)


def post(conn: http.client.HTTPConnection, body: bytes, api_key: str) -> tuple[int, bytes]:
    """POST one batch on a kept-alive connection; return the status and the body."""
    headers = {"content-type": "application/json", "authorization": f"Bearer {api_key}"}
    conn.request("POST", DECISIONS_PATH, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def verify_answers(policy: Policy, server: RunningServer, requests: list, body: bytes) -> int:
    """POST the batch once and fail unless every answer is the engine's; return the reply size."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=CALL_TIMEOUT)
    try:
        status, reply = post(conn, body, server.api_key)
    finally:
        conn.close()
    if status != 200:
        raise AssertionError(f"POST {DECISIONS_PATH} answered {status}: {reply[:300]!r}")
    decisions = json.loads(reply)["decisions"]
    expected = [expected_decision(policy, request).as_dict() for request in requests]
    if decisions != expected:
        wrong = next(i for i, (a, b) in enumerate(zip(decisions, expected, strict=True)) if a != b)
        raise AssertionError(f"answer {wrong} differs from the engine: {decisions[wrong]}")
    return len(reply)


def client_loop(
    server: RunningServer, body: bytes, tally: Connection, stop_at: float, limit: int
) -> None:
    """Post batches back to back on one connection until `stop_at` or `limit` calls."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=CALL_TIMEOUT)
    try:
        while time.monotonic() < stop_at and tally.calls < limit:
            started = time.perf_counter()
            status, reply = post(conn, body, server.api_key)
            if status != 200:
                tally.failures.append(f"{status}: {reply[:200]!r}")
                return
            tally.seconds_per_call.append(time.perf_counter() - started)
            tally.calls += 1
    except (OSError, http.client.HTTPException) as exc:
        tally.failures.append(repr(exc))
    finally:
        conn.close()


@dataclass(frozen=True)
class Drive:
    """What the client connections did, and the CPU the server and the client spent on it."""

    tallies: list[Connection]
    seconds: float
    server_cpu: float | None
    client_cpu: float


def server_cpu_seconds(server: RunningServer) -> float | None:
    """Return the CPU seconds the server's processes used so far (None if unknown)."""
    return None if server.group is None else group_cpu_seconds(server.group)


def drive(server: RunningServer, body: bytes, size: BatchSize) -> Drive:
    """Run the client connections concurrently and account the CPU both sides used."""
    server_before, client_before = server_cpu_seconds(server), time.process_time()
    tallies, seconds = drive_connections(server, body, size)
    server_after, client_after = server_cpu_seconds(server), time.process_time()
    server_cpu = None
    if server_before is not None and server_after is not None:
        server_cpu = server_after - server_before
    return Drive(tallies, seconds, server_cpu, client_after - client_before)


def drive_connections(
    server: RunningServer, body: bytes, size: BatchSize
) -> tuple[list[Connection], float]:
    """Run the client connections concurrently; return their tallies and the elapsed time."""
    connections = size.connections_per_worker * server.workers
    tallies = [Connection() for _ in range(connections)]
    limit = max(1, size.max_calls // connections)
    stop_at = time.monotonic() + size.seconds
    threads = [
        threading.Thread(
            target=client_loop, args=(server, body, tally, stop_at, limit), daemon=True
        )
        for tally in tallies
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=size.seconds + 2 * CALL_TIMEOUT)
    return tallies, time.perf_counter() - started


def in_process_rate(policy: Policy, body: bytes, count: int, repeats: int) -> float:
    """Return decisions/s of the server's own work (decode, decide, encode) on one core."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        answer(policy, decode_body(body).requests)
        best = min(best, time.perf_counter() - started)
    return count / best


def print_figures(driven: Drive, count: int, one_core: float) -> float:
    """Print what (b) measured and return the end-to-end decisions/s."""
    calls = sum(tally.calls for tally in driven.tallies)
    end_to_end = calls * count / driven.seconds
    per_call = [s for tally in driven.tallies for s in tally.seconds_per_call]
    print(
        f"  {calls:,} calls in {driven.seconds:.2f} s; per call p50"
        f" {statistics.median(per_call) * 1e3:.1f} ms, max {max(per_call) * 1e3:.1f} ms"
    )
    if driven.server_cpu is not None:
        print(
            f"  cpu: server {driven.server_cpu:.1f} s, client {driven.client_cpu:.1f} s"
            f" of {driven.seconds * core_count():.1f} core-seconds;"
            f" server {driven.server_cpu / (calls * count) * 1e6:.2f} us per decision"
        )
    print(f"  end to end               {rate(end_to_end):>12}  decisions")
    print(f"  in process, one core     {rate(one_core):>12}  (decode + decide + encode, same body)")
    return end_to_end


def run(policy: Policy, server: RunningServer, size: BatchSize) -> list[Check]:
    """Run benchmark (b), print its figures and return its checks."""
    count = size.requests_per_call
    connections = size.connections_per_worker * server.workers
    print(
        f"(b) POST {DECISIONS_PATH}: {count:,} mixed requests per call, {connections} connections,"
        f" {server.workers} workers, {size.seconds:g} s",
        flush=True,
    )
    requests = mixed_requests(policy, count)
    body = json.dumps({"requests": requests}, separators=(",", ":")).encode()
    reply_bytes = verify_answers(policy, server, requests, body)
    print(f"  request body {len(body) / 1e6:.2f} MB, answer {reply_bytes / 1e6:.2f} MB (verified)")
    driven = drive(server, body, size)
    failures = [failure for tally in driven.tallies for failure in tally.failures]
    if failures:
        raise RuntimeError(f"benchmark (b) calls failed: {failures[:3]}")
    one_core = in_process_rate(policy, body, count, size.in_process_repeats)
    end_to_end = print_figures(driven, count, one_core)
    checks = [
        check_at_least(
            "(b) decisions/s / target",
            rate(end_to_end),
            f"target {rate(TARGET_RATE)}",
            end_to_end / TARGET_RATE,
            1.0,
        ),
        info(
            f"(b) end to end / in process x {server.workers}",
            rate(end_to_end),
            f"{server.workers} x {rate(one_core)}",
            end_to_end / (one_core * server.workers),
        ),
    ]
    for check in checks:
        print_check(check)
    return checks
