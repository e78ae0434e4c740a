"""`devcenter cards notify|sweep`: print what they did; the day is the clock's unless given."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from devcenter.notices.models import Notice
from devcenter.partners.models import Card, CardStatus
from tests.notices.conftest import EXPIRES_ON, MovableClock, days_before

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("cards", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_notify_uses_the_clock_and_is_idempotent(card: Card, movable_clock: MovableClock) -> None:
    movable_clock.set_day(days_before(40))
    assert run("notify") == ["notified 0 cards"]
    movable_clock.set_day(days_before(30))
    assert run("notify") == ["notified 1 cards"]
    assert run("notify") == ["notified 0 cards"]
    assert Notice.objects.count() == 1


def test_sweep_expires_then_notifies(card: Card, owner: Any) -> None:
    assert run("sweep", "--today", days_before(1).isoformat()) == [
        "expired 0 cards",
        "notified 1 cards",
    ]
    assert run("sweep", "--today", EXPIRES_ON.isoformat()) == [
        "expired 1 cards",
        "notified 0 cards",
    ]
    assert Card.objects.get(pk=card.pk).status == CardStatus.EXPIRED


def test_expire_alone_sends_no_notice(card: Card) -> None:
    assert run("expire", "--today", days_before(1).isoformat()) == ["expired 0 cards"]
    assert not Notice.objects.exists()
