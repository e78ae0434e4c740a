"""Who is calling: a bearer API key bound to a user, or the portal session (with CSRF).

`request.auth` becomes a `Caller`; `request.user` is the key's user for key calls, so handlers
and services see one user either way. Staff endpoints add `require_staff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth
from ninja.security.http import HttpBearer

from devcenter.api_support.errors import ApiErrorCode, UnauthorizedError, api_error
from devcenter.apikeys.choices import ApiKeyScope
from devcenter.apikeys.selectors import apikey_by_raw_key
from devcenter.apikeys.services import apikey_touch
from devcenter.errors import ForbiddenError

API_SCOPES = {ApiKeyScope.DEVELOPER, ApiKeyScope.STAFF}


@dataclass(frozen=True)
class Caller:
    """The authenticated caller: its user and, for key calls, the key's name and scope."""

    user: Any
    key_name: str | None = None
    key_scope: str | None = None

    @property
    def actor(self) -> str:
        """Return how the audit log names this caller's key (the user is named by services)."""
        return f"apikey:{self.key_name}" if self.key_name else f"user:{self.user.pk}"


class ApiKeyBearer(HttpBearer):
    """`Authorization: Bearer <key>` for a developer or staff key bound to an active user.

    A bearer header that does not authenticate is a 401, never a fall-through to the session.
    """

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Caller | None:
        header = request.headers.get("Authorization")
        if header is None:
            return None  # not a key call: the session may authenticate it
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise api_error(UnauthorizedError, ApiErrorCode.UNAUTHORIZED)
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        key = apikey_by_raw_key(token)
        if key is None:
            raise api_error(UnauthorizedError, ApiErrorCode.UNAUTHORIZED)
        if key.scope not in API_SCOPES:
            raise api_error(ForbiddenError, ApiErrorCode.INSUFFICIENT_SCOPE)
        if key.user is None or not key.user.is_active:
            raise api_error(UnauthorizedError, ApiErrorCode.UNAUTHORIZED)
        apikey_touch(secret_hash=key.secret_hash)
        request.user = key.user
        return Caller(user=key.user, key_name=key.name, key_scope=key.scope)


class PortalSession(SessionAuth):
    """The portal's Django session; ninja enforces CSRF on unsafe methods.

    Without a logged-in session there is nothing to protect: the answer is 401, not a CSRF 403.
    """

    def __call__(self, request: HttpRequest) -> Caller | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return Caller(user=user)
        return None


def caller_of(request: HttpRequest) -> Caller:
    """Return the authenticated caller of `request`."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    return caller


def user_of(request: HttpRequest) -> Any:
    return caller_of(request).user


def require_staff(request: HttpRequest) -> Any:
    """Return the caller's user if it may call a staff endpoint, else raise a 403.

    A key must have the staff scope (a developer key is refused even for a staff user), and
    the user must be staff. The MFA requirement of review actions is the services' business.
    """
    caller = caller_of(request)
    if caller.key_scope is not None and caller.key_scope != ApiKeyScope.STAFF:
        raise api_error(ForbiddenError, ApiErrorCode.INSUFFICIENT_SCOPE)
    if not caller.user.is_staff:
        raise api_error(ForbiddenError, ApiErrorCode.STAFF_ONLY)
    return caller.user


def developer_auth() -> list[Any]:
    """Return the auth callbacks of every endpoint: bearer key first, then the session."""
    return [ApiKeyBearer(), PortalSession()]
