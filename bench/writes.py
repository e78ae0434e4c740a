"""Benchmark (w): registration writes per second on PostgreSQL, one and four connections.

Each connection is its own process (as each `devcenter serve` worker is), so the figure is the
database's and the audit chain's, not the GIL's. Every process registers corporate general
partners back to back through `partner_register_corporate_general` (partner, owner, general
partner account, three audit events), after a start signal, on its own connection. The
figure is the registrations of all processes ÷ (last end - first start). The run also counts
the queries of one registration (`CaptureQueriesContext`), and checks the chain with
`devcenter audit verify` afterwards.

`python -m bench --only w` runs it alone. The database: `DEVCENTER_BENCH_WRITES_DATABASE`
(used as it is, migrated, never dropped; e.g. your own database), else a fresh
`devcenter_bench_writes_<pid>` on the local server, dropped afterwards. `run(quick)` prints its
lines and returns its checks for the summary table; the database work runs in child processes
(`python -m bench.writes <task> …`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.report import Check, check_at_least, print_check, rate
from bench.server import devcenter, server_environment

TARGET_FOUR = 600.0  # registrations/s on four connections (issue 7 §7)
TARGET_SCALING = 2.0  # four connections at least twice one
# A fresh database of this process's own: runs of other checkouts on the machine may overlap.
FRESH_DATABASE = f"postgres://postgres@127.0.0.1:5432/devcenter_bench_writes_{os.getpid()}"
CHILD_SECONDS = 600.0
BLOCK = 10_000  # corporate numbers per process


@dataclass(frozen=True)
class WritesSize:
    """How many registrations each run makes."""

    registrations: int
    warmup: int  # registrations per process before the timed ones


FULL = WritesSize(registrations=4_000, warmup=20)
QUICK = WritesSize(registrations=40, warmup=1)


def run(quick: bool) -> list[Check]:
    """Run benchmark (w), print its lines as they come; return its checks for the summary."""
    size = QUICK if quick else FULL
    given = os.environ.get("DEVCENTER_BENCH_WRITES_DATABASE", "")
    url = given or FRESH_DATABASE
    print(f"(w) registration writes on PostgreSQL ({_without_password(url)})", flush=True)
    try:
        if not given:
            _recreate(url)
    except Exception as exc:  # noqa: BLE001 (any failure means: no PostgreSQL here)
        print(f"  skipped ({exc.__class__.__name__}: {exc})\n", flush=True)
        return []
    try:
        with tempfile.TemporaryDirectory(prefix="devcenter-bench-writes-") as directory:
            env = server_environment(Path(directory)) | {"DATABASE_URL": url}
            devcenter("migrate", "--noinput", env=env)
            counted = _child(env, "count")
            print(
                f"  queries per registration: {counted['business']:.0f} in its transaction"
                f" (BEGIN and COMMIT included), {counted['link']:.0f} to link its audit events",
                flush=True,
            )
            one = measure(env, size, 1)
            four = measure(env, size, 4)
            verified = devcenter("audit", "verify", env=env).strip().splitlines()[-1]
            print(f"  devcenter audit verify: {verified}", flush=True)
    finally:
        if not given:
            _drop(url)
    checks = [
        check_at_least(
            "(w) registrations/s, 4 connections",
            rate(four),
            f"{TARGET_FOUR:.0f} /s",
            four / TARGET_FOUR,
            1.0,
        ),
        check_at_least("(w) 4 connections / 1", rate(four), rate(one), four / one, TARGET_SCALING),
    ]
    for check in checks:
        print_check(check)
    return checks


def measure(env: dict[str, str], size: WritesSize, connections: int) -> float:
    """Register `size.registrations` partners on `connections` processes; return per second."""
    per_process = size.registrations // connections
    clock = time.time_ns() // 10**6 % 10**7  # milliseconds: no two runs share a block
    children = [
        subprocess.Popen(  # noqa: S603 (this module, fixed arguments)
            _command("register", clock * 10 + i, per_process, size.warmup),
            env=_child_env(env),
            cwd=_root(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(connections)
    ]
    try:
        for child in children:  # each says "ready" once Django is set up and warmed up
            _expect_line(child, "ready")
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        spans = [json.loads(_expect_line(child, "{")) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=30)
    elapsed = max(s["end"] for s in spans) - min(s["start"] for s in spans)
    per_second = per_process * connections / elapsed
    print(
        f"  {connections} connection{'s' if connections > 1 else ''}: {per_second:,.0f}"
        f" registrations/s ({per_process * connections:,} in {elapsed:.2f} s, one process each)",
        flush=True,
    )
    return per_second


def _expect_line(child: subprocess.Popen[str], start: str) -> str:
    assert child.stdout is not None
    deadline = time.monotonic() + CHILD_SECONDS
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        if line.startswith(start):
            return line
    assert child.stderr is not None
    raise RuntimeError(f"bench.writes child failed:\n{child.stderr.read()[-3000:]}")


def _command(task: str, *args: int) -> list[str]:
    return [sys.executable, "-m", "bench.writes", task, *map(str, args)]


def _root() -> Path:
    return Path(__file__).resolve().parent.parent


def _child_env(env: dict[str, str]) -> dict[str, str]:
    """Return the children's environment: this checkout first, then a PYTHONPATH given.

    A given PYTHONPATH can put another revision's `src` in front of the installed one, to
    measure it with this benchmark (docs/performance.md, "Writes").
    """
    paths = [str(_root()), *filter(None, [env.get("PYTHONPATH")])]
    return env | {"PYTHONPATH": os.pathsep.join(paths)}


def _child(env: dict[str, str], task: str, *args: int) -> dict[str, float]:
    """Run `python -m bench.writes task args…` and return the JSON it prints last."""
    done = subprocess.run(  # noqa: S603 (this module, fixed arguments)
        _command(task, *args),
        env=_child_env(env),
        cwd=_root(),
        capture_output=True,
        text=True,
        timeout=CHILD_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.writes {task} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _without_password(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    return f"{params.get('host', '')}:{params.get('port', '')}/{params.get('dbname', '')}"


def _admin(url: str):  # type: ignore[no-untyped-def]
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    name = str(params.pop("dbname"))
    return psycopg.connect(make_conninfo(**params, dbname="postgres"), autocommit=True), name


def _recreate(url: str) -> None:
    _drop(url)
    conn, name = _admin(url)
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop(url: str) -> None:
    conn, name = _admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the children: Django set up, one task each ------------------------------------------


def _owner(name: str) -> object:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=name, defaults={"email": f"{name}@example.com"}
    )
    if created:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def register_one(user: object, number: int) -> None:
    """Register one corporate general partner with a valid 法人番号 made from `number`."""
    from devcenter.partners.corporate_number import corporate_number_check_digit
    from devcenter.partners.services import CorporateDetails, partner_register_corporate_general

    digits = f"{number % 10**12:012d}"
    details = CorporateDetails(
        registration_name=f"ベンチ {number}",
        legal_name=f"株式会社ベンチ{number}",
        corporate_number=f"{corporate_number_check_digit(digits)}{digits}",
        legal_entity_registered=True,
        contact_email="bench@example.co.jp",
    )
    partner_register_corporate_general(acting_user=user, details=details)


def count_queries() -> dict[str, float]:
    """Count the queries of one registration: its own transaction, and the link after it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = _owner("bench-writes-count")
    number = (time.time_ns() // 10**6 % 10**7 * 10 + 9) * BLOCK  # a block of its own
    with CaptureQueriesContext(connection) as captured:
        register_one(user, number)
    sql = [query["sql"] for query in captured.captured_queries]
    commit = next(i for i, text in enumerate(sql) if text == "COMMIT")
    return {"business": commit + 1, "link": len(sql) - commit - 1}


def register(block: int, count: int, warmup: int) -> dict[str, float]:
    """Register `warmup` partners, say ready, wait for "go", register `count` partners.

    The corporate numbers are `block` × 10,000 + 0, 1, 2, …: each process has its own block.
    """
    if warmup + count > BLOCK:
        raise ValueError(f"at most {BLOCK:,} registrations per process")
    user = _owner(f"bench-writes-{block % 10}")
    numbers = iter(range(block * BLOCK, block * BLOCK + warmup + count))
    for _ in range(warmup):
        register_one(user, next(numbers))
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.time()
    for _ in range(count):
        register_one(user, next(numbers))
    return {"start": start, "end": time.time()}


TASKS: dict[str, Callable[..., dict[str, float]]] = {
    "count": count_queries,
    "register": register,
}


def main(argv: list[str]) -> None:
    """Run one child task and print its result as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    django.setup()
    task, *args = argv
    print(json.dumps(TASKS[task](*map(int, args))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
