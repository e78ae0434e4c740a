"""Every write to the partner registry: registration, certification, suspension, members.

Card services live in `devcenter.partners.card_services` and are re-exported here. Every rule
comes from the policy core: a refused move raises ConflictError with the decision's code and
writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from devcenter.accounts.choices import AccountKind
from devcenter.accounts.services import (
    account_create,
    account_new,
    accounts_close_disallowed,
    accounts_purge,
)
from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import actor_of, audit_batch, audit_change, audit_record
from devcenter.errors import ConflictError, DomainError, InvalidError, NotFoundError
from devcenter.partners.account_services import test_account_create, test_account_delete
from devcenter.partners.capabilities import partner_capabilities
from devcenter.partners.card_services import card_register, card_remove, cards_expire
from devcenter.partners.choices import STAFF_ROLE
from devcenter.partners.corporate_number import validate_corporate_number
from devcenter.partners.errors import PartnerErrorCode, partner_error
from devcenter.partners.facts import is_platform_user
from devcenter.partners.hooks import partner_changed
from devcenter.partners.models import (
    MemberRole,
    Membership,
    Partner,
    PartnerKind,
    PartnerStatus,
    PartnerType,
)
from devcenter.partners.moves import (
    check_move,
    check_partner_move,
    partner_snapshot,
    partner_type_set,
)
from devcenter.partners.notifications import notify_member_added
from devcenter.partners.registration_sql import (
    membership_added_event,
    one_statement_possible,
    partner_registered_event,
    register_in_one_statement,
)
from devcenter.partners.selectors import partner_lock
from devcenter.policy import default_policy
from devcenter.public_ids import new_public_id
from devcenter.users import ActingUser

__all__ = [
    "CorporateDetails",
    "card_register",
    "card_remove",
    "cards_expire",
    "member_add",
    "member_remove",
    "partner_certify",
    "partner_delete",
    "partner_register_corporate_general",
    "partner_register_corporate_pending",
    "partner_register_individual",
    "partner_restore",
    "partner_suspend",
    "test_account_create",
    "test_account_delete",
]

TEXT_MAX = {
    "registration_name": 200,
    "legal_name": 200,
    "representative_name": 200,
    "head_office_address": 500,
    "contact_email": 254,
    "contact_phone": 30,
}
REQUIRED = ("registration_name", "legal_name", "contact_email")
ACCOUNT_NAME_MAX = 100


@dataclass(frozen=True)
class CorporateDetails:
    """What a corporation gives when it registers (general) or applies (certification)."""

    registration_name: str
    legal_name: str
    corporate_number: str
    legal_entity_registered: bool
    representative_name: str = ""
    head_office_address: str = ""
    contact_email: str = ""
    contact_phone: str = ""

    def cleaned(self) -> CorporateDetails:
        """Return the details trimmed and checked; raise InvalidError naming the bad field."""
        texts = {
            f.name: (getattr(self, f.name) or "").strip()
            for f in fields(self)
            if f.name in TEXT_MAX
        }
        for name, value in texts.items():
            if (name in REQUIRED and not value) or len(value) > TEXT_MAX[name]:
                raise partner_error(InvalidError, PartnerErrorCode.INVALID_FIELD, field=name)
        try:
            validate_email(texts["contact_email"])
        except ValidationError:
            raise partner_error(
                InvalidError, PartnerErrorCode.INVALID_FIELD, field="contact_email"
            ) from None
        number = validate_corporate_number(self.corporate_number)
        return replace(
            self,
            **texts,
            corporate_number=number,
            legal_entity_registered=bool(self.legal_entity_registered),
        )


def _record_registered(partner: Partner, actor: str) -> None:
    audit_record(**partner_registered_event(partner, actor))


def _membership_add(
    partner: Partner, user: Any, role: str, actor: str, *, reason: str = ""
) -> Membership:
    membership = Membership.objects.create(partner=partner, user=user, role=role)
    audit_record(**membership_added_event(partner, user, role, actor, reason=reason))
    return membership


def _create_corporate(
    details: CorporateDetails, *, partner_type: str | None, status: str
) -> Partner:
    """Insert the partner; a corporate number already registered is `already_registered`.

    The unique constraint decides, for a number registered long ago and for one being
    registered at this moment alike. The refusal leaves the service's transaction (or its
    savepoint, when the service runs inside another), which rolls it back: nothing runs on
    the failed transaction, so no savepoint of its own is needed.
    """
    try:
        return Partner.objects.create(
            public_id=new_public_id("ptn"),
            kind=PartnerKind.CORPORATE,
            partner_type=partner_type,
            status=status,
            **{f.name: getattr(details, f.name) for f in fields(details)},
        )
    except IntegrityError:
        raise _already_registered_corporate() from None


def _already_registered_corporate() -> DomainError:
    return partner_error(
        ConflictError, PartnerErrorCode.ALREADY_REGISTERED, field="corporate_number"
    )


def partner_register_corporate_general(
    *, acting_user: ActingUser, details: CorporateDetails
) -> Partner:
    """Register a corporate general partner, instantly: `user` becomes its owner.

    Creates the general partner account. Refuses an invalid field (422), a corporate number
    already registered (`already_registered`, 409) and a move the policy refuses. On
    PostgreSQL the rows are written in one statement (`registration_sql`), elsewhere with the
    ORM; the same checks come first on both paths.
    """
    cleaned = details.cleaned()
    check_move(None, PartnerType.CORPORATE_GENERAL)
    if not one_statement_possible():
        return _register_corporate_general_orm(acting_user, cleaned)
    partner = Partner(
        public_id=new_public_id("ptn"),
        kind=PartnerKind.CORPORATE,
        partner_type=PartnerType.CORPORATE_GENERAL,
        status=PartnerStatus.ACTIVE,
        **{f.name: getattr(cleaned, f.name) for f in fields(cleaned)},
    )
    account = account_new(
        partner=partner,
        kind=AccountKind.GENERAL_PARTNER_ACCOUNT,
        display_name=partner.registration_name[:ACCOUNT_NAME_MAX],
    )
    try:
        return register_in_one_statement(
            partner,
            owner=acting_user,
            role=MemberRole.OWNER,
            account=account,
            actor=actor_of(acting_user),
        )
    except IntegrityError:
        raise _already_registered_corporate() from None


@transaction.atomic
def _register_corporate_general_orm(acting_user: ActingUser, cleaned: CorporateDetails) -> Partner:
    """`partner_register_corporate_general` with the ORM (SQLite), once the checks passed."""
    partner = _create_corporate(
        cleaned, partner_type=PartnerType.CORPORATE_GENERAL, status=PartnerStatus.ACTIVE
    )
    actor = actor_of(acting_user)
    with audit_batch():  # its three events in one INSERT
        _record_registered(partner, actor)
        _membership_add(partner, acting_user, MemberRole.OWNER, actor)
        account_create(
            partner=partner,
            kind=AccountKind.GENERAL_PARTNER_ACCOUNT,
            display_name=partner.registration_name[:ACCOUNT_NAME_MAX],
            actor=actor,
        )
    return partner


@transaction.atomic
def partner_register_corporate_pending(
    *, acting_user: ActingUser, details: CorporateDetails
) -> Partner:
    """Register a corporation applying for certification directly: no type, status pending.

    The policy decides from `legal_entity_registered` (the move from "not registered" to
    `PartnerType.CORPORATE_CERTIFIED`); a refusal raises its code and writes nothing. No account is
    created until the application is approved (`partner_certify`).
    """
    cleaned = details.cleaned()
    check_move(
        None,
        PartnerType.CORPORATE_CERTIFIED,
        {"legal_entity_registered": cleaned.legal_entity_registered},
    )
    partner = _create_corporate(cleaned, partner_type=None, status=PartnerStatus.PENDING)
    actor = actor_of(acting_user)
    with audit_batch():
        _record_registered(partner, actor)
        _membership_add(partner, acting_user, MemberRole.OWNER, actor)
    return partner


@transaction.atomic
def partner_register_individual(*, acting_user: ActingUser, registration_name: str) -> Partner:
    """Register `user` as an individual partner, with the user's own user account.

    The policy requires a platform user; one individual partner per user (`already_registered`).
    Being a member of a corporate partner does not prevent it.
    """
    name = (registration_name or "").strip()
    if not name or len(name) > TEXT_MAX["registration_name"]:
        raise partner_error(InvalidError, PartnerErrorCode.INVALID_FIELD, field="registration_name")
    check_move(None, PartnerType.INDIVIDUAL, {"platform_user": is_platform_user(acting_user)})
    try:  # the one-to-one user decides, as the corporate number does (`_create_corporate`)
        partner = Partner.objects.create(
            public_id=new_public_id("ptn"),
            kind=PartnerKind.INDIVIDUAL,
            partner_type=PartnerType.INDIVIDUAL,
            status=PartnerStatus.ACTIVE,
            registration_name=name,
            user=acting_user,
        )
    except IntegrityError:
        raise partner_error(ConflictError, PartnerErrorCode.ALREADY_REGISTERED) from None
    actor = actor_of(acting_user)
    with audit_batch():
        _record_registered(partner, actor)
        _membership_add(partner, acting_user, MemberRole.OWNER, actor)
        account_create(
            partner=partner,
            kind=AccountKind.USER_ACCOUNT,
            display_name=name[:ACCOUNT_NAME_MAX],
            user=acting_user,
            actor=actor,
        )
    return partner


@transaction.atomic
def partner_certify(*, partner: Partner, actor: str) -> Partner:
    """Make the partner corporate_certified (called by reviews inside the approval).

    Locks the partner row, checks the move to `PartnerType.CORPORATE_CERTIFIED` with its
    status and derived facts (`check_partner_move`), activates a pending partner, creates the
    partner account (with the emblem) and deletes the accounts the certified type may not
    hold (the general partner account). Returns the locked, updated partner.
    """
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    check_partner_move(locked, PartnerType.CORPORATE_CERTIFIED)
    partner_type_set(locked, PartnerType.CORPORATE_CERTIFIED, actor=actor, reason="certified")
    account_create(
        partner=locked,
        kind=AccountKind.PARTNER_ACCOUNT,
        display_name=locked.registration_name[:ACCOUNT_NAME_MAX],
        actor=actor,
    )
    accounts_close_disallowed(partner=locked, actor=actor)
    return locked


def _set_status(partner: Partner, status: str, *, event: str, actor: str, reason: str) -> None:
    audit_change(
        partner,
        {"status": status},
        snapshot=partner_snapshot,
        event_type=event,
        actor=actor,
        target_type=AuditTarget.PARTNER,
        partner=partner.public_id,
        note={"reason": reason},
    )
    partner_changed(partner, actor)


def _check_staff_operation(partner: Partner, operation: str) -> None:
    """Refuse a staff operation the partner's status does not allow (the face checked staff)."""
    partner_capabilities(partner=partner, viewer=None, role=STAFF_ROLE).require(operation)


