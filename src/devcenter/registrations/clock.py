"""The registrations app's clock: one place tests move (cool-downs, link expiry, grace periods)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """Return the current time (aware, UTC)."""
    return timezone.now()
