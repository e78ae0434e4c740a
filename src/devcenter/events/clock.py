"""The events app's clock: one place tests move (retry schedule, leases, rotation grace)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """Return the current time (aware, UTC)."""
    return timezone.now()
