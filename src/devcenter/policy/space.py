"""The finite request space of a policy: every question it can be asked, each exactly once.

Types × services, types × accounts (each also per status), moves × every combination of the
facts they need, operations × roles × statuses × types × facts, and actions × actor accounts ×
target kinds × conditions. The space is small (some tens of thousands of requests), so a check
or a diff can ask every request, exactly, instead of sampling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, Any

from devcenter.policy.model import AccountTarget, Actor, CommunityTarget, Decision

if TYPE_CHECKING:
    from devcenter.policy.engine import Policy

NONE = "none"
COMMUNITY = "community"
CONDITIONS = ("self_target", "same_partner", "own_support_community", "visibility_private")


@dataclass(frozen=True)
class Request:
    """One question: its kind (`service`, `account`, `move`, `operation`, `action`) and fields."""

    kind: str
    fields: tuple[tuple[str, Any], ...] = field(default=())

    def get(self, name: str, default: Any = None) -> Any:
        """Return field `name`."""
        return dict(self.fields).get(name, default)

    def as_dict(self) -> dict[str, Any]:
        """Return the request as plain data (`none` for no partner type)."""
        return {
            "kind": self.kind,
            **{k: (NONE if v is None and k.endswith("type") else v) for k, v in self.fields},
        }

    def key(self) -> tuple[Any, ...]:
        """Return a key that is equal for the same question in two policies."""
        return (self.kind, self.fields)


def request(kind: str, **values: Any) -> Request:
    """Return a request of `kind` with `values` (facts as a sorted tuple of pairs)."""
    if "facts" in values:
        values["facts"] = tuple(sorted(dict(values["facts"]).items()))
    return Request(kind, tuple(values.items()))


def answer(policy: Policy, req: Request) -> Decision:
    """Return `policy`'s decision on `req`."""
    f = dict(req.fields)
    if req.kind == "service":
        return policy.decide_partner_service(f["partner_type"], f["status"], f["service"])
    if req.kind == "account":
        return policy.decide_partner_account(f["partner_type"], f["status"], f["account"])
    if req.kind == "move":
        return policy.decide_move(f["from_type"], f["to_type"], dict(f["facts"]))
    if req.kind == "operation":
        return policy.decide_operation(
            f["operation"],
            role=f["role"],
            status=f["status"],
            partner_type=f["partner_type"],
            facts=dict(f["facts"]),
        )
    return _answer_action(policy, f)


def _answer_action(policy: Policy, f: dict[str, Any]) -> Decision:
    bits = set(f["conditions"])
    actor = Actor(f["actor"], "actor", "p1")
    if f["target"] == COMMUNITY:
        partner = "p1" if "own_support_community" in bits else None
        target: AccountTarget | CommunityTarget = CommunityTarget("c", partner)
    else:
        target = AccountTarget(
            f["target"],
            "actor" if "self_target" in bits else "other",
            "p1" if "same_partner" in bits else "p2",
        )
    attributes = {"visibility": "private"} if "visibility_private" in bits else None
    return policy.decide_action(actor, f["action"], target, attributes)


def requests(policy: Policy) -> Iterator[Request]:
    """Yield every request of `policy`'s finite space, each once, in a stable order."""
    types: tuple[str | None, ...] = (*policy.partner_types, None)
    for partner_type, status, service in product(types, policy.statuses, policy.services):
        yield request("service", partner_type=partner_type, status=status, service=service)
    for partner_type, status, account in product(types, policy.statuses, policy.accounts):
        yield request("account", partner_type=partner_type, status=status, account=account)
    yield from _moves(policy, types)
    yield from _operations(policy, types)
    yield from _actions(policy)


def _fact_combinations(codes: tuple[str, ...]) -> Iterator[dict[str, bool]]:
    for values in product((False, True), repeat=len(codes)):
        yield dict(zip(codes, values, strict=True))


def _moves(policy: Policy, types: tuple[str | None, ...]) -> Iterator[Request]:
    needs = {(m.from_type, m.to_type): m.requires for m in policy.source.moves}
    for from_type, to_type in product(types, policy.partner_types):
        for facts in _fact_combinations(needs.get((from_type, to_type), ())):
            yield request("move", from_type=from_type, to_type=to_type, facts=facts)


def _operations(policy: Policy, types: tuple[str | None, ...]) -> Iterator[Request]:
    roles: tuple[str | None, ...] = (*policy.roles, None)
    for code in policy.operations:
        op = policy.partner_state.operations[code]
        needed = op.requires
        if op.move_to is not None:
            needed = tuple(dict.fromkeys((*needed, *_move_needs(policy, op.move_to))))
        for role, status, partner_type in product(roles, policy.statuses, types):
            for facts in _fact_combinations(needed):
                yield request(
                    "operation",
                    operation=code,
                    role=role,
                    status=status,
                    partner_type=partner_type,
                    facts=facts,
                )


def _move_needs(policy: Policy, to_type: str) -> tuple[str, ...]:
    found: list[str] = []
    for move in policy.source.moves:
        if move.to_type == to_type:
            found.extend(move.requires)
    return tuple(dict.fromkeys(found))


def _actions(policy: Policy) -> Iterator[Request]:
    for action in policy.source.actions:
        targets = policy.accounts if action.target == "account" else (COMMUNITY,)
        for actor, target in product(policy.accounts, targets):
            for bits in product((False, True), repeat=len(CONDITIONS)):
                conditions = tuple(c for c, on in zip(CONDITIONS, bits, strict=True) if on)
                if not _meaningful(actor, target, conditions, action.attributes):
                    continue
                yield request(
                    "action", action=action.code, actor=actor, target=target, conditions=conditions
                )


def _meaningful(
    actor: str, target: str, conditions: tuple[str, ...], attributes: tuple[str, ...]
) -> bool:
    """Skip condition sets a real request cannot produce (e.g. a community is nobody's self)."""
    if "self_target" in conditions and actor != target:
        return False  # one's own account is of one's own kind
    if target == COMMUNITY and {"self_target", "same_partner"} & set(conditions):
        return False
    if target != COMMUNITY and "own_support_community" in conditions:
        return False
    if "self_target" in conditions and "same_partner" not in conditions:
        return False  # one's own account always belongs to one's own partner
    return "visibility_private" not in conditions or "visibility" in attributes
