"""The decision engine: every answer that does not depend on ids is computed once, at load.

`Policy` answers four questions (service, account, move, action). Each question is a dict or list
lookup returning a shared, immutable `Decision`; nothing is formatted or allocated per call
beyond the lookup key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from itertools import product
from typing import Any

from devcenter.policy.errors import PolicyInputError
from devcenter.policy.loader import Action, ActionRule, Move, PolicySource
from devcenter.policy.model import (
    AccountTarget,
    Actor,
    CommunityTarget,
    Decision,
    Label,
    Step,
    UnlockPaths,
    make_decision,
)
from devcenter.policy.partner_state import PartnerState

ALLOWED = "allowed"
COMMUNITY = "community"
# Bit positions of the conditions in an action table's index.
SELF_TARGET, SAME_PARTNER, OWN_SUPPORT_COMMUNITY, VISIBILITY_PRIVATE = 1, 2, 4, 8
_CONDITION_BITS = {
    "self_target": SELF_TARGET,
    "same_partner": SAME_PARTNER,
    "own_support_community": OWN_SUPPORT_COMMUNITY,
    "visibility_private": VISIBILITY_PRIVATE,
}

PartnerType = str | None
ActionTarget = AccountTarget | CommunityTarget


class Policy:
    """An immutable, fully precomputed partner-program policy."""

    def __init__(self, source: PolicySource) -> None:
        self.source = source
        self.name = source.name
        self.version = source.version
        self.partner_types = tuple(t.code for t in source.partner_types)
        self.services = tuple(s.code for s in source.services)
        self.accounts = tuple(a.code for a in source.accounts)
        self.actions = tuple(a.code for a in source.actions)
        self.labels = _labels(source)
        self._kind = {t.code: t.kind for t in source.partner_types}
        self._interned: dict[tuple[Any, ...], Decision] = {}
        self._edges = _user_steps(source.moves)
        self._services = self._matrix_table("service", source.service_matrix)
        self._accounts = self._matrix_table("account", source.account_matrix)
        self._moves = self._move_table()
        self._action_attributes = {a.code: a for a in source.actions}
        self._actions = self._action_table()
        self.statuses = tuple(s.code for s in source.statuses)
        self.roles = tuple(r.code for r in source.roles)
        self.member_roles = tuple(r.code for r in source.roles if r.member)
        self.operations = tuple(o.code for o in source.operations)
        self.facts = tuple(f.code for f in source.facts)
        self.partner_state = PartnerState(self)
        self.registrations = source.registrations
        self.graph_api_scopes = {s.code: s.label for s in source.graph_api_scopes}

    # -- the four questions -------------------------------------------------------------

    def decide_service(self, partner_type: PartnerType, service: str) -> Decision:
        """Return whether `partner_type` (None: not registered) may use `service`, and why."""
        try:
            return self._services[partner_type][service]
        except KeyError:
            raise self._unknown(partner_type, "service", service, self._services) from None

    def decide_account(self, partner_type: PartnerType, account: str) -> Decision:
        """Return whether `partner_type` may hold `account`, and why."""
        try:
            return self._accounts[partner_type][account]
        except KeyError:
            raise self._unknown(partner_type, "account", account, self._accounts) from None

    def decide_move(
        self, from_type: PartnerType, to_type: str, facts: Mapping[str, bool] | None = None
    ) -> Decision:
        """Return whether a partner of `from_type` may become `to_type` given `facts`.

        A fact the move needs and `facts` does not give counts as false; a fact the policy does
        not define is refused (PolicyInputError), so a caller's typo never passes as false.
        """
        if facts:
            self.partner_state.check_facts(facts)
        try:
            needs, by_facts = self._moves[(from_type, to_type)]
        except KeyError:
            field = "from" if from_type not in self._kind and from_type is not None else "to"
            value = from_type if field == "from" else to_type
            raise PolicyInputError(field, f"unknown partner type {value!r}") from None
        if not needs:
            return by_facts[()]
        given = facts or {}
        return by_facts[tuple(bool(given.get(fact, False)) for fact in needs)]

    def automatic_move(self, from_type: PartnerType, event: str) -> str | None:
        """Return the type a partner of `from_type` moves to automatically on `event`, if any."""
        return next(
            (
                m.to_type
                for m in self.source.moves
                if m.automatic and m.from_type == from_type and m.on == event
            ),
            None,
        )

    def decide_action(
        self,
        actor: Actor,
        action: str,
        target: ActionTarget,
        attributes: Mapping[str, str] | None = None,
    ) -> Decision:
        """Return whether `actor` may take `action` on `target`, and why."""
        try:
            by_target = self._actions[action][actor.account]
        except KeyError:
            if action not in self._actions:
                raise PolicyInputError("action", f"unknown action {action!r}") from None
            raise PolicyInputError("actor.account", f"unknown account {actor.account!r}") from None
        if isinstance(target, CommunityTarget):
            kind = COMMUNITY
            partner = target.support_app_partner
            bits = OWN_SUPPORT_COMMUNITY if partner is not None and partner == actor.partner else 0
        else:
            kind = target.account
            bits = SELF_TARGET if target.id == actor.id else 0
            if actor.partner is not None and target.partner == actor.partner:
                bits |= SAME_PARTNER
        if attributes and self._visibility_private(action, attributes):
            bits |= VISIBILITY_PRIVATE
        try:
            return by_target[kind][bits]
        except KeyError:
            raise self._bad_target(action, kind) from None

    def decide_operation(
        self,
        operation: str,
        *,
        role: str | None,
        status: str,
        partner_type: PartnerType,
        facts: Mapping[str, bool] | None = None,
    ) -> Decision:
        """Return whether a viewer with `role` may perform `operation` on a partner now."""
        return self.partner_state.operation(
            operation, role=role, status=status, partner_type=partner_type, facts=facts
        )

    def decide_partner_service(
        self, partner_type: PartnerType, status: str, service: str
    ) -> Decision:
        """Return whether a partner of `partner_type` in `status` may use `service` now."""
        return self.partner_state.service(partner_type, status, service)

    def decide_partner_account(
        self, partner_type: PartnerType, status: str, account: str
    ) -> Decision:
        """Return whether a partner of `partner_type` in `status` may hold `account` now."""
        return self.partner_state.account(partner_type, status, account)

    def status_denial(self, status: str) -> Decision | None:
        """Return the decision every question gets in `status`, or None if it allows the type."""
        return self.partner_state.status_denial(status)

    def intern(self, allowed: bool, code: str, reason: Label, unlock: UnlockPaths = ()) -> Decision:
        """Return the one shared decision with these fields."""
        return self._decision(allowed, code, reason, unlock)

    # -- describing the policy ----------------------------------------------------------

    def label(self, group: str, code: str | None) -> Label:
        """Return the label of `code` in `group` (partner_type, service, account, …)."""
        return self.labels[group][code]

    def kind_of(self, partner_type: str) -> str:
        """Return `corporate` or `individual` for a partner type."""
        return self._kind[partner_type]

    def describe(self) -> dict[str, Any]:
        """Return the whole policy as plain JSON-ready data."""
        return _describe(self)

    # -- precomputation -----------------------------------------------------------------

    def _decision(
        self, allowed: bool, code: str, reason: Label, unlock: UnlockPaths = ()
    ) -> Decision:
        key = (allowed, code, reason, unlock)
        found = self._interned.get(key)
        if found is None:
            found = make_decision(
                allowed=allowed,
                code=code,
                reason=reason,
                unlock=unlock,
                policy_version=self.version,
            )
            self._interned[key] = found
        return found

    def _matrix_table(
        self, group: str, matrix: Mapping[str, Mapping[Any, bool]]
    ) -> dict[PartnerType, dict[str, Decision]]:
        table: dict[PartnerType, dict[str, Decision]] = {}
        for current in (*self.partner_types, None):
            table[current] = {
                row: self._matrix_decision(group, current, row, cells)
                for row, cells in matrix.items()
            }
        return table

    def _matrix_decision(
        self, group: str, current: PartnerType, row: str, cells: Mapping[Any, bool]
    ) -> Decision:
        allowing = [t for t in self.partner_types if cells.get(t, False)]
        values = {
            "type": self.labels["partner_type"][current],
            group: self.labels[group][row],
            "allowed_types": _joined([self.labels["partner_type"][t] for t in allowing]),
        }
        messages = self.source.messages[group]
        if cells.get(current, False):
            key = (
                "allowed_unregistered"
                if current is None and "allowed_unregistered" in messages
                else ALLOWED
            )
            return self._decision(True, ALLOWED, _fill(messages[key], values))
        paths = self._paths(current, lambda t: t in allowing)
        code = self._denial_code(current, allowing, paths)
        return self._decision(False, code, _fill(messages[code], values), paths)

    def _denial_code(self, current: PartnerType, allowing: list[str], paths: UnlockPaths) -> str:
        if paths:
            return "not_registered" if current is None else self._step_denial(paths[0][-1].step)
        kinds = {self._kind[t] for t in allowing}
        if current is not None and len(kinds) == 1 and kinds != {self._kind[current]}:
            return f"{kinds.pop()}_only"
        return "not_available_for_type"

    def _step_denial(self, step: str) -> str:
        return next(s.denial_code for s in self.source.steps if s.code == step)

    def _paths(self, start: PartnerType, goal: Callable[[str], bool]) -> UnlockPaths:
        """Return every sequence of user steps from `start` that ends at the first allowing type.

        Breadth first, so shorter paths come first; equal lengths keep the file's move order.
        """
        found: list[tuple[Step, ...]] = []
        frontier: list[tuple[PartnerType, tuple[Step, ...]]] = [(start, ())]
        while frontier:
            following: list[tuple[PartnerType, tuple[Step, ...]]] = []
            for node, path in frontier:
                for move in self._edges.get(node, ()):
                    visited = {start, *(step.to for step in path)}
                    if move.to_type in visited:
                        continue
                    extended = (*path, Step(move.step or "", move.to_type))
                    if goal(move.to_type):
                        found.append(extended)
                    else:
                        following.append((move.to_type, extended))
            frontier = following
        return tuple(found)

    def _move_table(
        self,
    ) -> dict[tuple[PartnerType, str], tuple[tuple[str, ...], dict[tuple[bool, ...], Decision]]]:
        listed = {(m.from_type, m.to_type): m for m in self.source.moves}
        table = {}
        for source, target in product((*self.partner_types, None), self.partner_types):
            move = listed.get((source, target))
            needs = move.requires if move is not None and move.allowed else ()
            table[(source, target)] = (
                needs,
                {
                    given: self._move_decision(
                        source, target, move, dict(zip(needs, given, strict=True))
                    )
                    for given in product((False, True), repeat=len(needs))
                },
            )
        return table

    def _move_decision(
        self, source: PartnerType, target: str, move: Move | None, given: dict[str, bool]
    ) -> Decision:
        messages = self.source.messages["move"]
        values = {
            "from": self.labels["partner_type"][source],
            "to": self.labels["partner_type"][target],
            "step": self.labels["step"][move.step] if move and move.step else "",
        }
        if source == target:
            return self._decision(False, "no_change", _fill(messages["no_change"], values))
        if move is None:
            paths = self._paths(source, lambda t: t == target)
            return self._decision(
                False, "no_such_move", _fill(messages["no_such_move"], values), paths
            )
        if not move.allowed:
            code = move.code or "no_such_move"
            return self._decision(False, code, _fill(messages[code], values))
        for fact in move.requires:
            if not given[fact]:
                code = next(f.denial_code for f in self.source.facts if f.code == fact)
                return self._decision(False, code, _fill(messages[code], values))
        key = "allowed_automatic" if move.automatic else ALLOWED
        return self._decision(True, ALLOWED, _fill(messages[key], values))

    def _action_table(self) -> dict[str, dict[str, dict[str, list[Decision]]]]:
        table: dict[str, dict[str, dict[str, list[Decision]]]] = {}
        for action in self.source.actions:
            targets = self.accounts if action.target == "account" else (COMMUNITY,)
            table[action.code] = {
                actor: {
                    target: [
                        self._action_decision(action, actor, target, bits) for bits in range(16)
                    ]
                    for target in targets
                }
                for actor in self.accounts
            }
        return table

    def _action_decision(self, action: Action, actor: str, target: str, bits: int) -> Decision:
        for rule in self.source.action_rules:
            if _rule_applies(rule, action.code, actor, target, bits):
                return self._decision(False, rule.code, rule.reason)
        values = {"action": self.labels["action"][action.code]}
        return self._decision(True, ALLOWED, _fill(self.source.messages["action"][ALLOWED], values))

    def _visibility_private(self, action: str, attributes: Mapping[str, str]) -> bool:
        accepted = self._action_attributes[action].attributes
        for name, value in attributes.items():
            if name not in accepted:
                raise PolicyInputError(f"attributes.{name}", f"not an attribute of {action!r}")
            if value not in self.source.attributes[name]:
                raise PolicyInputError(f"attributes.{name}", f"unknown value {value!r}")
        return attributes.get("visibility") == "private"

    def _unknown(
        self, partner_type: PartnerType, field: str, value: str, table: Mapping[PartnerType, Any]
    ) -> PolicyInputError:
        if partner_type not in table:
            return PolicyInputError("partner_type", f"unknown partner type {partner_type!r}")
        return PolicyInputError(field, f"unknown {field} {value!r}")

    def _bad_target(self, action: str, kind: str) -> PolicyInputError:
        wanted = self._action_attributes[action].target
        if kind != COMMUNITY and wanted == "account":
            return PolicyInputError("target.account", f"unknown account {kind!r}")
        return PolicyInputError("target.type", f"{action!r} is taken on a {wanted}")


def _rule_applies(rule: ActionRule, action: str, actor: str, target: str, bits: int) -> bool:
    if action not in rule.actions:
        return False
    if (actor if rule.side == "actor" else target) != rule.account:
        return False
    return not any(bits & _CONDITION_BITS[condition] for condition in rule.unless)


def _user_steps(moves: tuple[Move, ...]) -> dict[PartnerType, list[Move]]:
    """Return the moves a partner can take itself (allowed, not automatic), by origin."""
    edges: dict[PartnerType, list[Move]] = {}
    for move in moves:
        if move.allowed and not move.automatic:
            edges.setdefault(move.from_type, []).append(move)
    return edges


def _labels(source: PolicySource) -> dict[str, dict[Any, Label]]:
    types: dict[Any, Label] = {t.code: t.label for t in source.partner_types}
    types[None] = source.not_registered
    return {
        "partner_type": types,
        "service": {s.code: s.label for s in source.services},
        "account": {a.code: a.label for a in source.accounts},
        "action": {a.code: a.label for a in source.actions},
        "step": {s.code: s.label for s in source.steps},
        "fact": {f.code: f.label for f in source.facts},
        "status": {s.code: s.label for s in source.statuses},
        "role": {r.code: r.label for r in source.roles},
        "operation": {o.code: o.label for o in source.operations},
    }


def _joined(labels: list[Label]) -> Label:
    return Label("、".join(x.ja for x in labels), "; ".join(x.en for x in labels))


def _fill(template: Label, values: Mapping[str, Label | str]) -> Label:
    def pick(lang: str) -> Iterator[tuple[str, str]]:
        for key, value in values.items():
            yield key, value.get(lang) if isinstance(value, Label) else value

    return Label(template.ja.format(**dict(pick("ja"))), template.en.format(**dict(pick("en"))))


def _describe(policy: Policy) -> dict[str, Any]:
    source = policy.source

    def code_or_none(value: str | None) -> str:
        return value if value is not None else "none"

    return {
        "name": source.name,
        "version": source.version,
        "partner_types": [
            {"code": t.code, "kind": t.kind, "label": t.label.as_dict(), "how": t.how.as_dict()}
            for t in source.partner_types
        ],
        "not_registered": {"code": "none", "label": source.not_registered.as_dict()},
        "services": [
            {
                "code": s.code,
                "label": s.label.as_dict(),
                "platforms": list(s.platforms),
                "kinds": list(s.kinds),
                "devices": list(s.devices),
                "agency_registration": s.agency_registration,
            }
            for s in source.services
        ],
        "accounts": [
            {"code": a.code, "label": a.label.as_dict(), "emblem": a.emblem}
            for a in source.accounts
        ],
        "service_matrix": {
            row: {code_or_none(t): allowed for t, allowed in cells.items()}
            for row, cells in source.service_matrix.items()
        },
        "account_matrix": {row: dict(cells) for row, cells in source.account_matrix.items()},
        "moves": [
            {
                "from": code_or_none(m.from_type),
                "to": m.to_type,
                "allowed": m.allowed,
                "step": m.step,
                "automatic": m.automatic,
                "requires": list(m.requires),
                "code": m.code,
                "on": m.on,
            }
            for m in source.moves
        ],
        "steps": [{"code": s.code, "label": s.label.as_dict()} for s in source.steps],
        "facts": [
            {
                "code": f.code,
                "label": f.label.as_dict(),
                "denial_code": f.denial_code,
                "derived_from": f.derived_from,
            }
            for f in source.facts
        ],
        "statuses": [
            {
                "code": s.code,
                "label": s.label.as_dict(),
                "allows": s.allows,
                "denial_code": s.denial_code,
            }
            for s in source.statuses
        ],
        "roles": [
            {"code": r.code, "label": r.label.as_dict(), "member": r.member} for r in source.roles
        ],
        "operations": [
            {
                "code": o.code,
                "label": o.label.as_dict(),
                "roles": list(o.roles),
                "effect": o.effect,
                "statuses": list(o.statuses),
                "move_to": o.move_to,
                "account": o.account,
                "requires": list(o.requires),
            }
            for o in source.operations
        ],
        "actions": [
            {
                "code": a.code,
                "target": a.target,
                "label": a.label.as_dict(),
                "attributes": list(a.attributes),
            }
            for a in source.actions
        ],
        "attributes": {name: list(values) for name, values in source.attributes.items()},
        "action_rules": [
            {
                "id": r.id,
                "side": r.side,
                "account": r.account,
                "actions": sorted(r.actions),
                "unless": list(r.unless),
                "code": r.code,
                "reason": r.reason.as_dict(),
            }
            for r in source.action_rules
        ],
        "registrations": source.registrations.describe(),
        "graph_api_scopes": [
            {"code": s.code, "label": s.label.as_dict()} for s in source.graph_api_scopes
        ],
    }
