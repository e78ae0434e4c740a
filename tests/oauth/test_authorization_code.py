"""Authorization code + PKCE (S256) through the consent page, in-process; RFC 6749 §4.1 errors.

The same flow runs in Chromium against a real server in test_consent_browser.py.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from devcenter.oauth.services import oauth_client_create
from tests.oauth.conftest import REDIRECT_URI, pkce_pair, token_request
from tests.partners.factories import platform_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    client.force_login(platform_user())
    return client


def authorize_url(client_id: str, challenge: str, **extra: str | None) -> str:
    """Return the authorization request URL; a parameter given as None is left out."""
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "r_profile w_voice",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    } | extra
    return "/oauth/authorize?" + urlencode({k: v for k, v in query.items() if v is not None})


def consent(client, url: str, allow: bool = True):
    """Open the consent page and answer it; return the redirect's query."""
    page = client.get(url)
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    if allow:
        data["allow"] = "true"
    answer = client.post("/oauth/authorize", data)
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def exchange(client, credentials, code: str, verifier: str, redirect_uri: str = REDIRECT_URI):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    return token_request(client, data, credentials)


def test_the_user_allows_and_the_client_exchanges_the_code_for_tokens(user_client, credentials):
    verifier, challenge = pkce_pair()

    query = consent(user_client, authorize_url(credentials.client_id, challenge))

    assert query["state"] == "xyz"
    tokens = exchange(user_client, credentials, query["code"], verifier)
    assert tokens.status_code == 200
    body = tokens.json()
    assert body["scope"] == "r_profile w_voice"
    assert body["expires_in"] == 900
    assert body["refresh_token"]


def test_the_consent_page_names_the_client_and_each_scope_in_japanese(user_client, credentials):
    _, challenge = pkce_pair()

    page = user_client.get(authorize_url(credentials.client_id, challenge))

    html = page.content.decode()
    assert "写真共有サービス" in html
    assert "あなたのプロフィール（ニックネーム、プロフィール画像など）を取得する" in html
    assert "あなたとしてつぶやきを投稿・削除し、コメントやイイネ！をする" in html
    assert 'lang="ja"' in html
    assert "「写真共有サービス」にあなたのmixiアカウントへのアクセスを許可しますか？" in html
    assert ">許可する</button>" in html
    assert ">許可しない</button>" in html


def test_the_consent_page_in_english_keeps_the_request_in_the_language_links(
    user_client, credentials
):
    _, challenge = pkce_pair()

    page = user_client.get(authorize_url(credentials.client_id, challenge, lang="en"))

    html = page.content.decode()
    assert "Read your profile (nickname, profile image and other profile details)" in html
    assert 'lang="en"' in html
    switch_to_japanese = re.search(r'href="\?([^"]*)" lang="ja"', html)
    assert switch_to_japanese is not None
    assert f"client_id={credentials.client_id}" in switch_to_japanese[1]
    assert switch_to_japanese[1].endswith("&amp;lang=ja")


def test_deny_sends_the_user_back_with_access_denied(user_client, credentials):
    _, challenge = pkce_pair()

    query = consent(user_client, authorize_url(credentials.client_id, challenge), allow=False)

    assert query["error"] == "access_denied"
    assert query["state"] == "xyz"
    assert "code" not in query


def test_login_is_required_first(client, credentials):
    _, challenge = pkce_pair()

    response = client.get(authorize_url(credentials.client_id, challenge))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/oauth/authorize")


def test_a_redirect_uri_not_registered_is_shown_and_never_redirected_to(user_client, credentials):
    _, challenge = pkce_pair()

    response = user_client.get(
        authorize_url(credentials.client_id, challenge, redirect_uri="https://evil.example/cb")
    )

    assert response.status_code == 400
    assert "Location" not in response
    html = response.content.decode()
    assert 'data-error="redirect_uri_mismatch"' in html
    assert 'href="https://evil.example' not in html  # nothing to follow there either


def test_an_unknown_client_is_shown_as_invalid_client(user_client, db):
    _, challenge = pkce_pair()

    response = user_client.get(authorize_url("no-such-client", challenge))

    assert response.status_code == 400
    assert 'data-error="invalid_client"' in response.content.decode()


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"scope": "r_profile everything"}, "invalid_scope"),
        ({"scope": ""}, "invalid_scope"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_other_errors_go_back_to_the_registered_uri(user_client, credentials, extra, error):
    _, challenge = pkce_pair()
    response = user_client.get(authorize_url(credentials.client_id, challenge, **extra))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    assert parse_qs(location.query)["error"] == [error]


def test_a_wrong_pkce_verifier_is_invalid_grant(user_client, credentials):
    _, challenge = pkce_pair()
    query = consent(user_client, authorize_url(credentials.client_id, challenge))
    other_verifier, _ = pkce_pair()

    response = exchange(user_client, credentials, query["code"], other_verifier)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_code_past_its_three_minutes_is_invalid_grant(user_client, credentials, clock):
    verifier, challenge = pkce_pair()
    query = consent(user_client, authorize_url(credentials.client_id, challenge))

    clock.advance(seconds=181)

    response = exchange(user_client, credentials, query["code"], verifier)
    assert response.json()["error"] == "invalid_grant"


def test_a_code_works_once(user_client, credentials):
    verifier, challenge = pkce_pair()
    query = consent(user_client, authorize_url(credentials.client_id, challenge))
    assert exchange(user_client, credentials, query["code"], verifier).status_code == 200

    again = exchange(user_client, credentials, query["code"], verifier)

    assert again.json()["error"] == "invalid_grant"


def test_a_different_redirect_uri_at_the_token_endpoint_is_refused(user_client, credentials):
    verifier, challenge = pkce_pair()
    query = consent(user_client, authorize_url(credentials.client_id, challenge))

    response = exchange(
        user_client, credentials, query["code"], verifier, "https://client.example.com/other"
    )

    assert response.status_code == 400
    assert response.json()["error"] in {"invalid_request", "invalid_grant"}


def test_a_public_client_exchanges_with_pkce_alone(user_client, db):
    public = oauth_client_create(
        registration_id="reg_native", name="Native", redirect_uris=[REDIRECT_URI],
        confidential=False,
    )  # fmt: skip
    verifier, challenge = pkce_pair()
    query = consent(user_client, authorize_url(public.client_id, challenge))

    response = user_client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
            "client_id": public.client_id,
        },
    )

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "loopback", ["http://127.0.0.1/cb", "http://[::1]/cb", "http://localhost:8765/cb"]
)
def test_a_native_client_is_sent_back_to_its_http_loopback_uri(user_client, loopback):
    native = oauth_client_create(
        registration_id="reg_native", name="Native", redirect_uris=[loopback], confidential=False
    )
    _, challenge = pkce_pair()
    page = user_client.get(authorize_url(native.client_id, challenge, redirect_uri=loopback))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}

    answer = user_client.post("/oauth/authorize", data | {"allow": "true"})

    assert answer.status_code == 302
    assert answer["Location"].startswith(loopback + "?")
    assert "code=" in answer["Location"]


def test_the_consent_page_lets_its_form_redirect_to_the_registered_uri_and_nowhere_else(
    user_client, credentials
):
    _, challenge = pkce_pair()

    page = user_client.get(authorize_url(credentials.client_id, challenge))

    policy = page["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", REDIRECT_URI]
