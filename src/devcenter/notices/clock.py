"""The notices app's clock: one place tests move (which card expiry notices are due)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    """Return the current time (aware, UTC)."""
    return timezone.now()


def today() -> date:
    """Return today's date in the site's time zone (`TIME_ZONE`), where card expiries fall."""
    return timezone.localdate(now())
