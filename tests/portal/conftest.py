"""Fixtures of the portal tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from devcenter.partners.services import partner_certify
from devcenter.policy import Policy, default_policy
from tests.partners.factories import corporate_general_partner, individual_partner, platform_user


@pytest.fixture
def policy() -> Policy:
    """The shipped policy, the one the page and the CLI render."""
    return default_policy()


@pytest.fixture
def user() -> Any:
    return platform_user()


@pytest.fixture
def client_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def individual(user: Any) -> Any:
    return individual_partner(user=user)


@pytest.fixture
def general(user: Any) -> Any:
    return corporate_general_partner(user=user)


@pytest.fixture
def certified(user: Any) -> Any:
    partner = corporate_general_partner(user=user)
    with transaction.atomic():
        return partner_certify(partner=partner, actor="system")


def url(partner: Any, rest: str = "") -> str:
    return f"/partners/{partner.public_id}/{rest}"


def follow_refusal(client: Client, response: Any, screen: str) -> Any:
    """Assert that a refused POST redirected (303) to `screen`; return that screen's GET."""
    assert response.status_code == 303, response.status_code
    assert response["Location"] == screen
    return client.get(screen)


def error_codes(form: Any) -> dict[str, list[str]]:
    """Return the stable codes of a form's errors, by field (`__all__` above the form)."""
    return {field: [e.code for e in errors] for field, errors in form.errors.as_data().items()}
