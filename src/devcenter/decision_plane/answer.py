"""Turn decoded questions into the JSON answer, using only the policy core."""

from __future__ import annotations

from collections.abc import Iterable

from devcenter.decision_plane.schema import (
    AccountQuestion,
    ActionQuestion,
    CommunityTargetIn,
    Question,
    ServiceQuestion,
    TransitionQuestion,
)
from devcenter.policy import (
    AccountTarget,
    Actor,
    CommunityTarget,
    Decision,
    Policy,
    PolicyInputError,
)


class QuestionError(ValueError):
    """Question `index` has a bad `field`; `problem` says what."""

    def __init__(self, index: int, field: str, problem: str, code: str = "unknown_code") -> None:
        self.index = index
        self.field = field
        self.problem = problem
        self.code = code
        super().__init__(f"requests[{index}].{field}: {problem}")


def decide_one(policy: Policy, question: Question) -> Decision:
    """Return the decision for one decoded question; raise PolicyInputError on unknown codes."""
    kind = type(question)
    if kind is ServiceQuestion:
        return policy.decide_service(question.partner_type, question.service)  # type: ignore[union-attr]
    if kind is AccountQuestion:
        return policy.decide_account(question.partner_type, question.account)  # type: ignore[union-attr]
    if kind is TransitionQuestion:
        return _decide_transition(policy, question)  # type: ignore[arg-type]
    return _decide_action(policy, question)  # type: ignore[arg-type]


def _decide_transition(policy: Policy, question: TransitionQuestion) -> Decision:
    known = policy.source.facts
    for name in question.facts:
        if not any(fact.code == name for fact in known):
            raise PolicyInputError(f"facts.{name}", f"unknown fact {name!r}")
    return policy.decide_move(question.from_, question.to, question.facts)


def _decide_action(policy: Policy, question: ActionQuestion) -> Decision:
    actor = Actor(question.actor.account, question.actor.id, question.actor.partner)
    given = question.target
    if type(given) is CommunityTargetIn:
        target: AccountTarget | CommunityTarget = CommunityTarget(
            given.id, given.support_app_partner
        )
    else:
        target = AccountTarget(given.account, given.id, given.partner)  # type: ignore[union-attr]
    return policy.decide_action(actor, question.action, target, question.attributes)


def answer(policy: Policy, questions: Iterable[Question]) -> bytes:
    """Return `{"decisions":[…]}` for the questions, in order, as JSON bytes."""
    parts = []
    for index, question in enumerate(questions):
        try:
            parts.append(decide_one(policy, question).json)
        except PolicyInputError as exc:
            raise QuestionError(index, exc.field, exc.problem) from None
    return b'{"decisions":[' + b",".join(parts) + b"]}"
