"""A partner's scheduled changes: what will happen on a known date, and what it takes away.

Today the one change the registry knows the date of is a verified card's expiry (the policy's
automatic move when the last card is lost); its effect comes from the same impact computation
as the notices and the confirmation pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from devcenter.notices import clock
from devcenter.notices.choices import CARD_EXPIRY_THRESHOLDS
from devcenter.notices.impact import event_impact
from devcenter.notices.wording import ChangeWords, change_words, impact_data
from devcenter.partners.card_services import CARD_LOST, card_expires_on
from devcenter.partners.selectors import verified_card

if TYPE_CHECKING:
    from devcenter.partners.models import Partner


@dataclass(frozen=True, slots=True)
class ScheduledChange:
    """One change on a known date: what happens, what it takes away, where to prevent it."""

    on: date
    days_left: int
    what: str
    loses: ChangeWords
    prevent: str  # how to keep what it takes away
    url: str
    soon: bool  # within the widest notice threshold


def scheduled_changes(*, partner: Partner, lang: str) -> tuple[ScheduledChange, ...]:
    """Return the partner's scheduled changes, soonest first, in `lang`."""
    card = verified_card(partner=partner)
    if card is None or card.exp_year is None or card.exp_month is None:
        return ()
    expires_on = card_expires_on(card.exp_year, card.exp_month)
    days_left = (expires_on - clock.today()).days
    loses = change_words(impact_data(event_impact(partner=partner, event=CARD_LOST)), lang)
    with translation.override(lang):
        what = _("The card %(brand)s ending in %(last4)s expires.") % {
            "brand": card.brand,
            "last4": card.last4,
        }
        prevent = _("Register a new card before then to keep them.")
    return (
        ScheduledChange(
            on=expires_on,
            days_left=days_left,
            what=what,
            loses=loses,
            prevent=prevent,
            url=reverse("portal:partner_card", args=[partner.public_id]),
            soon=days_left <= max(CARD_EXPIRY_THRESHOLDS),
        ),
    )
