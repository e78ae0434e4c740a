"""The webhook worker: fan events out, claim due deliveries, send them signed, record outcomes.

Claiming (docs/decisions.md, "Webhook worker: PostgreSQL row locks"): one statement leases a
batch of due deliveries to this worker (`lease_until`, `leased_by`). On PostgreSQL it locks
the candidate rows with `FOR UPDATE SKIP LOCKED`, so workers never claim the same delivery;
a lease that ran out (a killed worker) is taken again: at least once, never lost. Only the
head of each queue (an endpoint and a partner) is claimable: a delivery waits while an older
one of its queue is scheduled, so each partner's events arrive in order even under retries.

A claim also takes, behind each head it leases, up to `DEVCENTER_WEBHOOK_CHAIN` (8) of the
following deliveries of the same queue in one go: a chain. A chain is sent by one thread, one
delivery after the other; it stops at the first failure (that one is rescheduled and still
heads its queue, the rest are released unsent) and before a send that could outlast the lease.

Sending: a thread pool posts the chains concurrently through pooled keep-alive urllib3
connections to the address `destinations.check_url` checked (a checked answer is reused for
`DEVCENTER_WEBHOOK_RESOLVE_TTL_SECONDS`, 1 s, then the name is resolved and checked again:
DNS rebinding gains nothing); a 2xx within `DEVCENTER_WEBHOOK_TIMEOUT_SECONDS` (10) is success.
The outcomes of a batch are recorded together (`deliveries_record`: a few statements a batch).

Waking: on PostgreSQL the worker listens for the audit log's NOTIFY (`audit_listener`) and
wakes when events are committed; it re-checks every `DEVCENTER_WEBHOOK_IDLE_SECONDS` (0.5)
for retries that came due, test sends and replays. Elsewhere (SQLite) it polls every
`DEVCENTER_WEBHOOK_POLL_SECONDS` (0.05).
"""

from __future__ import annotations

import json
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
from devcenter.events import audit_listener, clock, feed_bell
from devcenter.events.choices import DeliveryState
from devcenter.events.destinations import Destination, check_url
from devcenter.events.models import WebhookDelivery, WebhookEndpoint
from devcenter.events.services import (
    AttemptOutcome,
    db_time,
    deliveries_record,
    events_fan_out,
    id_list_sql,
    json_rows_sql,
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


def chain_length() -> int:
    return max(1, int(getattr(settings, "DEVCENTER_WEBHOOK_CHAIN", 8)))


def resolve_ttl() -> float:
    return float(getattr(settings, "DEVCENTER_WEBHOOK_RESOLVE_TTL_SECONDS", 1.0))


@dataclass(frozen=True)
class Claimed:
    """A delivery leased to this worker, with what sending it needs."""

    delivery_id: int
    endpoint_id: int
    ordering_key: str
    url: str
    event_id: str
    body: str
    secrets: list[str]
    lease_until: float = float("inf")  # time.monotonic() when the lease runs out


def _claim_sql(postgres: bool) -> str:
    """Lease due queue heads; RETURNING what sending them and claiming their chains needs."""
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
        f" ORDER BY d.next_attempt_at, d.id LIMIT %s{lock})"
        " RETURNING id, endpoint_id, ordering_key, event_id, body"
    )


def _followers_sql(postgres: bool) -> str:
    """Select up to %s deliveries that follow each leased head in its queue, oldest first,
    with whether each is due (PostgreSQL: an index scan per queue, LIMIT each). The heads
    come as one JSON parameter: a list of [endpoint id, ordering key, head id]."""
    delivery = WebhookDelivery._meta.db_table
    columns = "f.id, f.endpoint_id, f.ordering_key, f.event_id, f.body, f.next_attempt_at <= %s"
    queues = json_rows_sql(("bigint", "text", "bigint"), ("endpoint_id", "ordering_key", "head"))
    if postgres:
        return (
            f"SELECT {columns} FROM ({queues}) AS q"  # noqa: S608
            f" CROSS JOIN LATERAL (SELECT * FROM {delivery} g"
            " WHERE g.endpoint_id = q.endpoint_id AND g.ordering_key = q.ordering_key"
            " AND g.state = %s AND g.id > q.head ORDER BY g.id LIMIT %s) f"
        )
    return (
        f"SELECT {columns} FROM (SELECT d.*, row_number() OVER ("  # noqa: S608
        " PARTITION BY d.endpoint_id, d.ordering_key ORDER BY d.id) AS place"
        f" FROM {delivery} d JOIN ({queues}) AS q"
        " ON d.endpoint_id = q.endpoint_id AND d.ordering_key = q.ordering_key"
        " AND d.id > q.head WHERE d.state = %s) f WHERE f.place <= %s"
    )


