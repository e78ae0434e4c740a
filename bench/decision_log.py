"""Benchmark (l): the decision log's cost (issue 12 §5).

(b) and (c) against three servers of the same build started side by side, the decision log off,
at 1% and at 100% sampling (`DEVCENTER_DECISION_LOG_RATE`, JSON-lines file in the server's var
dir), measured in short turns: each round measures every server once, the order rotating so
that each server goes first, second and last equally often. A sampling rate's ratio is the
median over the rounds of its rate divided by the rate of the log off in the same round (a
round takes seconds, so a machine that slows down or speeds up during the run moves both
sides of each ratio alike); the best of the rounds is printed too. The servers' CPU per
decision of (b) is printed (median of the rounds), and the decisions each log wrote and
dropped. Targets: at 1% within 5% of off, at 100% within 20%.
"""

from __future__ import annotations

import json
import math
import statistics
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass

from bench import batch, single
from bench.report import Check, check_at_least, print_check, rate
from bench.server import RunningServer, running_server
from bench.workload import mixed_requests
from devcenter.policy import Policy

RATES = (("off", 0.0), ("1%", 0.01), ("100%", 1.0))
TARGETS = {"1%": 0.95, "100%": 0.80}
LOG_FILE = "decisions.jsonl"


@dataclass(frozen=True)
class LogSize:
    """How much work benchmark (l) does."""

    batch: batch.BatchSize
    single: single.SingleSize
    rounds: int = 6


FULL = LogSize(batch.BatchSize(seconds=2.5), single.SingleSize(seconds=2.5, warmup_seconds=0.5))
QUICK = LogSize(
    batch.BatchSize(requests_per_call=2_000, connections_per_worker=1, seconds=1.0),
    single.SingleSize(connections=4, wrk_threads=1, seconds=1.0, warmup_seconds=0.0),
    rounds=1,
)


def run(policy: Policy, workers: int, quick: bool, client: str) -> list[Check]:
    """Run benchmark (l), print its figures and return its checks."""
    size = QUICK if quick else FULL
    client = single.pick_client(client)
    count = size.batch.requests_per_call
    body = json.dumps({"requests": mixed_requests(policy, count)}, separators=(",", ":")).encode()
    print(
        f"(l) decision log off / 1% / 100%: (b) {count:,} per call and (c) single decisions,"
        f" three servers of {workers} workers side by side, rounds: {size.rounds}",
        flush=True,
    )
    batch_rates: dict[str, list[float]] = {name: [] for name, _ in RATES}
    batch_cpu: dict[str, list[float]] = {name: [] for name, _ in RATES}  # server s per decision
    single_rates: dict[str, list[float]] = {name: [] for name, _ in RATES}
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(
                running_server(workers, {"DEVCENTER_DECISION_LOG_RATE": str(share)})
            )
            for name, share in RATES
        }
        names = list(servers)
        for round_number in range(size.rounds):
            # The order rotates: load that grows or fades during a round does not always
            # favour the same server.
            turn = round_number % len(names)
            for name in names[turn:] + names[:turn]:
                server = servers[name]
                decisions_per_second, cpu = batch_rate(server, body, size)
                batch_rates[name].append(decisions_per_second)
                batch_cpu[name].append(cpu)
                single_rates[name].append(single_rate(server, size, client))
        time.sleep(1.5)  # the writers' last flush and the metrics' hand-over
        written = {name: log_lines(server) for name, server in servers.items()}
        dropped = {name: log_dropped(server) for name, server in servers.items()}
    print_cpu(batch_cpu)
    return report(batch_rates, single_rates, written, dropped)


def batch_rate(server: RunningServer, body: bytes, size: LogSize) -> tuple[float, float]:
    """Return (b)'s end-to-end decisions/s against `server`, and the server's CPU seconds per
    decision (nan where unknown)."""
    driven = batch.drive(server, body, size.batch)
    failures = [failure for tally in driven.tallies for failure in tally.failures]
    if failures:
        raise RuntimeError(f"benchmark (l) calls failed: {failures[:3]}")
    decisions = sum(tally.calls for tally in driven.tallies) * size.batch.requests_per_call
    cpu = math.nan if driven.server_cpu is None else driven.server_cpu / max(1, decisions)
    return decisions / driven.seconds, cpu


def print_cpu(batch_cpu: dict[str, list[float]]) -> None:
    """Print the servers' CPU per decision in (b): steadier than the rates on a busy machine
    (other work slows the rates but costs the server no CPU)."""
    mean = {name: statistics.median(values) for name, values in batch_cpu.items()}
    print(
        "  (b) server CPU per decision (median of rounds): "
        + "; ".join(f"log {name}: {mean[name] * 1e6:.2f} us" for name, _ in RATES)
        + "; off / 100%: "
        + f"{mean['off'] / mean['100%']:.2f}",
        flush=True,
    )


def log_dropped(server: RunningServer) -> int:
    """Return the decisions the server's log dropped (`/metrics`, open on loopback)."""
    with urllib.request.urlopen(f"{server.base_url}/metrics", timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    return round(
        sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("devcenter_decision_log_dropped_total")
        )
    )


def single_rate(server: RunningServer, size: LogSize, client: str) -> float:
    """Return (c)'s single decisions/s against `server`."""
    path = single.DECISIONS_PATH
    if size.single.warmup_seconds > 0:
        single.measure(server, path, size.single, size.single.warmup_seconds, client)
    result = single.measure(server, path, size.single, size.single.seconds, client)
    if result.errors:
        raise RuntimeError(f"benchmark (l) {path}: {result.errors} errors or non-2xx answers")
    return result.per_second


def log_lines(server: RunningServer) -> int:
    """Return how many decisions the server's log file holds (rotated files included)."""
    found = sorted(server.var_dir.glob(f"{LOG_FILE}*"))
    return sum(sum(1 for _ in path.open("rb")) for path in found)


def paired_ratios(measured: list[float], off: list[float]) -> list[float]:
    """Return each round's rate divided by the rate of the log off in the same round."""
    return [value / yardstick for value, yardstick in zip(measured, off, strict=True)]


def report(
    batch_rates: dict[str, list[float]],
    single_rates: dict[str, list[float]],
    written: dict[str, int],
    dropped: dict[str, int],
) -> list[Check]:
    """Print the figures and return the checks (each sampling rate against off)."""
    checks = []
    for label, rates in (("(b)", batch_rates), ("(c)", single_rates)):
        best = {name: max(values) for name, values in rates.items()}
        middle = {name: statistics.median(values) for name, values in rates.items()}
        print(
            f"  {label} best: " + "; ".join(f"log {name}: {rate(best[name])}" for name, _ in RATES),
            flush=True,
        )
        for name, target in TARGETS.items():
            paired = paired_ratios(rates[name], rates["off"])
            print(
                f"  {label} log {name} / off by round: "
                + ", ".join(f"{ratio:.2f}" for ratio in paired)
                + f"; best / best {best[name] / best['off']:.2f}",
                flush=True,
            )
            checks.append(
                check_at_least(
                    f"(l) {label} log {name} / off",
                    rate(middle[name]),
                    f"off {rate(middle['off'])}",
                    statistics.median(paired),
                    target,
                )
            )
    print("  decisions written: " + ", ".join(f"{n} {written[n]:,}" for n, _ in RATES))
    print("  decisions dropped: " + ", ".join(f"{n} {dropped[n]:,}" for n, _ in RATES))
    for check in checks:
        print_check(check)
    return checks
