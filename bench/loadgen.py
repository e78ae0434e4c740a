"""A bounded closed-loop HTTP/1.1 load generator in asyncio, used when wrk is not installed.

Each connection keeps one request in flight: send, read the whole answer, send again, until
the time is up or a per-connection request cap is reached.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

MAX_REQUESTS_PER_CONNECTION = 2_000_000
READ_TIMEOUT = 10.0


@dataclass(frozen=True)
class LoadResult:
    """What one closed-loop run measured."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        """Return completed requests per second."""
        return self.requests / self.seconds


def http_request(host: str, port: int, path: str, body: bytes, api_key: str) -> bytes:
    """Return the raw bytes of a keep-alive POST request."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {api_key}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_answer(reader: asyncio.StreamReader) -> int:
    """Read one HTTP answer (Content-Length framed) and return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def connection_loop(
    host: str, port: int, raw: bytes, stop_at: float, latencies: list[float]
) -> int:
    """Keep one request in flight until `stop_at`; append latencies; return the error count."""
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    try:
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            if time.monotonic() >= stop_at:
                break
            started = time.perf_counter()
            writer.write(raw)
            status = await asyncio.wait_for(read_answer(reader), READ_TIMEOUT)
            latencies.append(time.perf_counter() - started)
            errors += status != 200
    finally:
        writer.close()
    return errors


async def closed_loop(
    host: str, port: int, path: str, body: bytes, api_key: str, connections: int, seconds: float
) -> LoadResult:
    """Run `connections` closed loops for `seconds` and return the figures."""
    raw = http_request(host, port, path, body, api_key)
    latencies: list[float] = []
    started = time.perf_counter()
    stop_at = time.monotonic() + seconds
    loops = [connection_loop(host, port, raw, stop_at, latencies) for _ in range(connections)]
    errors = await asyncio.wait_for(asyncio.gather(*loops), seconds + 2 * READ_TIMEOUT)
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return LoadResult(len(latencies), elapsed, sum(errors), cuts[49] * 1e3, cuts[98] * 1e3)


def python_closed_loop(
    host: str, port: int, path: str, body: bytes, api_key: str, connections: int, seconds: float
) -> LoadResult:
    """Run the asyncio closed loop to completion (see `closed_loop`)."""
    return asyncio.run(closed_loop(host, port, path, body, api_key, connections, seconds))
