"""The site header links to log-in and sign-up, or to the user's partners and log-out."""

import pytest
from django.urls import reverse

from tests.partners.factories import platform_user


@pytest.mark.django_db
def test_anonymous_header_offers_log_in_and_sign_up_in_japanese(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("account_login")}">ログイン<' in html
    assert f'href="{reverse("account_signup")}">新規登録<' in html


@pytest.mark.django_db
def test_signed_in_header_links_to_partners_in_english(client):
    client.force_login(platform_user())
    html = client.get("/?lang=en").content.decode()
    assert f'href="{reverse("portal:partners")}">Your partners<' in html
    assert ">Log out<" in html
    assert "Staff console" not in html
