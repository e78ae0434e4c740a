"""The client credentials grant at POST /oauth/token, and RFC 6749 §5.2 errors."""

from __future__ import annotations

import pytest

from devcenter.oauth.services import IssuedCredentials, oauth_client_create
from tests.oauth.conftest import token_request

pytestmark = pytest.mark.django_db


def test_a_confidential_client_gets_a_bearer_token_for_fifteen_minutes(client, credentials):
    response = token_request(
        client, {"grant_type": "client_credentials", "scope": "r_profile w_voice"}, credentials
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"  # noqa: S105 (a token type)
    assert body["expires_in"] == 900
    assert body["scope"] == "r_profile w_voice"
    assert "refresh_token" not in body
    assert response["Cache-Control"] == "no-store"


def test_credentials_in_the_body_work_too(client, credentials):
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "scope": "r_profile",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
        },
    )

    assert response.status_code == 200


def test_a_wrong_secret_is_invalid_client_401(client, credentials):
    wrong = IssuedCredentials(credentials.client_id, credentials.client_secret + "x")

    response = token_request(
        client, {"grant_type": "client_credentials", "scope": "r_profile"}, wrong
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_unknown_client_is_invalid_client(client, db):
    response = token_request(
        client,
        {"grant_type": "client_credentials", "scope": "r_profile"},
        IssuedCredentials("no-such-client", "secret"),
    )

    assert response.json()["error"] == "invalid_client"


def test_a_scope_outside_the_policy_catalogue_is_invalid_scope(client, credentials):
    response = token_request(
        client,
        {"grant_type": "client_credentials", "scope": "r_profile read_everything"},
        credentials,
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_no_scope_at_all_is_invalid_scope(client, credentials):
    response = token_request(client, {"grant_type": "client_credentials"}, credentials)

    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize(
    "grant_type", ["password", "implicit", "urn:ietf:params:oauth:grant-type:device_code", "x"]
)
def test_a_grant_the_server_does_not_run_is_unsupported_grant_type(client, credentials, grant_type):
    response = token_request(
        client, {"grant_type": grant_type, "username": "u", "password": "p"}, credentials
    )

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_public_client_may_not_use_client_credentials(client, db):
    public = oauth_client_create(
        registration_id="reg_public", name="Native", redirect_uris=["http://127.0.0.1/cb"],
        confidential=False,
    )  # fmt: skip

    response = client.post(
        "/oauth/token",
        {"grant_type": "client_credentials", "scope": "r_profile", "client_id": public.client_id},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"  # it has no secret to authenticate with
    assert public.client_secret == ""
