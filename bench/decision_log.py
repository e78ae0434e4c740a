"""Benchmark (l): the decision log's cost (issue 12 §5).

(b) and (c) against three servers of the same build started side by side, the decision log off,
at 1% and at 100% sampling (`DEVCENTER_DECISION_LOG_RATE`, JSON-lines file in the server's var
dir), measured in short turns after a warm-up: each round measures every server once, the order
rotating so that each server goes first, second and last equally often; all rounds of (b), then
all rounds of (c). The three servers are started afresh `generations` times (in a rotated
order): two processes of one build can differ in speed by where their memory and CPU fell (10%
in CPU per decision between the log off and at 1% in one run on the 2-core development machine,
where 1% costs about 0.1%), and that must not count for or against a rate.

A sampling rate's ratio is the median over all rounds of its rate divided by the rate of the log
off in the same round (a turn takes two seconds, so a machine that slows down or speeds up moves
both sides of a ratio alike); the best turns are printed too. The servers' CPU per decision of
(b) is printed (median of the rounds), and the decisions each log wrote and dropped. Targets:
at 1% within 5% of off, at 100% within 20%.
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
    rounds: int = 4  # per generation
    generations: int = 3  # sets of three servers, started afresh


FULL = LogSize(batch.BatchSize(seconds=2.0), single.SingleSize(seconds=2.0, warmup_seconds=1.0))
QUICK = LogSize(
    batch.BatchSize(requests_per_call=2_000, connections_per_worker=1, seconds=1.0),
    single.SingleSize(connections=4, wrk_threads=1, seconds=1.0, warmup_seconds=0.0),
    rounds=1,
    generations=1,
)


def run(policy: Policy, workers: int, quick: bool, client: str) -> list[Check]:
    """Run benchmark (l), print its figures and return its checks."""
    size = QUICK if quick else FULL
    client = single.pick_client(client)
    count = size.batch.requests_per_call
    body = json.dumps({"requests": mixed_requests(policy, count)}, separators=(",", ":")).encode()
    print(
        f"(l) decision log off / 1% / 100%: (b) {count:,} per call and (c) single decisions,"
        f" three servers of {workers} workers side by side, {size.generations} x {size.rounds}"
        " rounds",
        flush=True,
    )
    batch_rates: dict[str, list[float]] = {name: [] for name, _ in RATES}
    batch_cpu: dict[str, list[float]] = {name: [] for name, _ in RATES}  # server s per decision
    single_rates: dict[str, list[float]] = {name: [] for name, _ in RATES}
    written = dict.fromkeys(batch_rates, 0)
    dropped = dict.fromkeys(batch_rates, 0)
    for generation in range(size.generations):
        # New processes each generation, started in a rotated order: how fast a process happens
        # to be (where its memory and its CPU fell) is not the sampling rate's doing.
        turn = generation % len(RATES)
        with ExitStack() as stack:
            servers = {
                name: stack.enter_context(
                    running_server(workers, {"DEVCENTER_DECISION_LOG_RATE": str(share)})
                )
                for name, share in RATES[turn:] + RATES[:turn]
            }
            measure_generation(servers, body, size, client, batch_rates, batch_cpu, single_rates)
            time.sleep(1.5)  # the writers' last flush and the metrics' hand-over
            for name, server in servers.items():
                written[name] += log_lines(server)
                dropped[name] += log_dropped(server)
    print_cpu(batch_cpu)
    return report(batch_rates, single_rates, written, dropped)


def measure_generation(  # noqa: PLR0913 (the run's inputs and the three tallies it fills)
    servers: dict[str, RunningServer],
    body: bytes,
    size: LogSize,
    client: str,
    batch_rates: dict[str, list[float]],
    batch_cpu: dict[str, list[float]],
    single_rates: dict[str, list[float]],
) -> None:
    """Warm the servers up, then measure `size.rounds` rounds of (b), then of (c)."""
    names = sorted(servers, key=[name for name, _ in RATES].index)
    for server in servers.values():  # warm up once: every round below is measured
        batch_rate(server, body, size)
        single_rate(server, size, client, size.single.warmup_seconds)
    # All rounds of (b), then all of (c): the turns compared are seconds apart. The order
    # rotates, so load that grows or fades during a round does not always favour one server.
    for round_number in range(size.rounds):
        turn = round_number % len(names)
        for name in names[turn:] + names[:turn]:
            decisions_per_second, cpu = batch_rate(servers[name], body, size)
            batch_rates[name].append(decisions_per_second)
            batch_cpu[name].append(cpu)
    for round_number in range(size.rounds):
        turn = round_number % len(names)
        for name in names[turn:] + names[:turn]:
            single_rates[name].append(single_rate(servers[name], size, client, size.single.seconds))


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


def single_rate(server: RunningServer, size: LogSize, client: str, seconds: float) -> float:
    """Return (c)'s single decisions/s against `server` over `seconds` (none: 0)."""
    if seconds <= 0:
        return 0.0
    path = single.DECISIONS_PATH
    result = single.measure(server, path, size.single, seconds, client)
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
