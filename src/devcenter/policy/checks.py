"""Invariants and tests shipped with the policy file, checked over its whole request space.

A policy file may carry `[[invariants]]` (properties over every request, from a fixed set of
rules below) and `[[tests]]` (expected decisions for named requests, like `opa test`).
`check_policy` asks every request of the finite space once (`devcenter.policy.space`), then
evaluates each invariant and test against the answers; a failure names the invariant or test,
the counterexample request and the decision given. `default_policy()` refuses to start with a
file that fails its own checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from devcenter.policy import space
from devcenter.policy.errors import PolicyFileError
from devcenter.policy.model import Decision

if TYPE_CHECKING:
    from devcenter.policy.engine import Policy

ALLOWED = "allowed"
WRITE = "write"
Answers = dict[space.Request, Decision]


@dataclass(frozen=True)
class Failure:
    """One failed invariant or test, with the counterexample."""

    check: str  # `invariant:ID` or `test:NAME`
    problem: str
    request: dict[str, Any] | None = None
    decision: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the failure as plain data."""
        return {
            "check": self.check,
            "problem": self.problem,
            "request": self.request,
            "decision": self.decision,
        }

    def line(self) -> str:
        """Return the failure on one line."""
        where = f" request={self.request}" if self.request else ""
        got = ""
        if self.decision:
            got = f" got allowed={self.decision['allowed']} code={self.decision['code']}"
        return f"FAIL {self.check}: {self.problem}{where}{got}"


@dataclass
class CheckReport:
    """What `check_policy` did: the space's size, the time taken, the checks and failures."""

    version: str
    requests: int
    seconds: float
    invariants: int
    tests: int
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether every invariant and test held."""
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data."""
        return {
            "policy_version": self.version,
            "requests": self.requests,
            "seconds": round(self.seconds, 4),
            "invariants": self.invariants,
            "tests": self.tests,
            "ok": self.ok,
            "failures": [f.as_dict() for f in self.failures],
        }


def check_policy(policy: Policy) -> CheckReport:
    """Ask every request of `policy`'s space and evaluate its invariants and tests."""
    started = time.perf_counter()
    answers = {req: space.answer(policy, req) for req in space.requests(policy)}
    failures: list[Failure] = []
    for where, invariant in _entries(policy.source.invariants, "invariants"):
        rule = RULES.get(str(invariant.get("rule")))
        if rule is None:
            raise PolicyFileError(f"{where}.rule", f"unknown rule {invariant.get('rule')!r}")
        name = f"invariant:{invariant.get('id', where)}"
        failures.extend(_first(rule(policy, answers, invariant), name))
    for where, test in _entries(policy.source.tests, "tests"):
        failures.extend(_run_test(policy, where, test))
    return CheckReport(
        version=policy.version,
        requests=len(answers),
        seconds=time.perf_counter() - started,
        invariants=len(policy.source.invariants),
        tests=len(policy.source.tests),
        failures=failures,
    )


def require_checks_pass(policy: Policy) -> None:
    """Raise PolicyFileError with the first counterexample if `policy` fails its own checks."""
    report = check_policy(policy)
    if not report.ok:
        first = report.failures[0]
        raise PolicyFileError(first.check, first.line().removeprefix("FAIL "))


