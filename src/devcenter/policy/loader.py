"""Read and validate a policy file.

`load_policy_source` turns TOML text into a `PolicySource`: plain, checked data. Anything the
engine could trip over later (an unknown code, a matrix with a hole, a move to nowhere, a rule
naming an unknown action, a message with an unknown placeholder) is a `PolicyFileError` here,
naming the place in the file and its line.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from devcenter.policy.errors import PolicyFileError
from devcenter.policy.model import Label
from devcenter.policy.registrable import SECTIONS as REGISTRATION_SECTIONS
from devcenter.policy.registrable import RegistrationRules, load_registration_rules
from devcenter.policy.scopes import GraphApiScope, read_graph_api_scopes

NONE_CODE = "none"
PARTNER_KINDS = ("corporate", "individual")
ACTION_TARGETS = ("account", "community")
RULE_SIDES = ("actor", "target")
CONDITIONS = ("self_target", "same_partner", "own_support_community", "visibility_private")
PLACEHOLDERS = frozenset(
    {
        "type",
        "from",
        "to",
        "service",
        "account",
        "action",
        "allowed_types",
        "step",
        "fact",
        "operation",
    }
)
STATUS_ALLOWS = ("type", "nothing")
EFFECTS = ("read", "write")
REQUIRED_MESSAGES: Mapping[str, tuple[str, ...]] = {
    "service": (
        "allowed",
        "allowed_unregistered",
        "not_registered",
        "requires_certification",
        "requires_card",
        "corporate_only",
        "individual_only",
        "not_available_for_type",
    ),
    "account": (
        "allowed",
        "not_registered",
        "requires_certification",
        "requires_card",
        "corporate_only",
        "individual_only",
        "not_available_for_type",
    ),
    "move": ("allowed", "allowed_automatic", "no_change", "no_such_move"),
    "operation": ("allowed", "partner_not_found", "not_an_owner"),
    "action": ("allowed",),
}
TOP_LEVEL = frozenset(
    {
        "policy",
        "partner_types",
        "not_registered",
        "services",
        "service_matrix",
        "accounts",
        "account_matrix",
        "facts",
        "statuses",
        "roles",
        "operations",
        "steps",
        "moves",
        "actions",
        "attributes",
        "action_rules",
        "messages",
        "invariants",
        "tests",
        *REGISTRATION_SECTIONS,
        "graph_api_scopes",
    }
)


@dataclass(frozen=True, slots=True)
class PartnerType:
    code: str
    kind: str
    label: Label
    how: Label


@dataclass(frozen=True, slots=True)
class Service:
    code: str
    label: Label
    platforms: tuple[str, ...]
    kinds: tuple[str, ...]
    devices: tuple[str, ...]
    agency_registration: bool


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    label: Label
    emblem: bool


@dataclass(frozen=True, slots=True)
class Fact:
    code: str
    label: Label
    denial_code: str
    derived_from: str


@dataclass(frozen=True, slots=True)
class Status:
    """A partner status: `allows` is `type` (what the type allows) or `nothing`."""

    code: str
    label: Label
    allows: str
    denial_code: str | None


@dataclass(frozen=True, slots=True)
class Role:
    """Who acts for a partner: a member's role (`member`) or staff."""

    code: str
    label: Label
    member: bool


@dataclass(frozen=True, slots=True)
class Operation:
    """Something done to or for a partner; see the policy file's [[operations]] comment."""

    code: str
    label: Label
    roles: tuple[str, ...]
    effect: str
    role_code: str
    statuses: tuple[str, ...]
    status_code: str | None
    move_to: str | None
    or_already: bool
    account: str | None
    requires: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StepDef:
    code: str
    label: Label
    denial_code: str


@dataclass(frozen=True, slots=True)
class Move:
    """A listed move; `from_type` None is a new registration."""

    from_type: str | None
    to_type: str
    allowed: bool
    step: str | None
    automatic: bool
    requires: tuple[str, ...]
    code: str | None
    on: str | None = None  # the registry event that makes an automatic move


