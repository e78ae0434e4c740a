"""What changes between two policies: every request of the finite space whose answer differs,
and, given how many partners are in each (type, status), who gains and who loses what.

Pure: the registry is given as counts per group, so a diff over a million partners reads a few
dozen group rows, never the partners themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from devcenter.policy import space
from devcenter.policy.model import Decision

if TYPE_CHECKING:
    from devcenter.policy.engine import Policy

Group = tuple[str | None, str]  # (partner_type, status)


@dataclass(frozen=True)
class Change:
    """One request whose answer differs (`old` or `new` None: the request exists in one only)."""

    request: space.Request
    old: Decision | None
    new: Decision | None

    def as_dict(self) -> dict[str, Any]:
        """Return the change as plain data."""

        def side(d: Decision | None) -> dict[str, Any] | None:
            if d is None:
                return None
            return {
                "allowed": d.allowed,
                "code": d.code,
                "unlock": [[s.as_dict() for s in path] for path in d.unlock],
            }

        return {"request": self.request.as_dict(), "old": side(self.old), "new": side(self.new)}


@dataclass
class Impact:
    """For one service or account: the groups of partners that gain it and that lose it."""

    question: str  # service / account
    code: str
    gains: list[Group] = field(default_factory=list)
    losses: list[Group] = field(default_factory=list)


@dataclass
class PolicyDiff:
    """Every changed request, grouped by kind, and the registry's groups affected."""

    old_version: str
    new_version: str
    changes: dict[str, list[Change]]
    impacts: list[Impact]

    @property
    def changed(self) -> bool:
        """Return whether anything changes."""
        return any(self.changes.values())


def _signature(d: Decision) -> tuple[Any, ...]:
    return (d.allowed, d.code, d.unlock)


def diff_policies(
    old: Policy, new: Policy, groups: Mapping[Group, int] | None = None
) -> PolicyDiff:
    """Return what changes from `old` to `new`; `groups` counts the registry's partners."""
    before = {r.key(): (r, space.answer(old, r)) for r in space.requests(old)}
    after = {r.key(): (r, space.answer(new, r)) for r in space.requests(new)}
    changes: dict[str, list[Change]] = {}
    for key in dict.fromkeys([*before, *after]):
        old_pair, new_pair = before.get(key), after.get(key)
        old_d = old_pair[1] if old_pair else None
        new_d = new_pair[1] if new_pair else None
        if old_d is not None and new_d is not None and _signature(old_d) == _signature(new_d):
            continue
        req = (old_pair or new_pair)[0]  # type: ignore[index]
        changes.setdefault(req.kind, []).append(Change(req, old_d, new_d))
    return PolicyDiff(old.version, new.version, changes, _impacts(old, new, groups or {}))


def _impacts(old: Policy, new: Policy, groups: Mapping[Group, int]) -> list[Impact]:
    found: list[Impact] = []
    for question in ("service", "account"):
        codes = dict.fromkeys([*_codes(old, question), *_codes(new, question)])
        for code in codes:
            impact = Impact(question, code)
            for group in groups:
                was = _allowed(old, question, group, code)
                now = _allowed(new, question, group, code)
                if was != now:
                    (impact.gains if now else impact.losses).append(group)
            if impact.gains or impact.losses:
                found.append(impact)
    return found


def _codes(policy: Policy, question: str) -> tuple[str, ...]:
    return policy.services if question == "service" else policy.accounts


def _allowed(policy: Policy, question: str, group: Group, code: str) -> bool:
    partner_type, status = group
    if code not in _codes(policy, question) or status not in policy.statuses:
        return False
    if partner_type is not None and partner_type not in policy.partner_types:
        return False
    if question == "service":
        return policy.decide_partner_service(partner_type, status, code).allowed
    if partner_type is None:
        return False
    return policy.decide_partner_account(partner_type, status, code).allowed


# (partner_type, partner status, service, whether the registration is suspended now)
RegistrationGroup = tuple[str | None, str, str, bool]


@dataclass
class RegistrationImpact:
    """For one service: the registration groups NEW would suspend and those it would restore.

    A registration follows its partner (registrations.follow): it is suspended when the
    partner loses the service and restored when the service comes back. Only a change of the
    answer between the two policies moves it; a suspended partner is denied both times.
    """

    service: str
    suspended: list[RegistrationGroup] = field(default_factory=list)
    restored: list[RegistrationGroup] = field(default_factory=list)


def registration_impacts(
    old: Policy, new: Policy, groups: Mapping[RegistrationGroup, int]
) -> list[RegistrationImpact]:
    """Return, per service, the registration groups that `new` would suspend or restore."""
    found: dict[str, RegistrationImpact] = {}
    for group in groups:
        partner_type, status, service, suspended = group
        was = _allowed(old, "service", (partner_type, status), service)
        now = _allowed(new, "service", (partner_type, status), service)
        if was == now or suspended != now:
            continue  # the answer is the same, or the registration already matches it
        impact = found.setdefault(service, RegistrationImpact(service))
        (impact.restored if now else impact.suspended).append(group)
    order = {code: i for i, code in enumerate([*old.services, *new.services])}
    return sorted(found.values(), key=lambda impact: order.get(impact.service, len(order)))
