"""The OAuth benchmark: token endpoint (client credentials) and introspection requests/s on one
worker, against a bare Django view of the same server.

`python -m bench --only oauth [--quick]`. The server is a real `devcenter serve --workers 1` on
a fresh embedded SQLite; the yardstick `/oauth/_bench/bare` (mounted with
`DEVCENTER_BENCH_BARE=1`) goes through the same Django middleware and answers a constant. Each
token request writes a new access token row; introspection reads one (plus the API key).
"""

from __future__ import annotations

import asyncio
import base64
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.graph_api_client import graph_api_clients_script
from bench.loadgen import READ_TIMEOUT, LoadResult, read_answer
from bench.machine import describe_idle
from bench.report import Check, info, rate
from bench.server import (
    HOST,
    devcenter,
    free_port,
    migrate,
    server_environment,
    stop_process_group,
    wait_until_up,
)

WORKERS = 1
CONNECTIONS = 8
SECONDS = {True: 1.0, False: 8.0}  # by --quick
KEY_SET_UP = """
import json
from devcenter.apikeys.services import apikey_create
_, key = apikey_create(name="bench-gateway", scope="decisions")
json.dump({"key": key}, open(%r, "w"))
"""


def form_request(host: str, port: int, path: str, form: dict[str, str], auth: str) -> bytes:
    """Return the raw bytes of a keep-alive form POST with an Authorization header."""
    body = urllib.parse.urlencode(form).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Authorization: {auth}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one_connection(
    host: str, port: int, raw: bytes, stop_at: float, latencies: list[float]
) -> int:
    """Keep one request in flight until `stop_at`; return how many did not answer 200."""
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    try:
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            writer.write(raw)
            status = await asyncio.wait_for(read_answer(reader), READ_TIMEOUT)
            latencies.append(time.perf_counter() - started)
            errors += status != 200
    finally:
        writer.close()
    return errors


async def closed_loop(host: str, port: int, raw: bytes, seconds: float) -> LoadResult:
    """Run CONNECTIONS closed loops of `raw` for `seconds`."""
    latencies: list[float] = []
    started = time.perf_counter()
    stop_at = time.monotonic() + seconds
    loops = [one_connection(host, port, raw, stop_at, latencies) for _ in range(CONNECTIONS)]
    errors = await asyncio.gather(*loops)
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return LoadResult(len(latencies), elapsed, sum(errors), cuts[49] * 1e3, cuts[98] * 1e3)


def first_token(base: str, basic: str) -> str:
    """Return an access token got the ordinary way (the one introspection asks about)."""
    data = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "r_profile"})
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        f"{base}/oauth/token", data=data.encode(), headers={"Authorization": basic}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        token: str = json.load(response)["access_token"]
    return token


def measure(host: str, port: int, issued: dict[str, str], seconds: float) -> dict[str, LoadResult]:
    """Return the closed-loop figures of the bare view, the token endpoint and introspection."""
    pair = f"{issued['id']}:{issued['secret']}".encode()
    basic = "Basic " + base64.b64encode(pair).decode()
    token = first_token(f"http://{host}:{port}", basic)
    grant = {"grant_type": "client_credentials", "scope": "r_profile"}
    raws = {
        "bare Django view": form_request(host, port, "/oauth/_bench/bare", grant, basic),
        "token (client credentials)": form_request(host, port, "/oauth/token", grant, basic),
        "introspect (decisions key)": form_request(
            host, port, "/oauth/introspect", {"token": token}, f"Bearer {issued['key']}"
        ),
    }
    results = {}
    for name, raw in raws.items():
        asyncio.run(closed_loop(host, port, raw, min(seconds, 1.0)))  # warm-up
        results[name] = asyncio.run(closed_loop(host, port, raw, seconds))
        found = results[name]
        print(
            f"  {name:<28} {rate(found.per_second):>10}  p50 {found.p50_ms:6.1f} ms"
            f"  p99 {found.p99_ms:6.1f} ms  errors {found.errors}",
            flush=True,
        )
    return results


def run(quick: bool) -> list[Check]:
    """Serve a fresh database on one worker, measure, and return the figures as checks."""
    print(describe_idle("(oauth)", 0.2 if quick else 1.0))
    with tempfile.TemporaryDirectory(prefix="devcenter-bench-oauth-") as directory:
        var_dir = Path(directory)
        env = server_environment(var_dir)
        migrate(env)
        devcenter("shell", "-c", KEY_SET_UP % str(var_dir / "key.json"), env=env)
        clients = {"bench": ("Bench", ["https://bench.example.com/callback"], False)}
        script = graph_api_clients_script(clients, str(var_dir / "clients.json"))
        devcenter("shell", "-c", script, env=env)
        client = json.loads((var_dir / "clients.json").read_text())["bench"]
        issued = {
            **json.loads((var_dir / "key.json").read_text()),
            "id": client["client_id"],
            "secret": client["secret"],
        }
        port = free_port()
        command = [sys.executable, "-m", "devcenter.cli", "serve", "--host", HOST, "--port"]
        command += [str(port), "--workers", str(WORKERS), "--no-migrate"]
        log = var_dir / "serve.log"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
                command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_until_up(process, f"http://{HOST}:{port}/api/v1/health", log)
            print(f"(oauth) devcenter serve, {WORKERS} worker, {CONNECTIONS} connections")
            results = measure(HOST, port, issued, SECONDS[quick])
        finally:
            stop_process_group(process)
    bare = results["bare Django view"].per_second
    token = results["token (client credentials)"].per_second
    introspect = results["introspect (decisions key)"].per_second
    return [
        info("(oauth) token", f"{rate(token)} token", "bare Django view", token / bare),
        info(
            "(oauth) introspect",
            f"{rate(introspect)} introspect",
            "bare Django view",
            introspect / bare,
        ),
    ]
