"""The shapes of a decision request body, decoded and shape-checked by msgspec.

Codes (partner types, services, actions, …) are plain strings here: the policy engine checks them,
so the policy file stays the one place that knows them.

A question names its partner either by type (`partner_type`, stateless) or by registry id
(`partner`, answered from the snapshot); an actor or account target either by kind and id
(stateless) or by `id` alone (kind and partner from the snapshot). The "exactly one of" checks
are made in `answer`, where the question is dispatched anyway, so decoding stays one pass.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import msgspec

UNSET = msgspec.UNSET

MAX_REQUESTS = 10_000
# The audit sequence is a PostgreSQL bigint: no snapshot can ever reach a larger one.
MAX_SEQUENCE = 2**63 - 1


# gc=False: decoded questions hold only strings, numbers and flat dicts of them, so they can
# never be part of a reference cycle; not tracking them spares the cyclic collector ~10,000
# objects per call.
class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    pass


class ServiceQuestion(_Strict, tag="service", tag_field="kind", frozen=True):
    service: str
    partner_type: str | None | msgspec.UnsetType = UNSET  # null: not registered
    partner: str | None = None  # a registry id (ptn_…) instead of a type


class AccountQuestion(_Strict, tag="account", tag_field="kind", frozen=True):
    account: str
    partner_type: str | None | msgspec.UnsetType = UNSET
    partner: str | None = None


class TransitionQuestion(_Strict, tag="transition", tag_field="kind", frozen=True):
    to: str
    from_: str | None = msgspec.field(name="from")
    facts: dict[str, bool] = {}
    partner: ClassVar[None] = None  # not a field: every kind of question answers `.partner`


class ActorIn(_Strict, frozen=True):
    id: str
    account: str | None = None  # None: an account id, resolved from the snapshot
    partner: str | None = None


class TargetIn(_Strict, frozen=True):
    """An account (`type` may be left out) or a community; `answer` checks the fields per type.

    One struct rather than a tagged union, because a target given by id alone has no tag.
    """

    type: Literal["account", "community"] = "account"
    id: str | None = None
    account: str | None = None  # account targets; None: resolved from the snapshot by id
    partner: str | None = None  # account targets
    support_app_partner: str | None = None  # community targets


class ActionQuestion(_Strict, tag="action", tag_field="kind", frozen=True):
    action: str
    actor: ActorIn
    target: TargetIn
    attributes: dict[str, str] = {}
    partner: ClassVar[None] = None  # not a field (see TransitionQuestion)


class RegistrationQuestion(_Strict, tag="registration", tag_field="kind", frozen=True):
    """Is this registration usable now? Named by its id (`reg_…`) or by its client id (exactly
    one of the two; checked in `answer`)."""

    registration: str | None = None
    client_id: str | None = None
    # Not a field: not None, like a question naming a partner, so that `answer_parts` sends
    # the batch to a registry path with one check per question (docs/performance.md).
    partner: ClassVar[str] = ""


Question = (
    ServiceQuestion | AccountQuestion | TransitionQuestion | ActionQuestion | RegistrationQuestion
)


class DecisionsBody(_Strict, frozen=True):
    requests: Annotated[list[Question], msgspec.Meta(max_length=MAX_REQUESTS)]
    # Answer only once the snapshot has reached this audit sequence (read your own write).
    min_snapshot: Annotated[int, msgspec.Meta(ge=0, le=MAX_SEQUENCE)] | None = None


decode_body = msgspec.json.Decoder(DecisionsBody).decode
