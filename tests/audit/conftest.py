"""Tampering with the audit log in tests: around the PostgreSQL append-only trigger."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

TRIGGER = "audit_auditevent_append_only"


@contextmanager
def trigger_disabled() -> Iterator[None]:
    """Let UPDATE/DELETE through on PostgreSQL (as a tamperer with table-owner rights could)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")


@pytest.fixture
def tamper() -> Callable[[], object]:
    """Return the `trigger_disabled` context manager."""
    return trigger_disabled
