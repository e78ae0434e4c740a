"""Fixtures of the events tests: a real local webhook receiver and a movable clock."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from devcenter.events import clock


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A threaded http.server on 127.0.0.1 that records requests and answers as told.

    `answers` is consumed one per request: an int status, "timeout" (sleeps past the worker's
    limit), or "close" (drops the connection without an answer); then `default`.
    """

    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)
    default: Any = 200
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self) -> Any:
        with self.lock:
            return self.answers.pop(0) if self.answers else self.default

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.01)
        raise AssertionError(f"received {len(self.received)} of {count} within {timeout} s")


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            answer = receiver.next_answer()
            with receiver.lock:
                receiver.received.append(
                    Received({k.lower(): v for k, v in self.headers.items()}, body, time.time())
                )
            if receiver.delay:
                time.sleep(receiver.delay)
            if answer == "close":
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if answer == "hang":  # the worker is killed meanwhile
                time.sleep(5)
                return
            if answer == "timeout":
                time.sleep(2.5)
                answer = 200
            payload = b"thanks" if answer < 300 else b"receiver error"
            self.send_response(answer)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receivers() -> Iterator[Callable[[], Receiver]]:
    """Start as many receivers as the test asks for (each on its own port)."""
    servers: list[ThreadingHTTPServer] = []

    def start() -> Receiver:
        found = Receiver()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
        server.daemon_threads = True
        found.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return found

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver(receivers: Callable[[], Receiver]) -> Receiver:
    return receivers()


class MovableClock:
    def __init__(self) -> None:
        self.current = datetime.now(tz=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    """The events app's clock, moved by the test (the worker and services read it)."""
    moving = MovableClock()
    monkeypatch.setattr(clock, "now", moving)
    return moving


@pytest.fixture
def short_timeout(settings: Any) -> None:
    settings.DEVCENTER_WEBHOOK_TIMEOUT_SECONDS = 1
