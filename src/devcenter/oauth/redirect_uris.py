"""The redirect URIs a client may register (RFC 6749 §3.1.2, RFC 8252 §7.3 / §8.3).

https only, except http on a loopback host (native apps listening on 127.0.0.1, [::1] or
localhost); an absolute URI with a host, no user information, no fragment, no whitespace.
Stored exactly as given: the authorization server compares them exactly.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from devcenter.oauth.errors import OAuthErrorCode, invalid_redirect_uris

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
MAX_LENGTH = 2000


def checked_redirect_uris(uris: list[str], *, required: bool) -> list[str]:
    """Return `uris` unchanged if every one may be registered; else raise an InvalidError."""
    if required and not uris:
        raise invalid_redirect_uris(OAuthErrorCode.REDIRECT_URI_REQUIRED)
    if len(set(uris)) != len(uris):
        raise invalid_redirect_uris(OAuthErrorCode.REDIRECT_URI_DUPLICATE)
    for uri in uris:
        problem = _problem(uri)
        if problem is not None:
            raise invalid_redirect_uris(problem)
    return list(uris)


def _problem(uri: str) -> OAuthErrorCode | None:
    if (
        not isinstance(uri, str)
        or not uri
        or len(uri) > MAX_LENGTH
        or any(c.isspace() for c in uri)
    ):
        return OAuthErrorCode.REDIRECT_URI_INVALID
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        return OAuthErrorCode.REDIRECT_URI_INVALID
    if "#" in uri:
        return OAuthErrorCode.REDIRECT_URI_FRAGMENT
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return OAuthErrorCode.REDIRECT_URI_INVALID
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return OAuthErrorCode.REDIRECT_URI_NOT_HTTPS
