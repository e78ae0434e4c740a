"""Sign-up, e-mail verification, log-in, password reset and the TOTP step, end to end."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.staff.factories import PASSWORD, UserFactory, activate_totp, totp_code

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+")


def _link_in(message: object) -> str:
    return LINK.search(message.body).group(0).replace("http://testserver", "")


def _login(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signup_sends_a_verification_link_that_verifies_the_address(
    client: Client, mailoutbox: list
) -> None:
    """A new user gets a link by e-mail; following it verifies the address and logs in works."""
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert len(mailoutbox) == 1

    confirm = client.post(_link_in(mailoutbox[0]))
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified

    client.logout()
    assert _login(client, "new@example.com").status_code == 302
    assert client.get("/").wsgi_request.user.email == "new@example.com"


def test_login_before_verification_is_held_at_the_verification_step(
    client: Client, mailoutbox: list
) -> None:
    """Mandatory verification: an unverified user is not logged in and gets a new link."""
    user = get_user_model().objects.create_user(
        username="unverified", email="unverified@example.com", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    response = _login(client, "unverified@example.com")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1


def test_password_reset_by_the_emailed_link(client: Client, mailoutbox: list) -> None:
    """The reset link sets a new password that then logs in."""
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mailoutbox) == 1

    form_url = client.get(_link_in(mailoutbox[0]))["Location"]  # the key moves to the session
    new_password = "another horse battery 9"  # noqa: S105 - test fixture
    response = client.post(form_url, {"password1": new_password, "password2": new_password})

    assert response.status_code == 302
    assert _login(Client(), user.email, new_password).status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_a_user_with_totp_gets_the_mfa_step(client: Client) -> None:
    """The password alone leaves the user at the MFA step; the TOTP code completes the log-in."""
    user = UserFactory()
    secret = activate_totp(user)

    response = _login(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_totp_code_does_not_log_in(client: Client) -> None:
    user = UserFactory()
    activate_totp(user)
    _login(client, user.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
