"""What a registered partner may do in its current state: statuses, roles and operations.

The service and account matrices answer for a partner *type*; this module adds the partner's
status (a suspended partner is allowed nothing), who is asking (owner, developer, staff, or
nobody) and the facts the registry derives. Every answer is a shared `Decision`, computed once
per distinct question and kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from devcenter.policy.errors import PolicyInputError
from devcenter.policy.loader import Operation, Status
from devcenter.policy.model import Decision, Label

if TYPE_CHECKING:
    from devcenter.policy.engine import Policy

ALLOWED = "allowed"
NO_ROLE = "partner_not_found"  # an outsider must not learn that the partner exists
READ = "read"
ALLOWS_TYPE = "type"

FactKey = tuple[tuple[str, bool], ...]


class PartnerState:
    """Answers about one partner in its current status, for one viewer's role."""

    def __init__(self, policy: Policy) -> None:
        source = policy.source
        self.policy = policy
        self.statuses: dict[str, Status] = {s.code: s for s in source.statuses}
        self.roles = {r.code: r for r in source.roles}
        self.operations: dict[str, Operation] = {o.code: o for o in source.operations}
        self.facts = frozenset(f.code for f in source.facts)
        self._fact_denial = {f.code: f.denial_code for f in source.facts}
        self._messages = source.messages["operation"]
        self._cache: dict[tuple[object, ...], Decision] = {}

    # -- status ----------------------------------------------------------------------------

    def status_denial(self, status: str) -> Decision | None:
        """Return the decision every question gets in `status`, or None if it allows the type."""
        found = self._status(status)
        if found.allows == ALLOWS_TYPE:
            return None
        code = found.denial_code or ""
        return self._decision(False, code, self._messages[code])

    def service(self, partner_type: str | None, status: str, service: str) -> Decision:
        """Return whether a partner of `partner_type` in `status` may use `service` now."""
        return self.status_denial(status) or self.policy.decide_service(partner_type, service)

    def account(self, partner_type: str | None, status: str, account: str) -> Decision:
        """Return whether a partner of `partner_type` in `status` may hold `account` now."""
        return self.status_denial(status) or self.policy.decide_account(partner_type, account)

    # -- operations ------------------------------------------------------------------------

    def check_facts(self, facts: Mapping[str, bool] | None) -> None:
        """Refuse a fact the policy does not define (a caller's typo must not pass as false)."""
        for name in facts or {}:
            if name not in self.facts:
                raise PolicyInputError(f"facts.{name}", f"unknown fact {name!r}")

    def operation(
        self,
        operation: str,
        *,
        role: str | None,
        status: str,
        partner_type: str | None,
        facts: Mapping[str, bool] | None = None,
    ) -> Decision:
        """Return whether a viewer with `role` may perform `operation` now, and why not.

        `role` None is someone with no role for this partner; a fact `requires` names and
        `facts` does not give counts as false.
        """
        op = self.operations.get(operation)
        if op is None:
            raise PolicyInputError("operation", f"unknown operation {operation!r}")
        if role is not None and role not in self.roles:
            raise PolicyInputError("role", f"unknown role {role!r}")
        self._status(status)
        self.check_facts(facts)
        given = facts or {}
        needed = self._needed_facts(op)
        key = (operation, role, status, partner_type, tuple(bool(given.get(f)) for f in needed))
        found = self._cache.get(key)
        if found is None:
            found = self._operation(
                op, role, status, partner_type, dict(zip(needed, key[4], strict=True))
            )
            self._cache[key] = found
        return found

    def _needed_facts(self, op: Operation) -> tuple[str, ...]:
        move_needs: tuple[str, ...] = ()
        if op.move_to is not None:
            move_needs = tuple(sorted(self.facts))
        return tuple(dict.fromkeys((*op.requires, *move_needs)))

    def _operation(
        self,
        op: Operation,
        role: str | None,
        status: str,
        partner_type: str | None,
        given: Mapping[str, bool],
    ) -> Decision:
        values = {"operation": op.label}
        if role not in op.roles:
            code = NO_ROLE if role is None else op.role_code
            return self._decision(False, code, _fill(self._messages[code], values))
        if op.statuses:
            if status not in op.statuses:
                code = op.status_code or ""
                return self._decision(False, code, _fill(self._messages[code], values))
        elif op.effect != READ and (denied := self.status_denial(status)) is not None:
            return denied
        for decision in self._matrix_decisions(op, partner_type, given):
            if not decision.allowed:
                return decision
        for fact in op.requires:
            if not given.get(fact):
                code = self._fact_denial[fact]
                return self._decision(False, code, _fill(self._messages[code], values))
        return self._decision(True, ALLOWED, _fill(self._messages[ALLOWED], values))

    def _matrix_decisions(
        self, op: Operation, partner_type: str | None, given: Mapping[str, bool]
    ) -> list[Decision]:
        found = []
        if op.move_to is not None and not (op.or_already and partner_type == op.move_to):
            found.append(self.policy.decide_move(partner_type, op.move_to, given))
        if op.account is not None:
            found.append(self.policy.decide_account(partner_type, op.account))
        return found

    def _status(self, status: str) -> Status:
        found = self.statuses.get(status)
        if found is None:
            raise PolicyInputError("status", f"unknown status {status!r}")
        return found

    def _decision(self, allowed: bool, code: str, reason: Label) -> Decision:
        return self.policy.intern(allowed, code, reason)


def _fill(template: Label, values: Mapping[str, Label]) -> Label:
    return Label(
        template.ja.format(**{k: v.ja for k, v in values.items()}),
        template.en.format(**{k: v.en for k, v in values.items()}),
    )
