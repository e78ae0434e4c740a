"""Reads of the partner registry: lookups, membership, entitlements, the platform-user fact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from devcenter.errors import NotFoundError
from devcenter.partners.errors import MESSAGES, PartnerErrorCode, partner_error
from devcenter.partners.models import Card, CardStatus, Membership, Partner, PartnerStatus
from devcenter.policy import Decision, Label, default_policy
from devcenter.policy.model import make_decision


def is_platform_user(user: Any) -> bool:
    """Return whether `user` is a platform user: active, with a verified primary e-mail."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(EmailAddress.objects.filter(user=user, verified=True, primary=True).exists())


def partner_get(*, public_id: str) -> Partner:
    """Return the partner with this public id; raise NotFoundError `partner_not_found`."""
    partner = Partner.objects.filter(public_id=public_id).first()
    if partner is None:
        raise partner_error(NotFoundError, PartnerErrorCode.PARTNER_NOT_FOUND)
    return partner


def partner_get_by_pk(*, pk: int) -> Partner:
    """Return the partner with this primary key; raise NotFoundError `partner_not_found`."""
    partner = Partner.objects.filter(pk=pk).first()
    if partner is None:
        raise partner_error(NotFoundError, PartnerErrorCode.PARTNER_NOT_FOUND)
    return partner


def partner_lock(*, public_id: str) -> Partner:
    """Return the partner locked for update (inside the caller's transaction), or NotFound."""
    partner = Partner.objects.select_for_update().filter(public_id=public_id).first()
    if partner is None:
        raise partner_error(NotFoundError, PartnerErrorCode.PARTNER_NOT_FOUND)
    return partner


def partner_lock_for(*, public_id: str, user: Any) -> Partner:
    """Return the partner locked for update if `user` may act for it (member or staff).

    Raise NotFoundError `partner_not_found` when it does not exist or the user may not see it.
    """
    partner = partner_lock(public_id=public_id)
    if not may_act_for(partner=partner, user=user):
        raise partner_error(NotFoundError, PartnerErrorCode.PARTNER_NOT_FOUND)
    return partner


def partner_is_suspended(partner: Partner) -> bool:
    """Return whether the partner is suspended (allowed nothing)."""
    return partner.status == PartnerStatus.SUSPENDED


def member_role(*, partner: Partner, user: Any) -> str | None:
    """Return `user`'s role in `partner` (owner, developer), or None if not a member."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(partner=partner, user=user).values_list("role", flat=True).first()
    )


def may_act_for(*, partner: Partner, user: Any) -> bool:
    """Return whether `user` may act for `partner`: an active member, or staff."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return bool(user.is_staff) or member_role(partner=partner, user=user) is not None


def partner_for_user(*, user: Any, public_id: str) -> Partner:
    """Return the partner if `user` is a member or staff; NotFoundError otherwise.

    A non-member gets the same answer as for a partner that does not exist.
    """
    partner = Partner.objects.filter(public_id=public_id).first()
    if partner is None or not may_act_for(partner=partner, user=user):
        raise partner_error(NotFoundError, PartnerErrorCode.PARTNER_NOT_FOUND)
    return partner


def partners_of_user(*, user: Any) -> QuerySet[Partner]:
    """Return the partners `user` is a member of, newest first."""
    return Partner.objects.filter(memberships__user=user).distinct().order_by("-created_at")


def partner_snapshot_rows(**lookup: Any) -> QuerySet[Partner, tuple[str, str | None, str]]:
    """Return `(public_id, partner_type, status)` of the partners matching `lookup`, unordered.

    The decision plane's snapshot reads (and streams, with `.iterator()`) the registry with it.
    """
    return (
        Partner.objects.filter(**lookup)
        .order_by()
        .values_list("public_id", "partner_type", "status")
    )


def partner_search(*, q: str) -> QuerySet[Partner]:
    """Return partners matching `q` (registration or legal name, public id, corporate number).

    Newest first; every partner when `q` is blank (staff use).
    """
    partners = Partner.objects.order_by("-created_at", "-pk")
    q = (q or "").strip()
    if not q:
        return partners
    return partners.filter(
        Q(registration_name__icontains=q)
        | Q(legal_name__icontains=q)
        | Q(public_id=q)
        | Q(corporate_number=q)
    )


def partner_members(*, partner: Partner) -> QuerySet[Membership]:
    """Return the partner's memberships, oldest first, with their users."""
    return partner.memberships.select_related("user").order_by("created_at", "pk")


def cards_of_partner(*, partner: Partner) -> QuerySet[Card]:
    """Return the partner's cards (every status), newest first."""
    return Card.objects.filter(partner=partner).order_by("-created_at", "-pk")


def verified_card(*, partner: Partner) -> Card | None:
    """Return the partner's verified card, if any."""
    return Card.objects.filter(partner=partner, status=CardStatus.VERIFIED).first()


@dataclass(frozen=True)
class PartnerEntitlements:
    """Every service and account of the policy with today's decision for one partner."""

    partner: str
    partner_type: str | None
    status: str
    policy_version: str
    services: dict[str, Decision]
    accounts: dict[str, Decision]

    def as_dict(self) -> dict[str, Any]:
        """Return the entitlements as the API shows them."""
        return {
            "partner": self.partner,
            "partner_type": self.partner_type,
            "status": self.status,
            "policy_version": self.policy_version,
            "services": [{"service": c, **d.as_dict()} for c, d in self.services.items()],
            "accounts": [{"account": c, **d.as_dict()} for c, d in self.accounts.items()],
        }


def partner_suspended_decision() -> Decision:
    """Return the decision every question gets for a suspended partner (the registry's state)."""
    ja, en = MESSAGES[PartnerErrorCode.PARTNER_SUSPENDED]
    return make_decision(
        allowed=False,
        code=PartnerErrorCode.PARTNER_SUSPENDED.value,
        reason=Label(ja, en),
        unlock=(),
        policy_version=default_policy().version,
    )


def partner_entitlements(*, partner: Partner) -> PartnerEntitlements:
    """Return every service and account with the policy's decision for the partner's type.

    A suspended partner is allowed nothing (code `partner_suspended`); a partner pending its
    first certification gets the policy's answers for "not registered".
    """
    policy = default_policy()
    if partner.status == PartnerStatus.SUSPENDED:
        suspended = partner_suspended_decision()
        services = dict.fromkeys(policy.services, suspended)
        accounts = dict.fromkeys(policy.accounts, suspended)
    else:
        services = {s: policy.decide_service(partner.partner_type, s) for s in policy.services}
        accounts = {a: policy.decide_account(partner.partner_type, a) for a in policy.accounts}
    return PartnerEntitlements(
        partner=partner.public_id,
        partner_type=partner.partner_type,
        status=partner.status,
        policy_version=policy.version,
        services=services,
        accounts=accounts,
    )
