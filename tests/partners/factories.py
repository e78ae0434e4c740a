"""Factories for registry tests: platform users, corporate details, partners made by services.

`platform_user()` is the one to import elsewhere: an active user with a verified primary
e-mail (allauth `EmailAddress`), i.e. a platform user.
"""

from __future__ import annotations

import itertools
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from devcenter.partners.corporate_number import corporate_number_check_digit
from devcenter.partners.models import Partner
from devcenter.partners.services import (
    CorporateDetails,
    partner_register_corporate_general,
    partner_register_corporate_pending,
    partner_register_individual,
)

_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user whose e-mail is NOT verified (not a platform user)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"registry-user{n}")
    email = factory.Sequence(lambda n: f"registry-user{n}@example.com")
    is_active = True


class PlatformUserFactory(UserFactory):
    """A platform user: active, with a verified primary e-mail."""

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def platform_user(**fields: Any) -> Any:
    """Return a new platform user (fields override the factory's, e.g. `is_staff=True`)."""
    return PlatformUserFactory(**fields)


def corporate_number(base: int | None = None) -> str:
    """Return a valid 法人番号 built from `base` (a fresh one when None)."""
    digits = f"{next(_numbers) if base is None else base:012d}"
    return f"{corporate_number_check_digit(digits)}{digits}"


def corporate_details(**overrides: Any) -> CorporateDetails:
    """Return valid corporate details with a fresh corporate number."""
    values: dict[str, Any] = {
        "registration_name": "サンプル開発",
        "legal_name": "株式会社サンプル",
        "corporate_number": corporate_number(),
        "legal_entity_registered": True,
        "representative_name": "山田 太郎",
        "head_office_address": "東京都渋谷区1-2-3",
        "contact_email": "contact@example.co.jp",
        "contact_phone": "03-0000-0000",
    }
    values.update(overrides)
    return CorporateDetails(**values)


def corporate_general_partner(user: Any = None, **details: Any) -> Partner:
    """Register a corporate general partner through the service; `user` becomes its owner."""
    owner = user or platform_user()
    return partner_register_corporate_general(
        acting_user=owner, details=corporate_details(**details)
    )


def corporate_pending_partner(user: Any = None, **details: Any) -> Partner:
    """Register a corporation applying for certification directly (no type, pending)."""
    owner = user or platform_user()
    return partner_register_corporate_pending(
        acting_user=owner, details=corporate_details(**details)
    )


def individual_partner(user: Any = None, name: str = "個人開発者") -> Partner:
    """Register an individual partner through the service."""
    return partner_register_individual(acting_user=user or platform_user(), registration_name=name)
