"""Moving a partner between types: the policy check and the audited write, shared by services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import audit_change
from devcenter.errors import ConflictError
from devcenter.partners.facts import DerivedFacts, FactSubject
from devcenter.partners.hooks import partner_changed
from devcenter.partners.models import Partner, PartnerStatus
from devcenter.policy import Decision, default_policy


def check_move(
    from_type: str | None, to_type: str, facts: Mapping[str, bool] | None = None
) -> Decision:
    """Return the policy's allowing decision; raise ConflictError with its code otherwise."""
    decision = default_policy().decide_move(from_type, to_type, facts)
    if not decision.allowed:
        raise ConflictError(decision.code, decision.reason.ja, decision.reason.en)
    return decision


def check_partner_move(partner: Partner, to_type: str) -> Decision:
    """Check the move of a registered partner: its status first (a suspended partner moves
    nowhere), then the policy's move with the facts derived from the registry."""
    policy = default_policy()
    denied = policy.status_denial(partner.status)
    if denied is not None:
        raise ConflictError(denied.code, denied.reason.ja, denied.reason.en)
    return check_move(partner.partner_type, to_type, DerivedFacts(FactSubject(partner, None)))


def partner_snapshot(partner: Partner) -> dict[str, Any]:
    """Return what the audit log (and the decision plane's snapshot) keep of a partner."""
    return {
        "kind": partner.kind,
        "partner_type": partner.partner_type,
        "status": partner.status,
        "registration_name": partner.registration_name,
        "corporate_number": partner.corporate_number,
    }


def status_after_move(partner: Partner) -> str:
    """Return the partner's status once it has moved: a pending partner becomes active."""
    return PartnerStatus.ACTIVE if partner.status == PartnerStatus.PENDING else partner.status


def partner_type_set(partner: Partner, to_type: str, *, actor: str, reason: str) -> None:
    """Write an already-checked move on a locked partner and audit it (`partner.type_changed`).

    A pending partner becomes active with its first type.
    """
    status = status_after_move(partner)
    audit_change(
        partner,
        {"partner_type": to_type, "status": status},
        snapshot=partner_snapshot,
        event_type=AuditEventType.PARTNER_TYPE_CHANGED,
        actor=actor,
        target_type=AuditTarget.PARTNER,
        partner=partner.public_id,
        note={"reason": reason},
    )
    partner_changed(partner, actor)
