"""Card services: register (verified by the payment provider), remove, expire.

A verified card moves an individual partner to individual_card; when no verified card is left
(removed or expired) the policy's automatic move brings it back to individual. Re-exported by
`devcenter.partners.services`.

A refused token leaves nothing half-done: no Card row is written, only the audit event
`card.failed` (in its own transaction, so it survives the refusal), and the service raises
InvalidError (422, field `token`) with the verifier's code. Call `card_register` outside any
transaction: the provider is asked with no row lock held, and an enclosing transaction that
rolls back would also drop the `card.failed` record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import SYSTEM, actor_of, audit_change, audit_record
from devcenter.errors import ConflictError, InvalidError, NotFoundError
from devcenter.partners.cards import (
    TOKEN_MAX_LENGTH,
    CardRefusal,
    VerifiedCard,
    card_verifier,
    looks_like_card_number,
)
from devcenter.partners.errors import PartnerErrorCode, partner_error
from devcenter.partners.models import Card, CardStatus, Partner
from devcenter.partners.moves import check_move, partner_type_set
from devcenter.partners.selectors import partner_for_user, partner_lock, partner_lock_for
from devcenter.policy import default_policy
from devcenter.public_ids import new_public_id
from devcenter.users import ActingUser

TOKEN_FIELD = "token"  # noqa: S105 (the name of the input field)
CARD_REGISTER = "card.register"  # the policy's operation (and the move it makes)
CARD_LOST = "card_lost"  # the policy's event for the automatic move when no card is left


def _checked_token(token: str) -> str:
    """Refuse a card number (before anything is stored or logged) and a malformed token."""
    if looks_like_card_number(token):
        raise partner_error(
            InvalidError, PartnerErrorCode.CARD_NUMBER_NOT_ACCEPTED, field=TOKEN_FIELD
        )
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise partner_error(InvalidError, PartnerErrorCode.CARD_TOKEN_INVALID, field=TOKEN_FIELD)
    return token


def _card_snapshot(card: Card) -> dict[str, Any]:
    return {
        "status": card.status,
        "brand": card.brand,
        "last4": card.last4,
        "exp_month": card.exp_month,
        "exp_year": card.exp_year,
        "fingerprint": card.fingerprint,
    }


def card_expires_on(exp_year: int, exp_month: int) -> date:
    """Return the day a card valid through `exp_month`/`exp_year` expires: the first day of
    the month after (it works through the last day of its expiry month)."""
    return date(exp_year + exp_month // 12, exp_month % 12 + 1, 1)


def card_is_past_expiry(exp_year: int, exp_month: int, today: date) -> bool:
    """Return whether a card valid through `exp_month`/`exp_year` has expired on `today`."""
    return today >= card_expires_on(exp_year, exp_month)


def card_register(*, partner_id: str, token: str, acting_user: ActingUser) -> Card:
    """Verify the provider `token` and make it the partner's one verified card.

    Refuses, writing nothing: `card_number_not_accepted` / `card_token_invalid` (422),
    `partner_not_found` (404, also for a non-member), `partner_suspended` and the policy's
    move code (409: only individual partners have cards). A token the verifier refuses
    (`card_declined`, `card_expired`, `card_incorrect_cvc`, `card_token_invalid`) raises 422
    and leaves only the audit event `card.failed`. A previous verified card becomes removed.
    """
    token = _checked_token(token)
    # Early: do not ask the provider for a partner who cannot (the policy's `card.register`).
    partner = partner_for_user(
        acting_user=acting_user, public_id=partner_id, operation=CARD_REGISTER
    )
    answer = card_verifier().verify(token)
    if isinstance(answer, VerifiedCard) and card_is_past_expiry(
        answer.exp_year,
        answer.exp_month,
        date.today(),  # noqa: DTZ011
    ):
        answer = CardRefusal(PartnerErrorCode.CARD_EXPIRED)
    if isinstance(answer, CardRefusal):
        _record_refusal(partner, answer, actor_of(acting_user))
        raise partner_error(InvalidError, answer.code, field=TOKEN_FIELD)
    return _card_store(partner_id, answer, acting_user)


def _record_refusal(partner: Partner, refusal: CardRefusal, actor: str) -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.CARD_FAILED,
            actor=actor,
            target_type=AuditTarget.PARTNER,
            target_id=partner.public_id,
            partner=partner.public_id,
            new={"code": str(refusal.code)},
        )


@transaction.atomic
def _card_store(partner_id: str, verified: VerifiedCard, acting_user: ActingUser) -> Card:
    # Again, under the lock: the partner may have moved meanwhile.
    partner = partner_lock_for(
        public_id=partner_id, acting_user=acting_user, operation=CARD_REGISTER
    )
    actor = actor_of(acting_user)
    previous = Card.objects.select_for_update().filter(partner=partner, status=CardStatus.VERIFIED)
    for card in previous:
        _card_set_status(card, CardStatus.REMOVED, AuditEventType.CARD_REMOVED, actor, "replaced")
    card = Card.objects.create(
        public_id=new_public_id("card"),
        partner=partner,
        token=verified.token,
        brand=verified.brand,
        last4=verified.last4,
        exp_month=verified.exp_month,
        exp_year=verified.exp_year,
        fingerprint=verified.fingerprint,
        status=CardStatus.VERIFIED,
    )
    audit_record(
        event_type=AuditEventType.CARD_REGISTERED,
        actor=actor,
        target_type=AuditTarget.CARD,
        target_id=card.public_id,
        partner=partner.public_id,
        new=_card_snapshot(card),
    )
    to_type = default_policy().partner_state.operations[CARD_REGISTER].move_to
    if to_type is not None and partner.partner_type != to_type:
        partner_type_set(partner, to_type, actor=actor, reason="card_registered")
    return card


def _card_set_status(card: Card, status: str, event: str, actor: str, reason: str) -> None:
    audit_change(
        card,
        {"status": status},
        snapshot=_card_snapshot,
        event_type=event,
        actor=actor,
        target_type=AuditTarget.CARD,
        partner=card.partner.public_id,
        note={"reason": reason},
    )


def _card_retire(partner: Partner, card: Card, status: str, event: str, actor: str) -> None:
    """Take the verified card out of use; with none left, make the policy's automatic move."""
    _card_set_status(card, status, event, actor, status)
    if Card.objects.filter(partner=partner, status=CardStatus.VERIFIED).exists():
        return
    to_type = default_policy().automatic_move(partner.partner_type, CARD_LOST)
    if to_type is not None:
        check_move(partner.partner_type, to_type)
        partner_type_set(partner, to_type, actor=actor, reason=f"card_{status}")


