"""Test personas: a ready set of partners that platform services run their integration tests
against (Meta's test users are made by hand; these are made by one command).

`personas_create(prefix=…)` makes, through the registry's own services, one partner of each
partner type and a suspended one, each with its accounts, a test account where the policy allows
one, a registration of each registrable service its type may use (made usable: see
`devcenter.personas.registrations`) and a developer API key for its owner. It is idempotent: a
second run returns the same personas (a key's or a credential's secret is shown once, when it
is issued). `personas_delete(prefix=…)` removes them completely, registrations included; both
are audited.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from devcenter.accounts.selectors import accounts_of_partner
from devcenter.apikeys.choices import ApiKeyScope
from devcenter.apikeys.selectors import apikey_get
from devcenter.apikeys.services import apikey_create, apikey_delete
from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import SYSTEM, audit_record
from devcenter.errors import InvalidError
from devcenter.partners.capabilities import partner_capabilities
from devcenter.partners.choices import PartnerStatus, PartnerType
from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.selectors import partners_of_user
from devcenter.partners.services import (
    CorporateDetails,
    card_register,
    partner_certify,
    partner_delete,
    partner_register_corporate_general,
    partner_register_individual,
    partner_suspend,
    test_account_create,
)
from devcenter.personas.registrations import (
    PersonaRegistration,
    persona_registrations,
    persona_registrations_create,
)
from devcenter.registrations.purge import registrations_purge

DOMAIN = "personas.invalid"  # never a deliverable address (RFC 2606)
PREFIX_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,30}")
SANDBOX_CARD = "tok_visa"
ACTOR = "personas"
# (persona name, the partner type it ends as, suspended?)
PERSONAS: tuple[tuple[str, str, bool], ...] = (
    ("certified", PartnerType.CORPORATE_CERTIFIED, False),
    ("general", PartnerType.CORPORATE_GENERAL, False),
    ("card", PartnerType.INDIVIDUAL_CARD, False),
    ("nocard", PartnerType.INDIVIDUAL, False),
    (PartnerStatus.SUSPENDED.value, PartnerType.CORPORATE_GENERAL, True),
)


@dataclass(frozen=True)
class Persona:
    """One persona: its owner's e-mail, its partner, accounts and API key."""

    name: str
    email: str
    partner: str
    partner_type: str | None
    status: str
    accounts: list[dict[str, str]]
    api_key_name: str
    api_key: str | None  # the secret, only when issued by this run
    registrations: list[PersonaRegistration]

    def as_dict(self) -> dict[str, Any]:
        """Return the persona as plain data."""
        return asdict(self)


def checked_prefix(prefix: str) -> str:
    """Return `prefix` if it is a safe persona prefix, else raise InvalidError."""
    if not PREFIX_PATTERN.fullmatch(prefix or ""):
        raise InvalidError(
            "invalid_prefix",
            "接頭辞は英小文字で始まる英小文字・数字・ハイフン（31文字まで）です。",
            "The prefix is a lowercase letter followed by up to 30 lowercase letters, digits "
            "or hyphens.",
            field="prefix",
        )
    return prefix


def personas_create(*, prefix: str) -> list[Persona]:
    """Create the personas of `prefix` (or return the existing ones)."""
    prefix = checked_prefix(prefix)
    return [_persona(prefix, name, ends_as, suspended) for name, ends_as, suspended in PERSONAS]


def personas_delete(*, prefix: str) -> int:
    """Delete every persona of `prefix` (partners, accounts, keys, users); return how many."""
    prefix = checked_prefix(prefix)
    deleted = 0
    for name, _ends_as, _suspended in PERSONAS:
        user = _user_model().objects.filter(email=_email(prefix, name)).first()
        if user is None:
            continue
        with transaction.atomic():
            apikey_delete(name=_key_name(prefix, name))
            for partner in list(partners_of_user(user=user)):
                _audit_deleted(partner.public_id, name)
                registrations_purge(partner=partner, actor=SYSTEM)
                partner_delete(partner_id=partner.public_id)
            user.delete()
        deleted += 1
    return deleted


