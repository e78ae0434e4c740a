"""``devcenter serve``: a real uvicorn server on loopback, started and stopped by the test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
        return int(response.status)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"devcenter serve exited early with {process.returncode}")
        try:
            _get(url)
        except OSError:
            time.sleep(0.2)
        else:
            return
    pytest.fail("devcenter serve did not answer within 60 s")


@pytest.mark.slow
def test_serve_migrates_fresh_sqlite_collects_static_and_serves(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DEVCENTER_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "devcenter.settings"}
    port = _free_port()
    command = [sys.executable, "-m", "devcenter.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603
        [*command, "--workers", "2"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/admin/login/", process, time.monotonic() + 60)

        assert _get(f"{base}/admin/login/") == 200
        assert _get(f"{base}/static/admin/css/base.css") == 200
        assert (tmp_path / "devcenter.sqlite3").exists()
        assert any((tmp_path / "static").iterdir())
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
