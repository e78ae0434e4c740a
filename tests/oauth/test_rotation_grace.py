"""A rotated-out secret keeps working for DEVCENTER_CREDENTIAL_GRACE_HOURS, then stops."""

from __future__ import annotations

import pytest

from devcenter.oauth.services import IssuedCredentials, oauth_client_rotate
from tests.oauth.conftest import token_request

pytestmark = pytest.mark.django_db

GRANT = {"grant_type": "client_credentials", "scope": "r_profile"}


def test_the_old_secret_works_during_the_grace_period_and_not_after(client, credentials, clock):
    new = oauth_client_rotate(client_id=credentials.client_id)

    clock.advance(hours=23, minutes=59)
    assert token_request(client, GRANT, credentials).status_code == 200
    assert token_request(client, GRANT, new).status_code == 200

    clock.advance(minutes=2)
    refused = token_request(client, GRANT, credentials)
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    assert token_request(client, GRANT, new).status_code == 200


def test_the_grace_period_is_a_setting(client, credentials, clock, settings):
    settings.DEVCENTER_CREDENTIAL_GRACE_HOURS = 1
    oauth_client_rotate(client_id=credentials.client_id)

    clock.advance(minutes=61)

    assert token_request(client, GRANT, credentials).json()["error"] == "invalid_client"


def test_the_old_secret_works_in_the_body_too(client, credentials):
    oauth_client_rotate(client_id=credentials.client_id)

    response = client.post(
        "/oauth/token",
        GRANT | {"client_id": credentials.client_id, "client_secret": credentials.client_secret},
    )

    assert response.status_code == 200


def test_a_second_rotation_ends_the_first_secrets_grace_at_once(client, credentials):
    second = oauth_client_rotate(client_id=credentials.client_id)
    third = oauth_client_rotate(client_id=credentials.client_id)

    assert token_request(client, GRANT, credentials).status_code == 401
    assert token_request(client, GRANT, second).status_code == 200
    assert token_request(client, GRANT, third).status_code == 200


def test_a_previous_secret_of_one_client_is_no_secret_of_another(client, credentials):
    from devcenter.oauth.services import oauth_client_create

    other = oauth_client_create(registration_id="reg_o", name="O", redirect_uris=[])
    oauth_client_rotate(client_id=credentials.client_id)

    borrowed = IssuedCredentials(other.client_id, credentials.client_secret)

    assert token_request(client, GRANT, borrowed).status_code == 401
