"""Payment program enrolment of an app: a business plan submitted, reviewed by staff, approved
before the app's payment is enabled (§8). Who may enrol is the policy's: the partner must be
allowed the enrolment's service (`payment_program`: certified corporations only).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import actor_of, audit_record
from devcenter.errors import NotFoundError
from devcenter.partners.selectors import capabilities_for, partner_lock
from devcenter.policy import default_policy
from devcenter.public_ids import new_public_id
from devcenter.registrations import clock
from devcenter.registrations.choices import (
    BankAccountType,
    PaymentStatus,
    RegistrationStatus,
)
from devcenter.registrations.errors import RegistrationErrorCode as Code
from devcenter.registrations.errors import (
    ServiceRefusedError,
    conflict,
    invalid,
    registration_error,
)
from devcenter.registrations.models import PaymentEnrolment, PayoutAccount
from devcenter.registrations.selectors import registration_access
from devcenter.reviews.services import require_reviewer
from devcenter.users import ActingUser

PAYMENT = "registration.payment"  # the policy's operation
PLAN_MAX = 20000
REASON_MAX = 2000


def _audit(enrolment: PaymentEnrolment, event: AuditEventType, actor: str, **new: str) -> None:
    audit_record(
        event_type=str(event),
        actor=actor,
        target_type=AuditTarget.PAYMENT_ENROLMENT,
        target_id=enrolment.public_id,
        partner=enrolment.registration.partner.public_id,
        new={"registration": enrolment.registration.public_id, "status": enrolment.status, **new},
    )


@transaction.atomic
def payment_enrol(
    *, registration_id: str, business_plan: str, acting_user: ActingUser
) -> PaymentEnrolment:
    """Submit the app's business plan (企画申請) for staff review (owners).

    Refuses `payment_not_applicable` (the service has no enrolment), the policy's decision on
    the enrolment's service (`requires_certification`, … with its unlock paths),
    `registration_suspended` and `payment_already_open` (409); an empty plan (422).
    """
    plan = (business_plan or "").strip()
    if not plan or len(plan) > PLAN_MAX:
        raise invalid(Code.INVALID_FIELD, "business_plan")
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=PAYMENT, lock=True
    )
    registration = access.registration
    enrolments = default_policy().registrations.of(registration.service).enrolments
    if not enrolments:
        raise conflict(Code.PAYMENT_NOT_APPLICABLE)
    for service in enrolments:
        decision = access.capabilities.service(service)
        if not decision.allowed:
            raise ServiceRefusedError(decision)
    if registration.status == RegistrationStatus.SUSPENDED:
        raise conflict(Code.REGISTRATION_SUSPENDED)
    if PaymentEnrolment.objects.filter(
        registration=registration, status=PaymentStatus.SUBMITTED
    ).exists():
        raise conflict(Code.PAYMENT_ALREADY_OPEN)
    enrolment = PaymentEnrolment.objects.create(
        public_id=new_public_id("pay"),
        registration=registration,
        status=PaymentStatus.SUBMITTED,
        business_plan=plan,
        submitted_by=acting_user,
        submitted_at=clock.now(),
    )
    _audit(enrolment, AuditEventType.PAYMENT_SUBMITTED, actor_of(acting_user))
    return enrolment


def _lock_submitted(payment_id: str, acting_user: ActingUser) -> PaymentEnrolment:
    require_reviewer(acting_user)
    found = (
        PaymentEnrolment.objects.select_related("registration__partner")
        .filter(public_id=payment_id)
        .first()
    )
    if found is None:
        raise registration_error(NotFoundError, Code.PAYMENT_NOT_FOUND)
    partner_lock(public_id=found.registration.partner.public_id)  # partner first, as everywhere
    enrolment = (
        PaymentEnrolment.objects.select_for_update()
        .select_related("registration__partner")
        .get(pk=found.pk)
    )
    if enrolment.status != PaymentStatus.SUBMITTED:
        raise conflict(Code.PAYMENT_NOT_SUBMITTED)
    return enrolment


@transaction.atomic
def payment_approve(*, payment_id: str, acting_user: ActingUser) -> PaymentEnrolment:
    """Approve the business plan: the app's payment is enabled (staff with TOTP)."""
    enrolment = _lock_submitted(payment_id, acting_user)
    enrolment.status = PaymentStatus.APPROVED
    enrolment.reviewer = acting_user
    enrolment.decided_at = clock.now()
    enrolment.save(update_fields=["status", "reviewer", "decided_at"])
    _audit(enrolment, AuditEventType.PAYMENT_APPROVED, actor_of(acting_user))
    return enrolment