@transaction.atomic
def partner_suspend(*, partner_id: str, actor: str, reason: str) -> Partner:
    """Suspend a partner: it is allowed nothing until restored (`already_suspended` if so)."""
    partner = partner_lock(public_id=partner_id)
    _check_staff_operation(partner, "partner.suspend")
    _set_status(
        partner,
        PartnerStatus.SUSPENDED,
        event=AuditEventType.PARTNER_SUSPENDED,
        actor=actor,
        reason=reason,
    )
    return partner


@transaction.atomic
def partner_restore(*, partner_id: str, actor: str, reason: str = "") -> Partner:
    """Lift a suspension: back to active, or to pending when the partner has no type yet."""
    partner = partner_lock(public_id=partner_id)
    _check_staff_operation(partner, "partner.restore")
    status = PartnerStatus.ACTIVE if partner.partner_type else PartnerStatus.PENDING
    _set_status(partner, status, event=AuditEventType.PARTNER_RESTORED, actor=actor, reason=reason)
    return partner


def _platform_user_by_email(email: str) -> Any:
    user = (
        get_user_model()
        ._default_manager.filter(email__iexact=(email or "").strip())
        .order_by("pk")
        .first()
    )
    if user is None or not is_platform_user(user):
        raise partner_error(NotFoundError, PartnerErrorCode.USER_NOT_FOUND, field="email")
    return user


