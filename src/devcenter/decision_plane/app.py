"""The lean ASGI front: decision endpoints from memory, everything else to Django."""

from __future__ import annotations

import gc
import json
import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

from devcenter.decision_plane.answer import QuestionError, SnapshotUnavailableError, answer
from devcenter.decision_plane.errors import PlaneError, from_validation
from devcenter.decision_plane.keyring import Keyring
from devcenter.decision_plane.memory import keep_large_buffers
from devcenter.decision_plane.schema import decode_body
from devcenter.decision_plane.snapshot import Snapshot
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
BARE_PATH = f"{PREFIX}/_bench/bare"
_JSON_HEADERS = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
_RETRY_AFTER = [(b"retry-after", b"1")]


class DecisionPlane:
    """Answer health, policy and decision requests; pass everything else to `fallback`."""

    def __init__(
        self,
        fallback: ASGIApp,
        *,
        policy: Policy | None = None,
        keyring: Keyring | None = None,
        snapshot: Snapshot | None = None,
        bare_endpoint: bool = False,
    ) -> None:
        self.fallback = fallback
        self.policy = policy or default_policy()
        self.keyring = keyring or Keyring()
        self.snapshot = snapshot or Snapshot()
        self._health = b'{"status":"ok"}'
        self._policy_json = json.dumps(self.policy.describe(), ensure_ascii=False).encode()
        self._routes: dict[str, tuple[bytes, Callable[[Scope, Receive, Send], Awaitable[None]]]] = {
            f"{PREFIX}/health": (b"GET", self._get_health),
            f"{PREFIX}/policy": (b"GET", self._get_policy),
            f"{PREFIX}/decisions": (b"POST", self._post_decisions),
        }
        if bare_endpoint:
            # The yardstick of `make bench`: same server, same answer, no work.
            sample = self.policy.decide_service(None, self.policy.services[0]).json
            self._bare = b'{"decisions":[' + sample + b"]}"
            self._routes[BARE_PATH] = (b"POST", self._post_bare)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            route = self._routes.get(scope["path"])
            if route is not None:
                await self._dispatch(route, scope, receive, send)
                return
        elif scope["type"] == "lifespan":
            await _lifespan(receive, send, self.snapshot)
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

    async def _get_health(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _respond(send, 200, self._health)

    async def _get_policy(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _respond(send, 200, self._policy_json)

    async def _post_bare(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _read_body(scope, receive)
        await _respond(send, 200, self._bare)

    async def _post_decisions(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._authenticate(scope)
        body = await _read_body(scope, receive)
        try:
            decoded = decode_body(body)
        except msgspec.ValidationError as exc:
            raise from_validation(str(exc)) from None
        except (msgspec.DecodeError, UnicodeDecodeError):  # msgspec checks UTF-8 as it goes
            raise PlaneError(422, "malformed_json") from None
        snapshot = await self._fresh_snapshot(decoded.min_snapshot)
        try:
            payload = answer(self.policy, decoded.requests, snapshot)
        except QuestionError as exc:
            raise PlaneError(422, exc.code, exc.field, exc.index, exc.problem) from None
        except SnapshotUnavailableError:
            raise PlaneError(503, "snapshot_behind") from None
        await _respond(send, 200, payload)

    async def _fresh_snapshot(self, min_snapshot: int | None) -> Snapshot:
        """Return the snapshot, having waited for `min_snapshot` (503 when it stays behind)."""
        snapshot = self.snapshot
        if not snapshot.loaded:
            await snapshot.ensure_loaded()
        if min_snapshot is not None and snapshot.sequence < min_snapshot:
            if not await snapshot.reach(min_snapshot):
                raise PlaneError(503, "snapshot_behind")
        else:
            await snapshot.freshen()
        return snapshot

    async def _authenticate(self, scope: Scope) -> None:
        header = _header(scope, b"authorization")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise PlaneError(401, "unauthorized")
        info = await self.keyring.lookup(raw.strip())
        if info is None:
            raise PlaneError(401, "unauthorized")
        if info.scope != DECISIONS_SCOPE:
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


async def _lifespan(receive: Receive, send: Send, snapshot: Snapshot) -> None:
    """Answer the server's lifespan protocol (Django's ASGI handler does not speak it).

    At start-up the snapshot is loaded and, on PostgreSQL, listens for audit NOTIFYs; a
    database that cannot be read yet is logged and the first request loads it instead.
    """
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                await snapshot.start()
            except Exception:
                logger.exception("decision plane: snapshot not loaded at start-up")
            # Django, the policy and the snapshot live as long as the process: keep the
            # cyclic garbage collector from rescanning them on every collection (measured:
            # about a fifth of a worker's time under 10,000-question calls).
            gc.freeze()
            keep_large_buffers()  # no page faults for each call's body and answer
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await snapshot.stop()
            await send({"type": "lifespan.shutdown.complete"})
            return


def bare_endpoint_enabled() -> bool:
    """Return whether the benchmark's bare yardstick endpoint is switched on."""
    return os.environ.get("DEVCENTER_BENCH_BARE") == "1"
