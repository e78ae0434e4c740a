"""Fixtures of the notices tests: an individual partner whose card expires on a known day, a
movable clock, and a service registration that the card's expiry would suspend."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from devcenter.notices import clock
from devcenter.partners.models import Card, CardStatus
from devcenter.registrations.services import registration_create
from tests.partners.factories import platform_user
from tests.registrations.factories import partner_of_type, valid_fields

# The sandbox card is valid through December; pin it to a known month instead.
EXP_YEAR, EXP_MONTH = 2027, 3
EXPIRES_ON = date(2027, 4, 1)  # the first day it no longer works


def days_before(days: int) -> date:
    """Return the day `days` days before the card expires."""
    return EXPIRES_ON - timedelta(days=days)


class MovableClock:
    """The notices app's clock, set by the test to a day in Tokyo."""

    def __init__(self) -> None:
        self.instant = timezone.now()

    def now(self) -> datetime:
        return self.instant

    def set_day(self, day: date) -> None:
        self.instant = timezone.make_aware(datetime.combine(day, time(9, 0)))


@pytest.fixture
def movable_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    moving = MovableClock()
    monkeypatch.setattr(clock, "now", moving.now)
    return moving


@pytest.fixture
def owner(db: None) -> Any:
    return platform_user(first_name="花子", last_name="山田")


@pytest.fixture
def card_partner(owner: Any) -> Any:
    """An individual_card partner whose verified card expires on EXPIRES_ON."""
    partner = partner_of_type("individual_card", owner)
    Card.objects.filter(partner=partner, status=CardStatus.VERIFIED).update(
        exp_year=EXP_YEAR, exp_month=EXP_MONTH
    )
    return partner


@pytest.fixture
def card(card_partner: Any) -> Card:
    return Card.objects.get(partner=card_partner, status=CardStatus.VERIFIED)


@pytest.fixture
def graph_registration(card_partner: Any, owner: Any, settings: Any, tmp_path: Any) -> Any:
    """A Graph API registration of the card partner (suspended once the card is gone)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return registration_create(
        partner_id=card_partner.public_id,
        service="graph_api",
        name="写真ビューア連携",
        fields=valid_fields("graph_api"),
        acting_user=owner,
    )
