"""Benchmark (c): one decision per request, closed loop, decision endpoint against bare endpoint.

The decision endpoint and the bare endpoint (`DEVCENTER_BENCH_BARE=1`) give the same answer
from the same server; the bare one does no work. wrk drives them when it is installed, else a
bounded asyncio client of this module does.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import LoadResult, python_closed_loop
from bench.report import Check, check_at_least, check_at_most, print_check, rate
from bench.server import RunningServer

DECISIONS_PATH = "/api/v1/decisions"
BARE_PATH = "/api/v1/_bench/bare"
QUESTION = {"kind": "service", "partner_type": "individual", "service": "graph_api"}
MIN_BARE_SHARE = 0.60
MAX_P99_MS = 5.0
RESULT_MARK = "BENCH_WRK"


@dataclass(frozen=True)
class SingleSize:
    """How much work benchmark (c) does."""

    connections: int = 32
    wrk_threads: int = 2
    seconds: float = 10.0
    warmup_seconds: float = 2.0
    client: str = "auto"  # auto (wrk if installed), wrk or python


def request_body() -> bytes:
    """Return the body of a single-decision request (the question the bare endpoint answers)."""
    return json.dumps({"requests": [QUESTION]}, separators=(",", ":")).encode()


def lua_script(body: bytes, api_key: str) -> str:
    """Return the wrk script: POST the body with the key, print a machine-readable result."""
    return f"""\
wrk.method = "POST"
wrk.body = [==[{body.decode()}]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = [==[Bearer {api_key}]==]

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("{RESULT_MARK} %d %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_closed_loop(url: str, script: Path, size: SingleSize, seconds: float) -> LoadResult:
    """Run wrk against `url` for `seconds` and return what it measured."""
    command = [
        "wrk",
        f"-t{size.wrk_threads}",
        f"-c{size.connections}",
        f"-d{seconds:g}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(  # noqa: S603 (wrk with fixed arguments, loopback URL)
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith(RESULT_MARK))
    requests, duration_us, *errors, p50_us, p99_us = (int(x) for x in line.split()[1:])
    return LoadResult(requests, duration_us / 1e6, sum(errors), p50_us / 1e3, p99_us / 1e3)


def post_once(server: RunningServer, path: str) -> bytes:
    """POST the single-decision body to `path` once; return the answer (raise unless 200)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    headers = {"content-type": "application/json", "authorization": f"Bearer {server.api_key}"}
    try:
        conn.request("POST", path, body=request_body(), headers=headers)
        response = conn.getresponse()
        answer = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"POST {path} answered {response.status}: {answer[:300]!r}")
    return answer


def assert_same_answer(server: RunningServer) -> None:
    """Fail unless the decision endpoint and the bare endpoint answer byte for byte alike."""
    decided, bare = post_once(server, DECISIONS_PATH), post_once(server, BARE_PATH)
    if decided != bare:
        raise AssertionError(f"the endpoints differ:\n{decided[:300]!r}\n{bare[:300]!r}")


def pick_client(wanted: str) -> str:
    """Return `wrk` or `python`: wrk when asked or when `auto` finds it installed."""
    if wanted == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    return wanted


def measure(
    server: RunningServer, path: str, size: SingleSize, seconds: float, client: str
) -> LoadResult:
    """Drive one endpoint closed loop with the chosen client."""
    url = f"{server.base_url}{path}"
    if client == "wrk":
        script = server.var_dir / "single_decision.lua"
        script.write_text(lua_script(request_body(), server.api_key), encoding="utf-8")
        return wrk_closed_loop(url, script, size, seconds)
    return python_closed_loop(
        server.host, server.port, path, request_body(), server.api_key, size.connections, seconds
    )


def run(server: RunningServer, size: SingleSize) -> list[Check]:
    """Run benchmark (c), print its figures and return its checks."""
    client = pick_client(size.client)
    detail = f"wrk -t{size.wrk_threads}" if client == "wrk" else "python asyncio client"
    print(
        f"(c) single decisions, closed loop, {size.connections} connections,"
        f" {size.seconds:g} s each, {detail}",
        flush=True,
    )
    assert_same_answer(server)
    print("  both endpoints give the same answer (checked byte for byte)")
    results = {}
    for path in (BARE_PATH, DECISIONS_PATH):
        if size.warmup_seconds > 0:
            measure(server, path, size, size.warmup_seconds, client)
        result = measure(server, path, size, size.seconds, client)
        if result.errors:
            raise RuntimeError(f"benchmark (c) {path}: {result.errors} errors or non-2xx answers")
        results[path] = result
        print(
            f"  {path:<22} {rate(result.per_second):>12}  p50 {result.p50_ms:.2f} ms"
            f"  p99 {result.p99_ms:.2f} ms  ({result.requests:,} requests)",
            flush=True,
        )
    bare, decisions = results[BARE_PATH], results[DECISIONS_PATH]
    checks = [
        check_at_least(
            "(c) decisions / bare req/s",
            rate(decisions.per_second),
            f"bare {rate(bare.per_second)}",
            decisions.per_second / bare.per_second,
            MIN_BARE_SHARE,
        ),
        check_at_most(
            "(c) decisions p99",
            f"p99 {decisions.p99_ms:.2f} ms",
            decisions.p99_ms,
            MAX_P99_MS,
            "ms",
        ),
    ]
    for check in checks:
        print_check(check)
    return checks