@dataclass(frozen=True, slots=True)
class Action:
    code: str
    target: str
    label: Label
    attributes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionRule:
    id: str
    side: str
    account: str
    actions: frozenset[str]
    unless: tuple[str, ...]
    code: str
    reason: Label


@dataclass(frozen=True, slots=True)
class PolicySource:
    """Everything in a policy file, checked."""

    name: str
    version: str
    partner_types: tuple[PartnerType, ...]
    not_registered: Label
    services: tuple[Service, ...]
    service_matrix: Mapping[str, Mapping[str | None, bool]]
    accounts: tuple[Account, ...]
    account_matrix: Mapping[str, Mapping[str, bool]]
    facts: tuple[Fact, ...]
    statuses: tuple[Status, ...]
    roles: tuple[Role, ...]
    operations: tuple[Operation, ...]
    steps: tuple[StepDef, ...]
    moves: tuple[Move, ...]
    actions: tuple[Action, ...]
    attributes: Mapping[str, tuple[str, ...]]
    action_rules: tuple[ActionRule, ...]
    messages: Mapping[str, Mapping[str, Label]]
    registrations: RegistrationRules
    # Checked by devcenter.policy.checks over the whole request space, not here.
    invariants: tuple[Mapping[str, Any], ...] = ()
    tests: tuple[Mapping[str, Any], ...] = ()
    graph_api_scopes: tuple[GraphApiScope, ...] = ()


