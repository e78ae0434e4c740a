"""Invitations: an owner invites an e-mail address to become a member; the person accepts.

The invitation is sent whether or not the address belongs to a platform user, so the owner never
learns who has an account; the person becomes a member only by accepting it, logged in with that
address verified, within `INVITATION_DAYS`. The owner may resend (a new link, a new week) or
cancel it. Who may invite is the policy's `member.add`; the membership itself is written by the
partners services' `_membership_add` (audited as `member.added`). Sending, resending and
cancelling are audited too (`invitation.sent`, `.resent`, `.cancelled`), with the invitation's
id, role and expiry but never the address: the audit log holds no e-mail addresses (a member is
`user:<id>`), and a partner's history is shown to every member.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import actor_of, audit_record
from devcenter.errors import ConflictError, InvalidError, NotFoundError
from devcenter.partners.capabilities import partner_capabilities
from devcenter.partners.errors import PartnerErrorCode, partner_error
from devcenter.partners.facts import is_platform_user
from devcenter.partners.mail import absolute_url, in_both, person_name, send_branded
from devcenter.partners.models import (
    Invitation,
    InvitationStatus,
    MemberRole,
    Membership,
    Partner,
)
from devcenter.partners.selectors import partner_lock
from devcenter.policy import default_policy
from devcenter.public_ids import new_public_id
from devcenter.users import ActingUser

INVITATION_DAYS = 7


class InvitationErrorCode(StrEnum):
    """Stable codes of the invitation services' refusals."""

    INVITATION_NOT_FOUND = "invitation_not_found"  # no such link, or not this partner's
    INVITATION_EXPIRED = "invitation_expired"  # older than INVITATION_DAYS
    INVITATION_CLOSED = "invitation_closed"  # accepted or cancelled already
    INVITATION_OTHER_EMAIL = "invitation_other_email"  # logged in with another address


_MESSAGES = {
    InvitationErrorCode.INVITATION_NOT_FOUND: (
        "招待が見つかりません。",
        "The invitation was not found.",
    ),
    InvitationErrorCode.INVITATION_EXPIRED: (
        "この招待は有効期限が切れています。オーナーに再送を依頼してください。",
        "This invitation has expired: ask the owner to send it again.",
    ),
    InvitationErrorCode.INVITATION_CLOSED: (
        "この招待はすでに使われたか、取り消されています。",
        "This invitation was already accepted or cancelled.",
    ),
    InvitationErrorCode.INVITATION_OTHER_EMAIL: (
        "招待されたメールアドレスで確認済みのアカウントでログインしてください。",
        "Log in with an account whose verified e-mail is the invited address.",
    ),
}


