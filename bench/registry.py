"""Benchmark (d): live decisions against the partner registry (issue 3 §7).

1. `POST /api/v1/decisions` naming partners by id, with 1,000,000 partners in the registry,
   against the stateless type decisions, both 10,000 questions per call over HTTP to a real
   `devcenter serve` (target: live >= 80% of stateless: the snapshot makes size irrelevant);
2. the snapshot's catch-up time after 10,000 audited changes;
3. registration writes per second on PostgreSQL (`partner_register_corporate_general`);
4. the snapshot's memory per partner (tracemalloc).

`run(quick)` prints its lines and returns its check for the summary table. The database work
runs in child processes (`python -m bench.registry <task> …`), each with its own Django
settings, so this process never sets Django up.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.report import Check, check_at_least, rate
from bench.server import (
    HOST,
    RunningServer,
    create_api_key,
    free_port,
    migrate,
    server_environment,
    stop_process_group,
    wait_until_up,
)

TARGET_RATIO = 0.80
TYPES = ("corporate_certified", "corporate_general", "individual_card", "individual")
SERVICES = ("openid", "graph_api", "app_pc", "payment_program")
PER_CALL = 10_000
INSERT_BATCH = 10_000
# One database per run (the process id in its name): two checkouts benchmarking at once on one
# PostgreSQL must not drop each other's database.
POSTGRES_URL = os.environ.get(
    "DEVCENTER_BENCH_POSTGRES",
    f"postgres://postgres@127.0.0.1:5432/devcenter_bench_registry_{os.getpid()}",
)
CHILD_SECONDS = 1800.0
CALL_TIMEOUT = 120.0
CONNECTIONS_PER_WORKER = 2


@dataclass(frozen=True)
class RegistrySize:
    """How much work benchmark (d) does."""

    partners: int
    changes: int
    registrations: int
    seconds: float
    rounds: int


FULL = RegistrySize(partners=1_000_000, changes=10_000, registrations=2_000, seconds=8.0, rounds=3)
QUICK = RegistrySize(partners=10_000, changes=1_000, registrations=200, seconds=1.0, rounds=1)


# -- the synthetic registry: ids and states follow from the index, so both sides know them --


def partner_id(index: int) -> str:
    """Return the public id of bench partner `index` (as long as a real `ptn_` id)."""
    return f"ptn_bench{index:015d}"


def partner_state(index: int) -> tuple[str | None, str]:
    """Return `(partner_type, status)` of bench partner `index`: mostly active, some not."""
    if index % 101 == 0:
        return None, "pending"
    if index % 97 == 0:
        return TYPES[index % 4], "suspended"
    return TYPES[index % 4], "active"


def questions(count: int, partners: int, seed: int = 7) -> tuple[list[dict], list[dict]]:
    """Return the same `count` questions by partner id (live) and by partner type (stateless)."""
    pick = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    live, stateless = [], []
    for _ in range(count):
        index = pick.randrange(partners)
        service = SERVICES[pick.randrange(len(SERVICES))]
        live.append({"kind": "service", "partner": partner_id(index), "service": service})
        stateless.append(
            {"kind": "service", "partner_type": partner_state(index)[0], "service": service}
        )
    return live, stateless


def expected_live(live: list[dict], snapshot: int) -> list[dict]:
    """Return what the plane must answer to the live questions (from the policy core)."""
    from devcenter.decision_plane.answer import registry_decisions
    from devcenter.policy import default_policy

    policy = default_policy()
    blocked, _ = registry_decisions(policy)
    answers = []
    for question in live:
        partner_type, status = partner_state(int(question["partner"][len("ptn_bench") :]))
        decision = blocked.get(status) or policy.decide_service(partner_type, question["service"])
        answers.append({**decision.as_dict(), "snapshot": snapshot})
    return answers


# -- the parent: drives the children and the server -------------------------------------


def run(quick: bool) -> list[Check]:
    """Run benchmark (d), print its lines as they come; return its check for the summary."""
    size = QUICK if quick else FULL

    def say(line: str) -> None:
        print(line, flush=True)

    say(f"(d) partner registry: {size.partners:,} partners, {PER_CALL:,} questions per call")
    with tempfile.TemporaryDirectory(prefix="devcenter-bench-registry-") as directory:
        var_dir = Path(directory)
        env = server_environment(var_dir)
        migrate(env)
        api_key = create_api_key(env)
        filled = child(env, "populate", size.partners)
        say(
            f"  registry: {size.partners:,} partners bulk-inserted in {filled['seconds']:.1f} s"
            f" (SQLite, {var_dir.name})"
        )
        stateless, live = ratio_lines(size, env, api_key, var_dir, say)
        measured = child(env, "snapshot", size.partners, size.changes)
        say(
            f"  snapshot load: {measured['load_seconds']:.2f} s for {size.partners:,} partners;"
            f" memory {measured['bytes_per_partner']:.0f} bytes per partner"
            f" ({measured['snapshot_mb']:.1f} MB, load peak {measured['peak_mb']:.1f} MB)"
        )
        say(
            f"  catch-up after {size.changes:,} audited changes:"
            f" {measured['catch_up_seconds']:.3f} s ({measured['changes_written_seconds']:.1f} s"
            f" to write them; all seen: {measured['verified']})"
        )
    say(registration_line(size))
    return [
        check_at_least(
            "(d) live / stateless over HTTP",
            f"{rate(live)} ({size.partners:,} partners)",
            rate(stateless),
            live / stateless,
            TARGET_RATIO,
        )
    ]


def ratio_lines(
    size: RegistrySize, env: dict[str, str], api_key: str, var_dir: Path, say: Callable[[str], None]
) -> tuple[float, float]:
    """Measure live against stateless decisions over HTTP and report the ratio."""
    live, stateless = questions(PER_CALL, size.partners)
    live_body = json.dumps({"requests": live}, separators=(",", ":")).encode()
    stateless_body = json.dumps({"requests": stateless}, separators=(",", ":")).encode()
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
    with serving(env, var_dir, api_key, workers) as server:
        started = time.monotonic()
        verify_live(server, live, live_body)
        say(f"  server up, live answers verified ({time.monotonic() - started:.1f} s)")
        rates: dict[str, list[float]] = {"stateless": [], "live": []}
        for _ in range(size.rounds):
            for name, body in (("stateless", stateless_body), ("live", live_body)):
                rates[name].append(decisions_per_second(server, body, size.seconds))
    best = {name: max(values) for name, values in rates.items()}
    ratio = best["live"] / best["stateless"]
    say(
        f"  stateless type decisions: {best['stateless']:,.0f}/s;"
        f" live partner decisions: {best['live']:,.0f}/s"
        f" ({server.workers} workers, best of {size.rounds})"
    )
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    say(f"  ratio live/stateless: {ratio:.2f} (target >= {TARGET_RATIO:.2f}) {verdict}")
    return best["stateless"], best["live"]


def post(conn: http.client.HTTPConnection, body: bytes, api_key: str) -> tuple[int, bytes]:
    """POST one batch on a kept-alive connection; return the status and the body."""
    headers = {"content-type": "application/json", "authorization": f"Bearer {api_key}"}
    conn.request("POST", "/api/v1/decisions", body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def decisions_per_second(server: RunningServer, body: bytes, seconds: float) -> float:
    """Post `body` back to back on a few connections for `seconds`; return decisions/s."""
    calls: list[int] = []
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def loop() -> None:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=CALL_TIMEOUT)
        done = 0
        try:
            while time.monotonic() < stop_at:
                status, reply = post(conn, body, server.api_key)
                if status != 200:
                    failures.append(f"{status}: {reply[:200]!r}")
                    return
                done += 1
        finally:
            conn.close()
            calls.append(done)

    threads = [
        threading.Thread(target=loop) for _ in range(CONNECTIONS_PER_WORKER * server.workers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"benchmark (d) calls failed: {failures[:3]}")
    return sum(calls) * PER_CALL / elapsed


def verify_live(server: RunningServer, live: list[dict], body: bytes) -> None:
    """POST the live batch once; fail unless every answer is the policy's, stamped."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=CALL_TIMEOUT)
    try:
        status, reply = post(conn, body, server.api_key)
    finally:
        conn.close()
    if status != 200:
        raise AssertionError(f"live batch answered {status}: {reply[:300]!r}")
    decisions = json.loads(reply)["decisions"]
    expected = expected_live(live, decisions[0]["snapshot"])
    if decisions != expected:
        wrong = next(i for i, (a, b) in enumerate(zip(decisions, expected, strict=True)) if a != b)
        raise AssertionError(f"live answer {wrong}: {decisions[wrong]} != {expected[wrong]}")


