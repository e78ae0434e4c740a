"""Every write of the events app: webhook endpoints, the fan-out of events into deliveries,
replays, test sends, and the outcome of each delivery attempt (retry schedule, disabling).

Events are never written here: they are audit rows, written by the change's own transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.selectors import (
    audit_current_sequence,
    audit_event_at,
    audit_events_page,
    audit_events_since,
)
from devcenter.audit.services import NOTIFY_CHANNEL, actor_of, audit_record
from devcenter.errors import ConflictError, InvalidError, NotFoundError
from devcenter.events import clock
from devcenter.events.choices import TEST_EVENT_TYPE, DeliveryState, EventType
from devcenter.events.destinations import check_url
from devcenter.events.errors import EventErrorCode, event_error
from devcenter.events.models import EventFanOut, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from devcenter.events.projection import EVENT_TYPE_OF, Event, project, sequence_of
from devcenter.events.signing import new_secret
from devcenter.public_ids import new_public_id
from devcenter.users import ActingUser

logger = logging.getLogger(__name__)

DESCRIPTION_MAX = 500
ALL_EVENTS = "all"
MANAGE = "webhooks.manage"  # the policy's operation (mixi_platform.toml)
READ = "webhooks.read"
SECRET_GRACE = timedelta(hours=24)
# After the n-th failed attempt the next one waits RETRY_SCHEDULE[n - 1] (the last repeats),
# with ±10 % jitter; a delivery is abandoned once it has failed for RETRY_PERIOD.
RETRY_SCHEDULE = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
RETRY_PERIOD = timedelta(days=3)
JITTER = 0.1
FAN_OUT_PAGE = 1000
REPLAY_LIMIT = 10_000


# ---------------------------------------------------------------- endpoints


def webhook_event_types(value: Iterable[str] | str, *, field: str = "events") -> list[str]:
    """Return the checked event-type filter: [] for every type (`all`), else known types."""
    names = [v.strip() for v in (value.split(",") if isinstance(value, str) else value)]
    names = [n for n in names if n]
    if not names or names == [ALL_EVENTS]:
        return []
    known = set(EventType.values)
    if any(name not in known for name in names):
        raise event_error(InvalidError, EventErrorCode.UNKNOWN_EVENT_TYPE, field=field)
    return sorted(set(names))


def _description(value: str) -> str:
    text = (value or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise event_error(InvalidError, EventErrorCode.DESCRIPTION_TOO_LONG, field="description")
    return text


def _require(
    partner_id: str, acting_user: ActingUser | None, operation: str, *, lock: bool = True
) -> None:
    from devcenter.partners.selectors import partner_for_user, partner_lock_for

    if lock:
        partner_lock_for(public_id=partner_id, acting_user=acting_user, operation=operation)
    else:  # a read: no row lock (PostgreSQL refuses FOR UPDATE outside a transaction)
        partner_for_user(public_id=partner_id, acting_user=acting_user, operation=operation)


def _audit_snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """Return what the audit log keeps of an endpoint: never a secret, and of the URL only its
    origin and a fingerprint (a URL's path or query may carry the receiver's own token)."""
    parts = urlsplit(endpoint.url)
    return {
        "url_origin": f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}",
        "url_sha256": hashlib.sha256(endpoint.url.encode()).hexdigest()[:16],
        "description": endpoint.description,
        "events": list(endpoint.event_types),  # [] = every type
        "enabled": endpoint.enabled,
    }


def _audit(
    event_type: AuditEventType,
    endpoint: WebhookEndpoint,
    acting_user: ActingUser | None,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> None:
    """Record a change of an endpoint in the change's transaction (a platform endpoint
    concerns no partner)."""
    audit_record(
        event_type=event_type,
        actor=actor_of(acting_user),
        target_type=AuditTarget.WEBHOOK_ENDPOINT,
        target_id=endpoint.public_id,
        partner=endpoint.partner or None,
        old=old,
        new=new,
    )


@transaction.atomic
def webhook_endpoint_create(
    *,
    acting_user: ActingUser | None,
    partner_id: str | None,
    url: str,
    event_types: Iterable[str] | str = ALL_EVENTS,
    description: str = "",
    enabled: bool = True,
) -> WebhookEndpoint:
    """Create an endpoint and return it (its `secret` is shown to the creator once).

    With `partner_id`, a partner's endpoint: the acting user must be allowed `webhooks.manage`
    on it. Without, a platform endpoint (every partner's events): for the CLI and staff tools.
    The URL is checked against server-side request forgery (`destinations`).
    """
    if partner_id is not None:
        _require(partner_id, acting_user, MANAGE)
    check_url(url)
    types = webhook_event_types(event_types)
    now = clock.now()
    endpoint = WebhookEndpoint.objects.create(
        public_id=new_public_id("whk"),
        partner=partner_id or "",
        url=url,
        description=_description(description),
        event_types=types,
        enabled=enabled,
        secret=new_secret(),
        created_by=f"user:{acting_user.pk}" if acting_user is not None else "system",
        created_at=now,
        from_sequence=audit_current_sequence(),
    )
    # The fan-out starts where the first endpoint started (nothing older is ever sent).
    EventFanOut.objects.get_or_create(pk=1, defaults={"sequence": endpoint.from_sequence})
    _audit(
        AuditEventType.WEBHOOK_ENDPOINT_CREATED,
        endpoint,
        acting_user,
        new=_audit_snapshot(endpoint),
    )
    return endpoint


def webhook_access(*, acting_user: ActingUser | None, partner_id: str) -> None:
    """Refuse (404/403/409 by the policy) unless the user may see the partner's webhooks."""
    _require(partner_id, acting_user, READ, lock=False)


def webhook_endpoint_get(
    *, acting_user: ActingUser | None, partner_id: str | None, endpoint_id: str, lock: bool = False
) -> WebhookEndpoint:
    """Return the endpoint of `partner_id` (None: a platform endpoint), after the policy check."""
    if partner_id is not None:
        _require(partner_id, acting_user, MANAGE if lock else READ, lock=lock)
    endpoints = WebhookEndpoint.objects.filter(public_id=endpoint_id, partner=partner_id or "")
    endpoint = (endpoints.select_for_update() if lock else endpoints).first()
    if endpoint is None:
        raise event_error(NotFoundError, EventErrorCode.WEBHOOK_NOT_FOUND)
    return endpoint


@dataclass(frozen=True)
class EndpointChanges:
    """What an update may change; None leaves a field as it is."""

    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    enabled: bool | None = None


@transaction.atomic
def webhook_endpoint_update(
    *,
    acting_user: ActingUser | None,
    partner_id: str | None,
    endpoint_id: str,
    changes: EndpointChanges,
) -> WebhookEndpoint:
    """Change an endpoint's URL, filter, description or enabled flag; return it.

    Enabling an endpoint clears its failure record: its waiting deliveries go out again.
    A change is audited (old and new); an update that changes nothing records nothing.
    """
    endpoint = webhook_endpoint_get(
        acting_user=acting_user, partner_id=partner_id, endpoint_id=endpoint_id, lock=True
    )
    old = _audit_snapshot(endpoint)
    if changes.url is not None:
        check_url(changes.url)
        endpoint.url = changes.url
    if changes.event_types is not None:
        endpoint.event_types = webhook_event_types(changes.event_types)
    if changes.description is not None:
        endpoint.description = _description(changes.description)
    if changes.enabled is not None and changes.enabled != endpoint.enabled:
        endpoint.enabled = changes.enabled
        endpoint.disabled_reason = ""
        endpoint.failing_since = None
    endpoint.save()
    new = _audit_snapshot(endpoint)
    if new != old:
        _audit(AuditEventType.WEBHOOK_ENDPOINT_UPDATED, endpoint, acting_user, old=old, new=new)
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(
    *, acting_user: ActingUser | None, partner_id: str | None, endpoint_id: str
) -> None:
    """Delete an endpoint with its deliveries and log."""
    endpoint = webhook_endpoint_get(
        acting_user=acting_user, partner_id=partner_id, endpoint_id=endpoint_id, lock=True
    )
    _audit(
        AuditEventType.WEBHOOK_ENDPOINT_DELETED,
        endpoint,
        acting_user,
        old=_audit_snapshot(endpoint),
    )
    endpoint.delete()


@transaction.atomic
def webhook_secret_rotate(
    *, acting_user: ActingUser | None, partner_id: str | None, endpoint_id: str
) -> WebhookEndpoint:
    """Give the endpoint a new secret; the old one keeps signing alongside for 24 hours."""
    endpoint = webhook_endpoint_get(
        acting_user=acting_user, partner_id=partner_id, endpoint_id=endpoint_id, lock=True
    )
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = clock.now() + SECRET_GRACE
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    until = endpoint.previous_secret_until
    _audit(
        AuditEventType.WEBHOOK_ENDPOINT_SECRET_ROTATED,
        endpoint,
        acting_user,
        new={"previous_secret_until": until.isoformat()},
    )
    return endpoint


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """Return the secrets that sign a delivery now: the current one, and the previous one
    during its grace period."""
    active = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and now < until:
        active.append(endpoint.previous_secret)
    return active


# ---------------------------------------------------------------- deliveries


def event_body(event: Event) -> str:
    """Return the JSON body of a delivery of `event` (compact, UTF-8)."""
    return json.dumps(event.as_dict(), ensure_ascii=False, separators=(",", ":"))


def _delivery(endpoint: WebhookEndpoint, event: Event, now: datetime) -> WebhookDelivery:
    return WebhookDelivery(
        endpoint=endpoint,
        event_id=event.id,
        event_type=event.type,
        sequence=event.sequence,
        ordering_key=event.partner,
        body=event_body(event),
        created_at=now,
        next_attempt_at=now,
    )


def _wants(endpoint: WebhookEndpoint, event: Event) -> bool:
    return (
        event.sequence > endpoint.from_sequence
        and (not endpoint.partner or endpoint.partner == event.partner)
        and (not endpoint.event_types or event.type in endpoint.event_types)
    )


def events_fan_out(*, limit: int = FAN_OUT_PAGE) -> int:
    """Turn the events after the fan-out position into deliveries; return how many events.

    One transaction: the position row is locked (another worker doing the same skips its
    turn), the next page of linked events is read, a delivery made for each enabled endpoint
    that wants the event, and the position moved past the page.
    """
    known = EventFanOut.objects.filter(pk=1).values_list("sequence", flat=True).first()
    if known is None or audit_current_sequence() <= known:
        return 0  # nothing new: no write transaction (SQLite's would lock the database)
    with transaction.atomic():
        relaxed_commit()
        position = _lock_position()
        if position is None:
            return 0
        upto = audit_current_sequence()
        if upto <= position.sequence:
            return 0
        audit_events = audit_events_page(
            after=position.sequence, upto=upto, event_types=list(EVENT_TYPE_OF), limit=limit
        )
        endpoints = list(WebhookEndpoint.objects.filter(enabled=True))
        now = clock.now()
        deliveries = [
            _delivery(endpoint, event, now)
            for event in map(project, audit_events)
            for endpoint in endpoints
            if _wants(endpoint, event)
        ]
        WebhookDelivery.objects.bulk_create(deliveries, batch_size=500)
        full = len(audit_events) == limit
        position.sequence = audit_events[-1].sequence if full else upto
        position.save(update_fields=["sequence"])
        return len(audit_events)


def relaxed_commit() -> None:
    """Let this transaction's commit skip waiting for its WAL flush (PostgreSQL).

    For the worker's own bookkeeping only: a commit lost in a crash of the database server is
    a lease that was never taken, a fan-out done again from the older position, or a delivery
    sent again: at least once still holds. The changes and their events are never relaxed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _lock_position() -> EventFanOut | None:
    rows = EventFanOut.objects.filter(pk=1)
    if connection.vendor == "postgresql":
        rows = rows.select_for_update(skip_locked=True)
    return rows.first()


@transaction.atomic
def webhook_replay(
    *,
    acting_user: ActingUser | None,
    partner_id: str | None,
    endpoint_id: str,
    event_id: str | None = None,
    since: datetime | None = None,
) -> int:
    """Send one event again, or every event since a time the endpoint wants; return how many.

    Replayed deliveries queue behind the endpoint's waiting ones (order per partner holds).
    """
    endpoint = webhook_endpoint_get(
        acting_user=acting_user, partner_id=partner_id, endpoint_id=endpoint_id, lock=True
    )
    if not endpoint.enabled:
        raise event_error(ConflictError, EventErrorCode.ENDPOINT_DISABLED)
    events = _replayed_events(endpoint, event_id, since)
    now = clock.now()
    wanted = [
        e
        for e in events
        if (not endpoint.partner or e.partner == endpoint.partner)
        and (not endpoint.event_types or e.type in endpoint.event_types)
    ]
    WebhookDelivery.objects.bulk_create([_delivery(endpoint, e, now) for e in wanted])
    if wanted:
        _wake_workers()
    return len(wanted)


def _wake_workers() -> None:
    """NOTIFY the audit channel (PostgreSQL) with this transaction: deliveries queued without a
    new audit event (a replay, a test send) start once it commits, not at the next re-check."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [NOTIFY_CHANNEL])


def _replayed_events(endpoint: WebhookEndpoint, event_id: str | None, since: Any) -> list[Event]:
    if event_id is not None:
        sequence = sequence_of(event_id)
        found = audit_event_at(sequence=sequence) if sequence is not None else None
        if (
            found is None
            or found.event_type not in EVENT_TYPE_OF
            or (endpoint.partner and found.partner != endpoint.partner)
        ):
            raise event_error(NotFoundError, EventErrorCode.EVENT_NOT_FOUND, field="event_id")
        return [project(found)]
    if since is None:
        raise event_error(InvalidError, EventErrorCode.REPLAY_TARGET_REQUIRED, field="since")
    rows = audit_events_since(
        occurred_after=since,
        event_types=list(EVENT_TYPE_OF),
        partner=endpoint.partner or None,
        limit=REPLAY_LIMIT,
    )
    return [project(row) for row in rows]


@transaction.atomic
def webhook_test_send(
    *, acting_user: ActingUser | None, partner_id: str | None, endpoint_id: str
) -> WebhookDelivery:
    """Queue a `webhook.test` delivery to the endpoint (its own queue: it waits for nothing)."""
    endpoint = webhook_endpoint_get(
        acting_user=acting_user, partner_id=partner_id, endpoint_id=endpoint_id, lock=True
    )
    if not endpoint.enabled:
        raise event_error(ConflictError, EventErrorCode.ENDPOINT_DISABLED)
    now = clock.now()
    message_id = new_public_id("msg")
    body = {
        "id": message_id,
        "type": TEST_EVENT_TYPE,
        "created_at": now.isoformat().replace("+00:00", "Z"),
        "partner": endpoint.partner,
        "sequence": None,
        "data": {"webhook": endpoint.public_id},
    }
    _wake_workers()
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=message_id,
        event_type=TEST_EVENT_TYPE,
        ordering_key=message_id,
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        created_at=now,
        next_attempt_at=now,
    )


