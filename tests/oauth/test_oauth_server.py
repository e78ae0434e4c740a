"""The OAuth endpoints of a real `devcenter serve`, spoken to with httpx over HTTP.

One server for the module (embedded SQLite in a temporary var dir): client credentials ->
introspection -> revocation, the authorization code with PKCE through allauth's log-in and the
consent form, a redirect URI that is not registered, a rotated secret in its grace period; a
second server whose codes live one second, for the expired code.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from bench.graph_api_client import graph_api_clients_script

from tests.oauth.conftest import pkce_pair
from tests.running_server import serving_after

pytestmark = pytest.mark.slow

EMAIL = "resource-owner@example.com"
PASSWORD = "a-long-sandbox-passphrase-42"  # noqa: S105 (a throwaway user of a temporary DB)
REDIRECT_URI = "https://photos.example.com/callback"
SET_UP = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from devcenter.apikeys.services import apikey_create

user = get_user_model().objects.create_user(username="owner", email="{email}", password="{pw}")
EmailAddress.objects.create(user=user, email="{email}", verified=True, primary=True)
_, key = apikey_create(name="graph-api-gateway", scope="decisions")
json.dump({{"key": key, "user_id": user.pk}}, open("{out}", "w"))
"""
CLIENTS = {
    "photos": ("写真共有", [REDIRECT_URI], False),
    "rotating": ("Rotating", ["https://rotating.example.com/callback"], True),
}


def set_up(var: Path) -> str:
    """The user and the gateway's key, then two Graph API clients made as a partner makes them
    (the second rotated once)."""
    people = SET_UP.format(email=EMAIL, pw=PASSWORD, out=var / "people.json")
    return people + graph_api_clients_script(CLIENTS, str(var / "clients.json"))


