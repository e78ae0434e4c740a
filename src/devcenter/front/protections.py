"""The protections Django's SecurityMiddleware gives its routes, for the routes it never sees.

Read once from the settings Django's middleware reads (``ALLOWED_HOSTS``,
``SECURE_SSL_REDIRECT``, ``SECURE_PROXY_SSL_HEADER``, ``SECURE_HSTS_*``,
``SECURE_CONTENT_TYPE_NOSNIFF``, ``X_FRAME_OPTIONS``, ``SECURE_REFERRER_POLICY``,
``SECURE_CROSS_ORIGIN_OPENER_POLICY``), so both answer alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http.request import split_domain_port, validate_host

Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Protections:
    """Host check, HTTPS redirect and the security headers of every answer."""

    allowed_hosts: tuple[str, ...]
    ssl_redirect: bool = False
    ssl_host: str = ""
    redirect_exempt: tuple[re.Pattern[str], ...] = ()
    proxy_ssl_header: tuple[bytes, str] | None = None  # (header name, secure value)
    use_x_forwarded_host: bool = False
    hsts: bytes = b""  # the Strict-Transport-Security value, empty for none
    headers: Headers = field(default_factory=list)  # added to an answer that lacks them

    @classmethod
    def from_settings(cls, settings: Any) -> Protections:
        """Return the protections Django's own settings ask for."""
        allowed = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]  # as Django's request.get_host()
        proxy = settings.SECURE_PROXY_SSL_HEADER
        return cls(
            allowed_hosts=tuple(allowed),
            ssl_redirect=bool(settings.SECURE_SSL_REDIRECT),
            ssl_host=settings.SECURE_SSL_HOST or "",
            redirect_exempt=tuple(re.compile(r) for r in settings.SECURE_REDIRECT_EXEMPT),
            proxy_ssl_header=_proxy_header(proxy) if proxy else None,
            use_x_forwarded_host=bool(settings.USE_X_FORWARDED_HOST),
            hsts=_hsts(settings),
            headers=_security_headers(settings),
        )

    def host_allowed(self, host: str) -> bool:
        """Return whether `host` (the Host header, port included) is served."""
        domain, _port = split_domain_port(host)
        return bool(domain) and validate_host(domain, self.allowed_hosts)

    def is_secure(self, scheme: str, proxy_value: str | None) -> bool:
        """Return whether the request came over HTTPS, as Django's `request.is_secure()`."""
        if self.proxy_ssl_header is not None and proxy_value is not None:
            return proxy_value.split(",", 1)[0].strip() == self.proxy_ssl_header[1]
        return scheme in {"https", "wss"}

    def redirect_to(self, host: str, path: str, query: bytes) -> bytes | None:
        """Return the HTTPS location for a plain-HTTP request, or None when it is exempt."""
        if not self.ssl_redirect:
            return None
        relative = path.lstrip("/")
        if any(pattern.search(relative) for pattern in self.redirect_exempt):
            return None
        target = f"https://{self.ssl_host or host}{path}"
        if query:
            target += "?" + query.decode("latin-1")
        return target.encode("latin-1")


def _proxy_header(setting: tuple[str, str]) -> tuple[bytes, str]:
    """Turn Django's ``("HTTP_X_FORWARDED_PROTO", "https")`` into an ASGI header name."""
    meta_name, value = setting
    name = meta_name.removeprefix("HTTP_").lower().replace("_", "-")
    return name.encode("latin-1"), value


def _hsts(settings: Any) -> bytes:
    if not settings.SECURE_HSTS_SECONDS:
        return b""
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value.encode()


def _security_headers(settings: Any) -> Headers:
    headers: Headers = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append((b"x-content-type-options", b"nosniff"))
    headers.append((b"x-frame-options", str(settings.X_FRAME_OPTIONS).upper().encode()))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        value = policy if isinstance(policy, str) else ",".join(policy)
        headers.append((b"referrer-policy", value.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        coop = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        headers.append((b"cross-origin-opener-policy", coop.encode()))
    return headers
