"""Benchmark (p): `devcenter policy diff` over the bench registry (issue 12 §2).

The 1,000,000 partners of benchmark (d) (`bench.registry.populate`), each with one
registration bulk-inserted here (Graph API for the types that may use it, a plugin for the
others; suspended where the partner is), then `devcenter policy diff NEW.toml --json` with a
copy of the policy that closes Graph API to individuals with a card: every changed request,
the partners who gain or lose, the registrations that would be suspended, from grouped
queries. Its time and the child's peak memory (`resource.getrusage`, ru_maxrss) are reported
against a yardstick measured in the same run: one grouped count over the same registrations
(the single pass the diff cannot avoid).

`python -m bench --only p` (not in the default set: filling the registry takes minutes).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.registry import FULL, INSERT_BATCH, QUICK, child, partner_id
from bench.report import Check, info
from bench.server import migrate, server_environment

GRAPH_API_ROW = "graph_api       = { corporate_certified = true, corporate_general = false, "
CARD_OPEN = "individual_card = true,  individual = false, none = false }"
CARD_CLOSED = "individual_card = false, individual = false, none = false }"
CHILD_SECONDS = 1800.0


def run(quick: bool) -> list[Check]:
    """Run benchmark (p), print its lines; return its figure for the summary table."""
    partners = (QUICK if quick else FULL).partners
    print(f"(p) policy diff over {partners:,} partners and their registrations", flush=True)
    with tempfile.TemporaryDirectory(prefix="devcenter-bench-diff-") as directory:
        var_dir = Path(directory)
        env = server_environment(var_dir)
        migrate(env)
        filled = child(env, "populate", partners)
        print(f"  registry: {partners:,} partners bulk-inserted in {filled['seconds']:.1f} s")
        added = _child(env, "registrations")
        print(
            f"  {added['registrations']:,.0f} registrations bulk-inserted in"
            f" {added['seconds']:.1f} s"
        )
        new = var_dir / "closed.toml"
        new.write_text(_closed_policy(), encoding="utf-8")
        measured = _child(env, "diff", str(new))
    print(
        f"  policy diff --json: {measured['seconds']:.2f} s, peak memory (ru_maxrss) "
        f"{measured['peak_mb']:.0f} MB ({measured['setup_mb']:.0f} MB before the diff);"
        f" exit {measured['exit']:.0f}; {measured['suspended']:,.0f} registrations would be"
        f" suspended, {measured['losing']:,.0f} partners lose graph_api"
    )
    print(
        f"  yardstick: one grouped count of the registrations by partner type, status and"
        f" service: {measured['yardstick_seconds']:.2f} s"
    )
    ratio = measured["seconds"] / measured["yardstick_seconds"]
    print(f"  ratio diff / grouped count: {ratio:.2f} (no target; issue: seconds, not minutes)")
    return [
        info(
            "(p) policy diff",
            f"{measured['seconds']:.2f} s, {measured['peak_mb']:.0f} MB ({partners:,} partners)",
            f"{measured['yardstick_seconds']:.2f} s",
            ratio,
        )
    ]


def _closed_policy() -> str:
    from devcenter.policy import shipped_policy_text

    text = shipped_policy_text()
    row = next(line for line in text.splitlines() if line.startswith(GRAPH_API_ROW))
    return text.replace(row, row.replace(CARD_OPEN, CARD_CLOSED))


def _child(env: dict[str, str], task: str, *args: str) -> dict[str, float]:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(  # noqa: S603 (this module, fixed arguments)
        [sys.executable, "-m", "bench.policy_diff", task, *args],
        env=env | {"PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=CHILD_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.policy_diff {task} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- the children: Django set up, one task each ------------------------------------------


def add_registrations() -> dict[str, float]:
    """Bulk-insert one registration per bench partner (its state follows the partner's)."""
    from django.db import transaction

    from devcenter.partners.models import Partner
    from devcenter.policy import default_policy
    from devcenter.registrations.choices import RegistrationStatus
    from devcenter.registrations.models import Registration

    policy = default_policy()
    started = time.perf_counter()
    rows = Partner.objects.order_by("pk").values_list("pk", "partner_type", "status")
    batch: list[Registration] = []
    count = 0
    for pk, partner_type, status in rows.iterator(chunk_size=INSERT_BATCH):
        if partner_type is None:
            continue  # not registered yet: no registration
        service = (
            "graph_api" if policy.decide_service(partner_type, "graph_api").allowed else "plugin"
        )
        suspended = not policy.decide_partner_service(partner_type, status, service).allowed
        initial = policy.registrations.initial_status
        batch.append(
            Registration(
                public_id=f"reg_bench{pk:015d}",
                partner_id=pk,
                service=service,
                name=f"bench {pk}",
                status=RegistrationStatus.SUSPENDED if suspended else initial,
                restore_status=initial if suspended else "",
            )
        )
        if len(batch) == INSERT_BATCH:
            count += _insert(batch, transaction)
    count += _insert(batch, transaction)
    return {"registrations": count, "seconds": time.perf_counter() - started}


def _insert(batch: list, transaction) -> int:  # type: ignore[no-untyped-def, type-arg]
    from devcenter.registrations.models import Registration

    with transaction.atomic():
        Registration.objects.bulk_create(batch)
    done = len(batch)
    batch.clear()
    return done


def measure_diff(path: str) -> dict[str, float]:
    """Run `policy diff PATH --json` in this process; return its time and peak memory."""
    from io import StringIO

    from django.core.management import call_command

    from devcenter.registrations.what_if import registration_groups

    registration_groups()  # warm the database's cache for both timings alike (not timed)
    setup = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = StringIO()
    started = time.perf_counter()
    try:
        call_command("policy", "diff", path, "--json", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    registration_groups()
    yardstick = time.perf_counter() - started
    shown = json.loads(out.getvalue())
    graph = [r for r in shown["registrations"] if r["service"] == "graph_api"]
    losing = [r for r in shown["partners"] if r.get("service") == "graph_api"]
    return {
        "seconds": seconds,
        "yardstick_seconds": yardstick,
        "setup_mb": setup,
        "peak_mb": peak,
        "exit": code,
        "suspended": graph[0]["suspend"]["registrations"] if graph else 0,
        "losing": losing[0]["lose"]["partners"] if losing else 0,
    }


def main(argv: list[str]) -> None:
    """Run one child task and print its result as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    django.setup()
    task, *args = argv
    result = add_registrations() if task == "registrations" else measure_diff(*args)
    print(json.dumps(result), flush=True)


__all__ = ["partner_id", "run"]

if __name__ == "__main__":
    main(sys.argv[1:])
