"""Registry set-up for the live-decision tests: partners made by the partners services."""

from __future__ import annotations

import itertools
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from devcenter.accounts.models import AccountKind, PlatformAccount
from devcenter.audit.selectors import audit_current_sequence
from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.models import Partner
from devcenter.partners.services import (
    CorporateDetails,
    partner_register_corporate_general,
    partner_register_corporate_pending,
    partner_register_individual,
)

_serial = itertools.count(1)


def platform_user() -> Any:
    """Return a new active user with a verified primary e-mail."""
    n = next(_serial)
    user = get_user_model().objects.create_user(
        username=f"live-user{n}", email=f"live-user{n}@example.com"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _details() -> CorporateDetails:
    digits = f"{next(_serial) + 7_000_000:012d}"
    return CorporateDetails(
        registration_name="ライブ開発",
        legal_name="株式会社ライブ",
        corporate_number=f"{corporate_number_check_digit(digits)}{digits}",
        legal_entity_registered=True,
        contact_email="contact@example.co.jp",
    )


def corporate_general() -> Partner:
    """Register a corporate general partner (with its general partner account)."""
    return partner_register_corporate_general(acting_user=platform_user(), details=_details())


def corporate_pending() -> Partner:
    """Register a corporation awaiting certification (no type yet)."""
    return partner_register_corporate_pending(acting_user=platform_user(), details=_details())


def individual() -> Partner:
    """Register an individual partner (with the user's user account)."""
    return partner_register_individual(acting_user=platform_user(), registration_name="個人開発者")


def account_of(partner: Partner, kind: str) -> PlatformAccount:
    """Return the partner's active account of `kind`."""
    return PlatformAccount.objects.get(partner=partner, kind=kind, status="active")


def user_account_of(partner: Partner) -> PlatformAccount:
    return account_of(partner, AccountKind.USER_ACCOUNT)


def sequence() -> int:
    """Return the audit sequence now (what a writer passes as `min_snapshot`)."""
    return audit_current_sequence()
