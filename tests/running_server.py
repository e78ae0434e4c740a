"""A real `devcenter serve` in its own process group, for tests that need the HTTP server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
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
    for args in (["migrate", "--noinput", "-v", "0"], ["shell", "-c", setup]):
        subprocess.run([*devcenter_command(), *args], env=env, check=True, timeout=180)  # noqa: S603
    with running_server(env) as (base, _process):
        yield base
