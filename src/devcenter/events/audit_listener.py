"""One LISTEN per process on the audit log's NOTIFY channel (PostgreSQL), fanned out through
`feed_bell` to every waiter: the worker's idle wait and the feed's long-polls.

The audit link NOTIFYs `devcenter_audit` in the transaction that appends events, so a waiter
wakes once they are committed instead of at its next re-check. The thread has its own
connection (autocommit), started on first use; when LISTEN fails (connection lost) it logs,
retries every few seconds, and waiters fall back to re-checking (`listening()` is false).
On SQLite nothing listens: waiters re-check at their polling interval.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection

from devcenter.audit.services import NOTIFY_CHANNEL
from devcenter.events import feed_bell

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 1.0  # how often the thread checks that it should stop
RETRY_SECONDS = 2.0
LOG_SECONDS = 30.0

_lock = threading.Lock()
_thread: AuditListener | None = None


class AuditListener(threading.Thread):
    """LISTEN on the audit channel with its own connection; ring the bell per burst."""

    def __init__(self, conninfo: str) -> None:
        super().__init__(name="devcenter-events-listener", daemon=True)
        self.conninfo = conninfo
        self.listening = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        logged_at = float("-inf")
        while not self.stopping.is_set():
            try:
                self._listen()
            except Exception:
                if time.monotonic() - logged_at >= LOG_SECONDS:
                    logged_at = time.monotonic()
                    logger.warning("LISTEN %s failed; re-checking until it works", NOTIFY_CHANNEL)
                logger.debug("LISTEN failure", exc_info=True)
            finally:
                self.listening.clear()
            self.stopping.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self.listening.set()
            feed_bell.ring()  # anything committed before LISTEN: look once more
            while not self.stopping.is_set():
                for _ in conn.notifies(timeout=TIMEOUT_SECONDS, stop_after=1):
                    feed_bell.ring()


def start() -> None:
    """Start this process's listener once (PostgreSQL only; a no-op elsewhere)."""
    global _thread  # noqa: PLW0603 (one listener per process)
    if connection.vendor != "postgresql":
        return
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = AuditListener(_conninfo(connection.settings_dict))
            _thread.start()


def listening() -> bool:
    """Return whether this process hears other processes' appends at once."""
    thread = _thread
    return thread is not None and thread.listening.is_set()


def stop(timeout: float = 5.0) -> None:
    """Stop the listener (tests, the worker's exit)."""
    global _thread  # noqa: PLW0603
    with _lock:
        thread, _thread = _thread, None
    if thread is not None:
        thread.stopping.set()
        thread.join(timeout)


def _conninfo(settings_dict: dict[str, object]) -> str:
    from psycopg.conninfo import make_conninfo

    names = {"NAME": "dbname", "USER": "user", "PASSWORD": "password", "HOST": "host"}
    given = {key: settings_dict.get(name) for name, key in names.items()}
    given["port"] = settings_dict.get("PORT")
    return make_conninfo(**{key: str(value) for key, value in given.items() if value})
