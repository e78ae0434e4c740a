"""What a move of a partner between types takes away and gives, before it happens.

Asked of the policy core (whether the move is allowed; which services and accounts a type may
have) and of the registry (the partner's platform accounts and service registrations): nothing
here states a rule. The API's `GET /partners/{id}/impact?to=TYPE`, the portal's confirmation
pages and scheduled changes, and the card expiry notices all read this one computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from devcenter.accounts.selectors import accounts_of_partner
from devcenter.errors import InvalidError
from devcenter.notices.errors import NoticeErrorCode, notice_error
from devcenter.partners.moves import check_move, check_partner_move, status_after_move
from devcenter.partners.selectors import capabilities_for
from devcenter.policy import Decision, default_policy
from devcenter.registrations.selectors import registration_effects
from devcenter.users import ActingUser

if TYPE_CHECKING:
    from devcenter.partners.models import Partner

SUSPEND, RESTORE = "suspend", "restore"  # the registrations' effects (registration_effects)
TO_FIELD = "to"


@dataclass(frozen=True, slots=True)
class MoveImpact:
    """What moving `partner` from `from_type` to `to_type` would take away and give."""

    partner: Partner
    from_type: str | None
    to_type: str
    status: str  # the partner's status after the move
    decision: Decision  # the policy's decision allowing the move
    services_lost: tuple[str, ...]  # service codes, in the policy file's order
    services_gained: tuple[str, ...]
    accounts_lost: tuple[str, ...]  # account codes the new type may not hold
    accounts_gained: tuple[str, ...]
    accounts_closed: tuple[Any, ...]  # the partner's active platform accounts of a lost kind
    registrations_suspended: tuple[Any, ...]  # registrations of a service it would lose
    registrations_restored: tuple[Any, ...]  # suspended ones whose service it would regain

    @property
    def takes_anything(self) -> bool:
        """Return whether the move takes anything away."""
        return bool(self.services_lost or self.accounts_lost or self.registrations_suspended)


def partner_move_impact(*, partner_id: str, viewer: ActingUser | None, to_type: str) -> MoveImpact:
    """Return what moving the partner to `to_type` would do, for a viewer who may read it.

    Refuses `partner_not_found` (404, also for a non-member), `unknown_partner_type` (422,
    field `to`), and a move the policy forbids with the policy's code (409: `no_downgrade`,
    `no_change`, `partner_suspended`, …). Nothing is written.
    """
    partner = capabilities_for(
        public_id=partner_id, viewer=viewer, operation="partner.read"
    ).partner
    if to_type not in default_policy().partner_types:
        raise notice_error(InvalidError, NoticeErrorCode.UNKNOWN_PARTNER_TYPE, field=TO_FIELD)
    return move_impact(
        partner=partner, to_type=to_type, decision=check_partner_move(partner, to_type)
    )


def event_impact(*, partner: Partner, event: str) -> MoveImpact | None:
    """Return what the policy's automatic move after `event` (the last card lost, …) would
    do to `partner`, or None when its type makes no move on that event."""
    if partner.partner_type is None:
        return None
    to_type = default_policy().automatic_move(partner.partner_type, event)
    if to_type is None:
        return None
    return move_impact(
        partner=partner, to_type=to_type, decision=check_move(partner.partner_type, to_type)
    )


def move_impact(*, partner: Partner, to_type: str, decision: Decision) -> MoveImpact:
    """Return what the (allowed) move of `partner` to `to_type` would do; asks no viewer."""
    policy = default_policy()
    status = status_after_move(partner)

    def changed(decide: Any, codes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        before = {c for c in codes if decide(partner.partner_type, partner.status, c).allowed}
        after = {c for c in codes if decide(to_type, status, c).allowed}
        return (
            tuple(c for c in codes if c in before - after),
            tuple(c for c in codes if c in after - before),
        )

    services_lost, services_gained = changed(policy.decide_partner_service, policy.services)
    accounts_lost, accounts_gained = changed(policy.decide_partner_account, policy.accounts)
    effects = registration_effects(partner=partner, to_type=to_type, to_status=status)
    return MoveImpact(
        partner=partner,
        from_type=partner.partner_type,
        to_type=to_type,
        status=status,
        decision=decision,
        services_lost=services_lost,
        services_gained=services_gained,
        accounts_lost=accounts_lost,
        accounts_gained=accounts_gained,
        accounts_closed=tuple(
            a for a in accounts_of_partner(partner=partner) if a.kind in accounts_lost
        ),
        registrations_suspended=tuple(r.registration for r in effects if r.effect == SUSPEND),
        registrations_restored=tuple(r.registration for r in effects if r.effect == RESTORE),
    )
