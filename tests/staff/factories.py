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
