"""Read what the developer pages show: a user's partners and one partner at a glance.

Each page calls one function here; it gathers the registry's selectors and picks the labels of
one language. Every decision comes from the policy core (through `partner_capabilities`: what
this viewer may do for this partner now); this module only arranges the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from devcenter.accounts.selectors import accounts_of_partner
from devcenter.audit.selectors import audit_trail
from devcenter.partners.capabilities import PartnerCapabilities
from devcenter.partners.choices import MemberRole, PartnerKind
from devcenter.partners.invitations import pending_invitations
from devcenter.partners.selectors import (
    capabilities_for,
    partner_members,
    partners_of_user,
    verified_card,
)
from devcenter.policy import Decision, Policy, Step, default_policy
from devcenter.reviews.selectors import (
    application_documents,
    applications_of_partner,
)
from devcenter.reviews.workflow import OPEN_STATUSES

HISTORY_ROWS = 50  # the newest events the history screen shows

# The screen where a partner takes each step of the policy's unlock paths (the step codes are
# the policy's; the portal only knows where each is taken). A step taken on the partner's own
# screen gets the partner's id; a registration step opens the registration form.
APPLICATION_STEP = "apply_certification"  # the step an open application is taking
STEP_SCREENS: dict[str, tuple[str, bool]] = {
    "register_card": ("portal:partner_card", True),
    "apply_certification": ("portal:partner_certification", True),
    "register_corporate_general": ("portal:register_corporate", False),
    "register_individual": ("portal:register_individual", False),
}


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
class UnlockStep:
    """One step of an unlock path, as an action: its label, the type it leads to, the screen
    where it is taken, and whether it is already under review (an open application)."""

    step: str
    label: str
    to_label: str
    url: str
    under_review: bool


@dataclass(frozen=True, slots=True)
class Entitlement:
    """One service or account with today's decision, its reason and how to unlock it."""

    code: str
    label: str
    allowed: bool
    denial_code: str
    reason: str
    unlock: tuple[tuple[UnlockStep, ...], ...]  # alternatives, shortest first


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One item of the partner home's onboarding checklist."""

    label: str
    done: bool
    url: str
    under_review: bool
    unlocks: tuple[str, ...]  # labels of the services this step opens


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One audit event in words: when, what, who (an e-mail, "system" or "staff")."""

    occurred_at: Any
    event_type: str
    what: str
    who: str


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
    is_open: bool  # awaiting a decision: "under review"


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
    history: tuple[HistoryRow, ...]
    members: tuple[MemberRow, ...]
    checklist: tuple[ChecklistItem, ...]
    test_accounts: tuple[Any, ...]
    invitations: tuple[Any, ...]  # pending, for those who may invite
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
    application = _application_view(partner, lang)
    under_review = application is not None and application.is_open
    steps = _StepLinks(policy, partner, lang, under_review)
    services = _entitlements(policy, "service", _each(policy.services, capabilities.service), steps)
    platform_accounts = tuple(accounts_of_partner(partner=partner))
    test_kind = _test_account_kind(policy)
    return PartnerPage(
        partner=partner,
        type_label=_type_label(policy, partner, lang),
        services=services,
        accounts=_entitlements(
            policy, "account", _each(policy.accounts, capabilities.account), steps
        ),
        platform_accounts=platform_accounts,
        card=verified_card(partner=partner) if partner.kind == PartnerKind.INDIVIDUAL else None,
        latest_application=application,
        history=(),
        members=_member_rows(memberships, user, capabilities),
        checklist=_checklist(policy, partner, services, lang),
        test_accounts=tuple(a for a in platform_accounts if a.kind == test_kind),
        invitations=tuple(pending_invitations(partner=partner))
        if operations["member.add"].allowed
        else (),
        can={_key(code): d.allowed for code, d in operations.items()},
        why_not={_key(code): d.reason.get(lang) for code, d in operations.items() if not d.allowed},
    )


def partner_history(*, partner: Any, lang: str) -> tuple[HistoryRow, ...]:
    """Return the partner's newest audit events in words: who acted by name, never `user:7`."""
    events = list(audit_trail(partner=partner.public_id).reverse()[:HISTORY_ROWS])
    ids = {
        int(e.actor[5:]) for e in events if e.actor.startswith("user:") and e.actor[5:].isdigit()
    }
    users = {u.pk: u for u in get_user_model()._default_manager.filter(pk__in=ids)}
    member_ids = {m.user_id for m in partner_members(partner=partner)}
    return tuple(
        HistoryRow(
            occurred_at=e.occurred_at,
            event_type=e.event_type,
            what=str(e.get_event_type_display()),
            who=_actor_name(e.actor, users, member_ids),
        )
        for e in events
    )


