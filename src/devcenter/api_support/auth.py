"""Who is calling: a bearer API key bound to a user, or the portal session (with CSRF).

`request.auth` becomes a `Caller`; `request.user` is the key's user for key calls, so handlers
and services see one user either way.

Staff routers authenticate with `staff_auth()`: a staff key, or a session that passed TOTP, of
an active staff user with an activated TOTP authenticator (`devcenter.users.staff_refusal`). Every
refusal (`insufficient_scope`, `staff_only`, `mfa_required`) is raised while authenticating,
before the handler runs, so it never claims an `Idempotency-Key`. A staff key whose user is no
longer staff or lost TOTP stops working on every endpoint.
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
from devcenter.users import StaffRefusal, staff_refusal

API_SCOPES = {ApiKeyScope.DEVELOPER, ApiKeyScope.STAFF}


@dataclass(frozen=True)
class Caller:
    """The authenticated caller: its user and, for key calls, the key's name and scope."""

    user: Any
    key_name: str | None = None
    key_scope: str | None = None
    staff: bool = False  # authenticated by `staff_auth()`: staff powers checked, TOTP included

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
        if key.scope == ApiKeyScope.STAFF:
            _refuse_unless_staff(key.user)
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


class StaffApiKeyBearer(ApiKeyBearer):
    """A staff key of a staff user with TOTP (a developer key is `insufficient_scope`)."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        caller = super().authenticate(request, token)
        if caller.key_scope != ApiKeyScope.STAFF:
            raise api_error(ForbiddenError, ApiErrorCode.INSUFFICIENT_SCOPE)
        return Caller(caller.user, caller.key_name, caller.key_scope, staff=True)


class StaffSession(PortalSession):
    """The session of a staff user with TOTP whose log-in in this session passed TOTP."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        caller = super().authenticate(request, key)
        if caller is None:
            return None
        _refuse_unless_staff(caller.user, session=request)
        return Caller(caller.user, staff=True)


_REFUSAL_CODES = {
    StaffRefusal.STAFF_ONLY: ApiErrorCode.STAFF_ONLY,
    StaffRefusal.MFA_REQUIRED: ApiErrorCode.MFA_REQUIRED,
}


def _refuse_unless_staff(user: Any, *, session: HttpRequest | None = None) -> None:
    refusal = staff_refusal(user, session=session)
    if refusal is not None:
        raise api_error(ForbiddenError, _REFUSAL_CODES[refusal])


def caller_of(request: HttpRequest) -> Caller:
    """Return the authenticated caller of `request`."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    return caller


def user_of(request: HttpRequest) -> Any:
    return caller_of(request).user


def staff_of(request: HttpRequest) -> Any:
    """Return the staff user calling a staff endpoint (authenticated by `staff_auth()`).

    A route mounted without `staff_auth()` is refused `staff_only`, never let through.
    """
    caller = caller_of(request)
    if not caller.staff:
        raise api_error(ForbiddenError, ApiErrorCode.STAFF_ONLY)
    return caller.user


def developer_auth() -> list[Any]:
    """Return the auth callbacks of every endpoint: bearer key first, then the session."""
    return [ApiKeyBearer(), PortalSession()]


def staff_auth() -> list[Any]:
    """Return the auth callbacks of staff endpoints: a staff key, then a staff session."""
    return [StaffApiKeyBearer(), StaffSession()]