@transaction.atomic
def member_add(
    *,
    partner_id: str,
    email: str,
    role: str,
    acting_user: ActingUser,
    as_staff: bool = False,
    reason: str = "",
) -> Membership:
    """Add the platform user with `email` as a member with `role`.

    The policy decides who may (`member.add` for owners, `member.support` for staff in the
    staff console). Refuses `invalid_role` (422), `partner_not_found`/`user_not_found` (404),
    `not_an_owner` (403), `individual_single_member` and `already_member` (409). Staff give the
    support request's `reason`, recorded in the audit event.
    """
    if role not in default_policy().member_roles:
        raise partner_error(InvalidError, PartnerErrorCode.INVALID_ROLE, field="role")
    partner = partner_lock(public_id=partner_id)
    capabilities = partner_capabilities(partner=partner, viewer=acting_user, as_staff=as_staff)
    capabilities.require("member.support_add" if as_staff else "member.add")
    user = _platform_user_by_email(email)
    if Membership.objects.filter(partner=partner, user=user).exists():
        raise partner_error(ConflictError, PartnerErrorCode.ALREADY_MEMBER)
    membership = _membership_add(partner, user, role, actor_of(acting_user), reason=reason)
    transaction.on_commit(lambda: notify_member_added(membership.pk))
    return membership


