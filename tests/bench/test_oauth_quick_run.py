"""`python -m bench --only oauth --quick`: the OAuth bench runs alone, every request answers 200."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_oauth_bench_measures_three_requests_without_errors() -> None:
    done = subprocess.run(  # noqa: S603 (our own benchmark, fixed arguments)
        [sys.executable, "-m", "bench", "--only", "oauth", "--quick"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    for request in ("bare Django view", "token (client credentials)", "introspect (decisions key)"):
        assert re.search(rf"{re.escape(request)} +[\d.]+ k?/s .* errors 0\n", done.stdout), (
            done.stdout
        )
    table = done.stdout.split("\nsummary (", 1)[-1]
    assert "(oauth) token" in table
    assert "(oauth) introspect" in table
    assert "(a)" not in table  # `--only oauth` is a word, not the letters a, u, t, h
