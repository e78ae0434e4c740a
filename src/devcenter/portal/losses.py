"""What a destructive or downgrading action takes away, asked of the policy core and the
registry.

The confirmation page of an action says what will be lost before the user confirms. Nothing
here states a rule: a downgrade is the policy's automatic move after the event (the card is
lost), and what the partner loses comes from the one impact computation
(`devcenter.notices.impact`): every service and account the policy allows its type now and
refuses the type it would move to, and the registrations of those services, which would be
suspended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devcenter.notices.impact import MoveImpact, event_impact
from devcenter.partners.card_services import CARD_LOST
from devcenter.policy import default_policy


@dataclass(frozen=True, slots=True)
class Loss:
    """What the partner would lose: the type it falls to, the services and accounts (labels),
    and the registrations that would be suspended (their names)."""

    from_type: str
    to_type: str | None  # None: the type stays
    to_type_label: str
    services: tuple[str, ...]  # labels in the page's language
    accounts: tuple[str, ...]
    registrations: tuple[str, ...] = ()

    @property
    def anything(self) -> bool:
        """Return whether anything at all would be lost."""
        return bool(self.to_type and (self.services or self.accounts or self.registrations))


def loss_of(impact: MoveImpact | None, from_type: str | None, lang: str) -> Loss:
    """Return what `impact` takes away, labelled in `lang` (None: nothing moves)."""
    if impact is None:
        return Loss(from_type or "", None, "", (), ())
    policy = default_policy()
    return Loss(
        from_type=impact.from_type or "",
        to_type=impact.to_type,
        to_type_label=policy.label("partner_type", impact.to_type).get(lang),
        services=tuple(policy.label("service", s).get(lang) for s in impact.services_lost),
        accounts=tuple(policy.label("account", a).get(lang) for a in impact.accounts_lost),
        registrations=tuple(r.name for r in impact.registrations_suspended),
    )


def loss_on_event(partner: Any, event: str, lang: str) -> Loss:
    """Return what `partner` loses when `event` makes the policy's automatic move."""
    return loss_of(event_impact(partner=partner, event=event), partner.partner_type, lang)


def loss_on_card_removal(partner: Any, lang: str) -> Loss:
    """Return what removing the partner's last verified card takes away."""
    return loss_on_event(partner, CARD_LOST, lang)
