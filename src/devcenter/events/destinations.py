"""Where a webhook may be sent: server-side request forgery checks, at creation and delivery.

In production (`DEVCENTER_WEBHOOK_ALLOW_LOOPBACK` false) an endpoint must be https and every
address its host resolves to must be a public (global) one: no loopback, private, link-local
(169.254.169.254, the cloud metadata address, is one), shared, multicast, reserved or
unspecified address. The check runs again at each delivery, and the delivery connects to the
address that was checked, so a name that resolves elsewhere later (DNS rebinding) gains nothing.
In development and tests the setting allows loopback (and plain http) addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from devcenter.errors import InvalidError
from devcenter.events.errors import EventErrorCode, event_error

# Addresses no endpoint may resolve to even where loopback is allowed (the metadata service).
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


@dataclass(frozen=True)
class Destination:
    """A checked URL: its scheme, host name, port, path, and the address to connect to."""

    scheme: str
    host: str
    port: int
    target: str  # path and query
    address: str


def allow_loopback() -> bool:
    return bool(getattr(settings, "DEVCENTER_WEBHOOK_ALLOW_LOOPBACK", False))


URL_MAX = 2000  # WebhookEndpoint.url's column


def check_url(url: str, *, field: str = "url") -> Destination:
    """Return the URL's checked destination, or raise InvalidError naming `field`."""
    if len(url) > URL_MAX:
        raise event_error(InvalidError, EventErrorCode.URL_INVALID, field=field)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.username:
        raise event_error(InvalidError, EventErrorCode.URL_INVALID, field=field)
    loopback_ok = allow_loopback()
    if parts.scheme != "https" and not loopback_ok:
        raise event_error(InvalidError, EventErrorCode.URL_NOT_HTTPS, field=field)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise event_error(InvalidError, EventErrorCode.URL_INVALID, field=field) from None
    address = _checked_address(parts.hostname, port, loopback_ok=loopback_ok, field=field)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, parts.hostname, port, target, address)


def _checked_address(host: str, port: int, *, loopback_ok: bool, field: str) -> str:
    """Resolve `host`; return its first address if every address it has is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise event_error(InvalidError, EventErrorCode.URL_UNRESOLVABLE, field=field) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses or not all(is_allowed(a, loopback_ok=loopback_ok) for a in addresses):
        raise event_error(InvalidError, EventErrorCode.URL_NOT_PUBLIC, field=field)
    return addresses[0]


def is_allowed(address: str, *, loopback_ok: bool) -> bool:
    """Return whether a delivery may connect to `address`."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return False
    if ip.is_loopback:
        return loopback_ok
    return ip.is_global and not ip.is_multicast
