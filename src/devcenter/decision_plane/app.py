"""The lean ASGI front: decision endpoints from memory, everything else to Django."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

from devcenter.decision_plane.answer import (
    QuestionError,
    SnapshotUnavailableError,
    answer_parts,
    joined,
)
from devcenter.decision_plane.database import PlaneDatabase
from devcenter.decision_plane.decision_log import DecisionLog, log_from_settings
from devcenter.decision_plane.errors import PlaneError, from_validation
from devcenter.decision_plane.keyring import Keyring, KeyringUnavailableError
from devcenter.decision_plane.memory import keep_large_buffers
from devcenter.decision_plane.metrics import METRICS_SECONDS, PlaneMetrics
from devcenter.decision_plane.schema import decode_body
from devcenter.decision_plane.snapshot import Snapshot
from devcenter.partners.choices import PartnerType
from devcenter.policy import Policy, default_policy

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

logger = logging.getLogger(__name__)

PREFIX = "/api/v1"
MAX_BODY_BYTES = 16 * 1024 * 1024
DECISIONS_SCOPE = "decisions"
METRICS_SCOPE = "metrics"
METRICS_PATH = "/metrics"
BARE_PATH = f"{PREFIX}/_bench/bare"
READY_WAIT_SECONDS = 1.0  # how long /ready waits for the database to answer
AGE_HEADER = b"devcenter-snapshot-age"
_JSON_HEADERS = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
_RETRY_AFTER = [(b"retry-after", b"1")]
_LOOPBACK = frozenset({"127.0.0.1", "::1"})


class DecisionPlane:
    """Answer health, policy and decision requests; pass everything else to `fallback`."""

    def __init__(
        self,
        fallback: ASGIApp,
        *,
        policy: Policy | None = None,
        keyring: Keyring | None = None,
        snapshot: Snapshot | None = None,
        decision_log: DecisionLog | None = None,
        bare_endpoint: bool = False,
    ) -> None:
        self.fallback = fallback
        self.policy = policy or default_policy()
        database = PlaneDatabase()  # one thread and one connection for the keys and snapshot
        self.keyring = keyring or Keyring(database=database)
        self.snapshot = snapshot or Snapshot(database=database)
        self.decision_log = decision_log or log_from_settings()
        self.metrics = PlaneMetrics()
        self.metrics_open_on_loopback = not _production()
        self._health = b'{"status":"ok"}'
        self._policy_json = json.dumps(self.policy.describe(), ensure_ascii=False).encode()
        self._routes: dict[str, tuple[bytes, Callable[[Scope, Receive, Send], Awaitable[None]]]] = {
            f"{PREFIX}/health": (b"GET", self._get_health),
            f"{PREFIX}/ready": (b"GET", self._get_ready),
            f"{PREFIX}/policy": (b"GET", self._get_policy),
            f"{PREFIX}/decisions": (b"POST", self._post_decisions),
            METRICS_PATH: (b"GET", self._get_metrics),
        }
        if bare_endpoint:
            # The yardstick of `make bench`: same server, same answer, no work.
            # The question of bench/single.py.
            sample = self.policy.decide_service(PartnerType.INDIVIDUAL, "graph_api").json
            self._bare = b'{"decisions":[' + sample + b"]}"
            self._routes[BARE_PATH] = (b"POST", self._post_bare)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            route = self._routes.get(scope["path"])
            if route is not None:
                await self._dispatch(route, scope, receive, send)
                return
        elif scope["type"] == "lifespan":
            await _lifespan(receive, send, self)
            return
        await self.fallback(scope, receive, send)

    async def _dispatch(
        self,
        route: tuple[bytes, Callable[[Scope, Receive, Send], Awaitable[None]]],
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        method, handler = route
        asked = scope["method"].encode()
        if asked != method and not (asked == b"HEAD" and method == b"GET"):
            await _respond(
                send,
                405,
                PlaneError(405, "method_not_allowed").body(_lang(scope)),
                [(b"allow", method)],
            )
            return
        try:
            await handler(scope, receive, send)
        except PlaneError as error:
            extra = _RETRY_AFTER if error.status == 503 else None
            await _respond(send, error.status, error.body(_lang(scope)), extra)
        except Exception:  # a bug: logged, and still a JSON answer, never uvicorn's plain 500
            logger.exception("decision plane: %s %s failed", scope["method"], scope["path"])
            await _respond(send, 500, PlaneError(500, "internal_error").body(_lang(scope)))

    async def _get_health(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _respond(send, 200, self._health)

    async def _get_ready(self, scope: Scope, receive: Receive, send: Send) -> None:
        """200 when the database answers (a catch-up now) and the snapshot is loaded, else 503."""
        snapshot = self.snapshot
        database = snapshot.database
        # Still loading (a large registry) counts as answering if the last read worked.
        database_ok = await snapshot.catch_up_now(READY_WAIT_SECONDS) or database.ok is True
        not_ready = [
            part
            for part, ok in (("database", database_ok), ("snapshot", snapshot.loaded))
            if not ok
        ]
        body: dict[str, object] = {
            "status": "not_ready" if not_ready else "ready",
            "database": {"ok": database_ok}
            if database_ok
            else {"ok": False, "error": database.error or "no answer in time"},
            "snapshot": {
                "loaded": snapshot.loaded,
                "sequence": snapshot.sequence,
                "age_seconds": round(snapshot.age(), 3) if snapshot.loaded else None,
            },
        }
        if not_ready:
            error = json.loads(PlaneError(503, "not_ready").body(_lang(scope)))
            body = {**error, "not_ready": not_ready, **body}
            await _respond(send, 503, _json(body), _RETRY_AFTER)
            return
        await _respond(send, 200, _json(body))

    async def _get_metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The Prometheus text format; a key with the metrics scope (or loopback in development)."""
        client = scope.get("client") or ("", 0)
        if not (self.metrics_open_on_loopback and client[0] in _LOOPBACK):
            await self._authenticate(scope, METRICS_SCOPE)
        from devcenter.operations.metrics import CONTENT_TYPE, render

        self.flush_metrics()
        body = await asyncio.to_thread(render)
        headers = [
            (b"content-type", CONTENT_TYPE.encode()),
            (b"cache-control", b"no-store"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def flush_metrics(self) -> None:
        """Hand this worker's counts to the Prometheus series (about once a second)."""
        snapshot = self.snapshot
        ready = snapshot.loaded and snapshot.database.ok is not False
        self.metrics.flush(snapshot, snapshot.database, ready=ready)
        self.metrics.flush_log(self.decision_log)

    async def _get_policy(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _respond(send, 200, self._policy_json)

    async def _post_bare(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _read_body(scope, receive)
        await _respond(send, 200, self._bare)

    async def _post_decisions(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        try:
            questions, payload, snapshot = await self._decide(scope, receive)
        except PlaneError as error:
            self.metrics.refused(error.code, time.perf_counter() - started)
            raise
        extra = None
        if snapshot is not None:
            extra = [(AGE_HEADER, b"%d" % snapshot.age())]
        await _respond(send, 200, payload, extra)
        self.metrics.answered(questions, time.perf_counter() - started)

    async def _decide(
        self, scope: Scope, receive: Receive
    ) -> tuple[list[Any], bytes, Snapshot | None]:
        """Return the questions, the answer and the snapshot it used (None: not loaded)."""
        await self._authenticate(scope, DECISIONS_SCOPE)
        body = await _read_body(scope, receive)
        try:
            decoded = decode_body(body)
        except msgspec.ValidationError as exc:
            raise from_validation(str(exc)) from None
        except (msgspec.DecodeError, UnicodeDecodeError):  # msgspec checks UTF-8 as it goes
            raise PlaneError(422, "malformed_json") from None
        snapshot = await self._fresh_snapshot(decoded.min_snapshot)
        try:
            parts = answer_parts(self.policy, decoded.requests, snapshot)
        except QuestionError as exc:
            raise PlaneError(422, exc.code, exc.field, exc.index, exc.problem) from None
        except SnapshotUnavailableError:  # a question needs the registry, never read yet
            raise PlaneError(503, "registry_unavailable") from None
        if self.decision_log.rate:  # off by default: nothing more on the hot path
            logged = self.decision_log.sample(body, decoded.requests, parts)
            return decoded.requests, logged, snapshot
        return decoded.requests, joined(parts), snapshot

    async def _fresh_snapshot(self, min_snapshot: int | None) -> Snapshot | None:
        """Return the snapshot, having waited for `min_snapshot` (503 when it stays behind).

        None when it was never loaded (the database has not answered since start): questions
        that need it are then refused, the others answered.
        """
        snapshot = self.snapshot
        if not snapshot.loaded and not await snapshot.ensure_loaded():
            if min_snapshot is not None:
                raise PlaneError(503, "registry_unavailable")
            return None
        if min_snapshot is not None and snapshot.sequence < min_snapshot:
            if not await snapshot.reach(min_snapshot):
                raise PlaneError(503, "snapshot_behind")
        else:
            await snapshot.freshen()
        return snapshot

    async def _authenticate(self, scope: Scope, needed: str) -> None:
        header = _header(scope, b"authorization")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise PlaneError(401, "unauthorized")
        try:
            info = await self.keyring.lookup(raw.strip())
        except KeyringUnavailableError:
            raise PlaneError(503, "registry_unavailable") from None
        if info is None:
            raise PlaneError(401, "unauthorized")
        if info.scope != needed:
            raise PlaneError(403, "insufficient_scope")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value, "latin-1")
    return ""


def _lang(scope: Scope) -> str:
    return "en" if _header(scope, b"accept-language").lower().startswith("en") else "ja"


async def _read_body(scope: Scope, receive: Receive) -> bytes:
    declared = _header(scope, b"content-length")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PlaneError(413, "payload_too_large")
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PlaneError(413, "payload_too_large")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _respond(
    send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [*_JSON_HEADERS, (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _json(body: dict[str, object]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _production() -> bool:
    from django.conf import settings

    return str(getattr(settings, "SETTINGS_MODULE", "")).endswith(".production")


async def _flush_metrics_forever(plane: DecisionPlane) -> None:
    while True:
        await asyncio.sleep(METRICS_SECONDS)
        try:
            plane.flush_metrics()
        except Exception:  # pragma: no cover (a full disk under the metrics directory)
            logger.exception("decision plane: metrics not written")


async def _lifespan(receive: Receive, send: Send, plane: DecisionPlane) -> None:
    """Answer the server's lifespan protocol (Django's ASGI handler does not speak it).

    At start-up the keys and the snapshot are loaded and, on PostgreSQL, the snapshot listens
    for audit NOTIFYs; a database that cannot be read yet is logged (once) and tried again in
    the background. The metrics are handed over once a second.
    """
    snapshot = plane.snapshot
    flusher: asyncio.Task[None] | None = None
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await snapshot.start()  # the plane's connection is kept from here on
            await plane.keyring.load()
            flusher = asyncio.get_running_loop().create_task(_flush_metrics_forever(plane))
            # Django, the policy and the snapshot live as long as the process: keep the
            # cyclic garbage collector from rescanning them on every collection (measured:
            # about a fifth of a worker's time under 10,000-question calls).
            gc.freeze()
            if plane.decision_log.enabled:
                plane.decision_log.start()
            keep_large_buffers()  # no page faults for each call's body and answer
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if flusher is not None:
                flusher.cancel()
            await asyncio.to_thread(plane.decision_log.stop)  # writes what is buffered
            await snapshot.stop()
            await send({"type": "lifespan.shutdown.complete"})
            return


def bare_endpoint_enabled() -> bool:
    """Return whether the benchmark's bare yardstick endpoint is switched on."""
    return os.environ.get("DEVCENTER_BENCH_BARE") == "1"
