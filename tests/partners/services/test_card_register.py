"""card_register: a verified token makes an individual `individual_card`; nothing half-done."""
# ruff: noqa: S106 (the sandbox verifier's documented test tokens, not secrets)

from __future__ import annotations

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError, NotFoundError
from devcenter.partners.models import Card, CardStatus, PartnerType
from devcenter.partners.services import card_register, partner_suspend
from devcenter.policy import default_policy
from tests.partners.factories import (
    corporate_general_partner,
    corporate_pending_partner,
    individual_partner,
    platform_user,
)

pytestmark = pytest.mark.django_db


def test_a_verified_card_moves_an_individual_to_individual_card() -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    assert card.public_id.startswith("card_")
    assert (card.status, card.brand, card.last4) == (CardStatus.VERIFIED, "visa", "4242")
    assert card.fingerprint
    partner.refresh_from_db()
    assert partner.partner_type == PartnerType.INDIVIDUAL_CARD
    registered, moved = AuditEvent.objects.order_by("-sequence")[:2][::-1]
    assert (registered.event_type, registered.target_id) == ("card.registered", card.public_id)
    assert registered.new["last4"] == "4242"
    assert "tok_visa" not in str(registered.new)
    assert moved.event_type == "partner.type_changed"
    assert (moved.old["partner_type"], moved.new["partner_type"]) == (
        "individual",
        "individual_card",
    )
    assert moved.actor == f"user:{user.pk}"


def test_a_new_card_replaces_the_verified_one_without_a_move() -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    first = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    second = card_register(partner_id=partner.public_id, token="tok_jcb", acting_user=user)
    first.refresh_from_db()
    assert first.status == CardStatus.REMOVED
    assert Card.objects.get(partner=partner, status=CardStatus.VERIFIED) == second
    removed, registered = AuditEvent.objects.order_by("-sequence")[:2][::-1]
    assert (removed.event_type, removed.new["reason"]) == ("card.removed", "replaced")
    assert registered.event_type == "card.registered"
    partner.refresh_from_db()
    assert partner.partner_type == PartnerType.INDIVIDUAL_CARD


@pytest.mark.parametrize(
    "token", ["4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242"]
)
def test_a_card_number_is_refused_before_anything_is_stored(token: str, row_counts) -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    before = row_counts()
    with pytest.raises(InvalidError) as refused:
        card_register(partner_id=partner.public_id, token=token, acting_user=user)
    assert (refused.value.code, refused.value.field) == ("card_number_not_accepted", "token")
    assert row_counts() == before
    assert not AuditEvent.objects.filter(new__icontains="4242").exists()


@pytest.mark.parametrize("token", ["", "  ", "t" * 201])
def test_a_malformed_token_is_refused(token: str, row_counts) -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    before = row_counts()
    with pytest.raises(InvalidError) as refused:
        card_register(partner_id=partner.public_id, token=token, acting_user=user)
    assert refused.value.code == "card_token_invalid"
    assert row_counts() == before


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("tok_declined", "card_declined"),
        ("tok_expired", "card_expired"),
        ("tok_incorrect_cvc", "card_incorrect_cvc"),
        ("tok_unheard_of", "card_token_invalid"),
    ],
)
def test_a_refused_token_leaves_only_the_card_failed_event(
    token: str, code: str, row_counts
) -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    before = row_counts()
    with pytest.raises(InvalidError) as refused:
        card_register(partner_id=partner.public_id, token=token, acting_user=user)
    assert (refused.value.code, refused.value.field) == (code, "token")
    assert row_counts() == {**before, "AuditEvent": before["AuditEvent"] + 1}
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.event_type, event.partner, event.new) == (
        "card.failed",
        partner.public_id,
        {"code": code},
    )
    partner.refresh_from_db()
    assert partner.partner_type == PartnerType.INDIVIDUAL


def test_a_refused_replacement_keeps_the_verified_card() -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    with pytest.raises(InvalidError):
        card_register(partner_id=partner.public_id, token="tok_declined", acting_user=user)
    card.refresh_from_db()
    assert card.status == CardStatus.VERIFIED


def test_a_corporate_partner_has_no_cards(row_counts) -> None:
    user = platform_user()
    partner = corporate_general_partner(user=user)
    expected = default_policy().decide_move("corporate_general", "individual_card")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    assert refused.value.code == expected.code == "corporate_to_individual"
    assert row_counts() == before


def test_a_pending_corporation_has_no_cards(row_counts) -> None:
    user = platform_user()
    partner = corporate_pending_partner(user=user)
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    assert refused.value.code == default_policy().decide_move(None, "individual_card").code
    assert row_counts() == before


def test_a_suspended_partner_may_not_register_a_card(row_counts) -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    partner_suspend(partner_id=partner.public_id, actor="system", reason="x")
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    assert refused.value.code == "partner_suspended"
    assert row_counts() == before


def test_a_non_member_does_not_find_the_partner(row_counts) -> None:
    partner = individual_partner()
    before = row_counts()
    with pytest.raises(NotFoundError) as refused:
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=platform_user())
    assert refused.value.code == "partner_not_found"
    assert row_counts() == before


def test_the_configured_verifier_is_used(settings) -> None:
    settings.DEVCENTER_CARD_VERIFIER = "tests.partners.services.test_card_register.DeclineAll"
    user = platform_user()
    partner = individual_partner(user=user)
    with pytest.raises(InvalidError) as refused:
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    assert refused.value.code == "card_declined"


class DeclineAll:
    """A verifier that declines everything (stands in for a provider adapter)."""

    def verify(self, token: str):
        from devcenter.partners.cards import CardRefusal

        return CardRefusal("card_declined")
