"""The OAuth server answers only for clients a usable registration holds, through the HTTP
endpoints with the registrations app's check in place (not the OAuth server alone): a client no
registration holds gets no token; a card removed stops the partner's Graph API client at the
token endpoint and in introspection; a card added brings it back."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from devcenter.apikeys.services import apikey_create
from devcenter.oauth.services import oauth_client_create
from devcenter.partners.models import Card
from devcenter.partners.services import card_register, card_remove
from devcenter.registrations import links
from devcenter.registrations.services import (
    contact_email_confirm,
    credentials_issue,
    registration_create,
)
from tests.registrations.factories import partner_of_type, valid_fields

pytestmark = pytest.mark.django_db


def basic(client_id: str, secret: str | None) -> dict[str, str]:
    pair = f"{client_id}:{secret}".encode()
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(pair).decode()}


def token(client: Client, client_id: str, secret: str | None) -> Any:
    grant = {"grant_type": "client_credentials", "scope": "r_profile"}
    return client.post("/oauth/token", grant, **basic(client_id, secret))


def introspect(client: Client, gateway_key: str, access: str) -> dict[str, Any]:
    """Ask as the Graph API gateway (a `decisions` key)."""
    response = client.post(
        "/oauth/introspect", {"token": access}, HTTP_AUTHORIZATION=f"Bearer {gateway_key}"
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def gateway_key() -> str:
    return apikey_create(name="graph-api-gateway", scope="decisions")[1]


@pytest.fixture
def graph_api(developer: Any) -> tuple[Any, str, str | None]:
    """An individual partner with a card and a Graph API client issued to its registration."""
    partner = partner_of_type("individual_card", developer)
    made = registration_create(
        partner_id=partner.public_id,
        service="graph_api",
        name="写真共有",
        fields=valid_fields("graph_api"),
        acting_user=developer,
    )
    made.refresh_from_db()
    contact_email_confirm(
        token=links.link_token(links.CONTACT_EMAIL_LINK, made.pk, made.contact_email_nonce)
    )
    issued = credentials_issue(registration_id=made.public_id, acting_user=developer)
    return partner, issued.secret.client_id, issued.secret.client_secret


def test_a_client_no_registration_holds_gets_no_token(client: Client) -> None:
    stray = oauth_client_create(registration_id="reg_nobody", name="Stray", redirect_uris=[])

    response = token(client, stray.client_id, stray.client_secret)

    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_a_card_removed_stops_the_client_and_a_card_added_brings_it_back(
    client: Client, developer: Any, gateway_key: str, graph_api: tuple[Any, str, str | None]
) -> None:
    partner, client_id, secret = graph_api
    first = token(client, client_id, secret)
    assert first.status_code == 200, first.content
    access = first.json()["access_token"]
    assert introspect(client, gateway_key, access)["active"] is True

    card = Card.objects.get(partner=partner)
    with transaction.atomic():
        card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=developer)

    refused = token(client, client_id, secret)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    assert introspect(client, gateway_key, access) == {"active": False}

    card_register(partner_id=partner.public_id, token="tok_visa", acting_user=developer)  # noqa: S106

    assert token(client, client_id, secret).status_code == 200
    assert introspect(client, gateway_key, access)["active"] is True
