"""A real `devcenter serve` for the front door's tests, and raw HTTP/1.1 on a socket.

Raw sockets, because an HTTP client library sends the whole body before it reads the answer,
and the point here is what the server does while the body is still coming.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.running_server import devcenter_command, free_port, stop


@dataclass
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def code(self) -> str:
        return str(json.loads(self.body)["code"])


def raw_request(
    port: int,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body_pieces: Iterable[bytes] = (),
    *,
    chunked: bool = False,
    while_sending: Callable[[], None] = lambda: None,
    patience: float = 0,
) -> tuple[RawAnswer, int]:
    """Send a request, streaming `body_pieces` until the server answers; return (answer, sent).

    The body starts after `patience` seconds, or never when the server answers first.
    `while_sending` runs after each piece (to look at the server while the body streams).
    """
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
        if chunked:
            head.append("Transfer-Encoding: chunked")
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        sent = 0
        select.select([sock], [], [], patience)
        for piece in body_pieces:
            if _answered(sock):
                break
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
            while_sending()
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        return _read_answer(sock), sent


def _answered(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _read_answer(sock: socket.socket) -> RawAnswer:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return RawAnswer(int(status_line.split()[1]), headers, rest[:length])


def wait_until_answering(port: int, process: subprocess.Popen[bytes], host: str) -> None:
    """Wait until the server answers anything on /api/v1/health."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"devcenter serve exited early with {process.returncode}")
        try:
            raw_request(port, "GET", "/api/v1/health", {"Host": host, "X-Forwarded-Proto": "https"})
        except OSError:
            time.sleep(0.3)
        else:
            return
    pytest.fail("devcenter serve did not answer within 90 s")


@contextmanager
def serving(env: Mapping[str, str], host: str = "127.0.0.1") -> Iterator[tuple[int, int]]:
    """Run `devcenter serve` (one worker) with `env`; yield (port, process group id)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
        [*devcenter_command(), "serve", "--port", str(port), "--workers", "1"],
        env=dict(env),
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_answering(port, process, host)
        yield port, process.pid
    finally:
        stop(process)


def bytes_held_under(directory: Path, group: int) -> int:
    """Return the bytes of the files under `directory` that the server's processes hold open.

    Spooled uploads are unlinked at once (or never linked: O_TMPFILE), so listing the directory
    does not show them; the processes' open descriptors do.
    """
    total = 0
    prefix = str(directory)
    for pid in _group_members(group):
        fd_dir = Path(f"/proc/{pid}/fd")
        try:
            descriptors = list(fd_dir.iterdir())
        except OSError:
            continue
        for fd in descriptors:
            try:
                if os.readlink(fd).startswith(prefix):
                    total += fd.stat().st_size
            except OSError:
                continue
    return total


def _group_members(group: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # fields after "(comm)": state, ppid, pgrp
            members.append(int(stat.parent.name))
    return members
