"""card_remove: removing the verified card moves individual_card back to individual."""
# ruff: noqa: S106 (the sandbox verifier's documented test tokens, not secrets)

from __future__ import annotations

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, NotFoundError
from devcenter.partners.models import CardStatus, PartnerType
from devcenter.partners.services import card_register, card_remove
from tests.partners.factories import individual_partner, platform_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def carded():
    user = platform_user()
    partner = individual_partner(user=user)
    card = card_register(partner_id=partner.public_id, token="tok_mastercard", acting_user=user)
    return partner, card, user


def test_removing_the_card_moves_the_partner_back(carded) -> None:
    partner, card, user = carded
    removed = card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=user)
    assert removed.status == CardStatus.REMOVED
    partner.refresh_from_db()
    assert partner.partner_type == PartnerType.INDIVIDUAL
    event_removed, moved = AuditEvent.objects.order_by("-sequence")[:2][::-1]
    assert (event_removed.event_type, event_removed.target_id) == ("card.removed", card.public_id)
    assert event_removed.old["status"] == "verified"
    assert moved.event_type == "partner.type_changed"
    assert (moved.old["partner_type"], moved.new["partner_type"]) == (
        "individual_card",
        "individual",
    )
    assert moved.new["reason"] == "card_removed"


def test_a_removed_card_cannot_be_removed_again(carded, row_counts) -> None:
    partner, card, user = carded
    card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=user)
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=user)
    assert refused.value.code == "card_not_verified"
    assert row_counts() == before


def test_an_unknown_card_is_not_found(carded, row_counts) -> None:
    partner, _, user = carded
    other = individual_partner()
    other_user = other.user
    other_card = card_register(partner_id=other.public_id, token="tok_visa", acting_user=other_user)
    before = row_counts()
    for card_id in ("card_nope", other_card.public_id):
        with pytest.raises(NotFoundError) as refused:
            card_remove(partner_id=partner.public_id, card_id=card_id, acting_user=user)
        assert refused.value.code == "card_not_found"
    assert row_counts() == before


def test_a_non_member_does_not_find_the_partner(carded, row_counts) -> None:
    partner, card, _ = carded
    before = row_counts()
    with pytest.raises(NotFoundError) as refused:
        card_remove(
            partner_id=partner.public_id, card_id=card.public_id, acting_user=platform_user()
        )
    assert refused.value.code == "partner_not_found"
    assert row_counts() == before
