"""The event projection: which audited changes are events, under which type, with which data.

The audit log is the outbox: an event is an `AuditEvent` (written in the transaction of the
change) whose audit type is in `EVENT_TYPE_OF`, seen through `project`. Its sequence is the
audit chain's: it orders all events, and sequences become visible in order (see
`devcenter.audit.services`), so a cursor that is a sequence never skips or repeats.

`data` is made for consumers: the target's public id and, per target kind, the few fields a
platform service acts on (type, status, service, expiry month). Never a secret, a document, a
name, an e-mail address, a corporate number or a free-text reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.events.choices import EventType
from devcenter.policy import default_policy

# The audit type's value -> the event type. Keyed by value so an audit type added later (the
# notices' `card.expiring`) is published as soon as it is recorded.
EVENT_TYPE_OF: dict[str, EventType] = {
    AuditEventType.PARTNER_REGISTERED.value: EventType.PARTNER_CREATED,
    AuditEventType.PARTNER_UPDATED.value: EventType.PARTNER_UPDATED,
    AuditEventType.PARTNER_TYPE_CHANGED.value: EventType.PARTNER_TYPE_CHANGED,
    AuditEventType.PARTNER_SUSPENDED.value: EventType.PARTNER_SUSPENDED,
    AuditEventType.PARTNER_RESTORED.value: EventType.PARTNER_RESTORED,
    AuditEventType.CARD_REGISTERED.value: EventType.CARD_VERIFIED,
    AuditEventType.CARD_REMOVED.value: EventType.CARD_REMOVED,
    AuditEventType.CARD_EXPIRED.value: EventType.CARD_EXPIRED,
    EventType.CARD_EXPIRING.value: EventType.CARD_EXPIRING,  # the notices' audit type
    AuditEventType.ACCOUNT_CREATED.value: EventType.ACCOUNT_CREATED,
    AuditEventType.ACCOUNT_DELETED.value: EventType.ACCOUNT_DELETED,
    AuditEventType.APPLICATION_SUBMITTED.value: EventType.APPLICATION_SUBMITTED,
    AuditEventType.APPLICATION_IN_REVIEW.value: EventType.APPLICATION_IN_REVIEW,
    AuditEventType.APPLICATION_IDENTITY_CONFIRMED.value: EventType.APPLICATION_IDENTITY_CONFIRMED,
    AuditEventType.APPLICATION_APPROVED.value: EventType.APPLICATION_APPROVED,
    AuditEventType.APPLICATION_REJECTED.value: EventType.APPLICATION_REJECTED,
    AuditEventType.APPLICATION_NEEDS_INFO.value: EventType.APPLICATION_NEEDS_INFO,
    AuditEventType.APPLICATION_WITHDRAWN.value: EventType.APPLICATION_WITHDRAWN,
    AuditEventType.MEMBER_ADDED.value: EventType.MEMBER_ADDED,
    AuditEventType.MEMBER_REMOVED.value: EventType.MEMBER_REMOVED,
    AuditEventType.REGISTRATION_CREATED.value: EventType.REGISTRATION_CREATED,
    AuditEventType.REGISTRATION_PUBLISHED.value: EventType.REGISTRATION_PUBLISHED,
    AuditEventType.REGISTRATION_REJECTED.value: EventType.REGISTRATION_REJECTED,
    AuditEventType.REGISTRATION_SUSPENDED.value: EventType.REGISTRATION_SUSPENDED,
    AuditEventType.REGISTRATION_RESTORED.value: EventType.REGISTRATION_RESTORED,
    AuditEventType.REGISTRATION_DELETED.value: EventType.REGISTRATION_DELETED,
    AuditEventType.REGISTRATION_CREDENTIALS_ROTATED.value: (
        EventType.REGISTRATION_CREDENTIALS_ROTATED
    ),
    AuditEventType.REGISTRATION_CREDENTIALS_REVOKED.value: (
        EventType.REGISTRATION_CREDENTIALS_REVOKED
    ),
}
AUDIT_TYPES_OF: dict[str, list[str]] = {}
for _audit_type, _event_type in EVENT_TYPE_OF.items():
    AUDIT_TYPES_OF.setdefault(_event_type.value, []).append(_audit_type)

# Per target kind: the key the target's id is given under, and the fields consumers may see.
_VISIBLE: dict[str, tuple[str, tuple[str, ...]]] = {
    AuditTarget.PARTNER.value: ("partner", ("kind", "partner_type", "status")),
    AuditTarget.CARD.value: ("card", ("status", "exp_month", "exp_year", "expires_on", "days")),
    AuditTarget.ACCOUNT.value: ("account", ("kind", "status")),
    AuditTarget.APPLICATION.value: ("application", ("status", "target_type")),
    AuditTarget.MEMBERSHIP.value: ("member", ("role",)),
    AuditTarget.REGISTRATION.value: ("registration", ("service", "status")),
}

EVENT_ID_PREFIX = "evt_"


@dataclass(frozen=True)
class Event:
    """One event as consumers see it (the feed's item and a webhook's body)."""

    id: str
    type: str
    created_at: datetime
    partner: str
    sequence: int
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """Return the event as JSON data (the webhook body and the feed item)."""
        return {
            "id": self.id,
            "type": self.type,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
            "partner": self.partner,
            "sequence": self.sequence,
            "data": self.data,
        }


def event_id(sequence: int) -> str:
    """Return the public id of the event at `sequence` (stable: the webhook-id of deliveries)."""
    return f"{EVENT_ID_PREFIX}{sequence}"


def sequence_of(public_id: str) -> int | None:
    """Return the sequence an event id names, or None when it is not one."""
    digits = public_id.removeprefix(EVENT_ID_PREFIX)
    if public_id == digits or not digits.isdigit() or len(digits) > 18:
        return None
    return int(digits)


def is_event(audit_type: str) -> bool:
    """Return whether changes of this audit type are published as events."""
    return audit_type in EVENT_TYPE_OF


def project(audit_event: Any) -> Event:
    """Return the event an `AuditEvent` of a published type is (see the module docstring)."""
    event_type = EVENT_TYPE_OF[audit_event.event_type]
    return Event(
        id=event_id(audit_event.sequence),
        type=event_type.value,
        created_at=audit_event.occurred_at,
        partner=audit_event.partner,
        sequence=audit_event.sequence,
        data=_data(event_type, audit_event),
    )


def _data(event_type: EventType, audit_event: Any) -> dict[str, Any]:
    id_key, fields = _VISIBLE.get(audit_event.target_type, ("object", ()))
    old, new = audit_event.old or {}, audit_event.new or {}
    state = new or old  # a removal keeps only its old state
    data = {id_key: audit_event.target_id}
    data.update({name: state[name] for name in fields if name in state})
    if event_type is EventType.PARTNER_TYPE_CHANGED:
        data.update(type_change(old, new))
    return data


def type_change(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Return a type change's old and new type and the services gained and lost.

    The services are the policy core's answer for the old type and status and the new ones
    (the policy this process runs).
    """
    policy = default_policy()

    def allowed(state: dict[str, Any]) -> set[str]:
        partner_type, status = state.get("partner_type"), str(state.get("status", ""))
        return {
            service
            for service in policy.services
            if partner_type and policy.decide_partner_service(partner_type, status, service).allowed
        }

    before, after = allowed(old), allowed(new)
    return {
        "old_type": old.get("partner_type"),
        "new_type": new.get("partner_type"),
        "services_gained": [s for s in policy.services if s in after - before],
        "services_lost": [s for s in policy.services if s in before - after],
    }
