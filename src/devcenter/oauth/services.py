"""Every write to OAuth clients: create, update, rotate the secret, revoke (delete).

Called by the registrations app; each is one transaction that writes the audit row. Secrets
are generated here, returned once in `IssuedCredentials` and stored only hashed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AbstractApplication, get_application_model

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import SYSTEM, audit_record
from devcenter.errors import ConflictError, InvalidError
from devcenter.oauth.errors import OAuthErrorCode, client_not_found, oauth_error
from devcenter.oauth.models import ClientRegistration, PreviousSecret
from devcenter.oauth.redirect_uris import checked_redirect_uris

AUDIT_TARGET = AuditTarget.OAUTH_CLIENT  # target_id: the client_id
CLIENT_CREATED = AuditEventType.OAUTH_CLIENT_CREATED
CLIENT_UPDATED = AuditEventType.OAUTH_CLIENT_UPDATED
CLIENT_SECRET_ROTATED = AuditEventType.OAUTH_CLIENT_SECRET_ROTATED
CLIENT_REVOKED = AuditEventType.OAUTH_CLIENT_REVOKED
NAME_MAX_LENGTH = 255


@dataclass(frozen=True)
class IssuedCredentials:
    """A client's id and secret, as shown once to whoever created or rotated it."""

    client_id: str
    client_secret: str


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise oauth_error(InvalidError, OAuthErrorCode.INVALID_NAME, field="name")
    return name


def _locked_client(client_id: str) -> AbstractApplication:
    client = get_application_model().objects.select_for_update().filter(client_id=client_id).first()
    if client is None:
        raise client_not_found()
    return client


@dataclass(frozen=True)
class Acting:
    """Who acts and for which partner, as the audit row records them (callers may say)."""

    actor: str = SYSTEM
    partner: str | None = None  # the partner's public id; oauth itself does not know it


def _audit(
    event: AuditEventType, client_id: str, by: Acting | None, new: dict[str, object] | None
) -> None:
    by = by or Acting()
    audit_record(
        event_type=event,
        actor=by.actor,
        target_type=AUDIT_TARGET,
        target_id=client_id,
        partner=by.partner,
        new=new,
    )


@transaction.atomic
def oauth_client_create(
    *,
    registration_id: str,
    name: str,
    redirect_uris: list[str],
    confidential: bool = True,
    acting: Acting | None = None,
) -> IssuedCredentials:
    """Create the OAuth client of a registration and return its credentials, shown once.

    A confidential client (a server) may also use client credentials; a public one (a native or
    browser app) needs a redirect URI and PKCE. Raises InvalidError `redirect_uri_*` (field
    `redirect_uris`) or `invalid_name`.
    """
    name = _checked_name(name)
    uris = checked_redirect_uris(redirect_uris, required=not confidential)
    # A public client gets a random secret nobody is ever shown: it authenticates nothing.
    secret = generate_client_secret()
    model = get_application_model()
    client = model.objects.create(
        name=name,
        redirect_uris=" ".join(uris),
        client_type=model.CLIENT_CONFIDENTIAL if confidential else model.CLIENT_PUBLIC,
        authorization_grant_type=model.GRANT_AUTHORIZATION_CODE,
        client_secret=secret,
        hash_client_secret=True,
    )
    ClientRegistration.objects.create(application=client, registration_id=registration_id)
    new = {"registration": registration_id, "name": name, "redirect_uris": uris}
    _audit(CLIENT_CREATED, client.client_id, acting, new | {"confidential": confidential})
    return IssuedCredentials(
        client_id=client.client_id, client_secret=secret if confidential else ""
    )


@transaction.atomic
def oauth_client_update(
    *,
    client_id: str,
    name: str,
    redirect_uris: list[str],
    acting: Acting | None = None,
) -> None:
    """Rename the client and replace its redirect URIs (checked as at creation)."""
    client = _locked_client(client_id)
    name = _checked_name(name)
    public = client.client_type == client.CLIENT_PUBLIC
    uris = checked_redirect_uris(redirect_uris, required=public)
    client.name = name
    client.redirect_uris = " ".join(uris)
    client.save(update_fields=["name", "redirect_uris", "updated"])
    _audit(CLIENT_UPDATED, client_id, acting, {"name": name, "redirect_uris": uris})


def credential_grace() -> timedelta:
    """Return how long a rotated-out secret keeps working (DEVCENTER_CREDENTIAL_GRACE_HOURS)."""
    return timedelta(hours=float(settings.DEVCENTER_CREDENTIAL_GRACE_HOURS))


@transaction.atomic
def oauth_client_rotate(
    *,
    client_id: str,
    acting: Acting | None = None,
) -> IssuedCredentials:
    """Issue a new secret, shown once; the previous one keeps working for the grace period.

    Only the secret just replaced is kept: rotating twice ends the older secret's grace at once.
    """
    client = _locked_client(client_id)
    if client.client_type != client.CLIENT_CONFIDENTIAL:
        raise oauth_error(ConflictError, OAuthErrorCode.PUBLIC_CLIENT)
    expires_at = timezone.now() + credential_grace()
    PreviousSecret.objects.filter(application=client).delete()
    PreviousSecret.objects.create(
        application=client, secret_hash=client.client_secret, expires_at=expires_at
    )
    secret = generate_client_secret()
    client.client_secret = secret
    client.save(update_fields=["client_secret", "updated"])
    _audit(CLIENT_SECRET_ROTATED, client_id, acting, {"previous_until": expires_at.isoformat()})
    return IssuedCredentials(client_id=client_id, client_secret=secret)


@transaction.atomic
def oauth_client_revoke(
    *,
    client_id: str,
    acting: Acting | None = None,
) -> None:
    """Delete the client: its codes, access and refresh tokens and secrets stop at once."""
    client = _locked_client(client_id)
    client.delete()  # DOT's grants and tokens, and this app's rows, cascade
    _audit(CLIENT_REVOKED, client_id, acting, None)
