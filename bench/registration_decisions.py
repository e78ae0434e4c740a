"""Benchmark (r): registration decisions against the registry (issue 9 §7).

`POST /api/v1/decisions` asking about registrations by id (`reg_…`) and by client id, 10,000
questions per call over HTTP to a real `devcenter serve`, with 1,000,000 registrations (and their
1,000,000 partners) in the registry, against the stateless type decisions of (d) in the same run
(target: each >= 80% of stateless). Follows (d) (`bench.registry`): the database work runs in a
child process (`python -m bench.registration_decisions populate N`).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import registry
from bench.report import Check, check_at_least, rate
from bench.server import create_api_key, migrate, server_environment

TARGET_RATIO = 0.80
START_SECONDS = 1200.0  # each worker loads 1,000,000 partners and registrations before serving
PER_CALL = registry.PER_CALL
REGISTRATIONS = 1_000_000
QUICK_REGISTRATIONS = 10_000
# Services a registration may name, and the registration statuses the bench spreads over.
SERVICES = ("app_pc", "graph_api", "plugin", "page", "app_smartphone")
STATUSES = ("in_development", "published", "listing_requested", "suspended")


def registration_id(index: int) -> str:
    """Return the public id of bench registration `index` (as long as a real `reg_` id)."""
    return f"reg_bench{index:015d}"


def client_id(index: int) -> str:
    """Return the client id of bench registration `index`'s credential."""
    return f"ck_bench{index:024d}"