def _entries(
    items: tuple[Mapping[str, Any], ...], name: str
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for i, item in enumerate(items):
        yield f"{name}[{i}]", item


def _first(
    found: Iterator[tuple[str, space.Request | None, Decision | None]], name: str
) -> list[Failure]:
    """Return the first counterexample of an invariant (one is enough to read and fix)."""
    for problem, req, decision in found:
        return [
            Failure(
                name,
                problem,
                None if req is None else req.as_dict(),
                None if decision is None else decision.as_dict(),
            )
        ]
    return []


# -- invariant rules ------------------------------------------------------------------------

Found = Iterator[tuple[str, space.Request | None, Decision | None]]


def _never_allowed(policy: Policy, answers: Answers, spec: Mapping[str, Any]) -> Found:
    """`service`/`account` is never allowed to the listed partner kinds or types."""
    kinds = set(spec.get("partner_kinds", ()))
    types = set(spec.get("partner_types", ())) | {
        t for t in policy.partner_types if policy.kind_of(t) in kinds
    }
    for question in ("service", "account"):
        code = spec.get(question)
        if code is None:
            continue
        for req, decision in answers.items():
            if req.kind == question and req.get(question) == code:
                if req.get("partner_type") in types and decision.allowed:
                    yield f"{code} must never be allowed to {sorted(types)}", req, decision


def _moves_keep(policy: Policy, answers: Answers, spec: Mapping[str, Any]) -> Found:
    """A partner's own moves (allowed, not automatic) never take a service or account away,
    except where the file lists the exception."""
    exceptions = {
        (e.get("from"), e.get("to"), e.get("service") or e.get("account"))
        for e in spec.get("exceptions", ())
    }
    for move in policy.source.moves:
        if not move.allowed or move.automatic:
            continue
        for question, codes in (("service", policy.services), ("account", policy.accounts)):
            decide = policy.decide_service if question == "service" else policy.decide_account
            for code in codes:
                if move.from_type is None and question == "account":
                    continue  # the account matrix has no column for "not registered"
                before, after = decide(move.from_type, code), decide(move.to_type, code)
                origin = move.from_type or space.NONE
                if (
                    before.allowed
                    and not after.allowed
                    and (origin, move.to_type, code) not in exceptions
                ):
                    req = space.request(
                        question, partner_type=move.to_type, status="active", **{question: code}
                    )
                    yield f"moving {origin} -> {move.to_type} loses {code}", req, after


def _denials_explained(policy: Policy, answers: Answers, spec: Mapping[str, Any]) -> Found:
    """Every denied service or account is unlockable, or its code says it never is."""
    final = set(spec.get("final_codes", ()))
    for req, decision in answers.items():
        if req.kind in ("service", "account") and not decision.allowed:
            if not decision.unlockable and decision.code not in final:
                yield f"denial {decision.code!r} is neither unlockable nor final", req, decision


def _forbidden_moves_hold(policy: Policy, answers: Answers, spec: Mapping[str, Any]) -> Found:
    """Every move the file forbids is refused with its code, whatever the facts."""
    del spec
    forbidden = {(m.from_type, m.to_type): m.code for m in policy.source.moves if not m.allowed}
    for req, decision in answers.items():
        if req.kind != "move":
            continue
        code = forbidden.get((req.get("from_type"), req.get("to_type")))
        if code is not None and (decision.allowed or decision.code != code):
            yield f"a forbidden move must answer {code!r}", req, decision


def _status_allows_nothing(policy: Policy, answers: Answers, spec: Mapping[str, Any]) -> Found:
    """In a status that allows nothing, every service, account and write is refused."""
    del spec
    ops = policy.partner_state.operations
    blocked = {s.code: s.denial_code for s in policy.source.statuses if s.allows == "nothing"}
    for req, decision in answers.items():
        status = req.get("status")
        if status not in blocked or not decision.allowed:
            continue
        if req.kind in ("service", "account"):
            yield f"status {status!r} must allow nothing", req, decision
        if req.kind == "operation":
            op = ops[req.get("operation")]
            if op.effect == WRITE and status not in op.statuses:
                yield f"status {status!r} must allow no write", req, decision


def _no_role_no_operation(policy: Policy, answers: Answers, spec: Mapping[str, Any]) -> Found:
    """Someone with no role for a partner may do nothing to it (and learns nothing of it)."""
    del policy, spec
    for req, decision in answers.items():
        if req.kind == "operation" and req.get("role") is None:
            if decision.allowed or decision.code != "partner_not_found":
                yield "an outsider must get partner_not_found", req, decision


Rule = Callable[["Policy", Answers, Mapping[str, Any]], Found]
RULES: dict[str, Rule] = {
    "never_allowed": _never_allowed,
    "moves_keep": _moves_keep,
    "denials_explained": _denials_explained,
    "forbidden_moves_hold": _forbidden_moves_hold,
    "status_allows_nothing": _status_allows_nothing,
    "no_role_no_operation": _no_role_no_operation,
}


# -- tests ----------------------------------------------------------------------------------

QUESTION_FIELDS = {
    "service": ("partner_type", "status", "service"),
    "account": ("partner_type", "status", "account"),
    "move": ("from_type", "to_type", "facts"),
    "operation": ("operation", "role", "status", "partner_type", "facts"),
}


def _run_test(policy: Policy, where: str, test: Mapping[str, Any]) -> list[Failure]:
    name = f"test:{test.get('name', where)}"
    question = test.get("question")
    if question not in QUESTION_FIELDS:
        raise PolicyFileError(f"{where}.question", f"unknown question {question!r}")
    values = {k: _none(test.get(k)) for k in QUESTION_FIELDS[question]}
    values.setdefault("status", "active")
    if values.get("status") is None and "status" in QUESTION_FIELDS[question]:
        values["status"] = "active"
    if "facts" in values:
        values["facts"] = dict(test.get("facts", {}))
    req = space.request(question, **values)
    try:
        decision = space.answer(policy, req)
    except Exception as exc:  # noqa: BLE001 (a test naming an unknown code is a failure)
        return [Failure(name, f"the request is invalid: {exc}", req.as_dict())]
    expected_code = test.get("expect_code")
    expected_allowed = test.get("expect_allowed", expected_code == ALLOWED)
    if decision.allowed != expected_allowed or (expected_code and decision.code != expected_code):
        problem = f"expected allowed={expected_allowed} code={expected_code}"
        return [Failure(name, problem, req.as_dict(), decision.as_dict())]
    return []


def _none(value: Any) -> Any:
    return None if value == space.NONE else value
