"""The partners part of the registry API: registration, cards, members, entitlements; and the
staff's partner support (`staff_router`: search, read, history, suspend, restore, members).

Every developer operation on a partner is for its members only: a staff user who is not a
member gets the same 404 as a stranger (staff act on partners through `staff_router`).
"""

from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from devcenter.api_support.auth import staff_auth, staff_of, user_of
from devcenter.api_support.idempotency import idempotent
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import DbId, MaxLen, NoNul, PathText
from devcenter.audit.api import AuditEventOut
from devcenter.audit.selectors import audit_trail
from devcenter.audit.services import actor_of
from devcenter.notices.impact import partner_move_impact
from devcenter.notices.schemas import ImpactOut, impact_out
from devcenter.partners import selectors, services
from devcenter.partners.choices import PartnerType
from devcenter.partners.history import partner_entitlements_at
from devcenter.partners.invitations import invitation_create
from devcenter.partners.models import Card, Membership, Partner
from devcenter.partners.schemas import (
    CardIn,
    CardOut,
    CorporateDetailsIn,
    EntitlementsOut,
    IndividualIn,
    InvitationIn,
    InvitationOut,
    MemberOut,
    PartnerOut,
    StaffMemberIn,
    StaffReasonIn,
    decisions_out,
)

router = Router(tags=["partners"])


@router.post("/partners/corporate-general", response={201: PartnerOut, **errors(409, 413)})
@idempotent
def partner_register_corporate_general(
    request: HttpRequest, payload: CorporateDetailsIn
) -> Status[Any]:
    """Register a corporation as a general partner (instant, limited); the caller is owner."""
    partner = services.partner_register_corporate_general(
        acting_user=user_of(request), details=payload.details()
    )
    return Status(201, partner)


@router.post("/partners/individual", response={201: PartnerOut, **errors(409, 413)})
@idempotent
def partner_register_individual(request: HttpRequest, payload: IndividualIn) -> Status[Any]:
    """Register the caller (a platform user) as an individual partner."""
    partner = services.partner_register_individual(
        acting_user=user_of(request), registration_name=payload.registration_name
    )
    return Status(201, partner)


@router.get("/partners", response={200: list[PartnerOut], **errors()})
def partner_list(request: HttpRequest) -> QuerySet[Partner]:
    """List the partners the caller is a member of, newest first."""
    return selectors.partners_of_user(user=user_of(request))


@router.get("/partners/{partner_id}", response={200: PartnerOut, **errors()})
def partner_detail(request: HttpRequest, partner_id: PathText) -> Partner:
    """Return one partner (members; anyone else gets 404)."""
    return selectors.partner_for_user(acting_user=user_of(request), public_id=partner_id)


class EntitlementsQuery(Schema):
    at: datetime | None = Field(
        None, description="an instant in the past (ISO 8601 with a time zone): what then"
    )


@router.get("/partners/{partner_id}/entitlements", response={200: EntitlementsOut, **errors(422)})
def partner_entitlements(
    request: HttpRequest, partner_id: PathText, query: Query[EntitlementsQuery]
) -> dict[str, Any]:
    """Return every service, account and operation with today's decision for the caller
    (the partner's status and facts, the caller's role) and the paths that unlock it.

    With `at`: what the partner could use at that instant (its type and status then, from the
    audit history, and the policy version in force then); no role or operations.
    """
    capabilities = selectors.capabilities_for(
        public_id=partner_id, viewer=user_of(request), operation="partner.read"
    )
    if query.at is not None:
        then = partner_entitlements_at(public_id=partner_id, at=query.at)
        return {**then.as_dict(), "at": then.at, "role": None, "operations": None}
    policy = capabilities.policy
    return {
        "partner": capabilities.partner.public_id,
        "partner_type": capabilities.partner.partner_type,
        "status": capabilities.partner.status,
        "role": capabilities.role,
        "policy_version": policy.version,
        "services": decisions_out({s: capabilities.service(s) for s in policy.services}),
        "accounts": decisions_out({a: capabilities.account(a) for a in policy.accounts}),
        "operations": decisions_out(capabilities.operations()),
        "at": None,
    }


class ImpactQuery(Schema):
    to: PartnerType = Field(description="the partner type the move would lead to")


@router.get("/partners/{partner_id}/impact", response={200: ImpactOut, **errors(409)})
def partner_impact(
    request: HttpRequest, partner_id: PathText, filters: Query[ImpactQuery]
) -> dict[str, Any]:
    """Show what moving the partner to type `to` would take away and give (services, accounts,
    registrations), before it happens; nothing is written. Members (`partner.read`); a move
    the policy forbids is a 409 with the policy's code (`no_downgrade`, `no_change`, …)."""
    impact = partner_move_impact(
        partner_id=partner_id, viewer=user_of(request), to_type=str(filters.to.value)
    )
    return impact_out(impact)


@router.post("/partners/{partner_id}/cards", response={201: CardOut, **errors(409, 413)})
@idempotent
def card_register(request: HttpRequest, partner_id: PathText, payload: CardIn) -> Status[Any]:
    """Register a card by its provider token (a verified card: `individual_card`)."""
    card = services.card_register(
        partner_id=partner_id, token=payload.token, acting_user=user_of(request)
    )
    return Status(201, card)


@router.delete("/partners/{partner_id}/cards/{card_id}", response={200: CardOut, **errors(409)})
def card_remove(request: HttpRequest, partner_id: PathText, card_id: PathText) -> Card:
    """Remove the verified card; the partner moves back to `individual`."""
    return services.card_remove(
        partner_id=partner_id, card_id=card_id, acting_user=user_of(request)
    )


