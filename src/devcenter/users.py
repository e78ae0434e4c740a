"""Who acts: the one type every service names its acting user with, and who holds staff powers.

Services take `acting_user: ActingUser | None` (None: the system, e.g. a sweep) and never
`Any`. The platform uses Django's own user model.

MFA is part of being staff: every staff power (the staff API, staff API keys, the admin) asks
`staff_refusal`, so a staff user without an activated TOTP authenticator, or a session that
logged in with the password only, can do nothing a non-staff user could not. It lives in this
kernel module because the API's auth and the apikeys services (below the faces) ask it too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeAlias

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

ActingUser: TypeAlias = User


def acting_user(request: HttpRequest) -> ActingUser:
    """Return the request's signed-in user (for views behind `login_required`)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


class StaffRefusal(StrEnum):
    """Why a user may not use a staff power (the API's and the CLI's stable codes)."""

    STAFF_ONLY = "staff_only"  # not an active staff user
    MFA_REQUIRED = "mfa_required"  # no activated TOTP, or this session did not pass it


def has_active_totp(user: Any) -> bool:
    """Return True when the user has an activated TOTP authenticator (allauth.mfa)."""
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def session_passed_mfa(request: HttpRequest, user: Any) -> bool:
    """Return True when allauth recorded an MFA authentication for this user in this session."""
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def staff_refusal(user: Any, *, session: HttpRequest | None = None) -> StaffRefusal | None:
    """Return why `user` may not use a staff power now, or None when it may.

    `session`: the request of a session call, whose log-in must have passed TOTP; key calls
    (the key was created for a staff user with TOTP) pass None.
    """
    if user is None or not getattr(user, "is_active", False) or not user.is_staff:
        return StaffRefusal.STAFF_ONLY
    if not has_active_totp(user):
        return StaffRefusal.MFA_REQUIRED
    if session is not None and not session_passed_mfa(session, user):
        return StaffRefusal.MFA_REQUIRED
    return None
