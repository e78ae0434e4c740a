"""The mixed decision requests of benchmark (b), and the answers the engine gives them."""

from __future__ import annotations

import random
from typing import Any

from devcenter.policy import AccountTarget, Actor, CommunityTarget, Decision, Policy

KINDS = ("service", "account", "transition", "action")
IDS = ("u1", "u2", "u3", "u4")
PARTNERS = (None, "ptn_1", "ptn_2")

Request = dict[str, Any]


def mixed_requests(policy: Policy, count: int, seed: int = 2026) -> list[Request]:
    """Return `count` random requests, the four kinds in equal shares, in random order."""
    chooser = random.Random(seed)  # noqa: S311 (reproducible sample, not security)
    makers = {
        "service": _service,
        "account": _account,
        "transition": _transition,
        "action": _action,
    }
    kinds = [KINDS[i % len(KINDS)] for i in range(count)]
    chooser.shuffle(kinds)
    return [makers[kind](policy, chooser) for kind in kinds]


def _type_or_none(policy: Policy, chooser: random.Random) -> str | None:
    return chooser.choice([*policy.partner_types, None])


def _service(policy: Policy, chooser: random.Random) -> Request:
    return {
        "kind": "service",
        "partner_type": _type_or_none(policy, chooser),
        "service": chooser.choice(policy.services),
    }


def _account(policy: Policy, chooser: random.Random) -> Request:
    return {
        "kind": "account",
        "partner_type": _type_or_none(policy, chooser),
        "account": chooser.choice(policy.accounts),
    }


def _transition(policy: Policy, chooser: random.Random) -> Request:
    facts = {fact.code: chooser.random() < 0.5 for fact in policy.source.facts}
    return {
        "kind": "transition",
        "from": _type_or_none(policy, chooser),
        "to": chooser.choice(policy.partner_types),
        "facts": facts,
    }


def _action(policy: Policy, chooser: random.Random) -> Request:
    action = chooser.choice(policy.source.actions)
    actor = {
        "account": chooser.choice(policy.accounts),
        "id": chooser.choice(IDS),
        "partner": chooser.choice(PARTNERS),
    }
    if action.target == "community":
        target = {
            "type": "community",
            "id": chooser.choice(("c1", "c2")),
            "support_app_partner": chooser.choice(PARTNERS),
        }
    else:
        target = {
            "type": "account",
            "account": chooser.choice(policy.accounts),
            "id": chooser.choice(IDS),
            "partner": chooser.choice(PARTNERS),
        }
    attributes = {
        name: chooser.choice(policy.source.attributes[name]) for name in action.attributes
    }
    return {
        "kind": "action",
        "action": action.code,
        "actor": actor,
        "target": target,
        "attributes": attributes,
    }


def expected_decision(policy: Policy, request: Request) -> Decision:
    """Return the engine's decision for one request, asked directly (not through the API)."""
    kind = request["kind"]
    if kind == "service":
        return policy.decide_service(request["partner_type"], request["service"])
    if kind == "account":
        return policy.decide_account(request["partner_type"], request["account"])
    if kind == "transition":
        return policy.decide_move(request["from"], request["to"], request["facts"])
    actor = Actor(**request["actor"])
    given = dict(request["target"])
    target: AccountTarget | CommunityTarget
    if given.pop("type") == "community":
        target = CommunityTarget(**given)
    else:
        target = AccountTarget(**given)
    return policy.decide_action(actor, request["action"], target, request["attributes"])
