"""Reads of the events app: the feed's pages, the long-poll, endpoints and their delivery log.

The feed's cursor is the audit sequence of the last event a page covered. A page reads the
newest linked sequence first and then only events up to it: sequences become visible in order,
so every event up to that bound is already visible, and the next page starting from it neither
skips nor repeats one, even while transactions commit in another order.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from devcenter.audit.selectors import audit_current_sequence, audit_events_page
from devcenter.errors import InvalidError
from devcenter.events import audit_listener, feed_bell
from devcenter.events.choices import EventType
from devcenter.events.errors import EventErrorCode, event_error
from devcenter.events.models import WebhookAttempt, WebhookEndpoint
from devcenter.events.projection import AUDIT_TYPES_OF, EVENT_TYPE_OF, Event, project

LIMIT_MAX = 1000
WAIT_MAX = 30.0
CURSOR_DIGITS_MAX = 18


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    next_cursor: str


def parse_cursor(value: str | None) -> int:
    """Return the sequence a cursor names (`None` or "" is the beginning); 422 `after`."""
    if value is None or value == "":
        return 0
    if not value.isdigit() or len(value) > CURSOR_DIGITS_MAX:
        raise event_error(InvalidError, EventErrorCode.INVALID_CURSOR, field="after")
    return int(value)


def parse_types(value: str | None) -> list[str]:
    """Return the audit types behind a comma-separated event-type filter (all when empty)."""
    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    if not names:
        return list(EVENT_TYPE_OF)
    if any(name not in EventType.values for name in names):
        raise event_error(InvalidError, EventErrorCode.UNKNOWN_EVENT_TYPE, field="types")
    return [audit for name in names for audit in AUDIT_TYPES_OF.get(name, [])]


def check_limit(limit: int) -> int:
    if not 1 <= limit <= LIMIT_MAX:
        raise event_error(InvalidError, EventErrorCode.INVALID_LIMIT, field="limit")
    return limit


def check_wait(wait: float) -> float:
    if not 0 <= wait <= WAIT_MAX:
        raise event_error(InvalidError, EventErrorCode.INVALID_WAIT, field="wait")
    return wait


def events_page(
    *, after: int, limit: int, audit_types: list[str], partners: list[str] | None
) -> EventPage:
    """Return the events after `after` (of `partners`, all when None), oldest first."""
    upto = audit_current_sequence()
    if upto <= after or (partners is not None and not partners):
        return EventPage([], str(max(after, upto)))
    rows = audit_events_page(
        after=after, upto=upto, event_types=audit_types, partners=partners, limit=limit
    )
    next_cursor = rows[-1].sequence if len(rows) == limit else upto
    return EventPage([project(row) for row in rows], str(next_cursor))


def events_wait(
    *,
    after: int,
    limit: int,
    audit_types: list[str],
    partners: list[str] | None,
    wait: float,
) -> EventPage:
    """Return the next page; when it is empty, wait up to `wait` seconds for one that is not
    (at most `DEVCENTER_EVENTS_WAIT_CAP_SECONDS`: a server may answer an empty page earlier).

    Between checks the thread sleeps on the bell (`feed_bell`), rung when this process commits
    an audit event and, on PostgreSQL, when the process's one LISTEN thread hears the audit
    NOTIFY of another process's commit; it re-checks anyway every
    `DEVCENTER_EVENTS_POLL_SECONDS` (0.5 s) while nothing listens, every
    `DEVCENTER_EVENTS_LISTEN_RECHECK_SECONDS` (5 s) while something does. Outside a
    transaction the database connection is given back while it sleeps.
    """
    cap = float(getattr(settings, "DEVCENTER_EVENTS_WAIT_CAP_SECONDS", WAIT_MAX))
    deadline = time.monotonic() + min(wait, cap)
    poll = float(getattr(settings, "DEVCENTER_EVENTS_POLL_SECONDS", 0.5))
    recheck = float(getattr(settings, "DEVCENTER_EVENTS_LISTEN_RECHECK_SECONDS", 5.0))
    if wait > 0:
        audit_listener.start()
    while True:
        # Heard before the page is read: a commit after the read rings after this mark.
        listening, mark = audit_listener.listening(), feed_bell.mark()
        page = events_page(after=after, limit=limit, audit_types=audit_types, partners=partners)
        left = deadline - time.monotonic()
        if page.events or left <= 0:
            return page
        after = int(page.next_cursor)  # nothing for this caller up to there
        if not connection.in_atomic_block:
            connection.close()
        feed_bell.wait(min(recheck if listening else poll, left), since=mark)


def endpoints_of(*, partner_id: str | None) -> QuerySet[WebhookEndpoint]:
    """Return a partner's endpoints (platform endpoints for None), oldest first."""
    return WebhookEndpoint.objects.filter(partner=partner_id or "").order_by("pk")


def endpoint_log(*, endpoint: WebhookEndpoint, limit: int = 100) -> QuerySet[WebhookAttempt]:
    """Return the endpoint's latest attempts, newest first, with their deliveries."""
    return (
        WebhookAttempt.objects.filter(endpoint=endpoint)
        .select_related("delivery")
        .order_by("-pk")[:limit]
    )


def endpoints_named(*, public_ids: Iterable[str]) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(public_id__in=list(public_ids))