def issued_of(var: Path) -> dict[str, Any]:
    """What `set_up` made, in the shape the tests read."""
    clients = json.loads((var / "clients.json").read_text())
    photos, rotating = clients["photos"], clients["rotating"]
    return {
        **json.loads((var / "people.json").read_text()),
        "client_id": photos["client_id"],
        "secret": photos["secret"],
        "registration": photos["registration"],
        "rot_id": rotating["client_id"],
        "old": rotating["secret"],
        "new": rotating["new_secret"],
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    var = tmp_path_factory.mktemp("oauth") / "var"
    var.mkdir()
    with serving_after(var, set_up(var)) as base:
        yield base, issued_of(var)


def token(base: str, client_id: str, secret: str, **data: str) -> httpx.Response:
    return httpx.post(f"{base}/oauth/token", data=data, auth=(client_id, secret))


def introspect(base: str, key: str, value: str) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/oauth/introspect",
        data={"token": value},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def test_client_credentials_token_introspected_active_then_revoked_and_inactive(server):
    base, issued = server
    cid, secret = issued["client_id"], issued["secret"]

    granted = token(base, cid, secret, grant_type="client_credentials", scope="r_profile w_share")
    assert granted.status_code == 200
    access = granted.json()["access_token"]

    active = introspect(base, issued["key"], access)
    assert active["active"] is True
    assert active["client_id"] == cid
    assert active["scope"] == "r_profile w_share"
    assert active["registration"] == issued["registration"]
    assert active["sub"] == cid
    assert active["exp"] - active["iat"] == 900

    revoked = httpx.post(f"{base}/oauth/revoke", data={"token": access}, auth=(cid, secret))
    assert revoked.status_code == 200
    assert introspect(base, issued["key"], access) == {"active": False}


def test_token_endpoint_errors_over_http(server):
    base, issued = server
    cid, secret = issued["client_id"], issued["secret"]

    wrong = token(base, cid, "wrong", grant_type="client_credentials", scope="r_profile")
    unknown_scope = token(base, cid, secret, grant_type="client_credentials", scope="r_all")
    password = token(base, cid, secret, grant_type="password", username="u", password="p")  # noqa: S106

    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert (unknown_scope.status_code, unknown_scope.json()["error"]) == (400, "invalid_scope")
    assert (password.status_code, password.json()["error"]) == (400, "unsupported_grant_type")


def test_a_rotated_secret_and_the_new_one_both_work_during_the_grace_period(server):
    base, issued = server
    grant = {"grant_type": "client_credentials", "scope": "r_profile"}

    assert token(base, issued["rot_id"], issued["old"], **grant).status_code == 200
    assert token(base, issued["rot_id"], issued["new"], **grant).status_code == 200


@contextmanager
def logged_in(base: str) -> Iterator[httpx.Client]:
    """Yield an httpx client holding a session, logged in through allauth's form."""
    with httpx.Client(base_url=base) as browser:
        page = browser.get("/accounts/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert csrf is not None
        done = browser.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": csrf[1], "login": EMAIL, "password": PASSWORD},
        )
        assert done.status_code == 302, done.text
        yield browser


def authorize_query(client_id: str, challenge: str, redirect_uri: str = REDIRECT_URI) -> str:
    return urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": "r_profile r_photo",
            "state": "s-1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )


def allow(browser: httpx.Client, client_id: str, challenge: str) -> str:
    """Open the consent page, allow, and return the code from the redirect."""
    page = browser.get(f"/oauth/authorize?{authorize_query(client_id, challenge)}")
    assert page.status_code == 200
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
    answer = browser.post("/oauth/authorize", data=fields | {"allow": "true"})
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["s-1"]
    return query["code"][0]


def test_authorization_code_with_pkce_over_http(server):
    base, issued = server
    verifier, challenge = pkce_pair()
    with logged_in(base) as browser:
        code = allow(browser, issued["client_id"], challenge)

    exchanged = token(
        base, issued["client_id"], issued["secret"],
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )  # fmt: skip

    assert exchanged.status_code == 200
    answer = introspect(base, issued["key"], exchanged.json()["access_token"])
    assert answer["sub"] == str(issued["user_id"])
    assert answer["scope"] == "r_profile r_photo"


def test_a_wrong_pkce_verifier_is_invalid_grant_over_http(server):
    base, issued = server
    _, challenge = pkce_pair()
    with logged_in(base) as browser:
        code = allow(browser, issued["client_id"], challenge)

    exchanged = token(
        base, issued["client_id"], issued["secret"],
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=pkce_pair()[0],
    )  # fmt: skip

    assert (exchanged.status_code, exchanged.json()["error"]) == (400, "invalid_grant")


def test_a_redirect_uri_not_registered_is_refused_on_the_page_without_a_redirect(server):
    base, issued = server
    _, challenge = pkce_pair()
    query = authorize_query(issued["client_id"], challenge, "https://attacker.example/cb")

    with logged_in(base) as browser:
        page = browser.get(f"/oauth/authorize?{query}")

    assert page.status_code == 400
    assert "location" not in page.headers
    assert 'data-error="redirect_uri_mismatch"' in page.text


@pytest.fixture(scope="module")
def short_code_server(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A server whose authorization codes live one second."""
    monkeypatch_module.setenv("DEVCENTER_OAUTH_CODE_SECONDS", "1")
    var = tmp_path_factory.mktemp("oauth-short") / "var"
    var.mkdir()
    with serving_after(var, set_up(var)) as base:
        yield base, issued_of(var)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_an_expired_code_is_invalid_grant_over_http(short_code_server):
    base, issued = short_code_server
    verifier, challenge = pkce_pair()
    with logged_in(base) as browser:
        code = allow(browser, issued["client_id"], challenge)

    time.sleep(1.5)
    exchanged = token(
        base, issued["client_id"], issued["secret"],
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )  # fmt: skip

    assert (exchanged.status_code, exchanged.json()["error"]) == (400, "invalid_grant")