def _actor_name(actor: str, users: dict[int, Any], member_ids: set[int]) -> str:
    """Return who acted, for a partner's eyes: a member's e-mail, else "staff" or "system"."""
    if actor.startswith("user:") and actor[5:].isdigit():
        found = users.get(int(actor[5:]))
        if found is not None and (found.pk in member_ids or not found.is_staff):
            return str(found.email)
        return _("platform staff") if found is not None else _("a former user")
    if actor.startswith("apikey:"):
        return _("an API key")
    return _("system")


def _type_label(policy: Policy, partner: Any, lang: str) -> str:
    return policy.label("partner_type", partner.partner_type).get(lang)


def _test_account_kind(policy: Policy) -> str:
    """Return the account the policy's `test_account.create` operation creates."""
    return str(policy.source.operations[policy.operations.index("test_account.create")].account)


class _StepLinks:
    """Turn the policy's unlock steps into actions on this partner's screens."""

    def __init__(self, policy: Policy, partner: Any, lang: str, under_review: bool) -> None:
        self.policy, self.partner, self.lang, self.under_review = (
            policy,
            partner,
            lang,
            under_review,
        )

    def path(self, path: tuple[Step, ...]) -> tuple[UnlockStep, ...] | None:
        """Return the path as actions, or None when it leaves the partner's kind (a new
        registration of another kind is no step for this partner)."""
        if any(self.policy.kind_of(step.to) != self.partner.kind for step in path):
            return None
        return tuple(self.step(step) for step in path)

    def step(self, step: Step) -> UnlockStep:
        name, own = STEP_SCREENS.get(step.step, ("portal:partner", True))
        return UnlockStep(
            step=step.step,
            label=self.policy.label("step", step.step).get(self.lang),
            to_label=self.policy.label("partner_type", step.to).get(self.lang),
            url=reverse(name, args=[self.partner.public_id] if own else []),
            under_review=self.under_review and step.step == APPLICATION_STEP,
        )


def _checklist(
    policy: Policy, partner: Any, services: tuple[Entitlement, ...], lang: str
) -> tuple[ChecklistItem, ...]:
    """Return the onboarding checklist: registered (done), then each first step of the locked
    services' unlock paths, the step that opens the most services first."""
    registered = ChecklistItem(
        label=_("Register as a partner (%(type)s)") % {"type": _type_label(policy, partner, lang)}
        if partner.partner_type
        else _("Register as a partner"),
        done=True,
        url="",
        under_review=False,
        unlocks=(),
    )
    opens: dict[str, list[str]] = {}
    first: dict[str, UnlockStep] = {}
    for item in services:
        for path in item.unlock:
            step = path[0]
            first.setdefault(step.step, step)
            if item.label not in opens.setdefault(step.step, []):
                opens[step.step].append(item.label)
    ordered = sorted(first, key=lambda code: -len(opens[code]))
    return (
        registered,
        *(
            ChecklistItem(
                label=first[code].label,
                done=False,
                url=first[code].url,
                under_review=first[code].under_review,
                unlocks=tuple(opens[code]),
            )
            for code in ordered
        ),
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
        is_open=application.status in OPEN_STATUSES,
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
    policy: Policy, group: str, decisions: dict[str, Decision], steps: _StepLinks
) -> tuple[Entitlement, ...]:
    return tuple(_entitlement(policy, group, code, d, steps) for code, d in decisions.items())


def _entitlement(
    policy: Policy, group: str, code: str, decision: Decision, steps: _StepLinks
) -> Entitlement:
    paths = (steps.path(path) for path in decision.unlock)
    return Entitlement(
        code=code,
        label=policy.label(group, code).get(steps.lang),
        allowed=decision.allowed,
        denial_code="" if decision.allowed else decision.code,
        reason="" if decision.allowed else decision.reason.get(steps.lang),
        unlock=tuple(path for path in paths if path),
    )
