"""Real `devcenter serve` processes whose log the test reads, and a TCP proxy to cut a database."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from tests.running_server import devcenter_command, free_port, stop, wait_until_up


@contextmanager
def logged_server(
    env: Mapping[str, str], log: Path, *, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `devcenter serve` with its stderr (the log) in `log`; yield (base URL, process)."""
    port = free_port()
    with log.open("ab") as stderr:
        process = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
            [*devcenter_command(), "serve", "--port", str(port), "--workers", str(workers)],
            env={**env, "DEVCENTER_LOG_LEVEL": "INFO"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/v1/health", process)
        yield base, process
    finally:
        stop(process)


def decide(
    base: str, key: str, *requests: dict, min_snapshot: int | None = None, timeout: float = 10
) -> httpx.Response:
    body: dict[str, object] = {"requests": list(requests)}
    if min_snapshot is not None:
        body["min_snapshot"] = min_snapshot
    return httpx.post(
        f"{base}/api/v1/decisions",
        json=body,
        headers={"authorization": f"Bearer {key}"},
        timeout=timeout,
    )


class TcpProxy:
    """Forward a loopback port to `upstream`; `cut()` drops every connection and stops
    listening (the database is gone), `restore()` listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    with suppress(OSError):
        while chunk := source.recv(65536):
            target.sendall(chunk)
    with suppress(OSError):
        target.shutdown(socket.SHUT_WR)


class RawConnection:
    """A bare keep-alive HTTP/1.1 connection (asyncio streams): hundreds of these cost the
    test process far less than an HTTP library, so the server is what gets measured."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, base: str) -> RawConnection:
        host, port = base.removeprefix("http://").split(":")
        return cls(*await asyncio.open_connection(host, int(port)))

    async def post(
        self, path: str, body: dict, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], dict]:
        """POST JSON; return (status, lower-case headers, JSON body)."""
        payload = json.dumps(body).encode()
        lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {len(payload)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        fields = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
        answer_headers = {name.lower(): value for name, value in fields.items()}
        content = await self.reader.readexactly(int(answer_headers["content-length"]))
        return status, answer_headers, json.loads(content)

    async def close(self) -> None:
        self.writer.close()
        with suppress(OSError):
            await self.writer.wait_closed()
