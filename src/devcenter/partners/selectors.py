"""Reads of the partner registry: lookups, membership, entitlements, the platform-user fact."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from devcenter.errors import NotFoundError
from devcenter.partners.capabilities import PartnerCapabilities, partner_capabilities
from devcenter.partners.errors import PartnerErrorCode, partner_error
from devcenter.partners.facts import is_platform_user as is_platform_user
from devcenter.partners.models import Card, CardStatus, Membership, Partner
from devcenter.users import ActingUser


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


def partner_lock_for(*, public_id: str, acting_user: ActingUser | None, operation: str) -> Partner:
    """Return the partner locked for update if `acting_user` may perform `operation` on it now.

    Raise the policy's refusal: NotFoundError `partner_not_found` when it does not exist or
    the user has no role for it, else 403 / 409 with the decision's code.
    """
    return capabilities_for(
        public_id=public_id, viewer=acting_user, operation=operation, lock=True
    ).partner


def partner_for_user(
    *, acting_user: ActingUser | None, public_id: str, operation: str = "partner.read"
) -> Partner:
    """Return the partner if `acting_user` may perform `operation` (by default: see it).

    Someone with no role for the partner gets the same answer as for a partner that does not
    exist; staff see partners through the staff console, not as members.
    """
    return capabilities_for(public_id=public_id, viewer=acting_user, operation=operation).partner


def capabilities_for(
    *,
    public_id: str,
    viewer: ActingUser | None,
    operation: str,
    lock: bool = False,
    as_staff: bool = False,
) -> PartnerCapabilities:
    """Return the capabilities of `viewer` on the partner `public_id`, after requiring
    `operation` (the partner row locked for update when `lock`)."""
    partner = partner_lock(public_id=public_id) if lock else partner_get(public_id=public_id)
    capabilities = partner_capabilities(partner=partner, viewer=viewer, as_staff=as_staff)
    capabilities.require(operation)
    return capabilities


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


def partner_groups() -> dict[tuple[str | None, str], int]:
    """Return how many partners the registry holds per (partner_type, status): one query."""
    rows = (
        Partner.objects.order_by().values_list("partner_type", "status").annotate(count=Count("pk"))
    )
    return {(partner_type, status): count for partner_type, status, count in rows}


def partner_ids_in_group(*, partner_type: str | None, status: str, limit: int) -> list[str]:
    """Return the first `limit` public ids (in id order) of the partners of one group."""
    return list(
        Partner.objects.filter(partner_type=partner_type, status=status)
        .order_by("public_id")
        .values_list("public_id", flat=True)[:limit]
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


def verified_cards_expiring_by(*, day: date) -> QuerySet[Card]:
    """Return the verified cards that expire on or before `day` (valid through a month before
    `day`'s month), with their partners, in id order (the card expiry notices' sweep)."""
    past = Q(exp_year__lt=day.year) | Q(exp_year=day.year, exp_month__lt=day.month)
    return (
        Card.objects.filter(past, status=CardStatus.VERIFIED)
        .select_related("partner")
        .order_by("pk")
    )


def partner_owner_emails(*, public_id: str) -> list[str]:
    """Return the e-mail addresses of the partner's active owners."""
    from devcenter.partners.choices import MemberRole

    return list(
        Membership.objects.filter(
            partner__public_id=public_id, role=MemberRole.OWNER, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def partner_ids_of_user(*, user: Any) -> list[str]:
    """Return the public ids of the partners `user` is a member of."""
    return list(Partner.objects.filter(memberships__user=user).values_list("public_id", flat=True))