@router.get("/partners/{partner_id}/members", response={200: list[MemberOut], **errors()})
def member_list(request: HttpRequest, partner_id: PathText) -> QuerySet[Membership]:
    """List the partner's members, oldest first (members; anyone else gets 404)."""
    partner = selectors.partner_for_user(acting_user=user_of(request), public_id=partner_id)
    return selectors.partner_members(partner=partner)


@router.post("/partners/{partner_id}/members", response={202: InvitationOut, **errors(409, 413)})
@idempotent
def member_add(request: HttpRequest, partner_id: PathText, payload: InvitationIn) -> Status[Any]:
    """Invite an e-mail address to become an owner or developer (owners).

    The person becomes a member once they accept the e-mailed invitation (within 7 days). The
    answer is the same whether or not the address belongs to a platform user.
    """
    invitation = invitation_create(
        partner_id=partner_id, email=payload.email, role=payload.role, acting_user=user_of(request)
    )
    return Status(202, invitation)


@router.delete("/partners/{partner_id}/members/{user_id}", response={204: None, **errors(409)})
def member_remove(request: HttpRequest, partner_id: PathText, user_id: DbId) -> Status[None]:
    """Remove a member (owners; any member may leave); a partner keeps one owner."""
    services.member_remove(partner_id=partner_id, user_id=user_id, acting_user=user_of(request))
    return Status(204, None)


# ---------------------------------------------------------------- staff: partner support
# Staff act on partners only here (and in the staff console), never through the developer
# endpoints: every route authenticates with `staff_auth()` (a staff key or a session that
# passed TOTP, of a staff user with TOTP); every change needs a reason, audited with it.

staff_router = Router(tags=["staff"], auth=staff_auth())

STAFF_SEARCH_LIMIT = 50


def _partner(request: HttpRequest, partner_id: PathText, operation: str) -> Any:
    """Return the partner if the policy lets staff perform `operation` on it (staff checked)."""
    capabilities = selectors.capabilities_for(
        public_id=partner_id, viewer=staff_of(request), operation=operation, as_staff=True
    )
    return capabilities.partner


class PartnerSearchIn(Schema):
    q: Annotated[str, NoNul, MaxLen(200)] = ""


@staff_router.get("/staff/partners", response={200: list[PartnerOut], **errors()})
def staff_partner_search(request: HttpRequest, filters: Query[PartnerSearchIn]) -> QuerySet[Any]:
    """Search partners by registration or legal name, public id or corporate number (staff)."""
    staff_of(request)
    return selectors.partner_search(q=filters.q)[:STAFF_SEARCH_LIMIT]


@staff_router.get("/staff/partners/{partner_id}", response={200: PartnerOut, **errors()})
def staff_partner_detail(request: HttpRequest, partner_id: PathText) -> Any:
    """Return any partner."""
    return _partner(request, partner_id, "partner.read")


@staff_router.get(
    "/staff/partners/{partner_id}/members", response={200: list[MemberOut], **errors()}
)
def staff_member_list(request: HttpRequest, partner_id: PathText) -> QuerySet[Any]:
    """List a partner's members, oldest first."""
    return selectors.partner_members(partner=_partner(request, partner_id, "partner.read"))


@staff_router.get(
    "/staff/partners/{partner_id}/history", response={200: list[AuditEventOut], **errors()}
)
def staff_partner_history(request: HttpRequest, partner_id: PathText) -> QuerySet[Any]:
    """Return a partner's audit trail, oldest first."""
    return audit_trail(partner=_partner(request, partner_id, "history.read").public_id)


@staff_router.post(
    "/staff/partners/{partner_id}/suspend", response={200: PartnerOut, **errors(409, 413)}
)
@idempotent
def staff_partner_suspend(
    request: HttpRequest, partner_id: PathText, payload: StaffReasonIn
) -> Any:
    """Suspend a partner (allowed nothing until restored), with the reason."""
    staff = staff_of(request)
    return services.partner_suspend(
        partner_id=partner_id, actor=actor_of(staff), reason=payload.reason
    )


@staff_router.post(
    "/staff/partners/{partner_id}/restore", response={200: PartnerOut, **errors(409, 413)}
)
@idempotent
def staff_partner_restore(
    request: HttpRequest, partner_id: PathText, payload: StaffReasonIn
) -> Any:
    """Lift a suspension, with the reason."""
    staff = staff_of(request)
    return services.partner_restore(
        partner_id=partner_id, actor=actor_of(staff), reason=payload.reason
    )


@staff_router.post(
    "/staff/partners/{partner_id}/members", response={201: MemberOut, **errors(409, 413)}
)
@idempotent
def staff_member_add(
    request: HttpRequest, partner_id: PathText, payload: StaffMemberIn
) -> Status[Any]:
    """Add a platform user, by e-mail, as an owner or developer (support), with the reason."""
    membership = services.member_add(
        partner_id=partner_id,
        email=payload.email,
        role=payload.role,
        acting_user=staff_of(request),
        as_staff=True,
        reason=payload.reason,
    )
    return Status(201, membership)


@staff_router.delete(
    "/staff/partners/{partner_id}/members/{user_id}", response={204: None, **errors(409)}
)
def staff_member_remove(
    request: HttpRequest, partner_id: PathText, user_id: DbId, payload: StaffReasonIn
) -> Status[None]:
    """Remove a member (support; the last owner stays), with the reason in the body."""
    services.member_remove(
        partner_id=partner_id,
        user_id=user_id,
        acting_user=staff_of(request),
        as_staff=True,
        reason=payload.reason,
    )
    return Status(204, None)