# ---------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class AttemptOutcome:
    """What one HTTP attempt gave (the worker's report)."""

    delivery_id: int
    endpoint_id: int
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    response_excerpt: str
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_delay(failed_attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Return the wait after the `failed_attempts`-th failure (schedule plus ±10 % jitter)."""
    base = RETRY_SCHEDULE[min(failed_attempts, len(RETRY_SCHEDULE)) - 1]
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)  # noqa: S311 (not security)
    return base * factor


_ATTEMPT_COLUMNS = (
    "delivery_id",
    "endpoint_id",
    "attempted_at",
    "status_code",
    "duration_ms",
    "response_excerpt",
    "error",
    "succeeded",
)
_ATTEMPT_CASTS = (
    "bigint",
    "bigint",
    "timestamptz",
    "integer",
    "integer",
    "text",
    "text",
    "boolean",
)


def json_rows_sql(casts: tuple[str, ...], names: tuple[str, ...] = ()) -> str:
    """Return a SELECT reading rows given as one JSON parameter (a list of lists), columns
    named `names` when given: one short statement whatever the batch, cheap to send and plan."""
    named = [f" AS {name}" for name in names] or [""] * len(casts)
    if connection.vendor == "postgresql":
        values = ", ".join(f"(r->>{i})::{cast}{named[i]}" for i, cast in enumerate(casts))
        return f"SELECT {values} FROM jsonb_array_elements(%s::jsonb) AS r"  # noqa: S608
    values = ", ".join(f"json_extract(value, '$[{i}]'){named[i]}" for i in range(len(casts)))
    return f"SELECT {values} FROM json_each(%s)"  # noqa: S608


def id_list_sql(ids: Iterable[int]) -> tuple[str, str]:
    """Return `IN`-like SQL for a list of ids given as one parameter, and that parameter."""
    if connection.vendor == "postgresql":
        return "= ANY(%s::bigint[])", "{" + ",".join(map(str, ids)) + "}"
    return "IN (SELECT value FROM json_each(%s))", json.dumps(list(ids))


@transaction.atomic
def deliveries_record(
    *, outcomes: list[AttemptOutcome], worker: str, unsent: list[int] | None = None
) -> None:
    """Record a batch of attempts: log each, finish the delivered ones, reschedule or abandon
    the failed ones, disable an endpoint that has failed for the whole retry period, and give
    back the leases of `unsent` deliveries (a chain stopped before them).

    A delivery whose lease another worker has taken meanwhile is logged but left to that worker.
    A batch costs a few statements whatever its size (an INSERT of the log rows, one UPDATE of
    the delivered ones, one of the unsent ones), plus a few per failed attempt.
    """
    relaxed_commit()
    with connection.cursor() as cursor:
        _log_attempts(cursor, outcomes)
        now = clock.now()
        delivered = [o.delivery_id for o in outcomes if o.succeeded]
        if delivered:
            _update_mine(
                cursor,
                "state = %s, finished_at = %s, lease_until = NULL, leased_by = '',"
                " attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, %s)",
                [DeliveryState.DELIVERED.value, db_time(now), db_time(now)],
                delivered,
                worker,
            )
            healthy = {o.endpoint_id for o in outcomes if o.succeeded}
            WebhookEndpoint.objects.filter(pk__in=healthy, failing_since__isnull=False).update(
                failing_since=None
            )
        if unsent:
            _update_mine(cursor, "lease_until = NULL, leased_by = ''", [], unsent, worker)
    for outcome in outcomes:
        if not outcome.succeeded:
            _failed(outcome, worker, now)


def _log_attempts(cursor: Any, outcomes: list[AttemptOutcome]) -> None:
    """INSERT the attempts' log rows in one statement."""
    if not outcomes:
        return
    table = WebhookAttempt._meta.db_table
    stamp = _json_time()
    rows = [
        [
            o.delivery_id,
            o.endpoint_id,
            stamp(o.attempted_at),
            o.status_code,
            o.duration_ms,
            o.response_excerpt[:500],
            o.error[:200],
            o.succeeded,
        ]
        for o in outcomes
    ]
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(_ATTEMPT_COLUMNS)}) "  # noqa: S608
        + json_rows_sql(_ATTEMPT_CASTS),
        [json.dumps(rows, ensure_ascii=False)],
    )


