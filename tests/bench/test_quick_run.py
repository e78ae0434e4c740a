"""`python -m bench --quick`: every benchmark runs in a tiny mode and prints its ratio lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RATIO_LINES = [
    r"ratio \(a\) decide_service / bare dict: [\d.]+ \(target >= 0\.25\) (PASS|FAIL)",
    r"ratio \(a\) decide_service / pycasbin: [\d,]+x \(target >= 300x\) (PASS|FAIL)",
    r"ratio \(b\) decisions/s / target: [\d.]+ \(target >= 1\.00\) (PASS|FAIL)",
    r"ratio \(b\) end to end / in process x \d+: [\d.]+ \(no target\)",
    r"ratio \(c\) decisions / bare req/s: [\d.]+ \(target >= 0\.60\) (PASS|FAIL)",
    r"ratio \(c\) decisions p99: [\d.]+ ms \(target <= 5 ms\) (PASS|FAIL)",
    r"ratio live/stateless: [\d.]+ \(target >= 0\.80\) (PASS|FAIL)",
]
WRITES_LINES = [  # or "(w) … skipped" when PostgreSQL is unreachable
    r"ratio \(w\) registrations/s, 4 connections: [\d.]+ \(target >= 1\.00\) (PASS|FAIL)",
    r"ratio \(w\) 4 connections / 1: [\d.]+ \(target >= 2\.00\) (PASS|FAIL)",
    r"ratio \(w\) service / bare INSERTs, 4 connections: [\d.]+ \(no target\)",
    r"bare INSERTs, 4 connections: [\d,]+ registrations/s .*CPU per registration: [\d.]+ ms",
]


@pytest.mark.slow
def test_quick_run_prints_every_ratio_line_and_the_summary() -> None:
    """The smoke run starts its own server, prints each ratio line and the table, exits 0.

    (l) and (r) run in their own smoke test below: together they would not fit the timeout.
    """
    done = subprocess.run(  # noqa: S603 (our own benchmark, fixed arguments)
        [sys.executable, "-m", "bench", "--quick", "--only", "abcdw"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    for pattern in RATIO_LINES:
        assert re.search(pattern, done.stdout), f"missing {pattern!r} in:\n{done.stdout}"
    writes_skipped = re.search(r"\(w\) registration writes on PostgreSQL.*\n  skipped", done.stdout)
    for pattern in [] if writes_skipped else WRITES_LINES:
        assert re.search(pattern, done.stdout), f"missing {pattern!r} in:\n{done.stdout}"
    table = done.stdout.split("\nsummary (", 1)[-1]
    assert table.count("PASS") + table.count("FAIL") == (6 if writes_skipped else 8)
    assert "(c) decisions p99" in table
    assert "(d) live / stateless over HTTP" in table


LOG_AND_REGISTRATION_LINES = [
    r"ratio \(l\) \(b\) log 1% / off: [\d.]+ \(target >= 0\.95\) (PASS|FAIL)",
    r"ratio \(l\) \(b\) log 100% / off: [\d.]+ \(target >= 0\.80\) (PASS|FAIL)",
    r"ratio \(l\) \(c\) log 1% / off: [\d.]+ \(target >= 0\.95\) (PASS|FAIL)",
    r"ratio \(l\) \(c\) log 100% / off: [\d.]+ \(target >= 0\.80\) (PASS|FAIL)",
    r"ratio by id/stateless: [\d.]+ \(target >= 0\.80\) (PASS|FAIL)",
    r"ratio by client id/stateless: [\d.]+ \(target >= 0\.80\) (PASS|FAIL)",
]


@pytest.mark.slow
def test_quick_run_of_the_decision_log_and_registration_decisions() -> None:
    """(l) and (r) in their tiny mode: every ratio line, six rows in the table, exit 0."""
    done = subprocess.run(  # noqa: S603 (our own benchmark, fixed arguments)
        [sys.executable, "-m", "bench", "--quick", "--only", "lr"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,  # (l) starts three servers
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    for pattern in LOG_AND_REGISTRATION_LINES:
        assert re.search(pattern, done.stdout), f"missing {pattern!r} in:\n{done.stdout}"
    table = done.stdout.split("\nsummary (", 1)[-1]
    assert table.count("PASS") + table.count("FAIL") == 6
    assert "decisions written: off 0" in done.stdout
