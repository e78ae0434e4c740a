"""Reads of the audit log: the chain check, a partner's trail, the current sequence, catch-up.

An event joins the chain right after its transaction commits (`devcenter.audit.services`), and
sequences become visible in order: a reader that sees sequence N sees every sequence below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, QuerySet

from devcenter.audit.choices import AuditTarget
from devcenter.audit.models import AuditEvent, PendingAuditEvent
from devcenter.audit.services import GENESIS_HASH, event_hash


@dataclass(frozen=True)
class ChainCheck:
    """The result of walking the chain: how many events verified, and the first broken link."""

    verified: int
    broken_at: int | None = None
    problem: str = ""
    pending: int = 0  # committed events still waiting for their place (not an error)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify_chain(*, batch_size: int = 2000) -> ChainCheck:
    """Walk the whole chain in order; return the count verified or the first broken link."""
    expected_sequence, expected_prev = 1, GENESIS_HASH
    verified = 0
    events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for event in events:
        problem = _link_problem(event, expected_sequence, expected_prev)
        if problem:
            return ChainCheck(verified, event.sequence, problem)
        verified += 1
        expected_sequence, expected_prev = event.sequence + 1, event.hash
    return ChainCheck(verified, pending=PendingAuditEvent.objects.count())


def _link_problem(event: AuditEvent, sequence: int, prev_hash: str) -> str:
    if event.sequence != sequence:
        return f"expected sequence {sequence}, found {event.sequence} (an event is missing)"
    if event.prev_hash != prev_hash:
        return "prev_hash does not match the previous event's hash"
    if event_hash(event) != event.hash:
        return "hash does not match the event's content (the event was altered)"
    return ""


def audit_current_sequence() -> int:
    """Return the sequence of the newest event (0 when the log is empty)."""
    return AuditEvent.objects.aggregate(top=Max("sequence"))["top"] or 0


def audit_trail(*, partner: str) -> QuerySet[AuditEvent]:
    """Return a partner's events, oldest first."""
    return AuditEvent.objects.filter(partner=partner).order_by("sequence")


def audit_events_after(*, sequence: int, limit: int = 10_000) -> QuerySet[AuditEvent]:
    """Return events with a sequence above `sequence`, oldest first (for catching up)."""
    return AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence")[:limit]


def audit_touched_after(*, sequence: int, limit: int = 10_000) -> list[tuple[int, str, str, str]]:
    """Return `(sequence, hash, partner, account)` of the events after `sequence`, in order.

    What the decision plane's snapshot reads to catch up: `partner` is the public id of the
    partner the event concerns ("" for none: an API key); `account` is the platform account's
    public id when the event is about one (target `AuditTarget.ACCOUNT`), else "".
    """
    rows = audit_events_after(sequence=sequence, limit=limit).values_list(
        "sequence", "hash", "partner", "target_type", "target_id"
    )
    return [
        (number, digest, partner, target_id if target == AuditTarget.ACCOUNT else "")
        for number, digest, partner, target, target_id in rows
    ]


def audit_events_page(
    *,
    after: int,
    upto: int,
    event_types: list[str],
    partners: list[str] | None = None,
    limit: int,
) -> list[AuditEvent]:
    """Return up to `limit` events with `after < sequence <= upto` of `event_types` (and of
    `partners`, when given), oldest first: a page of the events feed."""
    events = AuditEvent.objects.filter(
        sequence__gt=after, sequence__lte=upto, event_type__in=event_types
    )
    if partners is not None:
        events = events.filter(partner__in=partners)
    return list(events.order_by("sequence")[:limit])


def audit_event_at(*, sequence: int) -> AuditEvent | None:
    """Return the event at `sequence`, or None."""
    return AuditEvent.objects.filter(sequence=sequence).first()


def audit_events_since(
    *, occurred_after: datetime, event_types: list[str], partner: str | None, limit: int
) -> list[AuditEvent]:
    """Return up to `limit` events of `event_types` that occurred after a time, oldest first."""
    events = AuditEvent.objects.filter(occurred_at__gt=occurred_after, event_type__in=event_types)
    if partner is not None:
        events = events.filter(partner=partner)
    return list(events.order_by("sequence")[:limit])
