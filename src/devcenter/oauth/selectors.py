"""Reads of the oauth app: previous secrets, a client's registration, token introspection."""

from __future__ import annotations

import hashlib
from typing import Required, TypedDict

from django.contrib.auth.hashers import check_password
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from devcenter.oauth.hooks import client_usable
from devcenter.oauth.models import ClientRegistration, PreviousSecret


class Introspection(TypedDict, total=False):
    """An RFC 7662 answer; an inactive token's answer says nothing but `active`."""

    active: Required[bool]
    token_type: str
    scope: str
    client_id: str
    exp: int
    iat: int
    sub: str  # the user's id, or the client's id for a client-credentials token
    registration: str  # the registration (reg_…) the client was issued for


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


def token_introspection(*, token: str, client_id: str | None = None) -> Introspection:
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
        return Introspection(active=False)
    client = found.application
    if (client_id is not None and client.client_id != client_id) or not client_usable(
        client.client_id
    ):
        return Introspection(active=False)
    answer = Introspection(
        active=True,
        token_type="Bearer",  # noqa: S106 (a token type, not a secret)
        scope=found.scope,
        client_id=client.client_id,
        exp=int(found.expires.timestamp()),
        iat=int(found.created.timestamp()),
        sub=str(found.user_id) if found.user_id is not None else client.client_id,
    )
    registration = getattr(client, "devcenter_registration", None)
    if registration is not None:
        answer["registration"] = registration.registration_id
    return answer
