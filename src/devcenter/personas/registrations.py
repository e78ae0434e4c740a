"""A persona's registrations: one of each registrable service its partner may use, usable.

Made through the registrations app's services as the persona's owner would (so the policy's
rules and the audit log apply): created with the service's required fields (values derived
from each field's type in the policy, pointing at the never-deliverable persona domain), the
contact e-mail confirmed by following the link the service e-mailed, and credentials issued
where the service has any. A secret is shown once, by the run that issued it. Idempotent: a
service the partner already has a live registration of is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction

from devcenter.partners.capabilities import partner_capabilities
from devcenter.policy import default_policy
from devcenter.policy.registrable import NO_CREDENTIALS, Registrable, RegistrationField
from devcenter.registrations import links
from devcenter.registrations.choices import RegistrationStatus
from devcenter.registrations.selectors import registration_client_id, registrations_of_partner
from devcenter.registrations.services import (
    Issued,
    contact_email_confirm,
    credentials_issue,
    registration_create,
)

DOMAIN = "personas.invalid"


@dataclass(frozen=True)
class PersonaRegistration:
    """One registration of a persona, with its key (and secret, only when issued now)."""

    registration: str
    service: str
    status: str
    client_id: str | None
    client_secret: str | None  # only when issued by this run (a plugin's check key has none)
    issued_now: bool

    def as_dict(self) -> dict[str, Any]:
        """Return the registration as plain data."""
        return asdict(self)


def persona_registrations_create(*, partner: Any, user: Any, host: str) -> None:
    """Register, as `user`, each registrable service `partner` may use and has none of."""
    rules = default_policy().registrations
    capabilities = partner_capabilities(partner=partner, viewer=user)
    held = set(registrations_of_partner(partner=partner).values_list("service", flat=True))
    made: dict[str, str] = {}
    for service, entry in rules.registrable.items():
        if service in held or not capabilities.service(service).allowed:
            continue
        made[service] = _register(partner, user, entry, host, made)


def persona_registrations(*, partner: Any, user: Any, issue: bool) -> list[PersonaRegistration]:
    """Return the partner's live registrations; with `issue`, make each one's credentials
    usable first (contact e-mail confirmed, key issued) where the service has any."""
    found = []
    for registration in registrations_of_partner(partner=partner):
        issued = _make_usable(registration, user) if issue else None
        registration.refresh_from_db()
        found.append(
            PersonaRegistration(
                registration=registration.public_id,
                service=registration.service,
                status=registration.status,
                client_id=registration_client_id(registration=registration),
                client_secret=issued.secret.client_secret if issued else None,
                issued_now=issued is not None,
            )
        )
    return found


def _register(partner: Any, user: Any, entry: Registrable, host: str, made: dict[str, str]) -> str:
    rules = default_policy().registrations
    fields = {code: _value(rules.fields[code], entry, host, user, made) for code in entry.required}
    with transaction.atomic():
        registration = registration_create(
            partner_id=partner.public_id,
            service=entry.service,
            name=f"{partner.registration_name} {entry.service}",
            fields=fields,
            acting_user=user,
        )
    return registration.public_id


def _value(
    field: RegistrationField, entry: Registrable, host: str, user: Any, made: dict[str, str]
) -> Any:
    url = f"https://{host}.{DOMAIN}/{entry.service}"
    by_type: dict[str, Callable[[], Any]] = {
        "text": lambda: f"{host} {field.code}",
        "long_text": lambda: f"{host} {entry.service} (persona)",
        "url": lambda: url,
        "email": lambda: str(user.email),
        "url_list": lambda: [url],
        "redirect_uris": lambda: [f"{url}/callback"],
        "options": lambda: list(
            default_policy().registrations.choices(entry.service, field.code)[:1]
        ),
        "registration": lambda: made.get(field.of or "", ""),
    }
    return by_type[field.type]()


def _make_usable(registration: Any, user: Any) -> Issued | None:
    """Confirm the contact e-mail and issue the key, as the owner would; return what was
    issued (None: nothing to issue, or issued before)."""
    entry = default_policy().registrations.of(registration.service)
    if entry.credentials == NO_CREDENTIALS or registration_client_id(registration=registration):
        return None
    if registration.status == RegistrationStatus.SUSPENDED:
        return None  # no credentials while the partner may not use the service
    if entry.confirm_contact_email and registration.contact_email_confirmed_at is None:
        token = links.link_token(
            links.CONTACT_EMAIL_LINK, registration.pk, registration.contact_email_nonce
        )
        contact_email_confirm(token=token)  # the e-mailed link, followed
    return credentials_issue(registration_id=registration.public_id, acting_user=user)
