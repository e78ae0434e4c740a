"""A real `devcenter serve` in its own process group, for tests that need the HTTP server."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest


def devcenter_command() -> list[str]:
    """Return the command that runs the `devcenter` CLI of this interpreter's environment."""
    script = Path(sys.executable).with_name("devcenter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "devcenter.cli"]


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """Return an environment for a server with its own var dir (and SQLite unless given a URL)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DEVCENTER_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "devcenter.settings"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


SQLITE_FILE = "devcenter.sqlite3"  # in DEVCENTER_VAR_DIR (settings)
_template: list[Path] = []  # one migrated embedded database per test process


def migrate_embedded(env: Mapping[str, str]) -> None:
    """Give the server of `env` a migrated embedded database: migrated once per test process
    (about 10 s) and copied after that. A PostgreSQL `env` is migrated as it is."""
    if env.get("DATABASE_URL"):
        subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
            [*devcenter_command(), "migrate", "--noinput", "-v", "0"],
            env=dict(env),
            check=True,
            timeout=180,
        )
        return
    target = Path(env["DEVCENTER_VAR_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    if not _template:
        template = Path(tempfile.mkdtemp(prefix="devcenter-test-template-"))
        atexit.register(shutil.rmtree, template, ignore_errors=True)
        subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
            [*devcenter_command(), "migrate", "--noinput", "-v", "0"],
            env={**env, "DEVCENTER_VAR_DIR": str(template)},
            check=True,
            timeout=180,
        )
        _template.append(template)
    shutil.copyfile(_template[0] / SQLITE_FILE, target / SQLITE_FILE)


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until `url` answers; fail the test if the server exits or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"devcenter serve exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"devcenter serve did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop the server and its workers (it leads its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def running_server(
    env: Mapping[str, str], *, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `devcenter serve` on a free port; yield (base URL, process); stop it on the way out."""
    var_dir = env.get("DEVCENTER_VAR_DIR")
    if var_dir and not env.get("DATABASE_URL") and not (Path(var_dir) / SQLITE_FILE).exists():
        migrate_embedded(env)  # a fresh embedded database: the copy, not ten seconds of migrating
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
        [*devcenter_command(), "serve", "--port", str(port), "--workers", str(workers)],
        env=dict(env),
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/v1/health", process)
        yield base, process
    finally:
        stop(process)


@contextmanager
def serving_after(var_dir: Path, setup: str) -> Iterator[str]:
    """Migrate a fresh embedded SQLite in `var_dir`, run the Python `setup` in `devcenter shell`,
    then serve it; yield the base URL."""
    env = server_env(var_dir)
    migrate_embedded(env)
    subprocess.run([*devcenter_command(), "shell", "-c", setup], env=env, check=True, timeout=180)  # noqa: S603
    with running_server(env) as (base, _process):
        yield base
