"""The events part of the registry API: the ordered feed and a partner's webhook endpoints.

`GET /events`: a key of scope `decisions` (a platform service) reads every partner's events;
a developer key or the portal session reads the events of the caller's own partners.
Webhook endpoints of a partner are its owners' (the policy's `webhooks.read` / `webhooks.manage`).
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from devcenter.api_support.auth import ApiKeyBearer, Caller, PortalSession, caller_of, user_of
from devcenter.api_support.idempotency import idempotent
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import MaxLen, NoNul, PathText
from devcenter.apikeys.choices import ApiKeyScope
from devcenter.apikeys.selectors import apikey_by_raw_key
from devcenter.apikeys.services import apikey_touch
from devcenter.events import selectors, services
from devcenter.events.destinations import URL_MAX
from devcenter.events.models import WebhookAttempt, WebhookEndpoint
from devcenter.partners.selectors import partner_ids_of_user


class EventsKeyBearer(ApiKeyBearer):
    """A `decisions` key (every partner's events), else a developer or staff key."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        key = apikey_by_raw_key(token)
        if key is not None and key.scope == ApiKeyScope.DECISIONS:
            apikey_touch(secret_hash=key.secret_hash)
            return Caller(user=key.user, key_name=key.name, key_scope=key.scope)
        return super().authenticate(request, token)


router = Router(tags=["events"])


class EventOut(Schema):
    """One event: public id, type, time, partner, sequence, and the consumer's data."""

    id: str
    type: str
    created_at: datetime
    partner: str
    sequence: int
    data: dict[str, Any]


class EventPageOut(Schema):
    events: list[EventOut]
    next_cursor: str = Field(description="pass as `after` to continue; never skips or repeats")


class EventsQuery(Schema):
    after: Annotated[str, NoNul] | None = Field(
        None, pattern=r"^[0-9]{0,18}$", description="a next_cursor; none: from the start"
    )
    limit: int = Field(100, ge=1, le=1000, description="events per page")
    types: Annotated[str, NoNul] | None = Field(None, description="event types, comma-separated")
    wait: float = Field(0, ge=0, le=30, description="long-poll: seconds to wait for an event")


@router.get(
    "/events", response={200: EventPageOut, **errors()}, auth=[EventsKeyBearer(), PortalSession()]
)
def event_list(request: HttpRequest, query: Query[EventsQuery]) -> dict[str, Any]:
    """Return the events after the cursor, oldest first, with the next cursor."""
    after = selectors.parse_cursor(query.after)
    limit = selectors.check_limit(query.limit)
    audit_types = selectors.parse_types(query.types)
    wait = selectors.check_wait(query.wait)
    caller = caller_of(request)
    partners = (
        None if caller.key_scope == ApiKeyScope.DECISIONS else partner_ids_of_user(user=caller.user)
    )
    page = selectors.events_wait(
        after=after, limit=limit, audit_types=audit_types, partners=partners, wait=wait
    )
    return {"events": [e.as_dict() for e in page.events], "next_cursor": page.next_cursor}


# ---------------------------------------------------------------- webhook endpoints


class WebhookOut(Schema):
    id: str
    url: str
    description: str
    events: list[str] = Field(description="event types sent; empty: every type")
    enabled: bool
    disabled_reason: str
    failing_since: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_id(endpoint: WebhookEndpoint) -> str:
        return endpoint.public_id

    @staticmethod
    def resolve_events(endpoint: WebhookEndpoint) -> list[str]:
        return list(endpoint.event_types)


class WebhookSecretOut(WebhookOut):
    secret: str = Field(description="the signing secret (whsec_…): shown only now")


class WebhookIn(Schema):
    url: Annotated[str, NoNul, MaxLen(URL_MAX)]
    events: list[Annotated[str, NoNul, MaxLen(60)]] = Field(
        default_factory=lambda: [services.ALL_EVENTS], description='["all"] or event types'
    )
    description: Annotated[str, NoNul, MaxLen(500)] = ""
    enabled: bool = True


class WebhookPatchIn(Schema):
    url: Annotated[str, NoNul, MaxLen(URL_MAX)] | None = None
    events: list[Annotated[str, NoNul, MaxLen(60)]] | None = None
    description: Annotated[str, NoNul, MaxLen(500)] | None = None
    enabled: bool | None = None


class ReplayIn(Schema):
    event_id: Annotated[str, NoNul, MaxLen(40)] | None = None
    since: datetime | None = None


class ReplayOut(Schema):
    queued: int


class DeliveryQueuedOut(Schema):
    id: str = Field(description="the message id (webhook-id header)")


class AttemptOut(Schema):
    event_id: str
    event_type: str
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    response_excerpt: str
    error: str
    succeeded: bool

    @staticmethod
    def resolve_event_id(attempt: WebhookAttempt) -> str:
        return attempt.delivery.event_id

    @staticmethod
    def resolve_event_type(attempt: WebhookAttempt) -> str:
        return attempt.delivery.event_type


_HOOKS = "/partners/{partner_id}/webhooks"
_HOOK = _HOOKS + "/{webhook_id}"


@router.post(_HOOKS, response={201: WebhookSecretOut, **errors(409)})
@idempotent
def webhook_create(request: HttpRequest, partner_id: PathText, payload: WebhookIn) -> Status[Any]:
    """Add a webhook endpoint for the partner's events (owners); the secret is shown once."""
    endpoint = services.webhook_endpoint_create(
        acting_user=user_of(request),
        partner_id=partner_id,
        url=payload.url,
        event_types=payload.events,
        description=payload.description,
        enabled=payload.enabled,
    )
    return Status(201, endpoint)


@router.get(_HOOKS, response={200: list[WebhookOut], **errors()})
def webhook_list(request: HttpRequest, partner_id: PathText) -> Any:
    """List the partner's webhook endpoints (owners)."""
    services.webhook_access(acting_user=user_of(request), partner_id=partner_id)
    return selectors.endpoints_of(partner_id=partner_id)


@router.get(_HOOK, response={200: WebhookOut, **errors()})
def webhook_detail(request: HttpRequest, partner_id: PathText, webhook_id: PathText) -> Any:
    """Return one webhook endpoint (owners)."""
    return services.webhook_endpoint_get(
        acting_user=user_of(request), partner_id=partner_id, endpoint_id=webhook_id
    )


@router.patch(_HOOK, response={200: WebhookOut, **errors(409)})
def webhook_update(
    request: HttpRequest, partner_id: PathText, webhook_id: PathText, payload: WebhookPatchIn
) -> Any:
    """Change the URL, event types, description or enabled flag (owners)."""
    return services.webhook_endpoint_update(
        acting_user=user_of(request),
        partner_id=partner_id,
        endpoint_id=webhook_id,
        changes=services.EndpointChanges(
            url=payload.url,
            event_types=payload.events,
            description=payload.description,
            enabled=payload.enabled,
        ),
    )


@router.delete(_HOOK, response={204: None, **errors(409)})
def webhook_delete(request: HttpRequest, partner_id: PathText, webhook_id: PathText) -> Any:
    """Remove the endpoint with its delivery log (owners)."""
    services.webhook_endpoint_delete(
        acting_user=user_of(request), partner_id=partner_id, endpoint_id=webhook_id
    )
    return Status(204, None)


@router.post(_HOOK + "/rotate-secret", response={200: WebhookSecretOut, **errors(409)})
@idempotent
def webhook_rotate_secret(request: HttpRequest, partner_id: PathText, webhook_id: PathText) -> Any:
    """Give the endpoint a new secret; the old one signs alongside for 24 hours (owners)."""
    return services.webhook_secret_rotate(
        acting_user=user_of(request), partner_id=partner_id, endpoint_id=webhook_id
    )


@router.get(_HOOK + "/deliveries", response={200: list[AttemptOut], **errors()})
def webhook_deliveries(request: HttpRequest, partner_id: PathText, webhook_id: PathText) -> Any:
    """Return the endpoint's delivery log, newest first (the latest 100 attempts)."""
    endpoint = services.webhook_endpoint_get(
        acting_user=user_of(request), partner_id=partner_id, endpoint_id=webhook_id
    )
    return selectors.endpoint_log(endpoint=endpoint)


@router.post(_HOOK + "/replay", response={202: ReplayOut, **errors(409)})
@idempotent
def webhook_replay(
    request: HttpRequest, partner_id: PathText, webhook_id: PathText, payload: ReplayIn
) -> Status[Any]:
    """Send one event again (`event_id`), or every event since a time (`since`) (owners)."""
    queued = services.webhook_replay(
        acting_user=user_of(request),
        partner_id=partner_id,
        endpoint_id=webhook_id,
        event_id=payload.event_id,
        since=payload.since,
    )
    return Status(202, {"queued": queued})


@router.post(_HOOK + "/test", response={202: DeliveryQueuedOut, **errors(409)})
@idempotent
def webhook_test(request: HttpRequest, partner_id: PathText, webhook_id: PathText) -> Status[Any]:
    """Queue a `webhook.test` delivery to the endpoint (owners)."""
    delivery = services.webhook_test_send(
        acting_user=user_of(request), partner_id=partner_id, endpoint_id=webhook_id
    )
    return Status(202, {"id": delivery.event_id})
