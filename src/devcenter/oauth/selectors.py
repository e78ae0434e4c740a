"""Reads of the oauth app: previous secrets, a client's registration, token introspection."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.hashers import check_password
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from devcenter.oauth.hooks import client_usable
from devcenter.oauth.models import ClientRegistration, PreviousSecret

INACTIVE: dict[str, Any] = {"active": False}


def previous_secret_matches(client_id: str, secret: str) -> bool:
    """Return whether `secret` is a previous secret of the client still in its grace period."""
    hashes = PreviousSecret.objects.filter(
        application__client_id=client_id, expires_at__gt=timezone.now()
    ).values_list("secret_hash", flat=True)
    return any(check_password(secret, stored) for stored in hashes)


def client_registration_id(client_id: str) -> str | None:
    """Return the registration (`reg_…`) the client was issued for, or None."""
    return (
        ClientRegistration.objects.filter(application__client_id=client_id)
        .values_list("registration_id", flat=True)
        .first()
    )


def token_introspection(*, token: str, client_id: str | None = None) -> dict[str, Any]:
    """Return the RFC 7662 answer about the access token `token`.

    Active only while the token exists (not revoked), has not expired and its client is
    usable; when `client_id` is given (a client introspecting) only that client's own tokens
    are active. Inactive answers say nothing else.
    """
    checksum = hashlib.sha256(token.encode()).hexdigest()
    found = (
        get_access_token_model()
        .objects.select_related("application__devcenter_registration")
        .filter(token_checksum=checksum)
        .first()
    )
    if found is None or found.application is None or found.is_expired():
        return INACTIVE
    client = found.application
    if (client_id is not None and client.client_id != client_id) or not client_usable(
        client.client_id
    ):
        return INACTIVE
    answer: dict[str, Any] = {
        "active": True,
        "token_type": "Bearer",
        "scope": found.scope,
        "client_id": client.client_id,
        "exp": int(found.expires.timestamp()),
        "iat": int(found.created.timestamp()),
        "sub": str(found.user_id) if found.user_id is not None else client.client_id,
    }
    registration = getattr(client, "devcenter_registration", None)
    if registration is not None:
        answer["registration"] = registration.registration_id
    return answer
