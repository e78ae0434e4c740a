"""A real `devcenter serve` on loopback, in a fresh temporary var dir, started and stopped here."""

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
START_SECONDS = 90.0
STOP_SECONDS = 15.0
COMMAND_SECONDS = 120.0
KEY_NAME = "bench"


@dataclass(frozen=True)
class RunningServer:
    """Where the benchmark server listens, and the raw API key it accepts."""

    host: str
    port: int
    workers: int
    api_key: str
    var_dir: Path
    group: int | None = None  # the process group of the server and its workers, when known

    @property
    def base_url(self) -> str:
        """Return http://host:port."""
        return f"http://{self.host}:{self.port}"


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_environment(var_dir: Path) -> dict[str, str]:
    """Return the environment of the server: embedded SQLite in `var_dir`, bare endpoint on."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DEVCENTER_VAR_DIR": str(var_dir),
        "DEVCENTER_BENCH_BARE": "1",
        "DJANGO_SETTINGS_MODULE": "devcenter.settings",
    }
    return env


def devcenter(*args: str, env: dict[str, str]) -> str:
    """Run a `devcenter` command to completion and return its stdout; raise if it fails."""
    done = subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
        [sys.executable, "-m", "devcenter.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"devcenter {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


SQLITE_FILE = "devcenter.sqlite3"  # in DEVCENTER_VAR_DIR (settings)
_migrated_template: list[Path] = []  # one migrated embedded database per bench process


def migrate(env: dict[str, str]) -> None:
    """Migrate the database `env` names. An embedded (SQLite) one is migrated once per bench
    process and copied after that: every benchmark starts from the same fresh schema without
    paying for the migrations again (about 10 s each)."""
    if env.get("DATABASE_URL"):
        devcenter("migrate", "--noinput", env=env)
        return
    target = Path(env["DEVCENTER_VAR_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    if not _migrated_template:
        template = Path(tempfile.mkdtemp(prefix="devcenter-bench-template-"))
        atexit.register(shutil.rmtree, template, ignore_errors=True)
        devcenter("migrate", "--noinput", env=env | {"DEVCENTER_VAR_DIR": str(template)})
        _migrated_template.append(template)
    shutil.copyfile(_migrated_template[0] / SQLITE_FILE, target / SQLITE_FILE)


def create_api_key(env: dict[str, str]) -> str:
    """Create a `decisions` key through the CLI and return the raw key (its last stdout line)."""
    output = devcenter("apikey", "create", KEY_NAME, "--scope", "decisions", env=env)
    return output.strip().splitlines()[-1].strip()


def answers_health(url: str) -> bool:
    """Return whether GET url answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
            return response.status == 200
    except OSError:
        return False


def wait_until_up(
    process: subprocess.Popen[bytes], url: str, log: Path, seconds: float | None = None
) -> None:
    """Wait until the server answers health; raise if it exits or takes too long."""
    seconds = START_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"devcenter serve exited with {process.returncode}:\n{tail(log)}")
        if answers_health(url):
            return
        time.sleep(0.2)
    raise RuntimeError(f"devcenter serve did not answer within {seconds:.0f} s:\n{tail(log)}")


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers: SIGTERM to the group, SIGKILL what is left."""
    group = process.pid  # the server leads its own session, hence its own group
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline and group_alive(group):
        time.sleep(0.1)
    if group_alive(group):
        os.killpg(group, signal.SIGKILL)
    process.wait(timeout=STOP_SECONDS)


def group_alive(group: int) -> bool:
    """Return whether any process of the group is still there."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def tail(log: Path, lines: int = 30) -> str:
    """Return the last lines of the server log."""
    if not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def running_server(
    workers: int, extra_env: dict[str, str] | None = None
) -> Iterator[RunningServer]:
    """Migrate a fresh embedded database, create a key, serve it (with `extra_env` added to its
    environment); always stop the server."""
    with tempfile.TemporaryDirectory(prefix="devcenter-bench-") as directory:
        var_dir = Path(directory)
        env = server_environment(var_dir) | (extra_env or {})
        migrate(env)
        api_key = create_api_key(env)
        port = free_port()
        log = var_dir / "serve.log"
        command = [
            sys.executable,
            "-m",
            "devcenter.cli",
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-migrate",
        ]
        with log.open("wb") as log_file:
            process = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
                command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            server = RunningServer(HOST, port, workers, api_key, var_dir, process.pid)
            wait_until_up(process, f"{server.base_url}/api/v1/health", log)
            yield server
        finally:
            stop_process_group(process)
