"""`FrontDoor`: the ASGI app in front of everything (see the package docstring)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from devcenter.front.errors import FrontErrorCode, error_body
from devcenter.front.protections import Headers, Protections
from devcenter.front.routes import Route, classify

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_Refusal = tuple[int, bytes, Headers]  # status, body, headers
_JSON = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
_DISCONNECT: Message = {"type": "http.disconnect"}


@dataclass(frozen=True, slots=True)
class _Head:
    """The request headers the front door looks at, read in one pass."""

    host: str
    content_length: int | None
    has_credentials: bool
    lang: str
    proxy_value: str | None

    @classmethod
    def read(cls, scope: Scope, protections: Protections, session_cookie: bytes) -> _Head:
        proxy_name = protections.proxy_ssl_header[0] if protections.proxy_ssl_header else b""
        wanted = {*_READ, proxy_name}
        headers = {name: value for name, value in scope["headers"] if name in wanted}
        host = headers.get(b"host")
        if protections.use_x_forwarded_host and b"x-forwarded-host" in headers:
            host = headers[b"x-forwarded-host"]
        length = headers.get(b"content-length", b"")
        proxy_value = headers.get(proxy_name) if proxy_name else None
        return cls(
            host=host.decode("latin-1") if host is not None else _server_host(scope),
            content_length=int(length) if length.isdigit() else None,
            has_credentials=_has_bearer(headers.get(b"authorization", b""))
            or _has_cookie(headers.get(b"cookie", b""), session_cookie),
            lang="en" if headers.get(b"accept-language", b"").lower().startswith(b"en") else "ja",
            proxy_value=proxy_value.decode("latin-1") if proxy_value is not None else None,
        )


_READ = frozenset(
    {
        b"host",
        b"content-length",
        b"authorization",
        b"cookie",
        b"accept-language",
        b"x-forwarded-host",
    }
)


_OWN = frozenset({"inner", "protections", "limits", "session_cookie"})


class FrontDoor:
    """Bound, check and protect every HTTP request, then hand it to `inner`.

    Attributes it does not have (the decision plane's `keyring`, `snapshot`, switches) are the
    inner app's, read and written, so `devcenter.asgi.application` keeps offering what the
    plane offers.
    """

    def __init__(
        self,
        inner: ASGIApp,
        *,
        protections: Protections,
        limits: Mapping[str, int],
        session_cookie: str,
    ) -> None:
        self.inner = inner
        self.protections = protections
        self.limits = dict(limits)
        self.session_cookie = session_cookie.encode("latin-1")

    @classmethod
    def from_settings(cls, inner: ASGIApp) -> FrontDoor:
        """Return the front door configured by Django's settings (Django must be set up)."""
        from django.conf import settings

        return cls(
            inner,
            protections=Protections.from_settings(settings),
            limits=settings.DEVCENTER_BODY_LIMITS,
            session_cookie=settings.SESSION_COOKIE_NAME,
        )

    def __getattr__(self, name: str) -> Any:
        if name in _OWN:  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _OWN:
            object.__setattr__(self, name, value)
        else:  # a switch of the plane's (`metrics_open_on_loopback`): set it there
            setattr(self.inner, name, value)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        head = _Head.read(scope, self.protections, self.session_cookie)
        secure = self.protections.is_secure(scope.get("scheme", "http"), head.proxy_value)
        send = _armoured(send, self._headers(secure))
        refusal = self._refusal(scope, head, secure)
        if refusal is not None:
            status, body, extra = refusal
            await _respond(send, status, body, extra)
            return
        route = classify(scope["method"], scope["path"], self.limits)
        refusal = _body_refusal(route, head)
        if refusal is not None:
            await _respond(send, *refusal)
            return
        bounded = _BoundedBody(route.limit, receive, send, head.lang)
        await self.inner(scope, bounded.receive, bounded.send)

    def _headers(self, secure: bool) -> Headers:
        hsts = self.protections.hsts
        if secure and hsts:
            return [*self.protections.headers, (b"strict-transport-security", hsts)]
        return self.protections.headers

    def _refusal(
        self, scope: Scope, head: _Head, secure: bool
    ) -> tuple[int, bytes, Headers] | None:
        """Return (status, body, headers) for a bad host or a plain-HTTP request, else None."""
        if not self.protections.host_allowed(head.host):
            return 400, error_body(FrontErrorCode.DISALLOWED_HOST, head.lang), _JSON
        if not secure:
            location = self.protections.redirect_to(
                head.host, scope["path"], scope.get("query_string", b"")
            )
            if location is not None:
                return 301, b"", [(b"location", location)]
        return None


def _body_refusal(route: Route, head: _Head) -> _Refusal | None:
    """Refuse before reading: an anonymous upload (401), a declared length over the limit (413)."""
    if route.credentials_first and not head.has_credentials:
        body = error_body(FrontErrorCode.UNAUTHORIZED, head.lang)
        return 401, body, [*_JSON, (b"www-authenticate", b"Bearer")]
    if head.content_length is not None and head.content_length > route.limit:
        return (
            413,
            error_body(FrontErrorCode.PAYLOAD_TOO_LARGE, head.lang, limit=route.limit),
            _JSON,
        )
    return None


class _BoundedBody:
    """Count the body as it streams; past the limit answer 413 and tell the app it is gone.

    The app then sees `http.disconnect` (Django drops the request without spooling more; the
    plane stops reading) and whatever it still sends is dropped: the answer is the front's.
    """

    def __init__(self, limit: int, receive: Receive, send: Send, lang: str) -> None:
        self._limit = limit
        self._receive = receive
        self._send = send
        self._lang = lang
        self._received = 0
        self._started = False
        self._cut = False

    async def receive(self) -> Message:
        if self._cut:
            return _DISCONNECT
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._limit:
                await self._cut_off()
                return _DISCONNECT
        return message

    async def send(self, message: Message) -> None:
        if self._cut:
            return
        if message["type"] == "http.response.start":
            self._started = True
        await self._send(message)

    async def _cut_off(self) -> None:
        self._cut = True
        if not self._started:
            self._started = True
            body = error_body(FrontErrorCode.PAYLOAD_TOO_LARGE, self._lang, limit=self._limit)
            await _respond(self._send, 413, body, _JSON)


def _armoured(send: Send, headers: Headers) -> Send:
    """Return `send` adding each of `headers` to the answer unless the app set it itself."""

    async def send_armoured(message: Message) -> None:
        if message["type"] == "http.response.start":
            given = message.get("headers", [])
            present = {bytes(name).lower() for name, _ in given}
            missing = [header for header in headers if header[0] not in present]
            if missing:
                message = {**message, "headers": [*given, *missing]}
        await send(message)

    return send_armoured


async def _respond(send: Send, status: int, body: bytes, headers: Headers) -> None:
    length = (b"content-length", str(len(body)).encode())
    await send({"type": "http.response.start", "status": status, "headers": [*headers, length]})
    await send({"type": "http.response.body", "body": body})


def _has_bearer(header: bytes) -> bool:
    scheme, _, token = header.partition(b" ")
    return scheme.lower() == b"bearer" and bool(token.strip())


def _has_cookie(header: bytes, name: bytes) -> bool:
    for part in header.split(b";"):
        key, _, value = part.strip().partition(b"=")
        if key == name and value.strip(b'" '):
            return True
    return False


def _server_host(scope: Scope) -> str:
    server = scope.get("server")
    if not server:
        return ""
    host, port = server
    default = 443 if scope.get("scheme") == "https" else 80
    return host if port in {None, default} else f"{host}:{port}"
