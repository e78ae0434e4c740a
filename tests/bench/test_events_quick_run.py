"""`python -m bench --only ek --quick`: the events and card-sweep benches run tiny and print
their ratio lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINES = [
    r"lag at [\d.]+ changes/s from \d+ writer process(es)? \(\d+ events\): p50 \d+ ms, p99 \d+ ms",
    r"deliveries \(10 endpoints\) with 1 worker\(s\): ",
    r"deliveries \(10 endpoints\) with 2 worker\(s\): ",
    r"feed catch-up over [\d,]+ events: HTTP ",
    r"ratio \(e\) lag p99: [\d.]+ s \(target <= 1 s\) (PASS|FAIL)",
    r"ratio \(e\) deliveries/s, 1 worker: [\d.]+ \(target >= 1\.00\) (PASS|FAIL)",
    r"[\d,]+ cards, [\d,]+ expiring: sweep [\d.]+ s \([\d,]+ told, ",
    r"ratio \(k\) sweep / grouped query: [\d.]+ \(no target\)",
    r"ratio \(k\) 2nd sweep / grouped query: [\d.]+ \(no target\)",
]


@pytest.mark.slow
def test_events_quick_run_prints_its_lines() -> None:
    done = subprocess.run(  # noqa: S603 (our own benchmark, fixed arguments)
        [sys.executable, "-m", "bench", "--only", "ek", "--quick"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    if re.search(r"\(e\) events and webhooks on PostgreSQL.*\n  skipped", done.stdout):
        pytest.skip("PostgreSQL unreachable: the events bench skipped itself")
    for pattern in LINES:
        assert re.search(pattern, done.stdout), f"missing {pattern!r} in:\n{done.stdout}"
