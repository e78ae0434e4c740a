"""Users for the staff-console tests: verified platform users, staff, staff with TOTP."""

from __future__ import annotations

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import get_user_model

PASSWORD = "correct horse battery staple 7"  # noqa: S105 - test fixture


class UserFactory(factory.django.DjangoModelFactory):
    """An active user with a verified primary e-mail (a platform user)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class StaffFactory(UserFactory):
    is_staff = True


def activate_totp(user: object) -> str:
    """Give the user an activated TOTP authenticator; return its base32 secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """Return the current TOTP code for a base32 secret."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def valid_corporate_number(seed: int) -> str:
    """Return a 13-digit corporate number with a correct check digit."""
    from devcenter.partners.corporate_number import corporate_number_check_digit

    base = f"{seed:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def corporate_details(seed: int = 1, **overrides: object) -> object:
    from devcenter.partners.services import CorporateDetails

    values = {
        "registration_name": f"Example Apps {seed}",
        "legal_name": f"株式会社エグザンプル{seed}",
        "corporate_number": valid_corporate_number(7_000_000_000 + seed),
        "legal_entity_registered": True,
        "representative_name": "山田 太郎",
        "head_office_address": "東京都渋谷区1-2-3",
        "contact_email": f"contact{seed}@example.com",
        "contact_phone": "03-1234-5678",
    }
    values.update(overrides)
    return CorporateDetails(**values)


def submitted_application(seed: int = 1) -> object:
    """Return a new corporation's application (status submitted) with a PDF and a PNG."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from devcenter.demo.samples import sample_pdf, sample_png
    from devcenter.reviews.services import application_submit_new

    return application_submit_new(
        acting_user=UserFactory(),
        details=corporate_details(seed),
        registry_certificate=SimpleUploadedFile("registry.pdf", sample_pdf(), "application/pdf"),
        application_form=SimpleUploadedFile("form.png", sample_png(), "image/png"),
    )