class _Reader:
    """Checked access to the parsed TOML, raising errors that name the place and line."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def fail(self, where: str, problem: str) -> PolicyFileError:
        return PolicyFileError(where, problem, self.line_of(where))

    def line_of(self, where: str) -> int | None:
        """Return the 1-based line of `where` (`moves[3]`, `service_matrix.app_pc.x`), if found."""
        head, _, rest = where.partition(".")
        match = re.fullmatch(r"(\w+)\[(\d+)\]", head)
        if match:
            return self._nth_line(rf"\s*\[\[{match[1]}\]\]\s*(#.*)?", int(match[2]))
        start = self._nth_line(rf"\s*\[{re.escape(head)}(\.[\w.]+)?\]\s*(#.*)?", 0)
        if start is None or not rest:
            return start
        parts = rest.split(".")
        section = f"{head}.{parts[0]}"
        nested = self._nth_line(rf"\s*\[{re.escape(section)}\]\s*(#.*)?", 0)
        if nested is not None and len(parts) > 1:
            return self._key_line(parts[1], nested) or nested
        return self._key_line(parts[0], start) or start

    def _nth_line(self, pattern: str, n: int) -> int | None:
        seen = 0
        for number, line in enumerate(self.lines, start=1):
            if re.fullmatch(pattern, line):
                if seen == n:
                    return number
                seen += 1
        return None

    def _key_line(self, key: str, after: int) -> int | None:
        for number in range(after, len(self.lines)):
            line = self.lines[number]
            if line.lstrip().startswith("["):
                return None
            if re.match(rf"\s*{re.escape(key)}\s*=", line):
                return number + 1
        return None

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        return value

    def entries(self, doc: Mapping[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
        items = doc.get(name)
        if not isinstance(items, list) or not items:
            raise self.fail(name, f"at least one [[{name}]] entry is required")
        return [(f"{name}[{i}]", self.table(item, f"{name}[{i}]")) for i, item in enumerate(items)]

    def text(self, entry: Mapping[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", "must be a non-empty string")
        return value

    def flag(self, entry: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "must be true or false")
        return value

    def texts(self, entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f"{where}.{key}", "must be a list of strings")
        return tuple(value)

    def label(self, entry: Mapping[str, Any], where: str, prefix: str = "") -> Label:
        return Label(self.text(entry, f"{prefix}ja", where), self.text(entry, f"{prefix}en", where))

    def one_of(self, value: str, allowed: Iterable[str | None], where: str, what: str) -> str:
        if value not in allowed:
            raise self.fail(where, f"unknown {what} {value!r}")
        return value

    def unique(self, codes: list[str], name: str) -> None:
        seen: set[str] = set()
        for i, code in enumerate(codes):
            if code in seen:
                raise self.fail(f"{name}[{i}].code", f"duplicate code {code!r}")
            seen.add(code)


def load_policy_source(text: str) -> PolicySource:
    """Parse and check a policy file's text; raise `PolicyFileError` naming the first problem."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise PolicyFileError(
            "file", f"not valid TOML: {exc}", int(line[1]) if line else None
        ) from exc
    r = _Reader(text)
    for key in doc:
        if key not in TOP_LEVEL:
            raise r.fail(key, "unknown section")
    head = r.table(doc.get("policy"), "policy")
    types = _partner_types(r, doc)
    type_codes = [t.code for t in types]
    services = _services(r, doc)
    accounts = _accounts(r, doc)
    facts = _facts(r, doc)
    statuses = _statuses(r, doc)
    roles = _roles(r, doc)
    steps = _steps(r, doc)
    actions = _actions(r, doc)
    attributes = _attributes(r, doc, actions)
    source = PolicySource(
        name=r.text(head, "name", "policy"),
        version=r.text(head, "version", "policy"),
        partner_types=types,
        not_registered=r.label(
            r.table(doc.get("not_registered"), "not_registered"), "not_registered"
        ),
        services=services,
        service_matrix=_matrix(
            r, doc, "service_matrix", [s.code for s in services], [*type_codes, NONE_CODE]
        ),
        accounts=accounts,
        account_matrix=_matrix(r, doc, "account_matrix", [a.code for a in accounts], type_codes),  # type: ignore[arg-type]
        facts=facts,
        statuses=statuses,
        roles=roles,
        operations=_operations(r, doc, statuses, roles, type_codes, accounts, facts),
        steps=steps,
        moves=_moves(r, doc, type_codes, facts, steps),
        actions=actions,
        attributes=attributes,
        action_rules=_action_rules(r, doc, actions, accounts),
        messages=_messages(r, doc),
        invariants=tuple(r.table(t, "invariants") for t in doc.get("invariants", [])),
        tests=tuple(r.table(t, "tests") for t in doc.get("tests", [])),
        registrations=load_registration_rules(r, doc, services),
        graph_api_scopes=read_graph_api_scopes(r, doc),
    )
    _check_codes_have_messages(r, source)
    return source


def _partner_types(r: _Reader, doc: Mapping[str, Any]) -> tuple[PartnerType, ...]:
    result = []
    for where, e in r.entries(doc, "partner_types"):
        code = r.text(e, "code", where)
        if code == NONE_CODE:
            raise r.fail(f"{where}.code", f"{NONE_CODE!r} is reserved for 'not registered'")
        kind = r.one_of(r.text(e, "kind", where), PARTNER_KINDS, f"{where}.kind", "partner kind")
        result.append(PartnerType(code, kind, r.label(e, where), r.label(e, where, "how_")))
    r.unique([t.code for t in result], "partner_types")
    return tuple(result)


def _services(r: _Reader, doc: Mapping[str, Any]) -> tuple[Service, ...]:
    result = []
    for where, e in r.entries(doc, "services"):
        result.append(
            Service(
                code=r.text(e, "code", where),
                label=r.label(e, where),
                platforms=r.texts(e, "platforms", where),
                kinds=r.texts(e, "kinds", where),
                devices=r.texts(e, "devices", where),
                agency_registration=r.flag(e, "agency_registration", where, default=False),
            )
        )
    r.unique([s.code for s in result], "services")
    return tuple(result)


def _accounts(r: _Reader, doc: Mapping[str, Any]) -> tuple[Account, ...]:
    result = [
        Account(r.text(e, "code", where), r.label(e, where), r.flag(e, "emblem", where, False))
        for where, e in r.entries(doc, "accounts")
    ]
    r.unique([a.code for a in result], "accounts")
    return tuple(result)


