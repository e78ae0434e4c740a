"""Registrations follow their partner's entitlements (issue 9, §4).

When a partner may no longer use a service (its card removed or expired, suspension), every
registration of that service becomes suspended, keeping the status it returns to and the
policy's code as the reason; when the service comes back, it returns there. Both audited;
nothing is deleted. Runs inside the partner change's transaction (the partners app calls
`devcenter.partners.hooks.partner_changed`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from devcenter.audit.choices import AuditEventType
from devcenter.policy import Decision, default_policy
from devcenter.registrations.choices import RegistrationStatus
from devcenter.registrations.models import Registration
from devcenter.registrations.services import registration_audit, registration_snapshot

if TYPE_CHECKING:
    from devcenter.partners.models import Partner

logger = logging.getLogger(__name__)


def registrations_follow_partner(*, partner: Partner, actor: str) -> int:
    """Suspend or restore each registration of `partner` to match what it may use now;
    return how many changed. Call with the partner locked, inside its transaction."""
    policy = default_policy()
    changed = 0
    registrations = Registration.objects.select_for_update().filter(
        partner=partner, deleted_at__isnull=True
    )
    for registration in registrations.order_by("pk"):
        registration.partner = partner
        decision = policy.decide_partner_service(
            partner.partner_type, partner.status, registration.service
        )
        changed += _follow(registration, decision, actor)
    return changed


def _follow(registration: Registration, decision: Decision, actor: str) -> int:
    suspended = registration.status == RegistrationStatus.SUSPENDED
    if decision.allowed and suspended:
        _restore(registration, actor)
        return 1
    if not decision.allowed and (not suspended or registration.suspended_reason != decision.code):
        _suspend(registration, decision, actor)
        return 1
    return 0


def _suspend(registration: Registration, decision: Decision, actor: str) -> None:
    old = registration_snapshot(registration)
    if registration.status != RegistrationStatus.SUSPENDED:
        registration.restore_status = registration.status
    registration.status = RegistrationStatus.SUSPENDED
    registration.suspended_reason = decision.code
    registration.save(update_fields=["status", "restore_status", "suspended_reason", "updated_at"])
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_SUSPENDED,
        actor,
        old=old,
        new={
            **registration_snapshot(registration),
            "unlock": [[step.as_dict() for step in path] for path in decision.unlock],
        },
    )


def _restore(registration: Registration, actor: str) -> None:
    old = registration_snapshot(registration)
    registration.status = (
        registration.restore_status or default_policy().registrations.initial_status
    )
    registration.restore_status = ""
    registration.suspended_reason = ""
    registration.save(update_fields=["status", "restore_status", "suspended_reason", "updated_at"])
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_RESTORED,
        actor,
        old=old,
        new=registration_snapshot(registration),
    )


def partner_changed(partner: Partner, actor: str) -> None:
    """The partners app's hook (`on_partner_changed`): follow the partner's new state."""
    registrations_follow_partner(partner=partner, actor=actor)


def register_oauth_client_check() -> None:
    """Give the OAuth server the "is the registration behind this client usable?" check."""
    from devcenter.oauth import hooks
    from devcenter.registrations.selectors import registration_client_usable

    hooks.register_client_usable(registration_client_usable)
