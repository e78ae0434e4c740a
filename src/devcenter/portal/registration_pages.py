"""Read what the registration screens show, in one language: the services screen's rows, one
registration for its owner, developer or operator, and the staff queues.

Every decision is the policy core's: the partner's service decision (usable, locked with its
unlock steps, never), the viewer's operations (`partner_capabilities` through
`registration_access`), the listing pipeline's moves and needs. This module only arranges the
registrations selectors' answers with labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from devcenter.errors import DomainError, NotFoundError
from devcenter.policy import default_policy
from devcenter.policy.registrable import MIN_USERS, NO_CREDENTIALS
from devcenter.portal.dashboard import Entitlement, PartnerPage, partner_page
from devcenter.portal.registration_forms import LIST_TYPES, option_label
from devcenter.registrations import clock
from devcenter.registrations.choices import (
    OPERATOR_ROLE,
    ImageKind,
    OperatorStatus,
    PaymentStatus,
    RegistrationStatus,
)
from devcenter.registrations.payments import payout_account_of
from devcenter.registrations.selectors import (
    contact_email_pending,
    listing_field_value,
    listing_missing,
    payment_enrolments,
    registration_access,
    registration_client_id,
    registration_images,
    registration_operators,
    registrations_of_partner,
    service_decision,
)

READ = "registration.read"
# The viewer's operations a registration screen offers, by the template's key.
OPERATIONS = {
    "manage": "registration.manage",
    "delete": "registration.delete",
    "credentials": "registration.credentials",
    "operators": "registration.operators",
    "payment": "registration.payment",
    "payout": "payout_account.manage",
}


def _rules() -> Any:
    return default_policy().registrations


def listing_queue_statuses() -> tuple[str, ...]:
    """Return the statuses a listing request reaches (the pipeline's move targets), in the
    policy file's order: the staff queue's filters."""
    rules = _rules()
    targets = {to for (_from, to) in rules.moves}
    return tuple(code for code in rules.statuses if code in targets)


def status_label(status: str, lang: str) -> str:
    """Return the policy's words for a registration status."""
    return str(_rules().statuses[status].get(lang))


def service_label(service: str, lang: str) -> str:
    return str(default_policy().label("service", service).get(lang))


@dataclass(frozen=True, slots=True)
class RegistrationRow:
    """One registration in a list: its name, status in words and where it is shown."""

    public_id: str
    name: str
    status: str
    status_label: str
    url: str


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One registrable service on the services screen."""

    code: str
    label: str
    entitlement: Entitlement
    state: str  # "usable", "locked" (an unlock step exists) or "never"
    registrations: tuple[RegistrationRow, ...]
    can_register: bool
    register_url: str


def registration_row(registration: Any, lang: str) -> RegistrationRow:
    return RegistrationRow(
        public_id=registration.public_id,
        name=registration.name,
        status=registration.status,
        status_label=status_label(registration.status, lang),
        url=reverse("portal:registration", args=[registration.public_id]),
    )


def service_rows(*, page: PartnerPage, lang: str) -> tuple[ServiceRow, ...]:
    """Return each registrable service with the partner's decision and its registrations; the
    register button only where the partner may use the service and the viewer may create."""
    by_code = {item.code: item for item in page.services}
    mine: dict[str, list[RegistrationRow]] = {}
    for registration in registrations_of_partner(partner=page.partner):
        mine.setdefault(registration.service, []).append(registration_row(registration, lang))
    rows = []
    for code in _rules().services():
        item = by_code[code]
        state = "usable" if item.allowed else ("locked" if item.unlock else "never")
        rows.append(
            ServiceRow(
                code=code,
                label=item.label,
                entitlement=item,
                state=state,
                registrations=tuple(mine.get(code, ())),
                can_register=item.allowed and page.can["registration_create"],
                register_url=reverse(
                    "portal:registration_new", args=[page.partner.public_id, code]
                ),
            )
        )
    return tuple(rows)


def page_choices(*, partner: Any, service: str) -> list[tuple[str, str]]:
    """Return (public id, name) of the partner's registrations a `registration` field of
    `service` may name (a page app's page)."""
    rules = _rules()
    wanted = {
        rules.fields[code].of
        for code in rules.of(service).fields
        if rules.fields[code].type == "registration"
    }
    return [
        (r.public_id, r.name)
        for r in registrations_of_partner(partner=partner)
        if r.service in wanted
    ]


# ---------------------------------------------------------------- one registration


@dataclass(frozen=True, slots=True)
class FieldRow:
    label: str
    value: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OperatorRow:
    user_id: int
    email: str
    status_label: str
    invited_at: Any


@dataclass(frozen=True, slots=True)
class PaymentRow:
    public_id: str
    status_label: str
    submitted_at: Any
    decided_at: Any
    reason: str
    is_open: bool
    approved: bool


@dataclass(frozen=True, slots=True)
class RegistrationScreen:
    """Everything a registration's screen shows, in one language."""

    registration: Any
    page: PartnerPage | None  # None for an operator: nothing else of the partner is shown
    is_operator: bool
    service_label: str
    status_label: str
    suspended: bool
    under_review: bool  # listing requested, awaiting staff
    suspension: Entitlement | None  # why, and the steps that restore it
    fields: tuple[FieldRow, ...]
    images: tuple[tuple[str, Any], ...]
    image_kinds: tuple[str, ...]
    has_credentials: bool
    client_id: str | None
    contact_email_pending: bool
    missing: tuple[str, ...]
    can_request_listing: bool
    listing_after: Any  # the end of the cool-down after a rejection, while it lasts
    decision_reason: str
    operators: tuple[OperatorRow, ...]
    payments_offered: bool  # the service has an enrolment (an app)
    payment_allowed: bool
    payment_why_not: str
    payment_open: bool
    payments: tuple[PaymentRow, ...]
    payout_account: str  # the partner's payout account, masked ("" when none)
    grace_hours: str  # the grace period's hours, as people write them (24, not 24.0)
    can: dict[str, bool]


def registration_screen_for_staff(*, user: Any, public_id: str, lang: str) -> RegistrationScreen:
    """Return the screen of registration `public_id` as staff review it (any partner's)."""
    return registration_screen(user=user, public_id=public_id, lang=lang, as_staff=True)


def registration_screen(
    *, user: Any, public_id: str, lang: str, as_staff: bool = False
) -> RegistrationScreen:
    """Return the screen of registration `public_id`; NotFoundError unless the viewer has a
    role for it (a member, or its operator; staff in the staff pages with `as_staff`)."""
    access = registration_access(
        public_id=public_id, viewer=user, operation=READ, as_staff=as_staff
    )
    registration = access.registration
    capabilities = access.capabilities
    is_operator = capabilities.role == OPERATOR_ROLE
    page = None
    if not is_operator and not as_staff:
        try:
            page = partner_page(user=user, public_id=registration.partner.public_id, lang=lang)
        except NotFoundError:
            page = None
    entry = _rules().of(registration.service)
    can = {key: capabilities.allows(code) for key, code in OPERATIONS.items()}
    suspended = registration.status == RegistrationStatus.SUSPENDED
    return RegistrationScreen(
        registration=registration,
        page=page,
        is_operator=is_operator,
        service_label=service_label(registration.service, lang),
        status_label=status_label(registration.status, lang),
        suspended=suspended,
        under_review=registration.status == RegistrationStatus.LISTING_REQUESTED,
        suspension=_suspension(page, registration, lang) if suspended else None,
        fields=_field_rows(registration, lang),
        images=tuple(
            (str(ImageKind(i.kind).label), i)
            for i in registration_images(registration=registration)
        ),
        image_kinds=entry.images,
        has_credentials=entry.credentials != NO_CREDENTIALS,
        client_id=registration_client_id(registration=registration),
        contact_email_pending=contact_email_pending(registration=registration),
        missing=_missing(registration, lang),
        can_request_listing=can["manage"] and _may_request(registration),
        listing_after=_cooldown_end(registration),
        decision_reason=_reason(
            registration.decision_reason_ja, registration.decision_reason_en, lang
        ),
        operators=_operator_rows(registration) if can["operators"] else (),
        payments_offered=bool(entry.enrolments),
        **_payment(registration, capabilities, entry, lang, can["payment"]),
        payout_account=_payout(registration, user) if can["payout"] and entry.enrolments else "",
        grace_hours=f"{settings.DEVCENTER_CREDENTIAL_GRACE_HOURS:g}",
        can=can,
    )


def _suspension(page: PartnerPage | None, registration: Any, lang: str) -> Entitlement | None:
    """Return the service's entitlement (the reason and the unlock steps that restore it)."""
    if page is not None:
        return next((s for s in page.services if s.code == registration.service), None)
    decision = service_decision(registration=registration)
    return Entitlement(
        code=registration.service,
        label=service_label(registration.service, lang),
        allowed=decision.allowed,
        denial_code=decision.code,
        reason=decision.reason.get(lang),
        unlock=(),
    )


def _field_rows(registration: Any, lang: str) -> tuple[FieldRow, ...]:
    rules = _rules()
    rows = []
    for code in rules.of(registration.service).fields:
        spec = rules.fields[code]
        value = listing_field_value(registration, code)
        lines: tuple[str, ...] = ()
        text = ""
        if spec.type == "registration":
            text = registration.parent.name if registration.parent else ""
        elif spec.type == "options":
            text = ", ".join(option_label(v) for v in value or [])
        elif spec.type in LIST_TYPES:
            lines = tuple(value or [])
        else:
            text = str(value or "")
        rows.append(FieldRow(spec.label.get(lang), text, lines))
    return tuple(rows)


def _missing(registration: Any, lang: str) -> tuple[str, ...]:
    """Return what a listing request still misses, in words."""
    rules = _rules()
    labels = []
    for need in listing_missing(registration=registration):
        if need == MIN_USERS:
            labels.append(
                _("At least %(min)s users (the platform reports %(now)s so far)")
                % {"min": settings.DEVCENTER_LISTING_MIN_USERS, "now": registration.user_count}
            )
        elif need in rules.image_kinds:
            labels.append(str(ImageKind(need).label))
        else:
            labels.append(rules.fields[need].label.get(lang))
    return tuple(labels)


def _may_request(registration: Any) -> bool:
    """Return whether the listing pipeline has the move to `listing_requested` from here."""
    if registration.status == RegistrationStatus.SUSPENDED:
        return False
    return _rules().move(registration.status, RegistrationStatus.LISTING_REQUESTED) is not None


def _cooldown_end(registration: Any) -> Any:
    rules = _rules()
    if rules.move(registration.status, RegistrationStatus.LISTING_REQUESTED) is not True:
        return None
    end = (registration.rejected_at or clock.now()) + timedelta(days=rules.relisting_cooldown_days)
    return end if end > clock.now() else None


def _reason(ja: str, en: str, lang: str) -> str:
    return (ja if lang == "ja" else en) or en or ja


def _operator_rows(registration: Any) -> tuple[OperatorRow, ...]:
    return tuple(
        OperatorRow(
            user_id=o.user_id,
            email=o.user.email,
            status_label=str(OperatorStatus(o.status).label),
            invited_at=o.invited_at,
        )
        for o in registration_operators(registration=registration)
    )


def _payment(
    registration: Any, capabilities: Any, entry: Any, lang: str, may: bool
) -> dict[str, Any]:
    """Return the payment enrolment's part of the screen: whether the matrix allows it (the
    enrolment's services for this partner), why not, and the enrolments so far."""
    refusals = [
        capabilities.service(s) for s in entry.enrolments if not capabilities.service(s).allowed
    ]
    rows = tuple(
        PaymentRow(
            public_id=p.public_id,
            status_label=str(PaymentStatus(p.status).label),
            submitted_at=p.submitted_at,
            decided_at=p.decided_at,
            reason=_reason(p.reason_ja, p.reason_en, lang),
            is_open=p.status == PaymentStatus.SUBMITTED,
            approved=p.status == PaymentStatus.APPROVED,
        )
        for p in payment_enrolments(registration=registration)
    )
    return {
        "payment_allowed": may and not refusals,
        "payment_why_not": refusals[0].reason.get(lang) if refusals else "",
        "payment_open": any(r.is_open for r in rows),
        "payments": rows,
    }


def _payout(registration: Any, user: Any) -> str:
    """Return the partner's payout account as shown back (masked), or ""."""
    try:
        account = payout_account_of(partner_id=registration.partner.public_id, acting_user=user)
    except DomainError:
        return ""
    return f"{account.holder_name}: {account}"