def registration_state(index: int) -> tuple[str, str]:
    """Return `(service, status)` of bench registration `index` (its partner: `index`)."""
    service = SERVICES[index % len(SERVICES)]
    status = STATUSES[3] if index % 13 == 0 else STATUSES[(index // 7) % 3]
    return service, status


def questions(count: int, size: int, seed: int = 11) -> tuple[list[dict], list[dict], list[dict]]:
    """Return `count` questions by registration id, by client id, and stateless ones."""
    pick = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    by_id, by_client, stateless = [], [], []
    for _ in range(count):
        index = pick.randrange(size)
        by_id.append({"kind": "registration", "registration": registration_id(index)})
        by_client.append({"kind": "registration", "client_id": client_id(pick.randrange(size))})
        service = registry.SERVICES[pick.randrange(len(registry.SERVICES))]
        partner_type = registry.partner_state(index)[0]
        stateless.append({"kind": "service", "partner_type": partner_type, "service": service})
    return by_id, by_client, stateless


def expected(asked: list[dict], snapshot: int) -> list[dict]:
    """Return what the plane must answer to registration questions (from the policy core)."""
    from devcenter.decision_plane.answer import registration_decision
    from devcenter.policy import default_policy

    policy = default_policy()
    answers = []
    for question in asked:
        key = question.get("registration") or question["client_id"]
        index = int(key.split("bench")[1])
        decision = registration_decision(
            policy, *registry.partner_state(index), *registration_state(index)
        )
        answers.append({**decision.as_dict(), "snapshot": snapshot})
    return answers


def run(quick: bool) -> list[Check]:
    """Run benchmark (r), print its lines as they come; return its checks for the summary."""
    size = QUICK_REGISTRATIONS if quick else REGISTRATIONS
    seconds, rounds = (1.0, 1) if quick else (8.0, 3)

    def say(line: str) -> None:
        print(line, flush=True)

    say(f"(r) registration decisions: {size:,} registrations, {PER_CALL:,} questions per call")
    with tempfile.TemporaryDirectory(prefix="devcenter-bench-registrations-") as directory:
        var_dir = Path(directory)
        env = server_environment(var_dir)
        migrate(env)
        api_key = create_api_key(env)
        filled = child(env, "populate", size)
        say(
            f"  registry: {size:,} partners, {size:,} registrations with credentials"
            f" bulk-inserted in {filled['seconds']:.1f} s (SQLite)"
        )
        best = measure(size, env, api_key, var_dir, seconds, rounds, say)
    return [
        check_at_least(
            f"(r) registration by {name} / stateless",
            f"{rate(best[name])} ({size:,} registrations)",
            rate(best["stateless"]),
            best[name] / best["stateless"],
            TARGET_RATIO,
        )
        for name in ("id", "client id")
    ]


def measure(
    size: int,
    env: dict[str, str],
    api_key: str,
    var_dir: Path,
    seconds: float,
    rounds: int,
    say: Callable[[str], None],
) -> dict[str, float]:
    """Measure each kind of question over HTTP, `rounds` times in turn; return the best rates."""
    by_id, by_client, stateless = questions(PER_CALL, size)
    bodies = {
        name: json.dumps({"requests": asked}, separators=(",", ":")).encode()
        for name, asked in (("stateless", stateless), ("id", by_id), ("client id", by_client))
    }
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
    with registry.serving(env, var_dir, api_key, workers, START_SECONDS) as server:
        started = time.monotonic()
        for name, asked in (("id", by_id), ("client id", by_client)):
            verify(server, asked, bodies[name])
        say(f"  server up, registration answers verified ({time.monotonic() - started:.1f} s)")
        rates: dict[str, list[float]] = {name: [] for name in bodies}
        for _ in range(rounds):
            for name, body in bodies.items():
                rates[name].append(registry.decisions_per_second(server, body, seconds))
    best = {name: max(values) for name, values in rates.items()}
    say(
        f"  stateless type decisions: {best['stateless']:,.0f}/s; registration by id:"
        f" {best['id']:,.0f}/s; by client id: {best['client id']:,.0f}/s"
        f" ({workers} workers, best of {rounds})"
    )
    for name in ("id", "client id"):
        ratio = best[name] / best["stateless"]
        verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
        say(f"  ratio by {name}/stateless: {ratio:.2f} (target >= {TARGET_RATIO:.2f}) {verdict}")
    return best


def verify(server: registry.RunningServer, asked: list[dict], body: bytes) -> None:
    """POST the batch once; fail unless every answer is the policy core's, stamped."""
    import http.client

    conn = http.client.HTTPConnection(server.host, server.port, timeout=registry.CALL_TIMEOUT)
    try:
        status, reply = registry.post(conn, body, server.api_key)
    finally:
        conn.close()
    if status != 200:
        raise AssertionError(f"registration batch answered {status}: {reply[:300]!r}")
    decisions = json.loads(reply)["decisions"]
    wanted = expected(asked, decisions[0]["snapshot"])
    if decisions != wanted:
        wrong = next(i for i, (a, b) in enumerate(zip(decisions, wanted, strict=True)) if a != b)
        raise AssertionError(f"registration answer {wrong}: {decisions[wrong]} != {wanted[wrong]}")


def child(env: dict[str, str], task: str, *args: int) -> dict[str, float]:
    """Run `python -m bench.registration_decisions task args…`; return the JSON it prints."""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(  # noqa: S603 (this module, fixed arguments)
        [sys.executable, "-m", "bench.registration_decisions", task, *map(str, args)],
        env=env | {"PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=registry.CHILD_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.registration_decisions {task} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the child: Django set up ---------------------------------------------------------------


def populate(size: int) -> dict[str, float]:
    """Insert `size` partners, each with one registration holding a credential.

    Raw `executemany` of rows made from one template row per table (the ORM's `bulk_create`
    took 23 minutes for 1,000,000 on a loaded machine); ids are given, so the tables must be
    empty (a fresh bench database).
    """
    from django.db import connection, transaction

    from devcenter.audit.choices import AuditEventType, AuditTarget
    from devcenter.audit.services import audit_record
    from devcenter.partners.models import Partner
    from devcenter.registrations.choices import CredentialKind
    from devcenter.registrations.models import Credential, Registration

    if Partner.objects.exists() or Registration.objects.exists():
        raise RuntimeError("populate needs an empty registry")
    started = time.perf_counter()
    partner = Template(connection, bench_partner(0))
    registration = Template(
        connection,
        Registration(public_id="", partner_id=1, service="", status="", name=""),
    )
    credential = Template(
        connection, Credential(registration_id=1, kind=CredentialKind.CONSUMER_KEY, client_id="")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, size, registry.INSERT_BATCH):
            indexes = range(start, min(start + registry.INSERT_BATCH, size))
            partner.insert(cursor, [partner_values(index) for index in indexes])
            registration.insert(cursor, [registration_values(index) for index in indexes])
            credential.insert(
                cursor,
                [
                    {"id": i + 1, "registration_id": i + 1, "client_id": client_id(i)}
                    for i in indexes
                ],
            )
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.PARTNER_REGISTERED,
            actor="system",
            target_type=AuditTarget.PARTNER,
            target_id="bench-populate",
            partner=None,
            new={"partners": size, "registrations": size},
        )
    return {"seconds": time.perf_counter() - started}


class Template:
    """An INSERT of one model's rows: every column as in `example`, but those given per row."""

    def __init__(self, connection: Any, example: Any) -> None:
        fields = example._meta.concrete_fields
        self.columns = [field.column for field in fields]
        self.values = {
            field.column: field.get_db_prep_save(field.pre_save(example, True), connection)
            for field in fields
        }
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        table = connection.ops.quote_name(example._meta.db_table)
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (our names)

    def insert(self, cursor: Any, rows: list[dict[str, Any]]) -> None:
        base, columns = self.values, self.columns
        cursor.executemany(self.sql, [[row.get(c, base[c]) for c in columns] for row in rows])


def partner_values(index: int) -> dict[str, Any]:
    partner_type, status = registry.partner_state(index)
    individual = partner_type is not None and partner_type.startswith("individual")
    return {
        "id": index + 1,
        "public_id": registry.partner_id(index),
        "kind": "individual" if individual else "corporate",
        "partner_type": partner_type,
        "status": status,
        "registration_name": f"bench {index}",
    }


def registration_values(index: int) -> dict[str, Any]:
    service, status = registration_state(index)
    return {
        "id": index + 1,
        "public_id": registration_id(index),
        "partner_id": index + 1,
        "service": service,
        "status": status,
        "name": f"bench {index}",
    }


def bench_partner(index: int) -> Any:
    """Return bench partner `index` as (d) makes it (not saved)."""
    from devcenter.partners.models import Partner

    return Partner(**{k: v for k, v in partner_values(index).items() if k != "id"})


def main(argv: list[str]) -> None:
    """Run one child task and print its result as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    django.setup()
    task, *args = argv
    tasks = {"populate": populate}
    print(json.dumps(tasks[task](*map(int, args))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