def _error(kind: type, code: InvitationErrorCode) -> Any:
    ja, en = _MESSAGES[code]
    return kind(code, ja, en)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(invitation: Invitation) -> str:
    """Give `invitation` a new token and a new week; return the token (never stored)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = _hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    return token


def _audit(
    invitation: Invitation, event_type: AuditEventType, acting_user: ActingUser, **new: str
) -> None:
    audit_record(
        event_type=event_type,
        actor=actor_of(acting_user),
        target_type=AuditTarget.INVITATION,
        target_id=invitation.public_id,
        partner=invitation.partner.public_id,
        new={
            "role": invitation.role,
            "status": invitation.status,
            "expires_at": invitation.expires_at.isoformat(),
            **new,
        },
    )


def _require_owner(partner: Partner, acting_user: ActingUser) -> None:
    partner_capabilities(partner=partner, viewer=acting_user).require("member.add")


@transaction.atomic
def invitation_create(
    *, partner_id: str, email: str, role: str, acting_user: ActingUser
) -> Invitation:
    """Invite `email` to become a member with `role`; send the invitation on commit.

    Refuses `invalid_role` (422), `partner_not_found` (404), `not_an_owner` (403),
    `individual_single_member` and `already_member` (409). A pending invitation to the same
    address is replaced (its link stops working).
    """
    if role not in default_policy().member_roles:
        raise partner_error(InvalidError, PartnerErrorCode.INVALID_ROLE, field="role")
    partner = partner_lock(public_id=partner_id)
    _require_owner(partner, acting_user)
    email = email.strip()
    if Membership.objects.filter(partner=partner, user__email__iexact=email).exists():
        raise partner_error(ConflictError, PartnerErrorCode.ALREADY_MEMBER, field="email")
    invitation = Invitation(
        public_id=new_public_id("inv"),
        partner=partner,
        email=email,
        role=role,
        invited_by=acting_user,
    )
    replaced = Invitation.objects.select_for_update().filter(
        partner=partner, email__iexact=email, status=InvitationStatus.PENDING
    )
    for old in replaced:
        old.status = InvitationStatus.CANCELLED
        old.save(update_fields=["status"])
        _audit(
            old, AuditEventType.INVITATION_CANCELLED, acting_user, replaced_by=invitation.public_id
        )
    token = _new_link(invitation)
    invitation.save()
    _audit(invitation, AuditEventType.INVITATION_SENT, acting_user)
    transaction.on_commit(lambda: notify_invited(invitation.pk, token))
    return invitation


def _pending_of(partner: Partner, invitation_id: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(partner=partner, public_id=invitation_id, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        raise _error(NotFoundError, InvitationErrorCode.INVITATION_NOT_FOUND)
    return invitation


@transaction.atomic
def invitation_resend(
    *, partner_id: str, invitation_id: str, acting_user: ActingUser
) -> Invitation:
    """Send a pending invitation again with a new link, valid for another week."""
    partner = partner_lock(public_id=partner_id)
    _require_owner(partner, acting_user)
    invitation = _pending_of(partner, invitation_id)
    token = _new_link(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _audit(invitation, AuditEventType.INVITATION_RESENT, acting_user)
    transaction.on_commit(lambda: notify_invited(invitation.pk, token))
    return invitation


@transaction.atomic
def invitation_cancel(
    *, partner_id: str, invitation_id: str, acting_user: ActingUser
) -> Invitation:
    """Take a pending invitation back: its link stops working."""
    partner = partner_lock(public_id=partner_id)
    _require_owner(partner, acting_user)
    invitation = _pending_of(partner, invitation_id)
    invitation.status = InvitationStatus.CANCELLED
    invitation.save(update_fields=["status"])
    _audit(invitation, AuditEventType.INVITATION_CANCELLED, acting_user)
    return invitation


def invitation_by_token(*, token: str) -> Invitation:
    """Return the invitation of a link (any status), or raise `invitation_not_found`."""
    invitation = (
        Invitation.objects.select_related("partner", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None:
        raise _error(NotFoundError, InvitationErrorCode.INVITATION_NOT_FOUND)
    return invitation


def invitation_check(invitation: Invitation, acting_user: ActingUser | None = None) -> None:
    """Raise why `invitation` cannot be accepted (by `user`, when given), if it cannot."""
    if invitation.status != InvitationStatus.PENDING:
        raise _error(ConflictError, InvitationErrorCode.INVITATION_CLOSED)
    if invitation.expires_at <= timezone.now():
        raise _error(ConflictError, InvitationErrorCode.INVITATION_EXPIRED)
    if acting_user is not None and (
        not is_platform_user(acting_user)
        or (acting_user.email or "").lower() != invitation.email.lower()
    ):
        raise _error(ConflictError, InvitationErrorCode.INVITATION_OTHER_EMAIL)


@transaction.atomic
def invitation_accept(*, token: str, acting_user: ActingUser) -> Membership:
    """Accept the invitation of `token` as `user`: they become a member with its role."""
    from devcenter.partners.services import _membership_add  # the one writer of memberships

    found = invitation_by_token(token=token)
    partner = partner_lock(public_id=found.partner.public_id)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    invitation_check(invitation, acting_user)
    if Membership.objects.filter(partner=partner, user=acting_user).exists():
        raise partner_error(ConflictError, PartnerErrorCode.ALREADY_MEMBER)
    membership = _membership_add(partner, acting_user, invitation.role, actor_of(acting_user))
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    return membership


def pending_invitations(*, partner: Partner) -> list[Invitation]:
    """Return the partner's pending invitations, newest first (expired ones included)."""
    return list(
        Invitation.objects.filter(partner=partner, status=InvitationStatus.PENDING).order_by(
            "-created_at"
        )
    )


def notify_invited(invitation_pk: int, token: str) -> None:
    """Send the invitation's link to its address (in Japanese and English)."""
    invitation = (
        Invitation.objects.select_related("partner", "invited_by").filter(pk=invitation_pk).first()
    )
    if invitation is None:
        return
    role_ja, role_en = in_both(MemberRole(invitation.role).label)
    send_branded(
        to=invitation.email,
        name=invitation.email,
        template="invitation",
        subject=("パートナーへの招待", "You are invited to a partner"),
        context={
            "partner": invitation.partner.registration_name,
            "inviter": person_name(invitation.invited_by),
            "role_ja": role_ja,
            "role_en": role_en,
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
            "link": absolute_url(reverse("portal:invitation", args=[token])),
        },
    )