@transaction.atomic
def card_remove(*, partner_id: str, card_id: str, acting_user: ActingUser) -> Card:
    """Remove the partner's verified card; an individual_card partner becomes individual.

    Refuses `partner_not_found` / `card_not_found` (404) and `card_not_verified` (409).
    """
    partner = partner_lock_for(
        public_id=partner_id, acting_user=acting_user, operation="card.remove"
    )
    card = Card.objects.select_for_update().filter(partner=partner, public_id=card_id).first()
    if card is None:
        raise partner_error(NotFoundError, PartnerErrorCode.CARD_NOT_FOUND)
    if card.status != CardStatus.VERIFIED:
        raise partner_error(ConflictError, PartnerErrorCode.CARD_NOT_VERIFIED)
    _card_retire(
        partner, card, CardStatus.REMOVED, AuditEventType.CARD_REMOVED, actor_of(acting_user)
    )
    return card


def cards_expire(*, today: date) -> int:
    """Expire every verified card past its expiry month on `today`; return how many.

    Idempotent and safe to run at any time: each card is expired in its own transaction, under
    its partner's lock, only if it is still verified.
    """
    past = Q(exp_year__lt=today.year) | Q(exp_year=today.year, exp_month__lt=today.month)
    due = list(
        Card.objects.filter(past, status=CardStatus.VERIFIED).values_list(
            "pk", "partner__public_id"
        )
    )
    return sum(_card_expire(pk, partner_id, today) for pk, partner_id in due)


@transaction.atomic
def _card_expire(card_pk: int, partner_id: str, today: date) -> int:
    partner = partner_lock(public_id=partner_id)  # partner before card, as everywhere
    card = Card.objects.select_for_update().filter(pk=card_pk).first()
    if card is None or card.status != CardStatus.VERIFIED:
        return 0
    if not card_is_past_expiry(card.exp_year or 0, card.exp_month or 0, today):
        return 0
    _card_retire(partner, card, CardStatus.EXPIRED, AuditEventType.CARD_EXPIRED, SYSTEM)
    return 1
