"""Whether a staff user has TOTP and whether this session's log-in went through it."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


def has_active_totp(user: Any) -> bool:
    """Return True when the user has an activated TOTP authenticator (allauth.mfa)."""
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def session_passed_mfa(request: HttpRequest, user: Any) -> bool:
    """Return True when allauth recorded an MFA authentication for this user in this session."""
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)
