"""Benchmark (w): registration writes per second on PostgreSQL, one and four connections.

Each connection is its own process (as each `devcenter serve` worker is), so the figure is the
database's and the audit chain's, not the GIL's. Every process registers corporate general
partners back to back through `partner_register_corporate_general` (partner, owner, general
partner account, three audit events), after a start signal, on its own connection. The
figure is the registrations of all processes ÷ (last end - first start). The run also counts
the queries of one registration (`CaptureQueriesContext`), and checks the chain with
`devcenter audit verify` afterwards.

The yardstick, in the same run and the same way (processes, connections, start signal): the
same rows written with bare SQL through Django's connection, one transaction per
registration (BEGIN, the partner, membership and account INSERTs, one INSERT of the three
events into a copy of the pending table, COMMIT): what the database alone costs. Each process
also reports its CPU time and its PostgreSQL backend's (from /proc), so the run prints the
CPU milliseconds one registration costs on each side, and the ceiling they set on this
machine's cores whatever the number of connections.

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
from typing import Any

from bench.report import Check, check_at_least, info, print_check, rate
from bench.server import devcenter, migrate, server_environment

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


FULL = WritesSize(
    registrations=int(os.environ.get("DEVCENTER_BENCH_WRITES_REGISTRATIONS", "4000")), warmup=20
)
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
            migrate(env)
            counted = _child(env, "count")
            print(
                f"  queries per registration: {counted['business']:.0f} for its rows"
                f" (BEGIN and COMMIT included, if any), {counted['link']:.0f} to link its"
                " audit events",
                flush=True,
            )
            bare_one = measure(env, size, 1, "bare")
            one = measure(env, size, 1)
            bare_four = measure(env, size, 4, "bare")
            four = measure(env, size, 4)
            verified = devcenter("audit", "verify", env=env).strip().splitlines()[-1]
            print(f"  devcenter audit verify: {verified}", flush=True)
    finally:
        if not given:
            _drop(url)
    print(
        f"  scaling 4 / 1: service {four.rate / one.rate:.2f},"
        f" bare INSERTs {bare_four.rate / bare_one.rate:.2f} (what the machine allowed just now)",
        flush=True,
    )
    checks = [
        check_at_least(
            "(w) registrations/s, 4 connections",
            rate(four.rate),
            f"{TARGET_FOUR:.0f} /s",
            four.rate / TARGET_FOUR,
            1.0,
        ),
        check_at_least(
            "(w) 4 connections / 1",
            rate(four.rate),
            rate(one.rate),
            four.rate / one.rate,
            TARGET_SCALING,
        ),
        info(
            "(w) service / bare INSERTs, 4 connections",
            rate(four.rate),
            rate(bare_four.rate),
            four.rate / bare_four.rate,
        ),
    ]
    for check in checks:
        print_check(check)
    return checks


@dataclass(frozen=True)
class Measured:
    """One measurement: registrations per second, and CPU milliseconds per registration."""

    rate: float
    python_ms: float  # in the registering processes (the service's code, Django, psycopg)
    database_ms: float  # in their PostgreSQL backends

    def ceiling(self) -> float:
        """Return the registrations/s this machine's cores allow at this CPU cost."""
        return (os.cpu_count() or 1) * 1000 / (self.python_ms + self.database_ms)


