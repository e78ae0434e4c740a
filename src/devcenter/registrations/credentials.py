"""Credentials of registrations: issue (shown once), rotate (grace period), revoke (at once).

Consumer keys and plugin check keys are kept here: the raw secret is returned once and only its
SHA-256 is stored. A Graph API service is an OAuth 2.0 client of the authorization server
(`devcenter.oauth`, django-oauth-toolkit): its client is made, rotated and revoked there
(`_graph_api_client_*`), and only the client id is kept here.

Every function runs inside the caller's transaction, on a locked registration.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings

from devcenter.registrations import clock
from devcenter.registrations.choices import CredentialKind
from devcenter.registrations.models import Credential, CredentialSecret, Registration

_PREFIX = {
    CredentialKind.CONSUMER_KEY: "ck",
    CredentialKind.OAUTH_CLIENT: "gc",
    CredentialKind.CHECK_KEY: "chk",
}


@dataclass(frozen=True)
class IssuedSecret:
    """What the caller sees once: the key and, where the kind has one, the raw secret."""

    client_id: str
    client_secret: str | None


def secret_hash(raw: str) -> str:
    """Return the stored form of a raw secret."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _oauth() -> Any:
    """Return the OAuth server's services (the authorization server of Graph API clients)."""
    from devcenter.oauth import services

    return services


def _graph_api_client_create(registration: Registration) -> IssuedSecret | None:
    """Make the registration an OAuth 2.0 client of the authorization server."""
    issued = _oauth().oauth_client_create(
        registration_id=registration.public_id,
        name=registration.name,
        redirect_uris=list(registration.redirect_uris),
        confidential=True,
    )
    return IssuedSecret(issued.client_id, issued.client_secret)


def credential_issue(registration: Registration, kind: str) -> IssuedSecret:
    """Create the registration's credential and return its secret (shown once)."""
    delegated = (
        _graph_api_client_create(registration) if kind == CredentialKind.OAUTH_CLIENT else None
    )
    if delegated is not None:
        Credential.objects.create(
            registration=registration, kind=kind, client_id=delegated.client_id
        )
        return delegated
    client_id = f"{_PREFIX[CredentialKind(kind)]}_{secrets.token_hex(16)}"
    credential = Credential.objects.create(
        registration=registration, kind=kind, client_id=client_id
    )
    if kind == CredentialKind.CHECK_KEY:
        return IssuedSecret(client_id, None)
    return IssuedSecret(client_id, _new_secret(credential))


def _new_secret(credential: Credential) -> str:
    raw = secrets.token_urlsafe(32)
    CredentialSecret.objects.create(
        credential=credential, secret_hash=secret_hash(raw), created_at=clock.now()
    )
    return raw


def _is_delegated(credential: Credential) -> bool:
    return credential.kind == CredentialKind.OAUTH_CLIENT and not credential.secrets.exists()


def credential_rotate(credential: Credential) -> IssuedSecret:
    """Issue a new secret; the current ones stop after the grace period (not before)."""
    if _is_delegated(credential):
        issued = _oauth().oauth_client_rotate(client_id=credential.client_id)
        return IssuedSecret(issued.client_id, issued.client_secret)
    if credential.kind == CredentialKind.CHECK_KEY:
        return _rotate_check_key(credential)
    grace_end = clock.now() + timedelta(hours=settings.DEVCENTER_CREDENTIAL_GRACE_HOURS)
    current = credential.secrets.filter(revoked_at__isnull=True)
    current.filter(expires_at__isnull=True).update(expires_at=grace_end)
    current.filter(expires_at__gt=grace_end).update(expires_at=grace_end)
    return IssuedSecret(credential.client_id, _new_secret(credential))


def _rotate_check_key(credential: Credential) -> IssuedSecret:
    """A check key has no secret: rotating it replaces the key itself."""
    credential.client_id = f"{_PREFIX[CredentialKind.CHECK_KEY]}_{secrets.token_hex(16)}"
    credential.save(update_fields=["client_id"])
    return IssuedSecret(credential.client_id, None)


def credential_revoke(credential: Credential) -> None:
    """Stop the credential and every secret at once (a deleted registration)."""
    now = clock.now()
    if _is_delegated(credential):
        _oauth().oauth_client_revoke(client_id=credential.client_id)
    credential.secrets.filter(revoked_at__isnull=True).update(revoked_at=now)
    credential.revoked_at = now
    credential.save(update_fields=["revoked_at"])


def graph_api_client_update(registration: Registration) -> None:
    """Tell the authorization server the client's new name and redirect URIs, if delegated."""
    credential = Credential.objects.filter(registration=registration).first()
    if credential is None or not _is_delegated(credential):
        return
    _oauth().oauth_client_update(
        client_id=credential.client_id,
        name=registration.name,
        redirect_uris=list(registration.redirect_uris),
    )


def secret_valid(credential: Credential, raw: str) -> bool:
    """Return whether `raw` is a secret of `credential` that works now (grace included)."""
    now = clock.now()
    if credential.revoked_at is not None:
        return False
    found = credential.secrets.filter(secret_hash=secret_hash(raw), revoked_at__isnull=True).first()
    return found is not None and (found.expires_at is None or found.expires_at > now)
