"""Fixtures of the registrations tests (the API tests' callers and partners, a movable clock)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from devcenter.audit.models import AuditEvent
from devcenter.registrations import clock
from tests.api.conftest import (  # noqa: F401 (fixtures)
    _private_media,
    certified_partner,
    developer,
    general_partner,
    individual,
    other_dev,
    staff,
    staff_user,
)
from tests.registrations.factories import Caller, api_key


@pytest.fixture
def dev(developer: Any) -> Caller:  # noqa: F811
    """A caller with a developer key bound to `developer` (PATCH too)."""
    return Caller(api_key(developer, "developer"))


class MovableClock:
    """The registrations app's clock, moved by the test."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return timezone.now() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def movable_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    moving = MovableClock()
    monkeypatch.setattr(clock, "now", moving.now)
    return moving


@pytest.fixture
def platform_key(db: None) -> str:
    """A raw API key with scope `decisions` (a platform service)."""
    return api_key(None, "decisions")


def audit_events(event_type: str, target_id: str | None = None) -> list[AuditEvent]:
    found = AuditEvent.objects.filter(event_type=event_type)
    if target_id is not None:
        found = found.filter(target_id=target_id)
    return list(found.order_by("sequence"))


def mailed_token() -> str:
    """Return the token of the last e-mail sent."""
    match = re.search(r"token: (\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match[1]


def code_of(response: Any) -> str:
    return str(response.json()["code"])
