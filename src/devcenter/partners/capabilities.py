"""What a partner may do now, for one viewer: the one question every face and service asks.

`partner_capabilities(partner=…, viewer=…)` returns, for the partner in its current status with
its derived facts and for the viewer's role (owner, developer, staff in the staff console, or
none), the policy core's decision for every operation, service and account. Services refuse
with `require` under their row lock; pages show a button only where `allows` says so, and the
decision's reason where it does not; the entitlements API returns `as_dict`. Nothing here
states a rule: the rules are the policy file's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devcenter.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from devcenter.partners.choices import STAFF_ROLE
from devcenter.partners.errors import PartnerErrorCode, partner_error
from devcenter.partners.facts import DerivedFacts, FactSubject
from devcenter.partners.models import Membership, Partner
from devcenter.policy import Decision, Policy, default_policy
from devcenter.users import ActingUser


@dataclass
class PartnerCapabilities:
    """The policy's answers for one partner and one viewer (decisions computed on demand)."""

    partner: Partner
    viewer: ActingUser | None
    role: str | None
    facts: DerivedFacts
    policy: Policy = field(default_factory=default_policy)

    def decision(self, operation: str, **facts: bool) -> Decision:
        """Return the decision on `operation`; `facts` override derived ones (a target member)."""
        given = self.facts.overridden(**facts) if facts else self.facts
        return self.policy.decide_operation(
            operation,
            role=self.role,
            status=self.partner.status,
            partner_type=self.partner.partner_type,
            facts=given,
        )

    def allows(self, operation: str, **facts: bool) -> bool:
        """Return whether the viewer may perform `operation` now."""
        return self.decision(operation, **facts).allowed

    def require(self, operation: str, **facts: bool) -> None:
        """Raise the refusal of `operation` as a domain error (404 / 403 / 409 by its kind)."""
        decision = self.decision(operation, **facts)
        if not decision.allowed:
            raise self.refusal(operation, decision)

    def refusal(self, operation: str, decision: Decision) -> DomainError:
        """Return the domain error for a refused decision on `operation`."""
        if decision.code == PartnerErrorCode.PARTNER_NOT_FOUND:
            return partner_error(NotFoundError, PartnerErrorCode.PARTNER_NOT_FOUND)
        role_code = self.policy.partner_state.operations[operation].role_code
        kind = ForbiddenError if decision.code == role_code else ConflictError
        return kind(decision.code, decision.reason.ja, decision.reason.en)

    def service(self, service: str) -> Decision:
        """Return whether the partner may use `service` now (its status and type)."""
        return self.policy.decide_partner_service(
            self.partner.partner_type, self.partner.status, service
        )

    def account(self, account: str) -> Decision:
        """Return whether the partner may hold `account` now."""
        return self.policy.decide_partner_account(
            self.partner.partner_type, self.partner.status, account
        )

    def operations(self) -> dict[str, Decision]:
        """Return every operation's decision, in the policy file's order."""
        return {code: self.decision(code) for code in self.policy.operations}

    def as_dict(self) -> dict[str, Any]:
        """Return the capabilities as the API shows them."""
        return {
            "partner": self.partner.public_id,
            "partner_type": self.partner.partner_type,
            "status": self.partner.status,
            "role": self.role,
            "policy_version": self.policy.version,
            "services": [{"service": s, **self.service(s).as_dict()} for s in self.policy.services],
            "accounts": [{"account": a, **self.account(a).as_dict()} for a in self.policy.accounts],
            "operations": [
                {"operation": code, **d.as_dict()} for code, d in self.operations().items()
            ],
        }


def viewer_role(
    *, partner: Partner, viewer: ActingUser | None, as_staff: bool = False
) -> str | None:
    """Return the viewer's role for `partner`: its membership role, `staff` in the staff
    console (`as_staff`, the face has checked staff and MFA), or None.

    Being staff gives no right as a member: outside the staff console a staff user who is not a
    member has no role.
    """
    if as_staff and viewer is not None and viewer.is_active and viewer.is_staff:
        return STAFF_ROLE
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return None
    return (
        Membership.objects.filter(partner=partner, user=viewer)
        .values_list("role", flat=True)
        .first()
    )


def partner_capabilities(
    *, partner: Partner, viewer: ActingUser | None, as_staff: bool = False, role: str | None = None
) -> PartnerCapabilities:
    """Return what `viewer` may do for `partner` now (see the module docstring).

    `role` may be given when the caller already read the viewer's membership (one query less).
    """
    if role is None:
        role = viewer_role(partner=partner, viewer=viewer, as_staff=as_staff)
    subject = FactSubject(partner=partner, user=viewer)
    return PartnerCapabilities(
        partner=partner, viewer=viewer, role=role, facts=DerivedFacts(subject)
    )
