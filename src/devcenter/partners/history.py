"""What a partner could use at a past instant: its type and status then, from the audit
history, answered by the policy version in force then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from devcenter.audit.choices import AuditEventType
from devcenter.audit.selectors import audit_trail
from devcenter.errors import InvalidError, NotFoundError
from devcenter.partners.errors import PartnerErrorCode, partner_error
from devcenter.policy import Decision, Policy
from devcenter.policy_history.selectors import policy_at

# The events whose `new` holds the partner's whole state (partner_snapshot).
STATE_EVENTS = (
    AuditEventType.PARTNER_REGISTERED,
    AuditEventType.PARTNER_TYPE_CHANGED,
    AuditEventType.PARTNER_SUSPENDED,
    AuditEventType.PARTNER_RESTORED,
)
# The events after which the partner no longer exists (a test persona's partner is deleted).
END_EVENTS = (AuditEventType.PERSONA_DELETED,)


@dataclass(frozen=True)
class EntitlementsAt:
    """Every service and account with the decision a partner had at `at`."""

    partner: str
    at: datetime
    partner_type: str | None
    status: str
    policy: Policy
    services: dict[str, Decision]
    accounts: dict[str, Decision]

    def as_dict(self) -> dict[str, Any]:
        """Return the answer as the API shows it."""
        return {
            "partner": self.partner,
            "at": self.at.isoformat(),
            "partner_type": self.partner_type,
            "status": self.status,
            "policy_version": self.policy.version,
            "services": {code: d.as_dict() for code, d in self.services.items()},
            "accounts": {code: d.as_dict() for code, d in self.accounts.items()},
        }


def partner_entitlements_at(*, public_id: str, at: datetime) -> EntitlementsAt:
    """Return what partner `public_id` could use at `at` (the caller checked who may ask).

    A future instant is 422 `at_in_future`; an instant before the partner existed, or after it
    was deleted, is 404 `not_found`, like a decision about an id the registry does not hold;
    an id the registry never held is 404 `partner_not_found`, as it is without `at`.
    """
    if timezone.is_naive(at):
        raise InvalidError(
            "invalid_at", "時刻にはタイムゾーンが必要です。", "Give a time zone.", field="at"
        )
    try:
        at = at.astimezone(UTC)  # the database compares UTC; year 1 with a + offset has none
    except OverflowError:
        raise InvalidError(
            "invalid_at", "時刻が範囲外です。", "The time is out of range.", field="at"
        ) from None
    if at > timezone.now():
        raise InvalidError(
            "at_in_future",
            "未来の時刻の利用状況は分かりません。",
            "What a partner may use in the future is not known.",
            field="at",
        )
    event = (
        audit_trail(partner=public_id)
        .filter(event_type__in=(*STATE_EVENTS, *END_EVENTS), occurred_at__lte=at)
        .order_by("-sequence")
        .first()
    )
    if event is None and not audit_trail(partner=public_id).filter(event_type__in=STATE_EVENTS):
        raise partner_error(NotFoundError, PartnerErrorCode.PARTNER_NOT_FOUND)
    if event is None or event.event_type in END_EVENTS or not isinstance(event.new, dict):
        raise NotFoundError(
            "not_found",
            "その時刻にはこのパートナーは登録されていませんでした。",
            "The partner was not registered at that time.",
        )
    partner_type, status = event.new.get("partner_type"), str(event.new.get("status"))
    policy = policy_at(at)
    return EntitlementsAt(
        partner=public_id,
        at=at,
        partner_type=partner_type,
        status=status,
        policy=policy,
        services={
            s: policy.decide_partner_service(partner_type, status, s) for s in policy.services
        },
        accounts={
            a: policy.decide_partner_account(partner_type, status, a) for a in policy.accounts
        },
    )
