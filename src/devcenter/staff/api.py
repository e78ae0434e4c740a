"""The staff part of the registry API: partner support (search, read, suspend, members).

Staff act on partners only here and in the staff console, never through the developer
endpoints (being staff gives no rights as a member). Every route authenticates with
`staff_auth()`: a staff key or a session that passed TOTP, of a staff user with TOTP. Every
change needs a reason, recorded in the audit log with it.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from devcenter.api_support.auth import staff_auth, staff_of
from devcenter.api_support.idempotency import idempotent
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import DbId
from devcenter.audit.api import AuditEventOut
from devcenter.audit.selectors import audit_trail
from devcenter.audit.services import actor_of
from devcenter.partners import selectors, services
from devcenter.partners.schemas import MemberOut, PartnerOut, StaffMemberIn, StaffReasonIn

router = Router(tags=["staff"], auth=staff_auth())

STAFF_SEARCH_LIMIT = 50


def _partner(request: HttpRequest, partner_id: str, operation: str) -> Any:
    """Return the partner if the policy lets staff perform `operation` on it (staff checked)."""
    capabilities = selectors.capabilities_for(
        public_id=partner_id, viewer=staff_of(request), operation=operation, as_staff=True
    )
    return capabilities.partner


class PartnerSearchIn(Schema):
    q: str = ""


@router.get("/staff/partners", response={200: list[PartnerOut], **errors()})
def staff_partner_search(request: HttpRequest, filters: Query[PartnerSearchIn]) -> QuerySet[Any]:
    """Search partners by registration or legal name, public id or corporate number (staff)."""
    staff_of(request)
    return selectors.partner_search(q=filters.q)[:STAFF_SEARCH_LIMIT]


@router.get("/staff/partners/{partner_id}", response={200: PartnerOut, **errors()})
def staff_partner_detail(request: HttpRequest, partner_id: str) -> Any:
    """Return any partner."""
    return _partner(request, partner_id, "partner.read")


@router.get("/staff/partners/{partner_id}/members", response={200: list[MemberOut], **errors()})
def staff_member_list(request: HttpRequest, partner_id: str) -> QuerySet[Any]:
    """List a partner's members, oldest first."""
    return selectors.partner_members(partner=_partner(request, partner_id, "partner.read"))


@router.get("/staff/partners/{partner_id}/history", response={200: list[AuditEventOut], **errors()})
def staff_partner_history(request: HttpRequest, partner_id: str) -> QuerySet[Any]:
    """Return a partner's audit trail, oldest first."""
    return audit_trail(partner=_partner(request, partner_id, "history.read").public_id)


@router.post("/staff/partners/{partner_id}/suspend", response={200: PartnerOut, **errors(409, 413)})
@idempotent
def staff_partner_suspend(request: HttpRequest, partner_id: str, payload: StaffReasonIn) -> Any:
    """Suspend a partner (allowed nothing until restored), with the reason."""
    staff = staff_of(request)
    return services.partner_suspend(
        partner_id=partner_id, actor=actor_of(staff), reason=payload.reason
    )


@router.post("/staff/partners/{partner_id}/restore", response={200: PartnerOut, **errors(409, 413)})
@idempotent
def staff_partner_restore(request: HttpRequest, partner_id: str, payload: StaffReasonIn) -> Any:
    """Lift a suspension, with the reason."""
    staff = staff_of(request)
    return services.partner_restore(
        partner_id=partner_id, actor=actor_of(staff), reason=payload.reason
    )


@router.post("/staff/partners/{partner_id}/members", response={201: MemberOut, **errors(409, 413)})
@idempotent
def staff_member_add(request: HttpRequest, partner_id: str, payload: StaffMemberIn) -> Status[Any]:
    """Add a platform user, by e-mail, as an owner or developer (support), with the reason."""
    membership = services.member_add(
        partner_id=partner_id,
        email=payload.email,
        role=payload.role,
        by=staff_of(request),
        as_staff=True,
        reason=payload.reason,
    )
    return Status(201, membership)


@router.delete(
    "/staff/partners/{partner_id}/members/{user_id}", response={204: None, **errors(409)}
)
def staff_member_remove(
    request: HttpRequest, partner_id: str, user_id: DbId, payload: StaffReasonIn
) -> Status[None]:
    """Remove a member (support; the last owner stays), with the reason in the body."""
    services.member_remove(
        partner_id=partner_id,
        user_id=user_id,
        by=staff_of(request),
        as_staff=True,
        reason=payload.reason,
    )
    return Status(204, None)