def deliveries_claim(*, worker: str, limit: int, chain: int | None = None) -> list[Claimed]:
    """Lease up to `limit` due queue heads to `worker`, each with up to `chain` - 1 of its
    queue's following due deliveries; return them in `id` order (see the module docstring).
    """
    now = clock.now()
    lease = lease_seconds()
    until, until_monotonic = now + timedelta(seconds=lease), time.monotonic() + lease
    scheduled = DeliveryState.SCHEDULED.value
    due = WebhookDelivery.objects.filter(state=scheduled, next_attempt_at__lte=now)
    if not due.exists():
        return []  # nothing due: no write transaction (SQLite's would lock the database)
    chain = chain_length() if chain is None else max(1, chain)
    with transaction.atomic(), connection.cursor() as cursor:
        relaxed_commit()
        cursor.execute(
            _claim_sql(connection.vendor == "postgresql"),
            [db_time(until), worker, scheduled, db_time(now), db_time(now), scheduled, limit],
        )
        rows = cursor.fetchall()
        if rows and chain > 1:
            rows += _claim_followers(cursor, rows, chain, until, worker, now)
    if not rows:
        return []
    return _claimed(rows, until_monotonic, now)


def _claim_followers(
    cursor: Any, heads: list[Any], chain: int, until: datetime, worker: str, now: datetime
) -> list[Any]:
    """Lease the due deliveries that follow each head, up to the first one not due (the
    head's lease keeps every other worker off its queue); return their rows."""
    scheduled = DeliveryState.SCHEDULED.value
    queues = json.dumps([[row[1], row[2], row[0]] for row in heads])
    postgres = connection.vendor == "postgresql"
    cursor.execute(_followers_sql(postgres), [db_time(now), queues, scheduled, chain - 1])
    kept: list[Any] = []
    blocked: set[tuple[int, str]] = set()
    for row in sorted(cursor.fetchall(), key=lambda r: r[0]):
        queue = (row[1], row[2])
        if queue in blocked or not row[5]:
            blocked.add(queue)  # not due yet: it and what follows wait
        else:
            kept.append(row[:5])
    if kept:
        table = WebhookDelivery._meta.db_table
        where, listed = id_list_sql(row[0] for row in kept)
        cursor.execute(
            f"UPDATE {table} SET lease_until = %s, leased_by = %s"  # noqa: S608
            f" WHERE state = %s AND id {where}",
            [db_time(until), worker, scheduled, listed],
        )
    return kept


def _claimed(rows: list[Any], until: float, now: datetime) -> list[Claimed]:
    endpoints = {e.pk: e for e in WebhookEndpoint.objects.filter(pk__in={row[1] for row in rows})}
    secrets = {pk: signing_secrets(e, now) for pk, e in endpoints.items()}
    return [
        Claimed(
            delivery_id=delivery_id,
            endpoint_id=endpoint_id,
            ordering_key=ordering_key,
            url=endpoints[endpoint_id].url,
            event_id=event_id,
            body=body,
            secrets=secrets[endpoint_id],
            lease_until=until,
        )
        for delivery_id, endpoint_id, ordering_key, event_id, body in sorted(rows)
    ]


def chains_of(claimed: list[Claimed]) -> list[list[Claimed]]:
    """Group claimed deliveries into their queues' chains, each in `id` order."""
    chains: dict[tuple[int, str], list[Claimed]] = {}
    for one in sorted(claimed, key=lambda c: c.delivery_id):
        chains.setdefault((one.endpoint_id, one.ordering_key), []).append(one)
    return list(chains.values())


