"""Operators: an owner grants one user rights on one registration (§8 Operators).

The user confirms through an e-mailed signed link valid `DEVCENTER_REGISTRATION_LINK_HOURS`
(24 by default), once; the owner may revoke at any time. Every step is audited. What an
operator may do is the policy's `operator` role (edit the registration, see its credentials).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import actor_of, audit_record
from devcenter.partners.selectors import is_platform_user
from devcenter.registrations import clock, links
from devcenter.registrations.choices import OperatorStatus
from devcenter.registrations.errors import RegistrationErrorCode as Code
from devcenter.registrations.errors import conflict, invalid, registration_error
from devcenter.registrations.models import Operator
from devcenter.registrations.notifications import notify_operator_invited
from devcenter.registrations.selectors import registration_access
from devcenter.users import ActingUser

OPERATORS = "registration.operators"  # the policy's operation


def _audit(operator: Operator, event: AuditEventType, actor: str, **new: Any) -> None:
    audit_record(
        event_type=str(event),
        actor=actor,
        target_type=AuditTarget.OPERATOR,
        target_id=operator.registration.public_id,
        partner=operator.registration.partner.public_id,
        new={"user": operator.user_id, "status": operator.status, **new},
    )


def _platform_user(email: str) -> Any:
    from devcenter.errors import NotFoundError

    user = (
        get_user_model()
        ._default_manager.filter(email__iexact=(email or "").strip())
        .order_by("pk")
        .first()
    )
    if user is None or not is_platform_user(user):
        raise registration_error(NotFoundError, Code.USER_NOT_FOUND, field="email")
    return user


@transaction.atomic
def operator_grant(*, registration_id: str, email: str, acting_user: ActingUser) -> Operator:
    """Invite the platform user with `email` as operator of the registration (owners).

    Refuses `user_not_found` (404), `already_member` and `operator_already_granted` (409).
    """
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=OPERATORS, lock=True
    )
    registration = access.registration
    user = _platform_user(email)
    if registration.partner.memberships.filter(user=user).exists():
        raise conflict(Code.ALREADY_MEMBER, "email")
    open_grants = Operator.objects.filter(registration=registration, user=user).exclude(
        status=OperatorStatus.REVOKED
    )
    if open_grants.exists():
        raise conflict(Code.OPERATOR_ALREADY_GRANTED, "email")
    operator = Operator.objects.create(
        registration=registration,
        user=user,
        status=OperatorStatus.INVITED,
        granted_by=acting_user,
        nonce=links.new_nonce(),
        invited_at=clock.now(),
    )
    _audit(operator, AuditEventType.OPERATOR_GRANTED, actor_of(acting_user))
    token = links.link_token(links.OPERATOR_LINK, operator.pk, operator.nonce)
    address, name = user.email, registration.name
    hours = settings.DEVCENTER_REGISTRATION_LINK_HOURS
    transaction.on_commit(
        lambda: notify_operator_invited(email=address, name=name, token=token, hours=hours)
    )
    return operator


@transaction.atomic
def operator_confirm(*, token: str, acting_user: ActingUser) -> Operator:
    """Confirm an operator grant with its e-mailed link, as the invited user.

    Refuses `link_invalid` (422: not ours, or another user's), `link_used` and `link_expired`
    (409).
    """
    row_id, nonce = links.link_read(links.OPERATOR_LINK, token)
    operator = (
        Operator.objects.select_for_update()
        .select_related("registration", "registration__partner")
        .filter(pk=row_id)
        .first()
    )
    if operator is None or acting_user is None or operator.user_id != acting_user.pk:
        raise invalid(Code.LINK_INVALID, links.TOKEN_FIELD)
    if operator.status != OperatorStatus.INVITED:
        raise conflict(Code.LINK_USED, links.TOKEN_FIELD)
    links.link_check(stored_nonce=operator.nonce, given_nonce=nonce, sent_at=operator.invited_at)
    operator.status = OperatorStatus.ACTIVE
    operator.confirmed_at = clock.now()
    operator.nonce = ""
    operator.save(update_fields=["status", "confirmed_at", "nonce"])
    _audit(operator, AuditEventType.OPERATOR_CONFIRMED, actor_of(acting_user))
    return operator


@transaction.atomic
def operator_revoke(*, registration_id: str, user_id: int, acting_user: ActingUser) -> Operator:
    """Revoke an operator's grant (invited or active) at once (owners)."""
    from devcenter.errors import NotFoundError

    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=OPERATORS, lock=True
    )
    operator = (
        Operator.objects.select_for_update()
        .filter(registration=access.registration, user_id=user_id)
        .exclude(status=OperatorStatus.REVOKED)
        .first()
    )
    if operator is None:
        raise registration_error(NotFoundError, Code.OPERATOR_NOT_FOUND, field="user_id")
    operator.status = OperatorStatus.REVOKED
    operator.revoked_at = clock.now()
    operator.nonce = ""
    operator.save(update_fields=["status", "revoked_at", "nonce"])
    _audit(operator, AuditEventType.OPERATOR_REVOKED, actor_of(acting_user))
    return operator