@transaction.atomic
def member_remove(
    *,
    partner_id: str,
    user_id: int,
    acting_user: ActingUser,
    as_staff: bool = False,
    reason: str = "",
) -> None:
    """Remove a member: an owner removes anyone (`member.remove`), a member leaves
    (`member.leave`), staff in the staff console support (`member.support`, with the support
    request's `reason`, recorded in the audit event).

    Refuses `partner_not_found`/`not_a_member` (404), `not_an_owner` (403) and `last_owner`
    (409: a partner always keeps one owner).
    """
    partner = partner_lock(public_id=partner_id)
    capabilities = partner_capabilities(partner=partner, viewer=acting_user, as_staff=as_staff)
    leaving = acting_user is not None and acting_user.pk == user_id
    operation = (
        "member.support_remove" if as_staff else "member.leave" if leaving else "member.remove"
    )
    capabilities.require(operation, other_owner_remains=True)  # who may, before what exists
    membership = (
        Membership.objects.select_for_update().filter(partner=partner, user_id=user_id).first()
    )
    if membership is None:
        raise partner_error(NotFoundError, PartnerErrorCode.NOT_A_MEMBER, field="user_id")
    if membership.role == MemberRole.OWNER:
        remains = (
            Membership.objects.filter(partner=partner, role=MemberRole.OWNER)
            .exclude(user_id=user_id)
            .exists()
        )
        capabilities.require(operation, other_owner_remains=remains)
    membership.delete()
    audit_record(
        event_type=AuditEventType.MEMBER_REMOVED,
        actor=actor_of(acting_user),
        target_type=AuditTarget.MEMBERSHIP,
        target_id=f"user:{user_id}",
        partner=partner.public_id,
        old={"user": user_id, "role": membership.role},
        new={"reason": reason} if reason else None,
    )


@transaction.atomic
def partner_delete(*, partner_id: str) -> None:
    """Delete a partner outright with its accounts, cards and memberships (test personas
    only: a real partner is suspended, never deleted). Its audit events stay."""
    partner = partner_lock(public_id=partner_id)
    accounts_purge(partner=partner)
    partner.delete()