@transaction.atomic
def payment_reject(
    *, payment_id: str, acting_user: ActingUser, reason_ja: str, reason_en: str
) -> PaymentEnrolment:
    """Reject the business plan with a reason in Japanese and English (staff with TOTP)."""
    reasons = {"reason_ja": (reason_ja or "").strip(), "reason_en": (reason_en or "").strip()}
    for field, text in reasons.items():
        if not text or len(text) > REASON_MAX:
            raise invalid(Code.INVALID_FIELD, field)
    enrolment = _lock_submitted(payment_id, acting_user)
    enrolment.status = PaymentStatus.REJECTED
    enrolment.reviewer = acting_user
    enrolment.decided_at = clock.now()
    enrolment.reason_ja, enrolment.reason_en = reasons["reason_ja"], reasons["reason_en"]
    enrolment.save(update_fields=["status", "reviewer", "decided_at", "reason_ja", "reason_en"])
    _audit(enrolment, AuditEventType.PAYMENT_REJECTED, actor_of(acting_user), **reasons)
    return enrolment


# ---------------------------------------------------------------- payout account

PAYOUT = "payout_account.manage"  # the policy's operation
BANK_CODE = re.compile(r"[0-9]{4}")
BRANCH_CODE = re.compile(r"[0-9]{3}")
ACCOUNT_NUMBER = re.compile(r"[0-9]{7}")
HOLDER_MAX = 100


def _name_key(name: str) -> str:
    """A name as compared: NFKC (full and half width alike), case folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def payout_account_of(*, partner_id: str, acting_user: ActingUser) -> PayoutAccount:
    """Return the partner's payout account (owners). Refuses the operation's codes and
    `payout_account_not_found` (404)."""
    partner = capabilities_for(public_id=partner_id, viewer=acting_user, operation=PAYOUT).partner
    found = PayoutAccount.objects.filter(partner=partner).first()
    if found is None:
        raise registration_error(NotFoundError, Code.PAYOUT_ACCOUNT_NOT_FOUND)
    return found


@transaction.atomic
def payout_account_set(
    *,
    partner_id: str,
    bank_code: str,
    branch_code: str,
    account_type: str,
    account_number: str,
    holder_name: str,
    acting_user: ActingUser,
) -> PayoutAccount:
    """Set the bank account the payment program pays into (owners of a partner that may use
    every enrolment service, i.e. the payment program: certified corporations).

    §8: payouts go only to an account in the partner's registered name: the holder must be its
    registration name or legal name (compared after NFKC, case and spaces folded), else 422
    `payout_name_mismatch` on `holder_name`. A malformed code or number is 422 naming the
    field; a partner that may not use the payment program is refused with the policy's
    decision (409, with its unlock paths). The audit log keeps the masked number only.
    """
    values = {
        "bank_code": (bank_code or "").strip(),
        "branch_code": (branch_code or "").strip(),
        "account_number": (account_number or "").strip(),
    }
    for field, pattern in (
        ("bank_code", BANK_CODE),
        ("branch_code", BRANCH_CODE),
        ("account_number", ACCOUNT_NUMBER),
    ):
        if not pattern.fullmatch(values[field]):
            raise invalid(Code.INVALID_FIELD, field)
    if account_type not in BankAccountType.values:
        raise invalid(Code.INVALID_FIELD, "account_type")
    holder = " ".join((holder_name or "").split())
    if not holder or len(holder) > HOLDER_MAX:
        raise invalid(Code.INVALID_FIELD, "holder_name")
    access = capabilities_for(public_id=partner_id, viewer=acting_user, operation=PAYOUT, lock=True)
    for service in default_policy().registrations.enrolment_services():
        decision = access.service(service)
        if not decision.allowed:
            raise ServiceRefusedError(decision)
    partner = access.partner
    registered = {_name_key(n) for n in (partner.registration_name, partner.legal_name) if n}
    if _name_key(holder) not in registered:
        raise invalid(Code.PAYOUT_NAME_MISMATCH, "holder_name")
    account = PayoutAccount.objects.filter(partner=partner).first()
    old = _payout_view(account) if account is not None else None
    account = account or PayoutAccount(partner=partner)
    account.bank_code, account.branch_code = values["bank_code"], values["branch_code"]
    account.account_type, account.account_number = account_type, values["account_number"]
    account.holder_name, account.updated_by, account.updated_at = holder, acting_user, clock.now()
    account.save()
    audit_record(
        event_type=str(AuditEventType.PAYOUT_ACCOUNT_SET),
        actor=actor_of(acting_user),
        target_type=AuditTarget.PARTNER,
        target_id=partner.public_id,
        partner=partner.public_id,
        old=old,
        new=_payout_view(account),
    )
    return account


def _payout_view(account: PayoutAccount) -> dict[str, str]:
    """What the audit log keeps of an account: never the whole number."""
    return {
        "bank_code": account.bank_code,
        "branch_code": account.branch_code,
        "account_type": account.account_type,
        "account_number": account.masked_number,
        "holder_name": account.holder_name,
    }
