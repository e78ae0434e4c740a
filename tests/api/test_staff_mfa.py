"""MFA is part of being staff: every /api/v1/staff/ endpoint needs TOTP, by key and by session.

A staff user without TOTP, with a staff key or a password-only session, is refused `403
mfa_required` on every staff endpoint before anything runs; a staff key whose user lost TOTP
or staff stops working; a staff user with TOTP (key, or a session that passed TOTP) passes.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from devcenter.api_support.models import IdempotencyRecord
from tests.api.conftest import error_code
from tests.api.factories import ApiCaller, api_key
from tests.staff.factories import PASSWORD, StaffFactory, activate_totp
from tests.staff.helpers import mfa_login

# Every staff operation; the ids name nothing: a refusal comes before any lookup.
STAFF_ENDPOINTS = [
    ("get", "/staff/applications", None),
    ("get", "/staff/applications/apl_x", None),
    ("post", "/staff/applications/apl_x/start-review", {}),
    ("post", "/staff/applications/apl_x/confirm-identity", {"note": "電話で確認"}),
    ("post", "/staff/applications/apl_x/approve", {}),
    ("post", "/staff/applications/apl_x/reject", {"reason_ja": "理由", "reason_en": "why"}),
    ("post", "/staff/applications/apl_x/needs-info", {"note": "印鑑証明"}),
    ("get", "/staff/documents/doc_x", None),
    ("get", "/staff/partners", None),
    ("get", "/staff/partners/ptn_x", None),
    ("get", "/staff/partners/ptn_x/members", None),
    ("get", "/staff/partners/ptn_x/history", None),
    ("post", "/staff/partners/ptn_x/suspend", {"reason": "規約違反"}),
    ("post", "/staff/partners/ptn_x/restore", {"reason": "解決"}),
    (
        "post",
        "/staff/partners/ptn_x/members",
        {"email": "a@example.com", "role": "owner", "reason": "r"},
    ),
    ("delete", "/staff/partners/ptn_x/members/1", {"reason": "r"}),
]


@pytest.fixture(autouse=True)
def _fresh_cache(db: None) -> None:
    """allauth counts log-ins and marks used TOTP codes in the cache: start empty."""
    cache.clear()


def _call(caller, method, path, body, **headers):
    if method == "get":
        return caller.get(path, headers=headers)
    if method == "delete":
        return caller.client.delete(
            f"/api/v1{path}",
            body,
            content_type="application/json",
            headers={**caller.headers, **headers},
        )
    return caller.post(path, body, key="mfa-test", headers=headers)


def _session(client: Client) -> ApiCaller:
    """Return an ApiCaller on `client`'s session, sending its CSRF token."""
    token = "a" * 32  # a well-formed CSRF secret, sent as cookie and header alike
    client.cookies["csrftoken"] = token
    caller = ApiCaller()
    caller.client = client
    caller.headers["X-CSRFToken"] = token
    return caller


@pytest.fixture
def staff_without_totp_key(db):
    """A staff key made while its user had TOTP; the user then removed the authenticator."""
    user = StaffFactory()
    activate_totp(user)
    raw = api_key(user, "staff")
    Authenticator.objects.filter(user=user).delete()
    return ApiCaller(raw)


@pytest.fixture
def password_only_session(db):
    """A staff user without TOTP, logged in with the password (allauth lets them in)."""
    client = Client()
    user = StaffFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return _session(client)


@pytest.fixture
def session_from_before_totp(db):
    """A staff user who logged in with the password, then activated TOTP in that session."""
    client = Client()
    user = StaffFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    activate_totp(user)
    return _session(client)


@pytest.fixture
def mfa_session(db):
    client = Client()
    user = StaffFactory()
    mfa_login(client, user, activate_totp(user))
    return _session(client)


@pytest.mark.parametrize(("method", "path", "body"), STAFF_ENDPOINTS)
@pytest.mark.parametrize(
    "who", ["staff_without_totp_key", "password_only_session", "session_from_before_totp"]
)
def test_staff_without_totp_is_refused_mfa_required(request, who, method, path, body):
    caller = request.getfixturevalue(who)

    response = _call(caller, method, path, body)

    assert response.status_code == 403
    assert error_code(response) == "mfa_required"
    assert not IdempotencyRecord.objects.exists()  # refused before claiming the key


@pytest.mark.parametrize(("method", "path", "body"), STAFF_ENDPOINTS)
@pytest.mark.parametrize("who", ["staff", "mfa_session"])
def test_staff_with_totp_pass_to_the_operation(request, who, method, path, body):
    """Past authentication the unknown ids are simply not found."""
    caller = request.getfixturevalue(who)

    response = _call(caller, method, path, body)

    assert response.status_code in {200, 404}
    if response.status_code == 404:
        assert error_code(response).endswith("not_found")


def test_a_staff_key_stops_working_everywhere_when_its_user_loses_totp(staff_without_totp_key):
    response = staff_without_totp_key.get("/partners")

    assert response.status_code == 403
    assert error_code(response) == "mfa_required"


def test_a_staff_key_stops_working_when_its_user_is_no_longer_staff(staff, staff_user):
    staff_user.is_staff = False
    staff_user.save(update_fields=["is_staff"])

    response = staff.get("/staff/applications")

    assert response.status_code == 403
    assert error_code(response) == "staff_only"


def test_a_developer_key_of_a_staff_user_is_insufficient_scope(staff_user):
    response = ApiCaller(api_key(staff_user, "developer")).get("/staff/applications")

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"


def test_a_non_staff_session_is_staff_only(developer):
    client = Client()
    client.force_login(developer)

    response = _session(client).get("/staff/partners")

    assert response.status_code == 403
    assert error_code(response) == "staff_only"
