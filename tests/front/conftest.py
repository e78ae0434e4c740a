"""Talk to the real ASGI application (front door, decision plane, Django) in process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

MIB = 1024 * 1024


@dataclass
class Answer:
    status: int
    headers: httpx.Headers
    text: str
    pulled: int = 0  # body bytes the application asked for

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.text)

    @property
    def code(self) -> str:
        return str(self.body["code"])


@dataclass
class Streamed:
    """A body sent as chunks (no Content-Length: chunked transfer), counting what was pulled."""

    chunks: Iterable[bytes]
    pulled: int = field(default=0)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.pulled += len(chunk)
            yield chunk


def zeros(total: int, chunk: int = MIB) -> Iterable[bytes]:
    """Yield `total` zero bytes in chunks of `chunk`."""
    sent = 0
    while sent < total:
        size = min(chunk, total - sent)
        sent += size
        yield b"\0" * size


def call(
    app: Any,
    method: str,
    path: str,
    *,
    content: bytes | Streamed | None = None,
    headers: dict[str, str] | None = None,
    base_url: str = "http://testserver",
) -> Answer:
    """Send one request through `app` and return its answer."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            return await client.request(method, path, content=content, headers=headers)

    response = asyncio.run(go())
    pulled = content.pulled if isinstance(content, Streamed) else len(content or b"")
    return Answer(response.status_code, response.headers, response.text, pulled)


@pytest.fixture
def application() -> Any:
    """The application `devcenter serve` runs: the front door first."""
    from devcenter.asgi import application

    application.keyring.mark_stale()
    return application


@pytest.fixture
def plane_key(transactional_db: None) -> str:
    """A raw `decisions` key the plane (another thread's connection) can see."""
    from devcenter.apikeys.services import apikey_create

    _, raw = apikey_create(name="front-test", scope="decisions")
    return raw
