"""A command run against a database without the project's tables says to migrate, in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the embedded SQLite
    env["DEVCENTER_VAR_DIR"] = str(var_dir)
    return subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
        [sys.executable, "-m", "devcenter.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_new_var_dir_is_told_to_migrate_not_given_a_traceback(tmp_path: Path) -> None:
    done = run(tmp_path, "decide", "service", "--partner", "ptn_x", "--service", "graph_api")

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "devcenter: the database is not migrated (no such table: partners_partner):"
        " run `devcenter migrate` first"
    ]