def _facts(r: _Reader, doc: Mapping[str, Any]) -> tuple[Fact, ...]:
    result = [
        Fact(
            r.text(e, "code", where),
            r.label(e, where),
            r.text(e, "denial_code", where),
            r.text(e, "derived_from", where),
        )
        for where, e in r.entries(doc, "facts")
    ]
    r.unique([f.code for f in result], "facts")
    return tuple(result)


def _statuses(r: _Reader, doc: Mapping[str, Any]) -> tuple[Status, ...]:
    result = []
    for where, e in r.entries(doc, "statuses"):
        allows = r.one_of(r.text(e, "allows", where), STATUS_ALLOWS, f"{where}.allows", "allows")
        denial = r.text(e, "denial_code", where) if allows == "nothing" else None
        if allows != "nothing" and "denial_code" in e:
            raise r.fail(f"{where}.denial_code", "only a status that allows nothing denies")
        result.append(Status(r.text(e, "code", where), r.label(e, where), allows, denial))
    r.unique([s.code for s in result], "statuses")
    return tuple(result)


def _roles(r: _Reader, doc: Mapping[str, Any]) -> tuple[Role, ...]:
    result = [
        Role(r.text(e, "code", where), r.label(e, where), r.flag(e, "member", where, True))
        for where, e in r.entries(doc, "roles")
    ]
    r.unique([role.code for role in result], "roles")
    return tuple(result)


def _operations(
    r: _Reader,
    doc: Mapping[str, Any],
    statuses: tuple[Status, ...],
    roles: tuple[Role, ...],
    type_codes: list[str],
    accounts: tuple[Account, ...],
    facts: tuple[Fact, ...],
) -> tuple[Operation, ...]:
    result = []
    for where, e in r.entries(doc, "operations"):
        chosen = r.texts(e, "roles", where)
        if not chosen:
            raise r.fail(f"{where}.roles", "at least one role is required")
        for role in chosen:
            r.one_of(role, [x.code for x in roles], f"{where}.roles", "role")
        only_in = r.texts(e, "statuses", where)
        for status in only_in:
            r.one_of(status, [x.code for x in statuses], f"{where}.statuses", "status")
        move_to = e.get("move_to")
        if move_to is not None:
            r.one_of(move_to, type_codes, f"{where}.move_to", "partner type")
        account = e.get("account")
        if account is not None:
            r.one_of(account, [a.code for a in accounts], f"{where}.account", "account")
        requires = r.texts(e, "requires", where)
        for fact in requires:
            r.one_of(fact, [f.code for f in facts], f"{where}.requires", "fact")
        result.append(
            Operation(
                code=r.text(e, "code", where),
                label=r.label(e, where),
                roles=chosen,
                effect=r.one_of(r.text(e, "effect", where), EFFECTS, f"{where}.effect", "effect"),
                role_code=e.get("role_code", "not_an_owner"),
                statuses=only_in,
                status_code=r.text(e, "status_code", where) if only_in else None,
                move_to=move_to,
                or_already=r.flag(e, "or_already", where, default=False),
                account=account,
                requires=requires,
            )
        )
    r.unique([o.code for o in result], "operations")
    return tuple(result)


def _steps(r: _Reader, doc: Mapping[str, Any]) -> tuple[StepDef, ...]:
    result = [
        StepDef(r.text(e, "code", where), r.label(e, where), r.text(e, "denial_code", where))
        for where, e in r.entries(doc, "steps")
    ]
    r.unique([s.code for s in result], "steps")
    return tuple(result)


