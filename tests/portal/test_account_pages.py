"""allauth's pages (log-in, sign-up) wear the portal's layout and follow its language choice."""

import pytest
from django.conf import settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "lang", "heading"), [("", "ja", "ログイン"), ("?lang=en", "en", "Sign In")]
)
def test_login_page_in_the_portal_layout(client, query, lang, heading):
    response = client.get(f"/accounts/login/{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert 'class="language-switcher"' in html
    assert "portal/account.css" in html
    assert heading in html


@pytest.mark.django_db
def test_lang_choice_on_an_account_page_is_remembered(client):
    response = client.get("/accounts/signup/?lang=en")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/accounts/signup/").content.decode()