def measure(
    env: dict[str, str], size: WritesSize, connections: int, task: str = "register"
) -> Measured:
    """Register `size.registrations` partners on `connections` processes; return the figures.

    `task` is "register" (the service) or "bare" (the yardstick: the same rows, bare SQL).
    """
    per_process = size.registrations // connections
    clock = time.time_ns() // 10**6 % 10**7  # milliseconds: no two runs share a block
    load = os.getloadavg()[0]
    children = [
        subprocess.Popen(  # noqa: S603 (this module, fixed arguments)
            _command(task, clock * 10 + i, per_process, size.warmup),
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
    count = per_process * connections
    measured = Measured(
        rate=count / elapsed,
        python_ms=1000 * sum(s["cpu"] for s in spans) / count,
        database_ms=1000 * sum(s["backend_cpu"] for s in spans) / count,
    )
    what = "service" if task == "register" else "bare INSERTs"
    print(
        f"  {what}, {connections} connection{'s' if connections > 1 else ''}:"
        f" {measured.rate:,.0f} registrations/s ({count:,} in {elapsed:.2f} s, one process each;"
        f" load average {load:.1f}); CPU per registration: {measured.python_ms:.2f} ms Python"
        f" + {measured.database_ms:.2f} ms PostgreSQL (ceiling on {os.cpu_count()} cores:"
        f" {measured.ceiling():,.0f}/s)",
        flush=True,
    )
    return measured


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
    link = next(i for i, text in enumerate(sql) if text.startswith("BEGIN; SELECT set_config"))
    return {"business": link, "link": len(sql) - link}


def register(block: int, count: int, warmup: int) -> dict[str, float]:
    """Register `warmup` partners, say ready, wait for "go", register `count` partners.

    The corporate numbers are `block` × 10,000 + 0, 1, 2, …: each process has its own block.
    """
    return _timed(block, count, warmup, register_one)


def bare(block: int, count: int, warmup: int) -> dict[str, float]:
    """The yardstick: as `register`, with `bare_one` instead of the service."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_EVENTS} (LIKE audit_pendingauditevent INCLUDING ALL)"
        )
    return _timed(block, count, warmup, bare_one)


def _timed(
    block: int, count: int, warmup: int, one: Callable[[Any, int], None]
) -> dict[str, float]:
    """Make `warmup` registrations, say ready, wait for "go", time `count` registrations."""
    if warmup + count > BLOCK:
        raise ValueError(f"at most {BLOCK:,} registrations per process")
    user = _owner(f"bench-writes-{block % 10}")
    numbers = iter(range(block * BLOCK, block * BLOCK + warmup + count))
    for _ in range(warmup):
        one(user, next(numbers))
    print("ready", flush=True)
    sys.stdin.readline()
    backend = _backend_cpu()
    cpu = time.process_time()
    start = time.time()
    for _ in range(count):
        one(user, next(numbers))
    end = time.time()
    return {
        "start": start,
        "end": end,
        "cpu": time.process_time() - cpu,
        "backend_cpu": _backend_cpu() - backend,
    }


def _backend_cpu() -> float:
    """Return the CPU seconds this connection's PostgreSQL backend has used (0 if unreadable)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # another machine's database
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


BARE_EVENTS = "bench_writes_bare_events"  # the yardstick's events: never linked, never read
_BARE_PARTNER = (
    "INSERT INTO partners_partner (public_id, kind, partner_type, status, registration_name,"
    " legal_name, corporate_number, legal_entity_registered, representative_name,"
    " head_office_address, contact_email, contact_phone, user_id, created_at, updated_at)"
    " VALUES (%s, 'corporate', 'corporate_general', 'active', %s, %s, %s, true, '', '', %s, '',"
    " NULL, now(), now()) RETURNING id"
)
_BARE_MEMBERSHIP = (
    "INSERT INTO partners_membership (partner_id, user_id, role, created_at)"
    " VALUES (%s, %s, 'owner', now())"
)
_BARE_ACCOUNT = (
    "INSERT INTO platform_accounts_platformaccount (public_id, kind, partner_id, user_id,"
    " display_name, emblem, status, created_at, deleted_at)"
    " VALUES (%s, 'general_partner_account', %s, NULL, %s, false, 'active', now(), NULL)"
)
_BARE_EVENTS = (
    f"INSERT INTO {BARE_EVENTS} (occurred_at, actor, event_type, target_type, target_id,"  # noqa: S608
    " partner, old, new) VALUES" + ", ".join(["(now(), %s, %s, %s, %s, %s, NULL, %s::jsonb)"] * 3)
)


def bare_one(user: Any, number: int) -> None:
    """Write what one registration writes, with bare SQL in one transaction: no service."""
    from django.db import connection, transaction

    from devcenter.partners.corporate_number import corporate_number_check_digit

    digits = f"{number % 10**12:012d}"
    name = f"ベンチ {number}"
    partner_id, account_id = f"ptn_bare{number}", f"acc_bare{number}"
    actor = f"user:{user.pk}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _BARE_PARTNER,
            [
                partner_id,
                name,
                f"株式会社ベンチ{number}",
                f"{corporate_number_check_digit(digits)}{digits}",
                "bench@example.co.jp",
            ],
        )
        (pk,) = cursor.fetchone()
        cursor.execute(_BARE_MEMBERSHIP, [pk, user.pk])
        cursor.execute(_BARE_ACCOUNT, [account_id, pk, name])
        snapshot = json.dumps(  # as long as the service's snapshots
            {"kind": "corporate", "status": "active", "registration_name": name, "number": number}
        )
        cursor.execute(
            _BARE_EVENTS,
            [actor, "partner.registered", "partner", partner_id, partner_id, snapshot]
            + [actor, "member.added", "membership", actor, partner_id, snapshot]
            + [actor, "account.created", "account", account_id, partner_id, snapshot],
        )


TASKS: dict[str, Callable[..., dict[str, float]]] = {
    "count": count_queries,
    "register": register,
    "bare": bare,
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
