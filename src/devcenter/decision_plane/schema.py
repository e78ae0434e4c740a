"""The shapes of a decision request body, decoded and shape-checked by msgspec.

Codes (partner types, services, actions, …) are plain strings here: the policy engine checks them,
so the policy file stays the one place that knows them.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

MAX_REQUESTS = 10_000


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class ServiceQuestion(_Strict, tag="service", tag_field="kind"):
    service: str
    partner_type: str | None


class AccountQuestion(_Strict, tag="account", tag_field="kind"):
    account: str
    partner_type: str | None


class TransitionQuestion(_Strict, tag="transition", tag_field="kind"):
    to: str
    from_: str | None = msgspec.field(name="from")
    facts: dict[str, bool] = {}


class ActorIn(_Strict):
    account: str
    id: str
    partner: str | None = None


class AccountTargetIn(_Strict, tag="account", tag_field="type"):
    account: str
    id: str
    partner: str | None = None


class CommunityTargetIn(_Strict, tag="community", tag_field="type"):
    id: str | None = None
    support_app_partner: str | None = None


class ActionQuestion(_Strict, tag="action", tag_field="kind"):
    action: str
    actor: ActorIn
    target: AccountTargetIn | CommunityTargetIn
    attributes: dict[str, str] = {}


Question = ServiceQuestion | AccountQuestion | TransitionQuestion | ActionQuestion


class DecisionsBody(_Strict):
    requests: Annotated[list[Question], msgspec.Meta(max_length=MAX_REQUESTS)]


decode_body = msgspec.json.Decoder(DecisionsBody).decode
