"""Benchmark (a): `Policy.decide_service` in process, against a bare dict and against pycasbin."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.casbin_rbac import ACT, rbac_enforcer, subject
from bench.report import Check, check_at_least, print_check, rate
from devcenter.policy import Decision, Policy

Pair = tuple[str | None, str]
MIN_DICT_SHARE = 0.25
MIN_CASBIN_FACTOR = 300.0


@dataclass(frozen=True)
class InProcessSize:
    """How much work benchmark (a) does."""

    pairs: int = 1_000_000
    casbin_pairs: int = 20_000
    repeats: int = 5
    max_seconds: float = 60.0


def random_pairs(policy: Policy, count: int, seed: int = 2026) -> list[Pair]:
    """Return `count` random (partner type or None, service) pairs, reproducibly."""
    chooser = random.Random(seed)  # noqa: S311 (reproducible sample, not security)
    types: list[str | None] = [*policy.partner_types, None]
    services = list(policy.services)
    return [(chooser.choice(types), chooser.choice(services)) for _ in range(count)]


def time_loop(loop: Callable[[], None], repeats: int, deadline: float) -> float:
    """Return the best wall time of `loop` over at most `repeats` runs, stopping at `deadline`."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        loop()
        best = min(best, time.perf_counter() - started)
        if time.monotonic() > deadline:
            break
    return best


def engine_loop(policy: Policy, pairs: Sequence[Pair]) -> Callable[[], None]:
    """Return a loop asking the engine about every pair."""
    decide = policy.decide_service

    def loop() -> None:
        for partner_type, service in pairs:
            decide(partner_type, service)

    return loop


def dict_loop(policy: Policy, pairs: Sequence[Pair]) -> Callable[[], None]:
    """Return the yardstick: the same pairs looked up in a plain nested dict of decisions."""
    table: dict[str | None, dict[str, Decision]] = {
        t: {s: policy.decide_service(t, s) for s in policy.services}
        for t in (*policy.partner_types, None)
    }

    def loop() -> None:
        for partner_type, service in pairs:
            table[partner_type][service]

    return loop


def casbin_loop(enforce: Callable[..., bool], pairs: Sequence[Pair]) -> Callable[[], None]:
    """Return a loop asking pycasbin about every pair."""
    requests = [(subject(t), s) for t, s in pairs]

    def loop() -> None:
        for sub, obj in requests:
            enforce(sub, obj, ACT)

    return loop


def assert_casbin_agrees(
    policy: Policy, enforce: Callable[..., bool], pairs: Sequence[Pair]
) -> None:
    """Fail unless casbin and the engine agree on every matrix cell and every sampled pair."""
    cells = [(t, s) for t in (*policy.partner_types, None) for s in policy.services]
    for partner_type, service in [*cells, *pairs]:
        engine = policy.decide_service(partner_type, service).allowed
        theirs = enforce(subject(partner_type), service, ACT)
        if engine != theirs:
            raise AssertionError(
                f"casbin says {theirs} for ({partner_type}, {service}), engine {engine}"
            )


def run(policy: Policy, size: InProcessSize) -> list[Check]:
    """Run benchmark (a), print its figures and return its checks."""
    print(f"(a) in-process decide_service: {size.pairs:,} random (type, service) pairs", flush=True)
    pairs = random_pairs(policy, size.pairs)
    deadline = time.monotonic() + size.max_seconds
    engine_rate = size.pairs / time_loop(engine_loop(policy, pairs), size.repeats, deadline)
    dict_rate = size.pairs / time_loop(dict_loop(policy, pairs), size.repeats, deadline)
    with tempfile.TemporaryDirectory(prefix="devcenter-bench-casbin-") as directory:
        enforce = rbac_enforcer(policy, Path(directory)).enforce
        sample = pairs[: size.casbin_pairs]
        assert_casbin_agrees(policy, enforce, sample)
        casbin_rate = len(sample) / time_loop(casbin_loop(enforce, sample), 1, deadline)
    print(f"  decide_service           {rate(engine_rate):>12}  (best of {size.repeats})")
    print(f"  bare dict lookup         {rate(dict_rate):>12}  (table[type][service])")
    print(
        f"  pycasbin RBAC enforce    {rate(casbin_rate):>12}  ({len(sample):,} pairs, agree on all)"
    )
    checks = [
        check_at_least(
            "(a) decide_service / bare dict",
            rate(engine_rate),
            f"dict {rate(dict_rate)}",
            engine_rate / dict_rate,
            MIN_DICT_SHARE,
        ),
        check_at_least(
            "(a) decide_service / pycasbin",
            rate(engine_rate),
            f"casbin {rate(casbin_rate)}",
            engine_rate / casbin_rate,
            MIN_CASBIN_FACTOR,
            "x",
        ),
    ]
    for check in checks:
        print_check(check)
    return checks
