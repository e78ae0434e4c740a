"""Read what the developer pages show: a user's partners and one partner at a glance.

Each page calls one function here; it gathers the registry's selectors and picks the labels of
one language. Every decision comes from the policy core (through `partner_capabilities`: what
this viewer may do for this partner now); this module only arranges the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devcenter.accounts.selectors import accounts_of_partner
from devcenter.audit.selectors import audit_trail
from devcenter.partners.capabilities import PartnerCapabilities
from devcenter.partners.choices import MemberRole, PartnerKind
from devcenter.partners.selectors import (
    capabilities_for,
    partner_members,
    partners_of_user,
    verified_card,
)
from devcenter.policy import Decision, Policy, default_policy
from devcenter.reviews.selectors import (
    application_documents,
    applications_of_partner,
)

HISTORY_ROWS = 20  # the newest events the partner page shows


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """One partner of the user's list."""

    public_id: str
    registration_name: str
    kind: str
    type_label: str
    status: str
    status_label: str


@dataclass(frozen=True, slots=True)
class PartnerList:
    """The user's partners, and whether the user may still register as an individual."""

    partners: tuple[PartnerRow, ...]
    has_individual: bool


@dataclass(frozen=True, slots=True)
class Entitlement:
    """One service or account with today's decision, its reason and how to unlock it."""

    code: str
    label: str
    allowed: bool
    denial_code: str
    reason: str
    unlock: tuple[str, ...]  # each a readable sequence of steps; alternatives


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One member of the partner, and whether the viewer may remove them (or leave, if it is
    the viewer); the last owner is never offered, as the registry would refuse it."""

    user_id: int
    email: str
    role: str
    role_label: str
    since: Any
    is_viewer: bool
    removable: bool


@dataclass(frozen=True, slots=True)
class ApplicationView:
    """The partner's latest certification application as its applicant sees it."""

    application: Any
    reason: str  # the decision's reason in the page's language (rejected)
    documents: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PartnerPage:
    """Everything the partner page shows, in one language."""

    partner: Any
    type_label: str
    services: tuple[Entitlement, ...]
    accounts: tuple[Entitlement, ...]
    platform_accounts: tuple[Any, ...]
    card: Any
    latest_application: ApplicationView | None
    history: tuple[Any, ...]
    members: tuple[MemberRow, ...]
    # Operation code with `_` for `.` (templates cannot index by dotted keys) -> whether the
    # viewer may, and the reason when not, in the page's language.
    can: dict[str, bool]
    why_not: dict[str, str]


def partner_list(*, user: Any, lang: str) -> PartnerList:
    """Return the partners `user` is a member of, newest first, labelled in `lang`."""
    policy = default_policy()
    partners = list(partners_of_user(user=user))
    return PartnerList(
        partners=tuple(_row(policy, partner, lang) for partner in partners),
        has_individual=any(p.user_id == user.pk for p in partners),
    )


def partner_page(*, user: Any, public_id: str, lang: str) -> PartnerPage:
    """Return the partner page of `public_id`; NotFoundError unless `user` has a role for it."""
    capabilities = capabilities_for(public_id=public_id, viewer=user, operation="partner.read")
    policy = capabilities.policy
    partner = capabilities.partner
    operations = capabilities.operations()
    memberships = list(partner_members(partner=partner))
    return PartnerPage(
        partner=partner,
        type_label=policy.label("partner_type", partner.partner_type).get(lang),
        services=_entitlements(
            policy, "service", _each(policy.services, capabilities.service), lang
        ),
        accounts=_entitlements(
            policy, "account", _each(policy.accounts, capabilities.account), lang
        ),
        platform_accounts=tuple(accounts_of_partner(partner=partner)),
        card=verified_card(partner=partner) if partner.kind == PartnerKind.INDIVIDUAL else None,
        latest_application=_application_view(partner, lang),
        history=tuple(audit_trail(partner=partner.public_id).reverse()[:HISTORY_ROWS]),
        members=_member_rows(memberships, user, capabilities),
        can={_key(code): d.allowed for code, d in operations.items()},
        why_not={_key(code): d.reason.get(lang) for code, d in operations.items() if not d.allowed},
    )


def _key(operation: str) -> str:
    return operation.replace(".", "_")


def _each(codes: tuple[str, ...], decide: Any) -> dict[str, Decision]:
    return {code: decide(code) for code in codes}


def _application_view(partner: Any, lang: str) -> ApplicationView | None:
    application = applications_of_partner(partner=partner).first()
    if application is None:
        return None
    reason = application.decision_reason_ja if lang == "ja" else application.decision_reason_en
    return ApplicationView(
        application=application,
        reason=reason or application.decision_reason_en or application.decision_reason_ja,
        documents=tuple(application_documents(application=application).filter(superseded=False)),
    )


def _member_rows(
    memberships: list[Any], viewer: Any, capabilities: PartnerCapabilities
) -> tuple[MemberRow, ...]:
    """Return the members, each removable where the policy lets the viewer remove them (or
    leave): the last owner never is."""
    owners = [m.user_id for m in memberships if m.role == MemberRole.OWNER]
    rows = []
    for membership in memberships:
        is_viewer = membership.user_id == viewer.pk
        remains = membership.role != MemberRole.OWNER or any(
            owner != membership.user_id for owner in owners
        )
        operation = "member.leave" if is_viewer else "member.remove"
        rows.append(
            MemberRow(
                user_id=membership.user_id,
                email=membership.user.email,
                role=membership.role,
                role_label=str(MemberRole(membership.role).label),
                since=membership.created_at,
                is_viewer=is_viewer,
                removable=capabilities.allows(operation, other_owner_remains=remains),
            )
        )
    return tuple(rows)


def unlock_text(policy: Policy, decision: Decision, lang: str) -> tuple[str, ...]:
    """Return each way to unlock `decision` as readable steps ("step → type → step → type")."""
    return tuple(
        " → ".join(
            f"{policy.label('step', step.step).get(lang)}"
            f" ({policy.label('partner_type', step.to).get(lang)})"
            for step in path
        )
        for path in decision.unlock
    )


def _row(policy: Policy, partner: Any, lang: str) -> PartnerRow:
    return PartnerRow(
        public_id=partner.public_id,
        registration_name=partner.registration_name,
        kind=partner.kind,
        type_label=policy.label("partner_type", partner.partner_type).get(lang),
        status=partner.status,
        status_label=str(partner.get_status_display()),
    )


def _entitlements(
    policy: Policy, group: str, decisions: dict[str, Decision], lang: str
) -> tuple[Entitlement, ...]:
    return tuple(_entitlement(policy, group, code, d, lang) for code, d in decisions.items())


def _entitlement(
    policy: Policy, group: str, code: str, decision: Decision, lang: str
) -> Entitlement:
    return Entitlement(
        code=code,
        label=policy.label(group, code).get(lang),
        allowed=decision.allowed,
        denial_code="" if decision.allowed else decision.code,
        reason="" if decision.allowed else decision.reason.get(lang),
        unlock=unlock_text(policy, decision, lang),
    )
