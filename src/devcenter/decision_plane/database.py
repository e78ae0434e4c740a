"""The decision plane's database reads: one thread, one connection, and whether it answers.

Every read of the plane (catching the snapshot up, reloading the key ring) runs in one worker
thread per process, one at a time, so however many requests wait there is at most one database
session and one read in flight. In a server (`keep_connection`, set at start-up) the thread keeps
its connection between reads; elsewhere (tests, one-off tools) it closes it after each read.

A failed read is remembered (`ok`, `error`, `failed_since`) and logged once per
`LOG_INTERVAL_SECONDS` while the database stays away, not once per request; the first read
that works again logs that the database is back.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

logger = logging.getLogger("devcenter.decision_plane")

LOG_INTERVAL_SECONDS = 30.0

T = TypeVar("T")


def is_connection_error(exc: BaseException) -> bool:
    """Return whether `exc` says the database cannot be reached (not a bug of ours)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


class PlaneDatabase:
    """Run the plane's reads in its own thread and keep track of whether the database answers."""

    def __init__(self) -> None:
        self.keep_connection = False
        self.ok: bool | None = None  # None: nothing read yet
        self.error = ""  # the last failure, "ExceptionType: message"
        self.failed_since: float | None = None  # monotonic
        self.errors = 0  # failed reads since start (metrics)
        self._logged_at = float("-inf")
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()

    async def run(self, work: Callable[[], T]) -> T:
        """Run `work` in the plane's thread; raise what it raises (recorded and logged).

        Outside a server (no `keep_connection`: tests, tools that run one event loop per call)
        it runs in the loop's own executor instead, which the loop waits for when it closes, so
        that no read outlives the loop that asked for it.
        """
        if not self.keep_connection:
            return await asyncio.to_thread(self.run_sync, work)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread(), self.run_sync, work)

    def run_sync(self, work: Callable[[], T]) -> T:
        """Run `work` here with this thread's connection; record whether the database answered."""
        from django.db import close_old_connections, connection

        if not self.keep_connection:
            close_old_connections()
        try:
            result = work()
        except BaseException as exc:
            _close_quietly(connection)  # a broken connection is never reused
            self.failed(exc)
            raise
        finally:
            if not self.keep_connection:
                close_old_connections()
        self.answered()
        return result

    def close(self) -> None:
        """Close the plane thread's connection (server shut-down)."""
        if self._executor is not None:
            self._executor.submit(_close_connection).result(timeout=10)

    def answered(self) -> None:
        """Record a read that worked (logs once when the database is back)."""
        if self.ok is False and self.failed_since is not None:
            logger.warning(
                "database answers again after %.1f s", time.monotonic() - self.failed_since
            )
        self.ok, self.error, self.failed_since = True, "", None

    def failed(self, exc: BaseException) -> None:
        """Record a failed read; log it at most once per interval (a traceback only for bugs)."""
        now = time.monotonic()
        self.errors += 1
        self.error = f"{type(exc).__name__}: {exc}".strip()[:300]
        if self.ok is not False or self.failed_since is None:
            self.failed_since = now
        self.ok = False
        if now - self._logged_at < LOG_INTERVAL_SECONDS:
            return
        self._logged_at = now
        if is_connection_error(exc):
            _tell_django_routes()
            logger.error(
                "database unreachable for %.0f s (%s); the decision plane answers from memory",
                now - self.failed_since,
                self.error.splitlines()[0],
            )
        else:
            logger.error("decision plane: reading the registry failed", exc_info=exc)

    def _thread(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="devcenter-plane-db")
            return self._executor


def _tell_django_routes() -> None:
    """Let Django's routes look at the database before their next request (no traceback)."""
    from devcenter.operations.database import WATCH

    WATCH.suspect()


def _close_connection() -> None:
    from django.db import connection

    _close_quietly(connection)


def _close_quietly(connection: object) -> None:
    try:
        connection.close()  # type: ignore[attr-defined]
    except Exception:  # noqa: S110 (closing a connection that is already gone)
        pass