class Sender:
    """Posts deliveries through pooled connections, one pool per checked address and host."""

    def __init__(self, *, pool_size: int = 10) -> None:
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self._checked: dict[str, tuple[float, Destination]] = {}
        self._lock = threading.Lock()
        self._pool_size = pool_size

    def _destination(self, url: str) -> Destination:
        """Return the URL's checked destination: the answer checked within the TTL, else a
        new resolution, checked (raises the check's DomainError)."""
        now = time.monotonic()
        cached = self._checked.get(url)
        if cached is not None and cached[0] > now:
            return cached[1]
        destination = check_url(url)
        with self._lock:
            self._checked[url] = (now + resolve_ttl(), destination)
        return destination

    def _pool(self, destination: Destination) -> urllib3.HTTPConnectionPool:
        key = (destination.scheme, destination.address, destination.port, destination.host)
        pool = self._pools.get(key)
        if pool is not None:
            return pool
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

    def send_chain(self, chain: list[Claimed]) -> list[AttemptOutcome | Claimed]:
        """Send a queue's claimed deliveries one after the other; stop at the first failure
        or before a send that could outlast the lease. Return an outcome per attempted
        delivery, then the unsent ones themselves (to be released)."""
        results: list[AttemptOutcome | Claimed] = []
        limit = timeout_seconds() + 1
        for index, claimed in enumerate(chain):
            if index and time.monotonic() + limit > claimed.lease_until:
                results.extend(chain[index:])
                break
            outcome = self.send(claimed)
            results.append(outcome)
            if not outcome.succeeded:
                results.extend(chain[index + 1 :])
                break
        return results

    def send(self, claimed: Claimed) -> AttemptOutcome:
        """Post one delivery and return what happened (never raises)."""
        started_at, started = clock.now(), time.monotonic()
        status: int | None = None
        excerpt = error = ""
        try:
            destination = self._destination(claimed.url)
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
            self._checked.clear()


def _host_header(destination: Destination) -> str:
    default = 443 if destination.scheme == "https" else 80
    host = f"[{destination.host}]" if ":" in destination.host else destination.host
    return host if destination.port == default else f"{host}:{destination.port}"


class Worker:
    """`devcenter worker`: loops fan-out, claim, send, record until stopped."""

    def __init__(
        self, *, threads: int | None = None, batch: int | None = None, chain: int | None = None
    ) -> None:
        self.threads = threads or int(getattr(settings, "DEVCENTER_WEBHOOK_THREADS", 32))
        self.batch = batch or 8 * self.threads
        self.chain = chain
        self.in_flight: list[Future[list[AttemptOutcome | Claimed]]] = []
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.sender = Sender(pool_size=self.threads)
        self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="webhook")
        self.stopping = threading.Event()
        self.poll = float(getattr(settings, "DEVCENTER_WEBHOOK_POLL_SECONDS", 0.05))
        self.idle = float(getattr(settings, "DEVCENTER_WEBHOOK_IDLE_SECONDS", 0.5))

    def run_once(self, *, pipelined: bool = False) -> int:
        """Fan out and deliver one batch; return how many events and deliveries were handled.

        Pipelined (the `run` loop), the batch is sent while the previous batch's outcomes are
        recorded and the next batch claimed: a queue's head stays leased until recorded, so
        order per partner holds all the same.
        """
        fanned = events_fan_out()
        claimed = deliveries_claim(worker=self.name, limit=self.batch, chain=self.chain)
        sending = [self.pool.submit(self.sender.send_chain, c) for c in chains_of(claimed)]
        finished = self._record(self.in_flight)
        self.in_flight = sending
        if not pipelined:
            finished += self._record(self.in_flight)
            self.in_flight = []
        return fanned + len(claimed) + finished

    def _record(self, futures: list[Future[list[AttemptOutcome | Claimed]]]) -> int:
        if not futures:
            return 0
        outcomes: list[AttemptOutcome] = []
        unsent: list[int] = []
        for future in futures:
            for result in future.result():
                if isinstance(result, AttemptOutcome):
                    outcomes.append(result)
                else:
                    unsent.append(result.delivery_id)
        deliveries_record(outcomes=outcomes, worker=self.name, unsent=unsent)
        return len(outcomes) + len(unsent)

    def _wait(self, since: int) -> None:
        """Idle: sleep until events are committed (NOTIFY, PostgreSQL) or the next re-check."""
        listening = audit_listener.listening()
        feed_bell.wait(self.idle if listening else self.poll, since=since)

    def run(self, *, until_idle: bool = False) -> None:
        """Work until stopped (SIGTERM/SIGINT), or until nothing is left when `until_idle`."""
        database_down = False
        if not until_idle:
            audit_listener.start()
        while not self.stopping.is_set():
            mark = feed_bell.mark()
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
                self._wait(mark)
        self._record(self.in_flight)
        self.in_flight = []
        self.close()

    def stop(self) -> None:
        """Ask `run` to end after its round (and wake it if idle)."""
        self.stopping.set()
        feed_bell.ring()

    def stop_on_signals(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop())

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.sender.close()
