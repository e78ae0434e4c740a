"""Log a staff user into the console the only way there is: password, then TOTP."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.staff.factories import PASSWORD, StaffFactory, activate_totp, totp_code


def mfa_login(client: Client, user: object, secret: str) -> None:
    """Log `user` in through allauth with the password and the current TOTP code."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302


def staff_console_client(client: Client) -> tuple[Client, object]:
    """Return the client logged in as a new staff user with TOTP, and that user."""
    staff = StaffFactory()
    mfa_login(client, staff, activate_totp(staff))
    return client, staff
