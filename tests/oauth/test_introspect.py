"""POST /oauth/introspect (RFC 7662) for the Graph API gateway (decisions key) and clients."""

from __future__ import annotations

import base64

import pytest

from devcenter.apikeys.services import apikey_create
from devcenter.oauth.services import IssuedCredentials, oauth_client_create
from tests.oauth.conftest import REGISTRATION, client_credentials_token

pytestmark = pytest.mark.django_db


def introspect(client, token, *, key=None, auth: IssuedCredentials | None = None):
    headers = {}
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    if auth is not None:
        pair = f"{auth.client_id}:{auth.client_secret}".encode()
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(pair).decode()
    return client.post("/oauth/introspect", {"token": token}, **headers)


def test_the_gateway_sees_an_active_token_with_its_client_registration_and_times(
    client, credentials, decisions_key
):
    token = client_credentials_token(client, credentials, "r_profile r_photo")

    response = introspect(client, token, key=decisions_key[1])

    assert response.status_code == 200
    body = response.json()
    assert body["active"] is True
    assert body["scope"] == "r_profile r_photo"
    assert body["client_id"] == credentials.client_id
    assert body["sub"] == credentials.client_id  # client credentials: the client itself
    assert body["registration"] == REGISTRATION
    assert body["exp"] - body["iat"] == 900
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_unknown_token_is_inactive_and_nothing_else(client, db, decisions_key):
    response = introspect(client, "not-a-token", key=decisions_key[1])

    assert response.json() == {"active": False}


def test_an_expired_token_is_inactive(client, credentials, decisions_key, clock):
    token = client_credentials_token(client, credentials)
    clock.advance(seconds=899)
    assert introspect(client, token, key=decisions_key[1]).json()["active"] is True

    clock.advance(seconds=2)

    assert introspect(client, token, key=decisions_key[1]).json() == {"active": False}


def test_a_client_sees_its_own_tokens_but_not_another_clients(client, credentials):
    other = oauth_client_create(registration_id="reg_other", name="Other", redirect_uris=[])
    token = client_credentials_token(client, credentials)

    assert introspect(client, token, auth=credentials).json()["active"] is True
    assert introspect(client, token, auth=other).json() == {"active": False}


@pytest.mark.parametrize("scope", ["developer", "metrics"])
def test_a_key_without_the_decisions_scope_is_refused(client, credentials, scope):
    from tests.partners.factories import platform_user

    user = platform_user() if scope == "developer" else None
    _, raw = apikey_create(name=f"k-{scope}", scope=scope, user=user)
    token = client_credentials_token(client, credentials)

    response = introspect(client, token, key=raw)

    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_no_credentials_a_revoked_key_or_a_wrong_secret_is_401(
    client, credentials, revoked_decisions_key
):
    token = client_credentials_token(client, credentials)
    wrong = IssuedCredentials(credentials.client_id, "nope")

    assert introspect(client, token).status_code == 401
    assert introspect(client, token, key=revoked_decisions_key[1]).status_code == 401
    assert introspect(client, token, auth=wrong).status_code == 401


def test_a_missing_token_parameter_is_invalid_request(client, db, decisions_key):
    response = client.post("/oauth/introspect", {}, HTTP_AUTHORIZATION=f"Bearer {decisions_key[1]}")

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request"}


def test_get_is_not_allowed(client, db):
    assert client.get("/oauth/introspect?token=x").status_code == 405


def test_a_revoked_token_is_inactive(client, credentials, decisions_key):
    token = client_credentials_token(client, credentials)
    pair = f"{credentials.client_id}:{credentials.client_secret}".encode()

    revoked = client.post(
        "/oauth/revoke",
        {"token": token, "token_type_hint": "access_token"},
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(pair).decode(),
    )

    assert revoked.status_code == 200
    assert introspect(client, token, key=decisions_key[1]).json() == {"active": False}