def _persona(prefix: str, name: str, ends_as: str, suspended: bool) -> Persona:
    user = _platform_user(prefix, name)
    partner = partners_of_user(user=user).first()
    fresh = partner is None
    if partner is None:
        partner = _make_partner(user, prefix, name, ends_as)
    registrations = _registrations(partner, user, f"{prefix}-{name}")
    if fresh:
        if suspended:  # its registrations were made first, and follow it into suspension
            partner = partner_suspend(partner_id=partner.public_id, actor=ACTOR, reason="persona")
            registrations = _statuses_now(partner, user, registrations)
        _audit_created(partner.public_id, name)
    key_name = _key_name(prefix, name)
    raw = None
    if apikey_get(name=key_name) is None:
        _key, raw = apikey_create(name=key_name, scope=ApiKeyScope.DEVELOPER, user=user)
    accounts = [
        {"account": a.public_id, "kind": a.kind, "display_name": a.display_name}
        for a in accounts_of_partner(partner=partner)
    ]
    return Persona(
        name=name,
        email=user.email,
        partner=partner.public_id,
        partner_type=partner.partner_type,
        status=partner.status,
        accounts=accounts,
        api_key_name=key_name,
        api_key=raw,
        registrations=registrations,
    )


def _registrations(partner: Any, user: Any, host: str) -> list[PersonaRegistration]:
    persona_registrations_create(partner=partner, user=user, host=host)
    return persona_registrations(partner=partner, user=user, issue=True)


def _statuses_now(
    partner: Any, user: Any, issued: list[PersonaRegistration]
) -> list[PersonaRegistration]:
    """Return the registrations as they are now, keeping the secrets this run issued."""
    now = {r.registration: r for r in issued}
    return [
        replace(
            r,
            client_secret=now[r.registration].client_secret,
            issued_now=now[r.registration].issued_now,
        )
        if r.registration in now
        else r
        for r in persona_registrations(partner=partner, user=user, issue=False)
    ]


def _make_partner(user: Any, prefix: str, name: str, ends_as: str) -> Any:
    title = f"{prefix} {name} (persona)"
    if ends_as in (PartnerType.INDIVIDUAL, PartnerType.INDIVIDUAL_CARD):
        partner = partner_register_individual(acting_user=user, registration_name=title)
        if ends_as == PartnerType.INDIVIDUAL_CARD:
            card_register(partner_id=partner.public_id, token=SANDBOX_CARD, acting_user=user)
    else:
        partner = partner_register_corporate_general(
            acting_user=user, details=_details(prefix, name)
        )
        if ends_as == PartnerType.CORPORATE_CERTIFIED:
            partner = partner_certify(partner=partner, actor=ACTOR)
    partner.refresh_from_db()
    if partner_capabilities(partner=partner, viewer=user).allows("test_account.create"):
        test_account_create(
            partner_id=partner.public_id, display_name=f"{title} test", acting_user=user
        )
    return partner


def _details(prefix: str, name: str) -> CorporateDetails:
    seed = hashlib.sha256(f"{prefix}:{name}".encode()).hexdigest()
    digits = f"{int(seed, 16) % 10**12:012d}"
    return CorporateDetails(
        registration_name=f"{prefix} {name} (persona)",
        legal_name=f"{prefix} {name} persona KK",
        corporate_number=str(corporate_number_check_digit(digits)) + digits,
        legal_entity_registered=True,
        contact_email=_email(prefix, name),
    )


def _platform_user(prefix: str, name: str) -> Any:
    email = _email(prefix, name)
    user = _user_model().objects.filter(email=email).first()
    if user is None:
        user = _user_model().objects.create_user(username=f"{prefix}-{name}", email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _user_model() -> Any:
    return get_user_model()


def _email(prefix: str, name: str) -> str:
    return f"{prefix}-{name}@{DOMAIN}"


def _key_name(prefix: str, name: str) -> str:
    return f"persona-{prefix}-{name}"


def _audit_created(partner_id: str, name: str) -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.PERSONA_CREATED,
            actor=ACTOR,
            target_type=AuditTarget.PARTNER,
            target_id=partner_id,
            partner=partner_id,
            new={"persona": name},
        )


def _audit_deleted(partner_id: str, name: str) -> None:
    audit_record(
        event_type=AuditEventType.PERSONA_DELETED,
        actor=SYSTEM,
        target_type=AuditTarget.PARTNER,
        target_id=partner_id,
        partner=partner_id,
        old={"persona": name},
    )
