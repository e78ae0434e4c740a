"""The staff console gate: /admin/ only for staff whose session passed TOTP."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.staff.factories import (
    PASSWORD,
    StaffFactory,
    UserFactory,
    activate_totp,
    generate_totp_secret,
    totp_code,
)
from tests.staff.helpers import mfa_login, staff_console_client

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_the_allauth_login(client: Client) -> None:
    response = client.get("/admin/partners/")
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('account_login')}?next={quote('/admin/partners/', safe='')}"
    )


def test_the_admin_password_form_is_never_used(client: Client) -> None:
    """Django's own admin log-in (password only) redirects to allauth, keeping `next`."""
    response = client.get("/admin/login/?next=/admin/audit/")
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Faudit%2F"
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response["Location"].startswith(reverse("account_login"))


def test_a_non_staff_user_gets_no_admin(client: Client) -> None:
    """A logged-in developer (even with TOTP) sees a 404: the console does not exist for them."""
    user = UserFactory()
    mfa_login(client, user, activate_totp(user))
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


def test_staff_without_totp_is_sent_to_activate_it(client: Client) -> None:
    staff = StaffFactory()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_with_totp_but_a_password_only_session_must_pass_mfa(client: Client) -> None:
    staff = StaffFactory()
    activate_totp(staff)
    client.force_login(staff)  # no MFA record in this session

    response = client.get("/admin/")

    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"


def test_staff_with_totp_after_mfa_login_reaches_the_admin(client: Client) -> None:
    client, _staff = staff_console_client(client)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_staff_activates_totp_then_passes_mfa_and_reaches_the_admin(client: Client) -> None:
    """The whole path of a new staff member: log in, activate TOTP, pass MFA, use the console."""
    staff = StaffFactory()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    activate_url = client.get("/admin/")["Location"]

    # allauth asks for the password again before an authenticator is added
    reauth_password_url = client.get(activate_url)["Location"]
    assert reauth_password_url.startswith(reverse("account_reauthenticate"))
    client.post(reauth_password_url, {"password": PASSWORD})
    client.get(activate_url)  # puts the secret to confirm in the session
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()

    reauth_mfa_url = client.get("/admin/")["Location"]
    assert reauth_mfa_url.startswith(reverse("mfa_reauthenticate"))
    # the activation checked the code without spending it: it still passes MFA
    response = client.post(reauth_mfa_url, {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_generate_totp_secret_is_base32() -> None:
    assert len(generate_totp_secret()) == 32
