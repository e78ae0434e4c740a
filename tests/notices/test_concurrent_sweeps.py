"""Two sweeps at once (two machines running `devcenter cards sweep` in the same minute): each
card's notice goes out once. Real concurrency needs real row locks: PostgreSQL only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from devcenter.audit.models import AuditEvent, PendingAuditEvent
from devcenter.notices.card_expiry import card_expiry_notify
from devcenter.notices.models import CardExpiryNotice, Notice
from devcenter.partners.models import Card, CardStatus
from tests.notices.conftest import EXP_MONTH, EXP_YEAR, days_before
from tests.partners.factories import platform_user
from tests.registrations.factories import partner_of_type
from tests.reviews.services.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CARDS = 6


def expiring_partners(count: int) -> list[Any]:
    partners = [partner_of_type("individual_card", platform_user()) for _ in range(count)]
    Card.objects.filter(status=CardStatus.VERIFIED).update(exp_year=EXP_YEAR, exp_month=EXP_MONTH)
    return partners


@pytest.mark.parametrize("sweeps", [2, 4])
def test_concurrent_sweeps_send_each_notice_once(sweeps: int) -> None:
    partners = expiring_partners(CARDS)

    results = race(*[lambda: card_expiry_notify(today=days_before(7))] * sweeps)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == CARDS  # every card told by exactly one of the sweeps
    assert CardExpiryNotice.objects.count() == CARDS
    assert Notice.objects.count() == CARDS
    events = AuditEvent.objects.filter(event_type="card.expiring").count()
    pending = PendingAuditEvent.objects.filter(event_type="card.expiring").count()
    assert events + pending == CARDS
    assert {n.partner_id for n in Notice.objects.all()} == {p.pk for p in partners}
    assert len(mail.outbox) == CARDS