def registration_line(size: RegistrySize) -> str:
    """Register partners through the service on PostgreSQL; return the figure's line."""
    try:
        create_postgres_database()
    except Exception as exc:  # noqa: BLE001 (any failure means: no PostgreSQL here)
        return f"  registrations on PostgreSQL: skipped ({exc.__class__.__name__}: {exc})"
    try:
        with tempfile.TemporaryDirectory(prefix="devcenter-bench-pg-") as directory:
            env = server_environment(Path(directory)) | {
                "DATABASE_URL": POSTGRES_URL,
                "DEVCENTER_BENCH_POSTGRES": POSTGRES_URL,  # the children name the same one
            }
            migrate(env)
            one = child(env, "register", size.registrations, 1)
            four = child(env, "register", size.registrations, 4)
    finally:
        drop_postgres_database()
    return (
        f"  registrations on PostgreSQL (partner_register_corporate_general: partner, owner,"
        f" general partner account, 3 audit events): {one['per_second']:,.0f}/s on 1"
        f" connection, {four['per_second']:,.0f}/s on 4"
    )


@contextmanager
def serving(
    env: dict[str, str],
    var_dir: Path,
    api_key: str,
    workers: int,
    start_seconds: float | None = None,
) -> Iterator[RunningServer]:
    """Serve the populated database with `devcenter serve`; always stop it."""
    port = free_port()
    log = var_dir / "serve-registry.log"
    command = [sys.executable, "-m", "devcenter.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--no-migrate"]
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        server = RunningServer(HOST, port, workers, api_key, var_dir)
        wait_until_up(process, f"{server.base_url}/api/v1/health", log, start_seconds)
        yield server
    finally:
        stop_process_group(process)


