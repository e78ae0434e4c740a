"""Card expiry notices: a verified card expiring within 30, 7 and 1 days is told about once
per threshold, by e-mail and in the portal, with the audited `card.expiring` event.

`card_expiry_notify(today=…)` is the sweep (`devcenter cards notify`, and `devcenter cards
sweep` with the expiries). Each run sends a card at most the most urgent threshold it has
reached, once: a card 6 days from expiry that never got the 30-day notice (registered late, or
the sweep did not run) gets only the 7-day one; a missed notice is never sent late. Idempotent
and safe to run concurrently: each card is handled in its own transaction under its partner's
row lock (as every card change is), and a unique constraint on (card, threshold) refuses a
second record even where row locks do not exist (SQLite).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import SYSTEM, audit_record
from devcenter.notices import clock
from devcenter.notices.choices import CARD_EXPIRY_THRESHOLDS, NoticeKind
from devcenter.notices.impact import event_impact
from devcenter.notices.models import CardExpiryNotice
from devcenter.notices.notifications import send_card_expiring
from devcenter.notices.services import notice_create
from devcenter.notices.wording import impact_data
from devcenter.partners.card_services import CARD_LOST, card_expires_on
from devcenter.partners.selectors import (
    partner_lock,
    partner_members,
    verified_card,
    verified_cards_expiring_by,
)

if TYPE_CHECKING:
    from devcenter.partners.models import Card, Partner


def due_threshold(days_left: int) -> int | None:
    """Return the most urgent threshold a card `days_left` days from expiry has reached, or
    None (not within the widest one, or already expired)."""
    if days_left < 1:
        return None
    return min((t for t in CARD_EXPIRY_THRESHOLDS if days_left <= t), default=None)


def card_expiry_notify(*, today: date) -> int:
    """Send the card expiry notices due on `today`; return how many cards were told.

    Two reads pick the cards whose due notice has not gone out (the candidates, and the
    records of what went out to them); only those are handled, each in its own transaction
    that checks it all again under the partner's lock.
    """
    horizon = today + timedelta(days=max(CARD_EXPIRY_THRESHOLDS))
    due = list(
        verified_cards_expiring_by(day=horizon).values_list(
            "pk", "partner__public_id", "exp_year", "exp_month"
        )
    )
    sent = _sent_thresholds([row[0] for row in due])
    todo = [
        (pk, partner_id)
        for pk, partner_id, year, month in due
        if year is not None
        and month is not None
        and (threshold := due_threshold((card_expires_on(year, month) - today).days)) is not None
        and not (pk in sent and sent[pk] <= threshold)
    ]
    return sum(_card_notify(pk, partner_id, today) for pk, partner_id in todo)


def _sent_thresholds(card_pks: list[int]) -> dict[int, int]:
    """Return, per card, the most urgent threshold already sent (cards with none left out)."""
    sent: dict[int, int] = {}
    for start in range(0, len(card_pks), 1000):
        chunk = card_pks[start : start + 1000]
        rows = CardExpiryNotice.objects.filter(card_id__in=chunk).values_list(
            "card_id", "threshold_days"
        )
        for card_id, threshold in rows:
            sent[card_id] = min(threshold, sent.get(card_id, threshold))
    return sent


@transaction.atomic
def _card_notify(card_pk: int, partner_id: str, today: date) -> int:
    partner = partner_lock(public_id=partner_id)  # partner before card, as everywhere
    card = verified_card(partner=partner)
    if card is None or card.pk != card_pk or card.exp_year is None or card.exp_month is None:
        return 0
    expires_on = card_expires_on(card.exp_year, card.exp_month)
    threshold = due_threshold((expires_on - today).days)
    if threshold is None:
        return 0
    if CardExpiryNotice.objects.filter(card_id=card.pk, threshold_days__lte=threshold).exists():
        return 0
    try:
        with transaction.atomic():  # a concurrent sweep's record: it sent this one
            CardExpiryNotice.objects.create(
                card_id=card.pk,
                threshold_days=threshold,
                expires_on=expires_on,
                sent_at=clock.now(),
            )
    except IntegrityError:
        return 0
    data = _notice_data(partner, card, expires_on, threshold, today)
    notices = [
        notice_create(
            recipient=member.user, partner=partner, kind=NoticeKind.CARD_EXPIRING, data=data
        )
        for member in partner_members(partner=partner)
    ]
    audit_record(
        event_type=AuditEventType.CARD_EXPIRING,
        actor=SYSTEM,
        target_type=AuditTarget.CARD,
        target_id=card.public_id,
        partner=partner.public_id,
        new=data,
    )
    notice_pks = [notice.pk for notice in notices]
    transaction.on_commit(lambda: send_card_expiring(notice_pks))
    return 1


def _notice_data(
    partner: Partner, card: Card, expires_on: date, threshold: int, today: date
) -> dict[str, Any]:
    """Return what the notice and the event say: the card, when, and what it takes away."""
    return {
        "card": card.public_id,
        "brand": card.brand,
        "last4": card.last4,
        "expires_on": expires_on.isoformat(),
        "threshold_days": threshold,
        "days_left": (expires_on - today).days,
        "from_type": partner.partner_type,
        **impact_data(event_impact(partner=partner, event=CARD_LOST)),
    }
