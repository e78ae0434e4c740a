"""cards_expire: past their expiry month, verified cards expire; idempotent."""
# ruff: noqa: S106 (the sandbox verifier's documented test tokens, not secrets)

from __future__ import annotations

from datetime import date

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.partners.models import CardStatus, PartnerType
from devcenter.partners.services import card_register, cards_expire
from tests.partners.factories import individual_partner, platform_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def carded():
    user = platform_user()
    partner = individual_partner(user=user)
    card = card_register(partner_id=partner.public_id, token="tok_amex", acting_user=user)
    return partner, card


def test_a_card_is_valid_through_its_expiry_month(carded, row_counts) -> None:
    _, card = carded
    before = row_counts()
    assert cards_expire(today=date(card.exp_year, card.exp_month, 28)) == 0
    assert row_counts() == before


def test_an_expired_card_moves_the_partner_back_once(carded) -> None:
    partner, card = carded
    after = date(card.exp_year + 1, 1, 1)
    assert cards_expire(today=after) == 1
    card.refresh_from_db()
    partner.refresh_from_db()
    assert card.status == CardStatus.EXPIRED
    assert partner.partner_type == PartnerType.INDIVIDUAL
    expired, moved = AuditEvent.objects.order_by("-sequence")[:2][::-1]
    assert (expired.event_type, expired.actor, expired.target_id) == (
        "card.expired",
        "system",
        card.public_id,
    )
    assert (moved.event_type, moved.new["partner_type"], moved.new["reason"]) == (
        "partner.type_changed",
        "individual",
        "card_expired",
    )
    count = AuditEvent.objects.count()
    assert cards_expire(today=after) == 0
    assert AuditEvent.objects.count() == count


def test_only_verified_cards_expire(carded) -> None:
    partner, card = carded
    user = partner.user
    card_register(
        partner_id=partner.public_id, token="tok_visa", acting_user=user
    )  # replaces `card`
    card.refresh_from_db()
    assert card.status == CardStatus.REMOVED
    later = date(card.exp_year + 1, 1, 1)
    assert cards_expire(today=later) == 1
    card.refresh_from_db()
    assert card.status == CardStatus.REMOVED