def child(env: dict[str, str], task: str, *args: int) -> dict[str, float]:
    """Run `python -m bench.registry task args…` and return the JSON it prints last."""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(  # noqa: S603 (this module, fixed arguments)
        [sys.executable, "-m", "bench.registry", task, *map(str, args)],
        env=env | {"PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=CHILD_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.registry {task} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres_admin():  # type: ignore[no-untyped-def]
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(POSTGRES_URL)
    name = str(params.pop("dbname"))
    return psycopg.connect(make_conninfo(**params, dbname="postgres"), autocommit=True), name


def create_postgres_database() -> None:
    """Create the bench database afresh (dropping a leftover one)."""
    drop_postgres_database()
    conn, name = _postgres_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database() -> None:
    """Drop the bench database if it exists."""
    conn, name = _postgres_admin()
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the children: Django set up, one task each ------------------------------------------


def populate(partners: int) -> dict[str, float]:
    """Bulk-insert the bench partners, each with its `partner.registered` event (what the audit
    history of a registry that grew through the services holds: point-in-time answers read it)."""
    from django.db import transaction

    from devcenter.audit.choices import AuditEventType, AuditTarget
    from devcenter.audit.services import audit_batch, audit_record
    from devcenter.partners.models import Partner
    from devcenter.partners.moves import partner_snapshot

    started = time.perf_counter()
    for start in range(0, partners, INSERT_BATCH):
        rows = []
        for index in range(start, min(start + INSERT_BATCH, partners)):
            partner_type, status = partner_state(index)
            kind = "individual" if partner_type and partner_type.startswith("individual") else ""
            rows.append(
                Partner(
                    public_id=partner_id(index),
                    kind=kind or "corporate",
                    partner_type=partner_type,
                    status=status,
                    registration_name=f"bench {index}",
                )
            )
        with transaction.atomic(), audit_batch():
            Partner.objects.bulk_create(rows)
            for row in rows:
                audit_record(
                    event_type=AuditEventType.PARTNER_REGISTERED,
                    actor="system",
                    target_type=AuditTarget.PARTNER,
                    target_id=row.public_id,
                    partner=row.public_id,
                    new=partner_snapshot(row),
                )
    return {"seconds": time.perf_counter() - started}


def measure_snapshot(partners: int, changes: int) -> dict[str, float]:
    """Measure the snapshot's load time and memory, then its catch-up after `changes`."""
    import gc
    import tracemalloc

    from devcenter.decision_plane.snapshot import Snapshot

    started = time.perf_counter()
    Snapshot().reload()
    load_seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    snapshot = Snapshot()
    snapshot.reload()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = current - before
    written, changed = write_changes(partners, changes)
    started = time.perf_counter()
    snapshot.catch_up()
    catch_up = time.perf_counter() - started
    verified = all(snapshot.partner(partner_id(i))[1] == "suspended" for i in changed)
    return {
        "load_seconds": load_seconds,
        "bytes_per_partner": size / partners,
        "snapshot_mb": size / 1e6,
        "peak_mb": (peak - before) / 1e6,
        "changes_written_seconds": written,
        "catch_up_seconds": catch_up,
        "verified": verified,
    }


def write_changes(partners: int, changes: int) -> tuple[float, list[int]]:
    """Suspend `changes` active partners, each with its audit event; return time and indexes."""
    from django.db import transaction

    from devcenter.audit import hooks
    from devcenter.audit.choices import AuditEventType, AuditTarget
    from devcenter.audit.services import audit_record
    from devcenter.partners.models import Partner

    hooks.on_audit_appended.clear()  # as if another process wrote
    step = max(1, partners // changes)
    chosen = [i for i in range(0, partners, step) if partner_state(i)[1] == "active"][:changes]
    started = time.perf_counter()
    for start in range(0, len(chosen), 1000):
        group = chosen[start : start + 1000]
        with transaction.atomic():
            ids = [partner_id(i) for i in group]
            Partner.objects.filter(public_id__in=ids).update(status="suspended")
            for public_id in ids:
                audit_record(
                    event_type=AuditEventType.PARTNER_SUSPENDED,
                    actor="system",
                    target_type=AuditTarget.PARTNER,
                    target_id=public_id,
                    partner=public_id,
                    new={"status": "suspended"},
                )
    return time.perf_counter() - started, chosen


def register(count: int, threads: int) -> dict[str, float]:
    """Register `count` corporate general partners through the service on `threads` threads."""
    import threading

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db import connection

    user = get_user_model().objects.create_user(
        username=f"bench-owner-{threads}", email=f"bench-owner-{threads}@example.com"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    base = 100_000_000 * threads
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for number in range(base + offset, base + count, threads):
                register_one(user, number)
        except BaseException as exc:  # noqa: BLE001 (reported by the parent)
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return {"per_second": count / elapsed}


def register_one(user: object, number: int) -> None:
    """Register one corporate general partner with a valid 法人番号 made from `number`."""
    from devcenter.partners.corporate_number import corporate_number_check_digit
    from devcenter.partners.services import CorporateDetails, partner_register_corporate_general

    digits = f"{number:012d}"
    details = CorporateDetails(
        registration_name=f"ベンチ {number}",
        legal_name=f"株式会社ベンチ{number}",
        corporate_number=f"{corporate_number_check_digit(digits)}{digits}",
        legal_entity_registered=True,
        contact_email="bench@example.co.jp",
    )
    partner_register_corporate_general(acting_user=user, details=details)


TASKS: dict[str, Callable[..., dict[str, float]]] = {
    "populate": populate,
    "snapshot": measure_snapshot,
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
