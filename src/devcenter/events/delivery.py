"""The webhook worker: fan events out, claim due deliveries, send them signed, record outcomes.

Claiming (docs/decisions.md, "Webhook worker: PostgreSQL row locks"): one statement leases a
batch of due deliveries to this worker (`lease_until`, `leased_by`). On PostgreSQL it locks
the candidate rows with `FOR UPDATE SKIP LOCKED`, so workers never claim the same delivery;
a lease that ran out (a killed worker) is taken again: at least once, never lost. Only the
head of each queue (an endpoint and a partner) is claimable: a delivery waits while an older
one of its queue is scheduled, so each partner's events arrive in order even under retries.

Sending: a thread pool posts each claimed delivery through a pooled urllib3 connection to the
address `destinations.check_url` checked just now (the name's new answer is checked again:
DNS rebinding gains nothing); a 2xx within `DEVCENTER_WEBHOOK_TIMEOUT_SECONDS` (10) is success.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import urllib3
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from devcenter.errors import DomainError
from devcenter.events import clock
from devcenter.events.choices import DeliveryState
from devcenter.events.destinations import Destination, check_url
from devcenter.events.models import WebhookDelivery, WebhookEndpoint
from devcenter.events.services import (
    AttemptOutcome,
    deliveries_record,
    events_fan_out,
    lease_seconds,
    relaxed_commit,
    signing_secrets,
)
from devcenter.events.signing import signed_headers

logger = logging.getLogger(__name__)

EXCERPT_BYTES = 500
USER_AGENT = "devcenter-webhooks/1"


def timeout_seconds() -> float:
    return float(getattr(settings, "DEVCENTER_WEBHOOK_TIMEOUT_SECONDS", 10))


@dataclass(frozen=True)
class Claimed:
    """A delivery leased to this worker, with what sending it needs."""

    delivery_id: int
    endpoint_id: int
    url: str
    event_id: str
    body: str
    secrets: list[str]


def _claim_sql(postgres: bool) -> str:
    delivery = WebhookDelivery._meta.db_table
    endpoint = WebhookEndpoint._meta.db_table
    lock = " FOR UPDATE OF d SKIP LOCKED" if postgres else ""
    return (
        f"UPDATE {delivery} SET lease_until = %s, leased_by = %s WHERE id IN ("  # noqa: S608
        f" SELECT d.id FROM {delivery} d JOIN {endpoint} e ON e.id = d.endpoint_id"
        " WHERE e.enabled AND d.state = %s AND d.next_attempt_at <= %s"
        " AND (d.lease_until IS NULL OR d.lease_until < %s)"
        f" AND NOT EXISTS (SELECT 1 FROM {delivery} p WHERE p.endpoint_id = d.endpoint_id"
        " AND p.ordering_key = d.ordering_key AND p.state = %s AND p.id < d.id)"
        f" ORDER BY d.next_attempt_at, d.id LIMIT %s{lock}) RETURNING id"
    )


def deliveries_claim(*, worker: str, limit: int) -> list[Claimed]:
    """Lease up to `limit` due queue heads to `worker`; return them (see the module docstring)."""
    now = clock.now()
    until = now + timedelta(seconds=lease_seconds())
    scheduled = DeliveryState.SCHEDULED.value
    due = WebhookDelivery.objects.filter(state=scheduled, next_attempt_at__lte=now)
    if not due.exists():
        return []  # nothing due: no write transaction (SQLite's would lock the database)
    with transaction.atomic(), connection.cursor() as cursor:
        relaxed_commit()
        cursor.execute(
            _claim_sql(connection.vendor == "postgresql"),
            [until, worker, scheduled, now, now, scheduled, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    rows = WebhookDelivery.objects.filter(pk__in=ids).select_related("endpoint").order_by("pk")
    return [
        Claimed(
            delivery_id=d.pk,
            endpoint_id=d.endpoint_id,
            url=d.endpoint.url,
            event_id=d.event_id,
            body=d.body,
            secrets=signing_secrets(d.endpoint, now),
        )
        for d in rows
    ]


class Sender:
    """Posts deliveries through pooled connections, one pool per checked address and host."""

    def __init__(self, *, pool_size: int = 10) -> None:
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self._lock = threading.Lock()
        self._pool_size = pool_size

    def _pool(self, destination: Destination) -> urllib3.HTTPConnectionPool:
        key = (destination.scheme, destination.address, destination.port, destination.host)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                timeout = urllib3.Timeout(total=timeout_seconds())
                common: dict[str, Any] = {
                    "port": destination.port,
                    "timeout": timeout,
                    "maxsize": self._pool_size,
                    "retries": False,
                }
                if destination.scheme == "https":
                    pool = urllib3.HTTPSConnectionPool(
                        destination.address,
                        server_hostname=destination.host,
                        assert_hostname=destination.host,
                        **common,
                    )
                else:
                    pool = urllib3.HTTPConnectionPool(destination.address, **common)
                self._pools[key] = pool
        return pool

    def send(self, claimed: Claimed) -> AttemptOutcome:
        """Post one delivery and return what happened (never raises)."""
        started_at, started = clock.now(), time.monotonic()
        status: int | None = None
        excerpt = error = ""
        try:
            destination = check_url(claimed.url)
            status, excerpt = self._post(destination, claimed, started_at)
        except DomainError as refusal:
            error = f"refused: {refusal.code}"
        except urllib3.exceptions.TimeoutError:
            error = "timeout"
        except (urllib3.exceptions.HTTPError, OSError) as failure:
            error = f"connection: {type(failure).__name__}"
        duration = int((time.monotonic() - started) * 1000)
        if status is not None and duration > timeout_seconds() * 1000:
            status, error = None, "timeout"
        return AttemptOutcome(
            claimed.delivery_id, claimed.endpoint_id, started_at, status, duration, excerpt, error
        )

    def _post(self, destination: Destination, claimed: Claimed, now: datetime) -> tuple[int, str]:
        headers = {
            "Host": _host_header(destination),
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **signed_headers(
                message_id=claimed.event_id,
                timestamp=now,
                body=claimed.body,
                secrets_in_use=claimed.secrets,
            ),
        }
        response = self._pool(destination).urlopen(
            "POST",
            destination.target,
            body=claimed.body.encode(),
            headers=headers,
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
            response.drain_conn()
        finally:
            response.release_conn()
        return response.status, excerpt

    def close(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()


def _host_header(destination: Destination) -> str:
    default = 443 if destination.scheme == "https" else 80
    host = f"[{destination.host}]" if ":" in destination.host else destination.host
    return host if destination.port == default else f"{host}:{destination.port}"


class Worker:
    """`devcenter worker`: loops fan-out, claim, send, record until stopped."""

    def __init__(self, *, threads: int | None = None, batch: int | None = None) -> None:
        self.threads = threads or int(getattr(settings, "DEVCENTER_WEBHOOK_THREADS", 32))
        self.batch = batch or 8 * self.threads
        self.in_flight: list[Future[AttemptOutcome]] = []
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.sender = Sender(pool_size=self.threads)
        self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="webhook")
        self.stopping = threading.Event()
        self.poll = float(getattr(settings, "DEVCENTER_WEBHOOK_POLL_SECONDS", 0.05))

    def run_once(self, *, pipelined: bool = False) -> int:
        """Fan out and deliver one batch; return how many events and deliveries were handled.

        Pipelined (the `run` loop), the batch is sent while the previous batch's outcomes are
        recorded and the next batch claimed: a queue's head stays leased until recorded, so
        order per partner holds all the same.
        """
        fanned = events_fan_out()
        claimed = deliveries_claim(worker=self.name, limit=self.batch)
        sending = [self.pool.submit(self.sender.send, c) for c in claimed]
        finished = self._record(self.in_flight)
        self.in_flight = sending
        if not pipelined:
            finished += self._record(self.in_flight)
            self.in_flight = []
        return fanned + len(claimed) + finished

    def _record(self, futures: list[Future[AttemptOutcome]]) -> int:
        if futures:
            deliveries_record(outcomes=[f.result() for f in futures], worker=self.name)
        return len(futures)

    def run(self, *, until_idle: bool = False) -> None:
        """Work until stopped (SIGTERM/SIGINT), or until nothing is left when `until_idle`."""
        database_down = False
        while not self.stopping.is_set():
            try:
                busy = self.run_once(pipelined=True)
                if database_down:
                    logger.warning("webhook worker: the database answers again")
                database_down = False
            except DatabaseError as error:
                # Said once while it lasts, not a traceback a round (the server's own logs
                # already say the database is unreachable).
                if not database_down:
                    logger.error("webhook worker: database unreachable (%s); retrying", error)
                database_down = True
                self.in_flight = []  # their leases run out: sent again later
                connection.close()
                busy = 0
            except Exception:
                logger.exception("webhook worker round failed")
                self.in_flight = []  # their leases run out: sent again later
                connection.close()
                busy = 0
            if not busy:
                if until_idle:
                    break
                self.stopping.wait(self.poll)
        self._record(self.in_flight)
        self.in_flight = []
        self.close()

    def stop_on_signals(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stopping.set())

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.sender.close()
