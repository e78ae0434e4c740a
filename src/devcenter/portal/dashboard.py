"""Read what the developer pages show: a user's partners and one partner at a glance.

Each page calls one function here; it gathers the registry's selectors and picks the labels of
one language. Every decision comes from the policy core (through `partner_entitlements`); this
module only arranges the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devcenter.accounts.selectors import accounts_of_partner
from devcenter.audit.selectors import audit_trail
from devcenter.partners.choices import MemberRole
from devcenter.partners.selectors import (
    partner_entitlements,
    partner_for_user,
    partner_members,
    partners_of_user,
    verified_card,
)
from devcenter.policy import Decision, Policy, default_policy
from devcenter.reviews.selectors import (
    ApplicantActions,
    applicant_actions,
    application_documents,
    applications_of_partner,
)

HISTORY_ROWS = 20  # the newest events the partner page shows
CERTIFIED = "corporate_certified"
TEST_ACCOUNT = "partner_test_account"
INDIVIDUAL = "individual"
CORPORATE = "corporate"


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
    actions: ApplicantActions


@dataclass(frozen=True, slots=True)
class PartnerPage:
    """Everything the partner page shows, in one language."""

    partner: Any
    type_label: str
    services: tuple[Entitlement, ...]
    accounts: tuple[Entitlement, ...]
    platform_accounts: tuple[Any, ...]
    card: Any
    may_hold_test_accounts: bool
    may_apply_for_certification: bool
    latest_application: ApplicationView | None
    history: tuple[Any, ...]
    members: tuple[MemberRow, ...]
    viewer_is_owner: bool  # may add and remove members (staff too)


def partner_list(*, user: Any, lang: str) -> PartnerList:
    """Return the partners `user` is a member of, newest first, labelled in `lang`."""
    policy = default_policy()
    partners = list(partners_of_user(user=user))
    return PartnerList(
        partners=tuple(_row(policy, partner, lang) for partner in partners),
        has_individual=any(p.kind == INDIVIDUAL and p.user_id == user.pk for p in partners),
    )


def partner_page(*, user: Any, public_id: str, lang: str) -> PartnerPage:
    """Return the partner page of `public_id`; NotFoundError unless `user` is a member or staff."""
    policy = default_policy()
    partner = partner_for_user(user=user, public_id=public_id)
    entitlements = partner_entitlements(partner=partner)
    application = _application_view(partner, lang)
    accounts = _entitlements(policy, "account", entitlements.accounts, lang)
    memberships = list(partner_members(partner=partner))
    viewer_is_owner = bool(user.is_staff) or any(
        m.user_id == user.pk and m.role == MemberRole.OWNER for m in memberships
    )
    return PartnerPage(
        partner=partner,
        type_label=policy.label("partner_type", partner.partner_type).get(lang),
        services=_entitlements(policy, "service", entitlements.services, lang),
        accounts=accounts,
        platform_accounts=tuple(accounts_of_partner(partner=partner)),
        card=verified_card(partner=partner) if partner.kind == INDIVIDUAL else None,
        may_hold_test_accounts=any(a.allowed for a in accounts if a.code == TEST_ACCOUNT),
        # Offered to a corporation not yet certified (the reviews service asks the policy)
        # while no application is open (an open one may still be withdrawn).
        may_apply_for_certification=partner.kind == CORPORATE
        and partner.partner_type != CERTIFIED
        and (application is None or not application.actions.withdraw),
        latest_application=application,
        history=tuple(audit_trail(partner=partner.public_id).reverse()[:HISTORY_ROWS]),
        members=_member_rows(memberships, user, viewer_is_owner),
        viewer_is_owner=viewer_is_owner,
    )


def _application_view(partner: Any, lang: str) -> ApplicationView | None:
    application = applications_of_partner(partner=partner).first()
    if application is None:
        return None
    reason = application.decision_reason_ja if lang == "ja" else application.decision_reason_en
    return ApplicationView(
        application=application,
        reason=reason or application.decision_reason_en or application.decision_reason_ja,
        documents=tuple(application_documents(application=application).filter(superseded=False)),
        actions=applicant_actions(application=application),
    )


def _member_rows(
    memberships: list[Any], viewer: Any, viewer_is_owner: bool
) -> tuple[MemberRow, ...]:
    owners = sum(1 for m in memberships if m.role == MemberRole.OWNER)
    rows = []
    for membership in memberships:
        is_viewer = membership.user_id == viewer.pk
        last_owner = membership.role == MemberRole.OWNER and owners == 1
        rows.append(
            MemberRow(
                user_id=membership.user_id,
                email=membership.user.email,
                role=membership.role,
                role_label=str(MemberRole(membership.role).label),
                since=membership.created_at,
                is_viewer=is_viewer,
                removable=(is_viewer or viewer_is_owner) and not last_owner,
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
