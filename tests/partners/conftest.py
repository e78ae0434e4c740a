"""Fixtures for the registry tests: counting what was written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from devcenter.accounts.models import PlatformAccount
from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Card, Membership, Partner

COUNTED = (Partner, Membership, Card, PlatformAccount, AuditEvent)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def row_counts() -> Callable[[], dict[str, int]]:
    """Return a function giving the row count of every registry table (for "nothing written")."""
    return _counts


@pytest.fixture
def last_event() -> Callable[[], AuditEvent]:
    """Return a function giving the newest audit event."""
    return lambda: AuditEvent.objects.order_by("-sequence").first()