def _json_time() -> Any:
    if connection.vendor == "postgresql":
        return datetime.isoformat
    return connection.ops.adapt_datetimefield_value


def _update_mine(
    cursor: Any, assignments: str, params: list[Any], ids: list[int], worker: str
) -> None:
    """UPDATE the deliveries `ids` that `worker` still holds (leased, scheduled)."""
    table = WebhookDelivery._meta.db_table
    where, listed = id_list_sql(ids)
    cursor.execute(
        f"UPDATE {table} SET {assignments}"  # noqa: S608
        f" WHERE leased_by = %s AND state = %s AND id {where}",
        [*params, worker, DeliveryState.SCHEDULED.value, listed],
    )


def _mine(ids: list[int], worker: str) -> Any:
    return WebhookDelivery.objects.filter(
        pk__in=ids, leased_by=worker, state=DeliveryState.SCHEDULED
    )


def _failed(outcome: AttemptOutcome, worker: str, now: datetime) -> None:
    delivery = _mine([outcome.delivery_id], worker).select_for_update().first()
    if delivery is None:
        return
    delivery.attempts += 1
    delivery.first_attempt_at = delivery.first_attempt_at or outcome.attempted_at
    delivery.lease_until, delivery.leased_by = None, ""
    next_at = now + retry_delay(delivery.attempts)
    if next_at - delivery.first_attempt_at > RETRY_PERIOD:
        delivery.state, delivery.finished_at = DeliveryState.ABANDONED, now
    else:
        delivery.next_attempt_at = next_at
    delivery.save()
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=outcome.endpoint_id)
    if endpoint.failing_since is None:
        endpoint.failing_since = outcome.attempted_at
        endpoint.save(update_fields=["failing_since"])
    elif endpoint.enabled and now - endpoint.failing_since >= RETRY_PERIOD:
        _disable(endpoint)


def _disable(endpoint: WebhookEndpoint) -> None:
    from devcenter.events.notifications import endpoint_disabled_notify

    endpoint.enabled = False
    endpoint.disabled_reason = "failing"
    endpoint.save(update_fields=["enabled", "disabled_reason"])
    _audit(
        AuditEventType.WEBHOOK_ENDPOINT_UPDATED,
        endpoint,
        None,  # the worker: the system, not a person
        old={"enabled": True},
        new={"enabled": False, "reason": "failing"},
    )
    endpoint_pk = endpoint.pk
    transaction.on_commit(lambda: endpoint_disabled_notify(endpoint_pk), robust=True)


def db_time(value: datetime) -> Any:
    """Return `value` as raw SQL takes it (SQLite: the naive UTC text Django stores)."""
    return connection.ops.adapt_datetimefield_value(value)


def lease_seconds() -> float:
    return float(getattr(settings, "DEVCENTER_WEBHOOK_LEASE_SECONDS", 60))
