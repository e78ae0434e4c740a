"""A fast webhook receiver for the events bench: asyncio, HTTP/1.1 keep-alive, answers 204.

`python -m bench.receiver OUTFILE PORT [PORT…]`: listens on 127.0.0.1 at each port, records
(webhook-id, receipt time) and writes them to OUTFILE as JSON when it gets SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time

ANSWER = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
received: list[tuple[str, float]] = []


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length, message_id = 0, ""
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                lowered = name.strip().lower()
                if lowered == b"content-length":
                    length = int(value)
                elif lowered == b"webhook-id":
                    message_id = value.strip().decode()
            await reader.readexactly(length)
            received.append((message_id, time.time()))
            writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(outfile: str, ports: list[int]) -> None:
    servers = [await asyncio.start_server(handle, "127.0.0.1", port) for port in ports]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    await stop.wait()
    for server in servers:
        server.close()
    with open(outfile, "w", encoding="utf-8") as out:
        json.dump(received, out)


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], [int(p) for p in sys.argv[2:]]))