def _matrix(
    r: _Reader, doc: Mapping[str, Any], name: str, rows: list[str], columns: list[str]
) -> dict[str, dict[str | None, bool]]:
    table = r.table(doc.get(name), name)
    for row in table:
        r.one_of(row, rows, f"{name}.{row}", "row")
    result: dict[str, dict[str | None, bool]] = {}
    for row in rows:
        if row not in table:
            raise r.fail(name, f"no row for {row!r}")
        cells = r.table(table[row], f"{name}.{row}")
        for column in cells:
            r.one_of(column, columns, f"{name}.{row}", "column")
        result[row] = {}
        for column in columns:
            if column not in cells:
                raise r.fail(f"{name}.{row}", f"hole: no value for column {column!r}")
            result[row][None if column == NONE_CODE else column] = r.flag(
                cells, column, f"{name}.{row}", False
            )
    return result


def _moves(
    r: _Reader,
    doc: Mapping[str, Any],
    type_codes: list[str],
    facts: tuple[Fact, ...],
    steps: tuple[StepDef, ...],
) -> tuple[Move, ...]:
    result: list[Move] = []
    seen: set[tuple[str | None, str]] = set()
    for where, e in r.entries(doc, "moves"):
        source = r.one_of(
            r.text(e, "from", where), [*type_codes, NONE_CODE], f"{where}.from", "partner type"
        )
        target = r.one_of(r.text(e, "to", where), type_codes, f"{where}.to", "partner type")
        move = _move(r, e, where, None if source == NONE_CODE else source, target, facts, steps)
        if (move.from_type, move.to_type) in seen:
            raise r.fail(where, f"duplicate move {source} -> {target}")
        seen.add((move.from_type, move.to_type))
        result.append(move)
    return tuple(result)


def _move(
    r: _Reader,
    e: Mapping[str, Any],
    where: str,
    source: str | None,
    target: str,
    facts: tuple[Fact, ...],
    steps: tuple[StepDef, ...],
) -> Move:
    if source == target:
        raise r.fail(where, "a move must change the type")
    allowed = r.flag(e, "allowed", where, default=False)
    automatic = r.flag(e, "automatic", where, default=False)
    requires = r.texts(e, "requires", where)
    for fact in requires:
        r.one_of(fact, [f.code for f in facts], f"{where}.requires", "fact")
    step = code = None
    on = r.text(e, "on", where) if automatic else None
    if not automatic and "on" in e:
        raise r.fail(f"{where}.on", "only an automatic move follows an event")
    if allowed and not automatic:
        step = r.one_of(r.text(e, "step", where), [s.code for s in steps], f"{where}.step", "step")
    if not allowed:
        code = r.text(e, "code", where)
        if "step" in e or requires or automatic:
            raise r.fail(where, "a refused move takes only a code")
    return Move(source, target, allowed, step, automatic, requires, code, on)


def _actions(r: _Reader, doc: Mapping[str, Any]) -> tuple[Action, ...]:
    result = []
    for where, e in r.entries(doc, "actions"):
        target = r.one_of(r.text(e, "target", where), ACTION_TARGETS, f"{where}.target", "target")
        result.append(
            Action(
                r.text(e, "code", where), target, r.label(e, where), r.texts(e, "attributes", where)
            )
        )
    r.unique([a.code for a in result], "actions")
    return tuple(result)


def _attributes(
    r: _Reader, doc: Mapping[str, Any], actions: tuple[Action, ...]
) -> dict[str, tuple[str, ...]]:
    table = r.table(doc.get("attributes"), "attributes")
    result = {name: r.texts(table, name, "attributes") for name in table}
    for i, action in enumerate(actions):
        for attribute in action.attributes:
            r.one_of(attribute, result, f"actions[{i}].attributes", "attribute")
    if "visibility" not in result or "private" not in result["visibility"]:
        raise r.fail(
            "attributes.visibility", "must list 'private' (the visibility_private condition)"
        )
    return result


