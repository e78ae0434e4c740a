"""A member's API keys on the portal: created with a name and shown once, listed with last use,
revoked; the key works against the API; nobody sees another member's keys."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from devcenter.apikeys.selectors import apikey_by_raw_key
from tests.partners.factories import platform_user
from tests.portal.conftest import follow_refusal, url

pytestmark = pytest.mark.django_db


def test_create_shows_the_key_once_then_lists_it(client_in: Client, general: Any, user: Any):
    screen = url(general, "api-keys/")

    response = client_in.post(screen, {"name": "CI"})

    assert response.status_code == 303
    first = client_in.get(screen)
    raw = first.context["new_key"]
    assert apikey_by_raw_key(raw).user == user
    assert raw in first.content.decode()
    assert first["Cache-Control"] == "no-store"
    again = client_in.get(screen).content.decode()
    assert raw not in again  # shown once
    assert 'data-key="CI"' in again
    assert f"{user.pk}/CI" not in again


def test_the_same_name_twice_is_refused_at_the_field(client_in: Client, general: Any):
    screen = url(general, "api-keys/")
    client_in.post(screen, {"name": "CI"})

    page = follow_refusal(client_in, client_in.post(screen, {"name": "CI"}), screen)

    assert page.context["api_key_form"].errors["name"]


def test_two_members_may_name_keys_alike_and_see_only_their_own(
    client: Client, general: Any, user: Any
):
    client.force_login(user)
    client.post(url(general, "api-keys/"), {"name": "CI"})
    stranger = platform_user()
    client.force_login(stranger)

    assert client.get(url(general, "api-keys/")).status_code == 404


def test_revoke(client_in: Client, general: Any):
    screen = url(general, "api-keys/")
    client_in.post(screen, {"name": "CI"})
    raw = client_in.get(screen).context["new_key"]

    response = client_in.post(url(general, "api-keys/revoke/"), {"name": "CI"})

    assert response.status_code == 303
    assert apikey_by_raw_key(raw) is None
    assert "revoked" in client_in.get(screen, {"lang": "en"}).content.decode()
