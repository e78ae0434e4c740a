"""A client whose registration is not usable now (the registrations app's check says no) gets
no token by any grant, its tokens introspect as inactive and the consent page refuses it."""

from __future__ import annotations

import pytest

from devcenter.oauth.hooks import client_usable, register_client_usable
from tests.oauth.conftest import client_credentials_token, pkce_pair, token_request
from tests.oauth.test_authorization_code import authorize_url, consent, exchange
from tests.partners.factories import platform_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(no_usable_checks):
    """A check that says no for every client_id added to the returned set."""
    refused: set[str] = set()
    register_client_usable(lambda client_id: client_id not in refused)
    return refused


def test_with_no_check_registered_every_client_is_usable(no_usable_checks):
    assert client_usable("anything") is True


def test_client_credentials_are_refused_with_invalid_client(client, credentials, suspended):
    suspended.add(credentials.client_id)

    response = token_request(
        client, {"grant_type": "client_credentials", "scope": "r_profile"}, credentials
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_tokens_already_issued_introspect_inactive_and_come_back_when_usable(
    client, credentials, suspended, decisions_key
):
    token = client_credentials_token(client, credentials)
    auth = f"Bearer {decisions_key[1]}"

    suspended.add(credentials.client_id)
    assert client.post("/oauth/introspect", {"token": token}, HTTP_AUTHORIZATION=auth).json() == {
        "active": False
    }

    suspended.discard(credentials.client_id)
    answer = client.post("/oauth/introspect", {"token": token}, HTTP_AUTHORIZATION=auth).json()
    assert answer["active"] is True


def test_the_consent_page_refuses_the_client(client, credentials, suspended):
    client.force_login(platform_user())
    suspended.add(credentials.client_id)
    _, challenge = pkce_pair()

    response = client.get(authorize_url(credentials.client_id, challenge))

    assert response.status_code == 400
    assert 'data-error="invalid_client"' in response.content.decode()


def test_a_code_issued_before_the_suspension_is_not_exchanged(client, credentials, suspended):
    client.force_login(platform_user())
    verifier, challenge = pkce_pair()
    query = consent(client, authorize_url(credentials.client_id, challenge))

    suspended.add(credentials.client_id)

    response = exchange(client, credentials, query["code"], verifier)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_other_clients_are_not_affected(client, credentials, suspended):
    suspended.add("someone-else")

    assert client_credentials_token(client, credentials)