def _expand(
    patterns: tuple[str, ...], codes: list[str], fail: Callable[[str], PolicyFileError]
) -> frozenset[str]:
    chosen: set[str] = set()
    for pattern in patterns:
        if pattern == "*":
            matched = set(codes)
        elif pattern.endswith(".*"):
            matched = {c for c in codes if c.startswith(pattern[:-1])}
        else:
            matched = {pattern} & set(codes)
        if not matched:
            raise fail(f"{pattern!r} names no known action")
        chosen |= matched
    return frozenset(chosen)


def _failing_at(r: _Reader, where: str) -> Callable[[str], PolicyFileError]:
    def fail(problem: str) -> PolicyFileError:
        return r.fail(where, problem)

    return fail


def _action_rules(
    r: _Reader, doc: Mapping[str, Any], actions: tuple[Action, ...], accounts: tuple[Account, ...]
) -> tuple[ActionRule, ...]:
    codes = [a.code for a in actions]
    result = []
    for where, e in r.entries(doc, "action_rules"):
        side = r.one_of(r.text(e, "side", where), RULE_SIDES, f"{where}.side", "side")
        account = r.one_of(
            r.text(e, "account", where), [a.code for a in accounts], f"{where}.account", "account"
        )
        unless = r.texts(e, "unless", where)
        for condition in unless:
            r.one_of(condition, CONDITIONS, f"{where}.unless", "condition")
        chosen = _expand(r.texts(e, "actions", where), codes, _failing_at(r, f"{where}.actions"))
        result.append(
            ActionRule(
                r.text(e, "id", where),
                side,
                account,
                chosen,
                unless,
                r.text(e, "code", where),
                r.label(e, where),
            )
        )
    return tuple(result)


def _messages(r: _Reader, doc: Mapping[str, Any]) -> dict[str, dict[str, Label]]:
    table = r.table(doc.get("messages"), "messages")
    result: dict[str, dict[str, Label]] = {}
    for kind in table:
        r.one_of(kind, REQUIRED_MESSAGES, f"messages.{kind}", "message group")
    for kind, required in REQUIRED_MESSAGES.items():
        group = r.table(table.get(kind), f"messages.{kind}")
        result[kind] = {}
        for key, value in group.items():
            where = f"messages.{kind}.{key}"
            label = r.label(r.table(value, where), where)
            for text in (label.ja, label.en):
                _check_placeholders(r, text, where)
            result[kind][key] = label
        for key in required:
            if key not in result[kind]:
                raise r.fail(f"messages.{kind}", f"no message {key!r}")
    return result


def _check_placeholders(r: _Reader, text: str, where: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise r.fail(where, f"bad placeholder: {exc}") from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise r.fail(where, f"unknown placeholder {sorted(unknown)[0]!r}")


def _check_codes_have_messages(r: _Reader, source: PolicySource) -> None:
    """Every denial code the engine can produce from the file must have a reason to show."""
    for i, step in enumerate(source.steps):
        for kind in ("service", "account"):
            if step.denial_code not in source.messages[kind]:
                raise r.fail(f"steps[{i}].denial_code", f"no messages.{kind}.{step.denial_code}")
    for i, move in enumerate(source.moves):
        if move.code is not None and move.code not in source.messages["move"]:
            raise r.fail(f"moves[{i}].code", f"no messages.move.{move.code}")
    for i, fact in enumerate(source.facts):
        if not any(fact.denial_code in source.messages[k] for k in ("move", "operation")):
            raise r.fail(f"facts[{i}].denial_code", f"no message for {fact.denial_code!r}")
    _check_partner_state_messages(r, source)


def _check_partner_state_messages(r: _Reader, source: PolicySource) -> None:
    operation = source.messages["operation"]
    for i, status in enumerate(source.statuses):
        if status.denial_code and status.denial_code not in operation:
            raise r.fail(
                f"statuses[{i}].denial_code", f"no messages.operation.{status.denial_code}"
            )
    for i, op in enumerate(source.operations):
        for code in (op.role_code, op.status_code):
            if code is not None and code not in operation:
                raise r.fail(f"operations[{i}]", f"no messages.operation.{code}")
