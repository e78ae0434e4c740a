"""Fixtures of the OAuth tests: clients made through the services, a controllable clock, PKCE."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from devcenter.oauth import hooks
from devcenter.oauth.services import IssuedCredentials, oauth_client_create

REDIRECT_URI = "https://client.example.com/callback"
REGISTRATION = "reg_test0001"


@dataclass
class Clock:
    """`django.utils.timezone.now` under the test's control (DOT and devcenter both ask it)."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    controlled = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", controlled.now)
    return controlled


@pytest.fixture(autouse=True)
def no_usable_checks() -> Iterator[None]:
    """The OAuth server's own tests run it alone: without the registrations app's check (which
    refuses every client no registration holds; tests/registrations test the two together)."""
    registered = hooks.client_usable_checks()
    for check in registered:
        hooks.unregister_client_usable(check)
    yield
    for check in hooks.client_usable_checks():
        hooks.unregister_client_usable(check)
    for check in registered:
        hooks.register_client_usable(check)


@pytest.fixture
def credentials(db: None) -> IssuedCredentials:
    """A confidential client of registration `reg_test0001`, redirecting to REDIRECT_URI."""
    return oauth_client_create(
        registration_id=REGISTRATION, name="写真共有サービス", redirect_uris=[REDIRECT_URI]
    )


def token_request(
    client: Client, data: dict[str, str], auth: IssuedCredentials | None = None
) -> Any:
    """POST /oauth/token (form-encoded), authenticating with HTTP Basic when `auth` is given."""
    headers = {}
    if auth is not None:
        pair = f"{auth.client_id}:{auth.client_secret}".encode()
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(pair).decode()
    return client.post("/oauth/token", data, **headers)


def client_credentials_token(
    client: Client, auth: IssuedCredentials, scope: str = "r_profile"
) -> str:
    response = token_request(client, {"grant_type": "client_credentials", "scope": scope}, auth)
    assert response.status_code == 200, response.content
    token: str = response.json()["access_token"]
    return token


def pkce_pair() -> tuple[str, str]:
    """Return `(verifier, S256 challenge)`."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
