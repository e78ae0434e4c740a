"""Reads of registrations: access for a viewer, lists, review queues, impact, snapshot rows.

Who may do what to a registration is the policy's answer for the viewer's role: a member's role
(owner, developer), staff in the staff console, or `operator` for a user an owner granted
rights on that one registration. Nobody else learns that it exists (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from devcenter.errors import NotFoundError
from devcenter.partners.capabilities import (
    PartnerCapabilities,
    partner_capabilities,
    viewer_role,
)
from devcenter.partners.errors import PartnerErrorCode
from devcenter.partners.selectors import partner_get, partner_lock
from devcenter.policy import Decision, default_policy
from devcenter.registrations import clock
from devcenter.registrations.choices import (
    OPERATOR_ROLE,
    OperatorStatus,
    PaymentStatus,
    RegistrationStatus,
)
from devcenter.registrations.errors import RegistrationErrorCode, not_found, registration_error
from devcenter.registrations.models import (
    Credential,
    Operator,
    PaymentEnrolment,
    Registration,
)
from devcenter.users import ActingUser

# Policy fields kept in their own columns (queried or constrained); the rest go to `fields`.
REGISTRATION_COLUMNS = frozenset(
    {"description", "contact_email", "support_community_id", "redirect_uris"}
)

if TYPE_CHECKING:
    from devcenter.partners.models import Partner


@dataclass
class RegistrationAccess:
    """A registration and what the viewer may do with it (the partner's capabilities)."""

    registration: Registration
    capabilities: PartnerCapabilities

    def allows(self, operation: str) -> bool:
        return self.capabilities.allows(operation)


def _live() -> QuerySet[Registration]:
    return Registration.objects.filter(deleted_at__isnull=True).select_related("partner")


def registration_get(*, public_id: str) -> Registration:
    """Return the (not deleted) registration; NotFoundError `registration_not_found`."""
    registration = _live().filter(public_id=public_id).first()
    if registration is None:
        raise not_found()
    return registration


def registration_role(
    *, registration: Registration, viewer: ActingUser | None, as_staff: bool = False
) -> str | None:
    """Return the viewer's role for this registration: member role, staff, operator or None."""
    role = viewer_role(partner=registration.partner, viewer=viewer, as_staff=as_staff)
    if role is not None or viewer is None or not getattr(viewer, "is_authenticated", False):
        return role
    granted = Operator.objects.filter(
        registration=registration, user=viewer, status=OperatorStatus.ACTIVE
    ).exists()
    return OPERATOR_ROLE if granted and viewer.is_active else None


def registration_access(
    *,
    public_id: str,
    viewer: ActingUser | None,
    operation: str,
    lock: bool = False,
    as_staff: bool = False,
) -> RegistrationAccess:
    """Return the registration if `viewer` may perform `operation` on it now, else refuse.

    With `lock`, the partner row and then the registration row are locked for update (the
    order every writer uses). Someone with no role gets 404 `registration_not_found`.
    """
    registration = registration_get(public_id=public_id)
    if lock:
        partner = partner_lock(public_id=registration.partner.public_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.deleted_at is not None:  # deleted while we waited for the lock
            raise not_found()
        registration.partner = partner
    role = registration_role(registration=registration, viewer=viewer, as_staff=as_staff)
    capabilities = partner_capabilities(
        partner=registration.partner, viewer=viewer, as_staff=as_staff, role=role
    )
    if role is None:
        raise not_found()
    decision = capabilities.decision(operation)
    if not decision.allowed:
        if decision.code == PartnerErrorCode.PARTNER_NOT_FOUND:
            raise not_found()
        raise capabilities.refusal(operation, decision)
    return RegistrationAccess(registration, capabilities)


def registrations_of_partner(*, partner: Partner) -> QuerySet[Registration]:
    """Return the partner's registrations (not deleted), oldest first."""
    return _live().filter(partner=partner).order_by("created_at", "pk")


def registrations_operated_by(*, user: ActingUser) -> QuerySet[Registration]:
    """Return the registrations `user` is an active operator of, oldest first."""
    return (
        _live()
        .filter(operators__user=user, operators__status=OperatorStatus.ACTIVE)
        .order_by("created_at", "pk")
        .distinct()
    )


def registrations_list(*, partner_id: str | None = None) -> QuerySet[Registration]:
    """Return every registration (of one partner when `partner_id`), oldest first (CLI, staff)."""
    found = _live().order_by("created_at", "pk")
    if partner_id:
        found = found.filter(partner__public_id=partner_id)
    return found


def registration_images(*, registration: Registration) -> list[Any]:
    """Return the registration's images, oldest first."""
    return list(registration.images.order_by("created_at", "pk"))


def registration_client_id(*, registration: Registration) -> str | None:
    """Return the key of the registration's live credential, if issued."""
    return (
        Credential.objects.filter(registration=registration, revoked_at__isnull=True)
        .values_list("client_id", flat=True)
        .first()
    )


def contact_email_pending(*, registration: Registration) -> bool:
    """Whether the registration's contact e-mail awaits its e-mailed confirmation link."""
    entry = default_policy().registrations.of(registration.service)
    return bool(
        entry.confirm_contact_email
        and registration.contact_email
        and registration.contact_email_confirmed_at is None
    )


def registration_operators(*, registration: Registration) -> QuerySet[Operator]:
    """Return the registration's invited and active operators, oldest first."""
    return (
        Operator.objects.filter(registration=registration)
        .exclude(status=OperatorStatus.REVOKED)
        .select_related("user")
        .order_by("invited_at", "pk")
    )


def payment_enrolments(*, registration: Registration) -> QuerySet[PaymentEnrolment]:
    """Return the registration's payment enrolments, newest first."""
    return PaymentEnrolment.objects.filter(registration=registration).order_by(
        "-submitted_at", "-pk"
    )


def payment_enabled(*, registration: Registration) -> bool:
    """Return whether the app's payment works now: an approved business plan, and a partner
    that may use the payment program now."""
    approved = PaymentEnrolment.objects.filter(
        registration=registration, status=PaymentStatus.APPROVED
    ).exists()
    if not approved:
        return False
    services = default_policy().registrations.of(registration.service).enrolments
    partner = registration.partner
    return all(
        default_policy().decide_partner_service(partner.partner_type, partner.status, s).allowed
        for s in services
    )


# ---------------------------------------------------------------- staff queues


@dataclass(frozen=True)
class QueueEntry:
    registration: Registration
    age: timedelta


def listing_queue(*, status: str | None = None) -> list[QueueEntry]:
    """Return listing requests (by default those awaiting review), oldest request first."""
    wanted = status or RegistrationStatus.LISTING_REQUESTED
    now = clock.now()
    found = _live().filter(status=wanted).order_by("listing_requested_at", "created_at", "pk")
    return [QueueEntry(r, _waited(r, now)) for r in found]


def _waited(registration: Registration, now: datetime) -> timedelta:
    """Return how long the request waited: until now while open, frozen at the decision."""
    start = registration.listing_requested_at or registration.created_at
    decided = registration.decided_at
    if registration.status == RegistrationStatus.LISTING_REQUESTED or decided is None:
        return now - start
    return max(decided - start, timedelta())


def payment_queue(*, status: str | None = None) -> QuerySet[PaymentEnrolment]:
    """Return payment enrolments (by default those awaiting review), oldest first."""
    return (
        PaymentEnrolment.objects.filter(status=status or PaymentStatus.SUBMITTED)
        .select_related("registration", "registration__partner")
        .order_by("submitted_at", "pk")
    )


def payment_get(*, public_id: str) -> PaymentEnrolment:
    """Return the payment enrolment; NotFoundError `payment_not_found`."""
    found = (
        PaymentEnrolment.objects.select_related("registration", "registration__partner")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise registration_error(NotFoundError, RegistrationErrorCode.PAYMENT_NOT_FOUND)
    return found


def listing_missing(*, registration: Registration) -> list[str]:
    """Return what a listing request of the registration still misses, in the policy's order:
    field codes, image kinds and `min_users` (the platform-reported user count)."""
    from django.conf import settings

    from devcenter.policy.registrable import MIN_USERS

    rules = default_policy().registrations
    images = set(registration.images.values_list("kind", flat=True))
    missing = []
    for need in rules.of(registration.service).listing_requires:
        if need == MIN_USERS:
            present = registration.user_count >= settings.DEVCENTER_LISTING_MIN_USERS
        elif need in rules.image_kinds:
            present = need in images
        else:
            present = bool(listing_field_value(registration, need))
        if not present:
            missing.append(need)
    return missing


def listing_field_value(registration: Registration, code: str) -> Any:
    """Return the value of a policy field of the registration (column, page, or `fields`)."""
    rules = default_policy().registrations
    if code in REGISTRATION_COLUMNS:
        return getattr(registration, code)
    if rules.fields[code].type == "registration":
        return registration.parent_id
    return (registration.fields or {}).get(code)


# ---------------------------------------------------------------- entitlements


def service_decision(*, registration: Registration) -> Decision:
    """Return whether the registration's partner may use its service now."""
    partner = registration.partner
    return default_policy().decide_partner_service(
        partner.partner_type, partner.status, registration.service
    )


@dataclass(frozen=True)
class ImpactRow:
    """What a partner change would do to one registration."""

    registration: Registration
    effect: str  # "suspend", "restore" or "none"
    decision: Decision


def registration_impact(
    *, partner_id: str, viewer: ActingUser | None, to_type: str | None, to_status: str | None
) -> list[ImpactRow]:
    """Return, for each registration, what moving the partner to `to_type` / `to_status`
    would do (suspend, restore, none), with the policy's decision there. Nothing is written.
    """
    partner = partner_get(public_id=partner_id)
    capabilities = partner_capabilities(partner=partner, viewer=viewer)
    capabilities.require("partner.read")
    return registration_effects(partner=partner, to_type=to_type, to_status=to_status)


def registration_effects(
    *, partner: Partner, to_type: str | None, to_status: str | None
) -> list[ImpactRow]:
    """Return what moving `partner` to `to_type` / `to_status` would do to each of its
    registrations, oldest first, asking no viewer (the caller has checked who asks)."""
    policy = default_policy()
    partner_type = to_type if to_type is not None else partner.partner_type
    status = to_status if to_status is not None else partner.status
    rows = []
    for registration in registrations_of_partner(partner=partner):
        decision = policy.decide_partner_service(partner_type, status, registration.service)
        suspended = registration.status == RegistrationStatus.SUSPENDED
        effect = "none"
        if not decision.allowed and not suspended:
            effect = "suspend"
        elif decision.allowed and suspended:
            effect = "restore"
        rows.append(ImpactRow(registration, effect, decision))
    return rows


# ---------------------------------------------------------------- platform services


def registration_snapshot_rows(
    **lookup: Any,
) -> QuerySet[Registration, tuple[str, str | None, str, str, str]]:
    """Return `(public_id, client_id, partner public id, service, status)` of the live
    registrations matching `lookup`, unordered (the decision plane streams it with
    `.iterator()`). `client_id` is None before credentials are issued or once revoked."""
    return (
        Registration.objects.filter(deleted_at__isnull=True, **lookup)
        .order_by()
        .values_list(
            "public_id", "credential__client_id", "partner__public_id", "service", "status"
        )
    )


def registration_usable(*, registration: Registration) -> bool:
    """Return whether the registration works now: live, not suspended, its partner entitled."""
    if registration.deleted_at is not None:
        return False
    if registration.status == RegistrationStatus.SUSPENDED:
        return False
    return service_decision(registration=registration).allowed


def registration_client_usable(client_id: str) -> bool:
    """Return whether the registration behind `client_id` is usable now (the OAuth server's
    check, registered with `devcenter.oauth.hooks.register_client_usable`).

    Every Graph API client the product makes is a registration's: a client no registration
    holds (made outside the registrations, e.g. through `devcenter.oauth.services` directly) is
    refused, like a registration's revoked credential.
    """
    credential = (
        Credential.objects.select_related("registration", "registration__partner")
        .filter(client_id=client_id)
        .first()
    )
    if credential is None:
        return False
    return credential.revoked_at is None and registration_usable(
        registration=credential.registration
    )


def credentials_verify(*, client_id: str, client_secret: str) -> bool:
    """Return whether the key and secret work now (grace period included, usable registration)."""
    from devcenter.registrations.credentials import secret_valid

    credential = (
        Credential.objects.select_related("registration", "registration__partner")
        .filter(client_id=client_id)
        .first()
    )
    if credential is None or not registration_usable(registration=credential.registration):
        return False
    return secret_valid(credential, client_secret)
