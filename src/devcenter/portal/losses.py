"""What a destructive or downgrading action takes away, asked of the policy core.

The confirmation page of an action says what will be lost before the user confirms. Nothing
here states a rule: a downgrade is the policy's automatic move after the event (the card is
lost), and what the partner loses is every service and account the policy allows its type now
and refuses the type it would move to.
"""

from __future__ import annotations

from dataclasses import dataclass

from devcenter.partners.card_services import CARD_LOST
from devcenter.policy import Policy


@dataclass(frozen=True, slots=True)
class Loss:
    """What the partner would lose: the type it falls to, and the services and accounts."""

    from_type: str
    to_type: str | None  # None: the type stays
    to_type_label: str
    services: tuple[str, ...]  # labels in the page's language
    accounts: tuple[str, ...]

    @property
    def anything(self) -> bool:
        """Return whether anything at all would be lost."""
        return bool(self.to_type and (self.services or self.accounts))


def loss_on_event(policy: Policy, partner_type: str | None, event: str, lang: str) -> Loss:
    """Return what a partner of `partner_type` loses when `event` makes its automatic move."""
    to_type = policy.automatic_move(partner_type, event) if partner_type else None
    if to_type is None or partner_type is None:
        return Loss(partner_type or "", None, "", (), ())
    return Loss(
        from_type=partner_type,
        to_type=to_type,
        to_type_label=policy.label("partner_type", to_type).get(lang),
        services=tuple(
            policy.label("service", s).get(lang)
            for s in policy.services
            if policy.decide_service(partner_type, s).allowed
            and not policy.decide_service(to_type, s).allowed
        ),
        accounts=tuple(
            policy.label("account", a).get(lang)
            for a in policy.accounts
            if policy.decide_account(partner_type, a).allowed
            and not policy.decide_account(to_type, a).allowed
        ),
    )


def loss_on_card_removal(policy: Policy, partner_type: str | None, lang: str) -> Loss:
    """Return what removing the partner's last verified card takes away."""
    return loss_on_event(policy, partner_type, CARD_LOST, lang)
