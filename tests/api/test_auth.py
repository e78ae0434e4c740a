"""Authentication: bearer keys (developer/staff, bound to a user) and the portal session + CSRF."""

from django.test import Client

from devcenter.apikeys.models import ApiKey
from devcenter.apikeys.services import apikey_create
from tests.api.conftest import error_code
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import platform_user


def test_unknown_key_is_401(db):
    response = ApiCaller("dc_not-a-key").get("/partners")

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_malformed_authorization_header_is_401_not_the_session(developer):
    caller = ApiCaller()
    caller.client.force_login(developer)

    response = caller.get("/partners", headers={"Authorization": "Basic abc"})

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_decisions_key_is_403_insufficient_scope(db):
    _key, raw = apikey_create(name="dec", scope="decisions")

    response = ApiCaller(raw).get("/partners")

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"


def test_a_key_marks_its_last_use(developer):
    raw = api_key(developer)

    ApiCaller(raw).get("/partners")

    assert ApiKey.objects.get(user=developer).last_used_at is not None


def test_session_reads_without_csrf(developer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(developer)

    assert client.get("/api/v1/partners").status_code == 200


def test_session_write_without_csrf_token_is_403(developer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(developer)

    response = client.post(
        "/api/v1/partners/individual", {"registration_name": "x"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"


def test_session_write_with_csrf_token_succeeds(db):
    user = platform_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = "a" * 32  # the double-submit pair: the cookie and the header carry one secret
    client.cookies["csrftoken"] = token

    response = client.post(
        "/api/v1/partners/individual",
        {"registration_name": "セッション"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201
