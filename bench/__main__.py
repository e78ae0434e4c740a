"""`python -m bench [--quick]`: run the benchmarks (a)-(d), (l), (r) and (w); print a summary."""

from __future__ import annotations

import argparse
import platform
import signal
import sys
import time
from dataclasses import replace
from types import FrameType

from bench import (
    batch,
    card_sweep,
    decision_log,
    inprocess,
    policy_diff,
    registration_decisions,
    registry,
    single,
    writes,
)
from bench import events as events_bench
from bench import oauth as oauth_bench
from bench.machine import core_count, describe_idle
from bench.report import Check, summary_table
from bench.server import running_server
from devcenter.policy import Policy, default_policy

QUICK_SIZES = {
    "a": inprocess.InProcessSize(pairs=20_000, casbin_pairs=500, repeats=2),
    "b": batch.BatchSize(
        requests_per_call=2_000,
        connections_per_worker=1,
        seconds=1.0,
        max_calls=50,
        in_process_repeats=1,
    ),
    "c": single.SingleSize(connections=4, wrk_threads=1, seconds=1.0, warmup_seconds=0.0),
}
FULL_SIZES = {"a": inprocess.InProcessSize(), "b": batch.BatchSize(), "c": single.SingleSize()}


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes: a smoke run, figures meaningless"
    )
    parser.add_argument(
        "--only",
        default="abcdlrw",
        help=(
            "which benchmarks to run (letters of abcdlrwpek; d: registry, l: decision log,"
            " r: registration decisions, w: writes; p: policy diff over the registry, e: events"
            " and k: the card expiry sweep, not in the default set), or oauth"
        ),
    )
    parser.add_argument(
        "--workers", type=int, default=core_count(), help="server workers (default: cores)"
    )
    parser.add_argument(
        "--client", choices=("auto", "wrk", "python"), default="auto", help="load generator of (c)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def stop_on_signal(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM/SIGHUP into SystemExit, so the server is stopped on the way out."""
    raise SystemExit(128 + signum)


def print_machine(workers: int, quick: bool) -> None:
    """Print what the figures were measured on."""
    print(
        f"devcenter bench{' --quick (smoke run: figures not meaningful)' if quick else ''}\n"
        f"machine: {core_count()} cores (nproc), {platform.machine()},"
        f" Python {platform.python_version()}, {platform.system()} {platform.release()};"
        f" server workers: {workers}\n",
        flush=True,
    )


def run(options: argparse.Namespace) -> list[Check]:
    """Run the chosen benchmarks in order and return all their checks."""
    sizes = QUICK_SIZES if options.quick else FULL_SIZES
    idle_seconds = 0.2 if options.quick else 1.0
    policy = default_policy()
    checks: list[Check] = []
    if options.only == "oauth":  # a word, not letters: the OAuth server's bench alone
        return oauth_bench.run(options.quick)
    if "a" in options.only:
        print(describe_idle("(a)", idle_seconds))
        checks += inprocess.run(policy, sizes["a"])
        print()
    if "b" in options.only or "c" in options.only:
        checks += run_against_server(options, sizes, idle_seconds, policy)
    if "d" in options.only:
        print(describe_idle("(d)", idle_seconds))
        checks += registry.run(options.quick)
        print()
    if "l" in options.only:
        print(describe_idle("(l)", idle_seconds))
        checks += decision_log.run(policy, options.workers, options.quick, options.client)
        print()
    if "r" in options.only:
        print(describe_idle("(r)", idle_seconds))
        checks += registration_decisions.run(options.quick)
        print()
    if "w" in options.only:
        print(describe_idle("(w)", idle_seconds))
        checks += writes.run(options.quick)
        print()
    if "p" in options.only:
        print(describe_idle("(p)", idle_seconds))
        checks += policy_diff.run(options.quick)
    return checks + run_events_and_notices(options, idle_seconds)


def run_events_and_notices(options: argparse.Namespace, idle_seconds: float) -> list[Check]:
    """Run (e), the events and webhooks, and (k), the card expiry sweep, when chosen."""
    checks: list[Check] = []
    if "e" in options.only:
        print(describe_idle("(e)", idle_seconds))
        checks += events_bench.run(options.quick)
        print()
    if "k" in options.only:
        print(describe_idle("(k)", idle_seconds))
        checks += card_sweep.run(options.quick)
    return checks


def run_against_server(
    options: argparse.Namespace, sizes: dict, idle_seconds: float, policy: Policy
) -> list[Check]:
    """Run (b) and (c) against one `devcenter serve` of the stateless decision plane."""
    checks: list[Check] = []
    with running_server(options.workers) as server:
        print(f"server: devcenter serve on {server.base_url}, {server.workers} workers\n")
        if "b" in options.only:
            print(describe_idle("(b)", idle_seconds))
            checks += batch.run(policy, server, sizes["b"])
            print()
        if "c" in options.only:
            print(describe_idle("(c)", idle_seconds))
            checks += single.run(server, replace(sizes["c"], client=options.client))
            print()
    return checks


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the summary table; return the exit status."""
    options = parse_arguments(argv)
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    print_machine(options.workers, options.quick)
    started = time.monotonic()
    checks = run(options)
    print(f"summary ({time.monotonic() - started:.0f} s)")
    print(summary_table(checks), flush=True)
    missed = [check for check in checks if check.passed is False]
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
