"""Turn decoded questions into the JSON answer, using only the policy core.

A question that names a partner or an account by registry id is answered from the snapshot
(`devcenter.decision_plane.snapshot`): the registry gives the partner type, the policy core gives
the decision, and the decision's JSON gets `"snapshot": N` spliced in before its closing brace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING

from devcenter.decision_plane.schema import (
    UNSET,
    AccountQuestion,
    ActionQuestion,
    ActorIn,
    Question,
    RegistrationQuestion,
    ServiceQuestion,
    TargetIn,
    TransitionQuestion,
)
from devcenter.decision_plane.snapshot import MISSING_STATE, NOT_FOUND
from devcenter.policy import (
    AccountTarget,
    Actor,
    CommunityTarget,
    Decision,
    Label,
    Policy,
    PolicyInputError,
)
from devcenter.policy.engine import ALLOWED
from devcenter.policy.model import make_decision
from devcenter.registrations.errors import RegistrationErrorCode

if TYPE_CHECKING:
    from devcenter.decision_plane.partner_table import PartnerTable
    from devcenter.decision_plane.snapshot import Snapshot

NO_SUCH_PARTNER = Label("パートナーが見つかりません", "No such partner")
NO_SUCH_ACCOUNT = Label("アカウントが見つかりません", "No such account")
NO_SUCH_REGISTRATION = Label("登録が見つかりません", "No such registration")
REGISTRATION_USABLE = Label("この登録は利用できます。", "This registration is usable.")
REGISTRATION_SUSPENDED = Label("この登録は停止中です。", "This registration is suspended.")
_ONE_OF_REGISTRATION = "give registration or client_id, exactly one"
_TYPE_OR_PARTNER = "give partner_type or partner"
_BY_ID = "an account given by id alone takes its partner from the registry"


class QuestionError(ValueError):
    """Question `index` has a bad `field`; `problem` says what."""

    def __init__(self, index: int, field: str, problem: str, code: str = "unknown_code") -> None:
        self.index = index
        self.field = field
        self.problem = problem
        self.code = code
        super().__init__(f"requests[{index}].{field}: {problem}")


class SnapshotUnavailableError(RuntimeError):
    """A question needs the registry, but no snapshot was given."""


class _MismatchError(ValueError):
    """A question's fields do not fit together (both or neither of two alternatives)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class Answers:
    """The stamped answers of one kind of question by partner id: `rows[state][code]`.

    `decide` is the policy core's decision for that kind (`decide_service`, `decide_account`);
    a row is filled on first use (`Live.by_partner`).
    """

    __slots__ = ("decide", "rows")

    def __init__(self, decide: Callable[[str | None, str], Decision]) -> None:
        self.decide = decide
        self.rows: list[dict[str, bytes]] = []


class Live:
    """The snapshot at one sequence, and its decisions stamped with that sequence.

    A partner's decision depends only on its state (type and status: `Snapshot.states`) and the
    code asked about, so `services.rows[state][code]` and `accounts.rows[state][code]` hold the
    stamped JSON (`Answers`). One `Live` serves every response while the snapshot stays at its
    sequence (`live_view`).
    """

    __slots__ = (
        "accounts",
        "account_answers",
        "blocked",
        "no_account",
        "clients",
        "partners",
        "policy",
        "registration_answers",
        "registrations",
        "sequence",
        "service_answers",
        "snapshot",
        "_stamped",
        "_suffix",
    )

    def __init__(self, policy: Policy, snapshot: Snapshot) -> None:
        self.sequence = snapshot.sequence  # read first: the maps are at least this new
        self.snapshot = snapshot
        self.partners = snapshot.partners  # a PartnerTable
        self.accounts = snapshot.accounts
        self.registrations = snapshot.registrations  # PartnerTables of registration states
        self.clients = snapshot.clients
        self.registration_answers: dict[int, bytes] = {}  # registration state -> stamped JSON
        self.policy = policy
        self.blocked, self.no_account = registry_decisions(policy)
        self._suffix = b',"snapshot":%d}' % self.sequence
        self._stamped: dict[int, bytes] = {}
        self.service_answers = Answers(policy.decide_service)
        self.account_answers = Answers(policy.decide_account)

    def current(self, policy: Policy, snapshot: Snapshot) -> bool:
        """Return whether this view still stands for `snapshot` under `policy`."""
        return (
            self.policy is policy
            and self.snapshot is snapshot
            and self.sequence == snapshot.sequence
            and self.partners is snapshot.partners
            and self.accounts is snapshot.accounts
            and self.registrations is snapshot.registrations
            and self.clients is snapshot.clients
        )

    def stamp(self, decision: Decision) -> bytes:
        """Return the decision's JSON with `"snapshot": N` (each distinct decision once).

        Keyed by `id`: every decision is one of the policy's precomputed objects (or of
        `registry_decisions`, cached per policy), alive as long as the policy this view holds.
        """
        stamped = self._stamped.get(id(decision))
        if stamped is None:
            stamped = self._stamped[id(decision)] = decision.json[:-1] + self._suffix
        return stamped

    def partner(self, partner_id: str) -> tuple[str | None, str]:
        """Return `(partner_type, status)` of a partner given by id (`not_found` if unknown)."""
        return self.snapshot.states[self.partners.get(partner_id, MISSING_STATE)]

    def state(self, partner_id: str) -> int:
        """Return the state of a partner given by id (`MISSING_STATE` if unknown)."""
        return self.partners.get(partner_id, MISSING_STATE)

    def by_partner(self, answers: Answers, state: int, code: str) -> bytes:
        """Return the stamped decision on `code` for a partner in `state` (filling its row)."""
        rows = answers.rows
        while len(rows) <= state:
            rows.append({})
        stamped = rows[state].get(code)
        if stamped is None:
            partner_type, status = self.snapshot.states[state]
            decision = answers.decide(partner_type, code)  # checks the code too
            stamped = rows[state][code] = self.stamp(self.blocked.get(status, decision))
        return stamped

    def by_registration(self, state: int) -> bytes:
        """Return the stamped decision on a registration in `state` (filling its entry)."""
        stamped = self.registration_answers.get(state)
        if stamped is None:
            entry = self.snapshot.registration_states[state]
            decision = registration_decision(self.policy, *entry)
            stamped = self.registration_answers[state] = self.stamp(decision)
        return stamped

    def registration_state(self, question: RegistrationQuestion) -> int:
        """Return the registration state of the registration a question names (checked)."""
        _check_registration(question)
        if question.client_id is not None:
            return self.clients.get(question.client_id, MISSING_STATE)
        return self.registrations.get(question.registration, MISSING_STATE)  # type: ignore[arg-type]


def _check_registration(question: RegistrationQuestion) -> None:
    if question.client_id is not None and question.registration is not None:
        raise _MismatchError("client_id", _ONE_OF_REGISTRATION)
    if question.client_id is None and question.registration is None:
        raise _MismatchError("registration", _ONE_OF_REGISTRATION)


def registration_decision(
    policy: Policy, partner_type: str | None, partner_status: str, service: str, status: str
) -> Decision:
    """Return whether a registration is usable: its partner (of `partner_type`, in
    `partner_status`) may use its `service` now and it is not suspended; else
    `registration_suspended` with the policy's unlock paths of the service it lost (the restore
    path), or `not_found` (an unknown registration)."""
    if partner_status == NOT_FOUND:
        return _registration_not_found(policy)
    try:
        decision = policy.decide_partner_service(partner_type, partner_status, service)
    except PolicyInputError:  # a service this policy no longer has: nothing restores it
        decision = None
    if (
        decision is not None
        and decision.allowed
        and status != policy.registrations.suspended_status
    ):
        return policy.intern(True, ALLOWED, REGISTRATION_USABLE)
    if decision is None or decision.allowed:
        return policy.intern(
            False, RegistrationErrorCode.REGISTRATION_SUSPENDED, REGISTRATION_SUSPENDED
        )
    reason = Label(
        f"{REGISTRATION_SUSPENDED.ja}{decision.reason.ja}",
        f"{REGISTRATION_SUSPENDED.en} {decision.reason.en}",
    )
    return policy.intern(
        False, RegistrationErrorCode.REGISTRATION_SUSPENDED, reason, decision.unlock
    )


@cache
def _registration_not_found(policy: Policy) -> Decision:
    return make_decision(
        allowed=False,
        code=NOT_FOUND,
        reason=NO_SUCH_REGISTRATION,
        unlock=(),
        policy_version=policy.version,
    )


_views: list[Live] = []  # the last view handed out (one per process: one policy, one snapshot)


def live_view(policy: Policy, snapshot: Snapshot) -> Live:
    """Return a `Live` for the snapshot's current sequence, reusing the last one if it stands."""
    if _views and _views[0].current(policy, snapshot):
        return _views[0]
    view = Live(policy, snapshot)
    _views[:] = [view]
    return view


@cache
def registry_decisions(policy: Policy) -> tuple[dict[str, Decision], Decision]:
    """Return the decisions for a partner's blocking status (not found, suspended) and a
    missing account, built once per policy so that they carry its version."""

    # The partners app's own message, so that entitlements and decisions say the same.

    def denial(code: str, reason: Label) -> Decision:
        return make_decision(
            allowed=False, code=code, reason=reason, unlock=(), policy_version=policy.version
        )

    blocked = {NOT_FOUND: denial(NOT_FOUND, NO_SUCH_PARTNER)}
    for status in policy.statuses:  # the policy says which statuses allow nothing, and why
        denied = policy.status_denial(status)
        if denied is not None:
            blocked[status] = denied
    return blocked, denial(NOT_FOUND, NO_SUCH_ACCOUNT)


UseQuestion = ServiceQuestion | AccountQuestion  # may this partner use / hold `code`?


def decide_one(policy: Policy, question: Question) -> Decision:
    """Return the decision for one stateless question; raise PolicyInputError on unknown codes."""
    # `type(…) is`, not isinstance: this runs for every stateless question (docs/performance.md)
    if type(question) is ServiceQuestion:
        if question.partner_type is UNSET:
            raise _MismatchError("partner_type", _TYPE_OR_PARTNER)
        return policy.decide_service(question.partner_type, question.service)
    if type(question) is AccountQuestion:
        if question.partner_type is UNSET:
            raise _MismatchError("partner_type", _TYPE_OR_PARTNER)
        return policy.decide_account(question.partner_type, question.account)
    if type(question) is TransitionQuestion:
        return _decide_transition(policy, question)
    return _decide_action(policy, question)  # type: ignore[arg-type]  # the one kind left


def _answer_one(policy: Policy, question: Question, live: Live | None, state: int | None) -> bytes:
    """Return the JSON of one question's decision, from the snapshot when it names an id.

    `state` is the state of the partner the question names, when already looked up.
    """
    if type(question) is ServiceQuestion:
        if question.partner is not None:
            view, state = _live_state(question, question.partner, live, state)
            return view.by_partner(view.service_answers, state, question.service)
    elif type(question) is AccountQuestion:
        if question.partner is not None:
            view, state = _live_state(question, question.partner, live, state)
            return view.by_partner(view.account_answers, state, question.account)
    elif type(question) is ActionQuestion and _names_ids_only(question):
        return _decide_live_action(policy, question, _need(live))
    elif type(question) is RegistrationQuestion:
        view = _need(live)
        return view.by_registration(view.registration_state(question))
    return decide_one(policy, question).json


def _live_state(
    question: UseQuestion, partner: str, live: Live | None, state: int | None
) -> tuple[Live, int]:
    """Return the live view and the state of the partner a question names by id."""
    if question.partner_type is not UNSET:
        raise _MismatchError("partner", "give partner_type or partner, not both")
    view = _need(live)
    return view, view.state(partner) if state is None else state


def _need(live: Live | None) -> Live:
    if live is None:
        raise SnapshotUnavailableError("this question needs the registry snapshot")
    return live


def _decide_transition(policy: Policy, question: TransitionQuestion) -> Decision:
    known = policy.source.facts
    for name in question.facts:
        if not any(fact.code == name for fact in known):
            raise PolicyInputError(f"facts.{name}", f"unknown fact {name!r}")
    return policy.decide_move(question.from_, question.to, question.facts)


def _names_ids_only(question: ActionQuestion) -> bool:
    """Return whether the actor or an account target is given by id alone (needs the registry)."""
    target = question.target
    return question.actor.account is None or (target.type == "account" and target.account is None)


def _decide_action(policy: Policy, question: ActionQuestion) -> Decision:
    actor = Actor(question.actor.account, question.actor.id, question.actor.partner)  # type: ignore[arg-type]
    return policy.decide_action(
        actor, question.action, _target(question.target), question.attributes
    )


def _target(given: TargetIn) -> AccountTarget | CommunityTarget:
    """Return the target as the policy core takes it (an account's kind may still be None)."""
    if given.type == "community":
        if given.account is not None or given.partner is not None:
            field = "account" if given.account is not None else "partner"
            raise _MismatchError(f"target.{field}", "a community target has no account or partner")
        return CommunityTarget(given.id, given.support_app_partner)
    if given.support_app_partner is not None:
        raise _MismatchError("target.support_app_partner", "only a community target has it")
    if given.id is None:
        raise _MismatchError("target.id", "Object missing required field `id`")
    if given.account is None and given.partner is not None:
        raise _MismatchError("target.partner", _BY_ID)
    return AccountTarget(given.account, given.id, given.partner)  # type: ignore[arg-type]


def _decide_live_action(policy: Policy, question: ActionQuestion, live: Live) -> bytes:
    """Answer an action whose actor or account target is an account id in the registry."""
    if question.action not in policy.actions:
        raise PolicyInputError("action", f"unknown action {question.action!r}")
    target = _target(question.target)
    actor = _actor(question.actor, live)
    if actor is None:
        return live.stamp(live.no_account)
    if question.actor.account is None:  # a suspended partner is allowed nothing
        _, status = live.partner(actor.partner)  # type: ignore[arg-type]
        blocked = live.blocked.get(status)
        if blocked is not None:
            return live.stamp(blocked)
    if type(target) is AccountTarget and target.account is None:
        entry = live.accounts.get(target.id)
        if entry is None:
            return live.stamp(live.no_account)
        target = AccountTarget(entry[0], target.id, entry[1])
    return live.stamp(policy.decide_action(actor, question.action, target, question.attributes))


def _actor(given: ActorIn, live: Live) -> Actor | None:
    """Return the actor, from the registry when given by id (None: no such account)."""
    if given.account is not None:
        return Actor(given.account, given.id, given.partner)
    if given.partner is not None:
        raise _MismatchError("actor.partner", _BY_ID)
    entry = live.accounts.get(given.id)
    return None if entry is None else Actor(entry[0], given.id, entry[1])


BATCH_LOOKUP_MIN = 16  # from this many questions on, partner ids are looked up together


def answer(
    policy: Policy, questions: Sequence[Question], snapshot: Snapshot | None = None
) -> bytes:
    """Return `{"decisions":[…]}` for the questions, in order, as JSON bytes.

    Questions naming a registry id are answered from `snapshot` (SnapshotUnavailableError without
    one) and their decisions carry `"snapshot": N`.
    """
    return b'{"decisions":[' + b",".join(answer_parts(policy, questions, snapshot)) + b"]}"


def joined(parts: list[bytes]) -> bytes:
    """Return the answer body of the decisions' JSON `parts`."""
    return b'{"decisions":[' + b",".join(parts) + b"]}"


def answer_parts(
    policy: Policy, questions: Sequence[Question], snapshot: Snapshot | None = None
) -> list[bytes]:
    """Return the JSON of each question's decision, in order (see `answer`).

    A question's index is `len(parts)` when it fails.
    """
    live = None if snapshot is None else live_view(policy, snapshot)
    parts: list[bytes] = []
    append = parts.append
    try:
        for question in questions:
            if question.partner is not None:  # a partner id, or a registration question
                if type(question) is RegistrationQuestion and live is not None:
                    _answer_by_registration(policy, questions, live, parts)
                else:
                    _answer_by_partner(policy, questions, live, parts)
                break
            append(_answer_one(policy, question, live, None))
    except PolicyInputError as exc:
        raise QuestionError(len(parts), exc.field, exc.problem) from None
    except _MismatchError as exc:
        raise QuestionError(len(parts), exc.field, exc.problem, "invalid_request") from None
    return parts


_partner_of = attrgetter("partner")


def _answer_by_partner(
    policy: Policy, questions: Sequence[Question], live: Live | None, parts: list[bytes]
) -> None:
    """Answer `questions[len(parts):]`, the first of which names a partner, into `parts`.

    The partners of all the remaining questions are looked up in one `get_many` (their cache
    misses overlap); a service or account question by partner id is then one row of the live
    view's answers, inline here because this loop is the hot path of live decisions; anything
    else, and a row not filled yet, goes through `_answer_one`.
    """
    append = parts.append
    rest = questions[len(parts) :]
    if live is None:  # `_answer_one` refuses the first question that needs the snapshot
        for question in rest:
            append(_answer_one(policy, question, live, None))
        return
    ids = [p if p.__class__ is str else "" for p in map(_partner_of, rest)]
    table = live.partners
    states = table.get_many(ids) if len(ids) >= BATCH_LOOKUP_MIN else list(map(table.get, ids))
    service_rows, account_rows = live.service_answers.rows, live.account_answers.rows
    for question, state in zip(rest, states, strict=True):
        if type(question) is ServiceQuestion:
            rows, code, by_type = service_rows, question.service, question.partner_type
        elif type(question) is AccountQuestion:
            rows, code, by_type = account_rows, question.account, question.partner_type
        else:
            append(_answer_one(policy, question, live, None))
            continue
        if by_type is UNSET and question.partner is not None:
            try:
                append(rows[state][code])
                continue
            except LookupError:
                pass  # a row not filled yet
        append(_answer_one(policy, question, live, state))


def _answer_by_registration(
    policy: Policy, questions: Sequence[Question], live: Live, parts: list[bytes]
) -> None:
    """Answer `questions[len(parts):]`, the first of which is about a registration, into
    `parts`: the registration ids and client ids of all of them are looked up in one
    `get_many` per table, as `_answer_by_partner` does for partners."""
    append = parts.append
    rest = questions[len(parts) :]
    by_id: list[str] = []
    by_client: list[str] = []
    for question in rest:
        if type(question) is RegistrationQuestion:
            if question.client_id is None:
                by_id.append(question.registration or "")
            else:
                by_client.append(question.client_id)
    id_states = iter(_lookup(live.registrations, by_id))
    client_states = iter(_lookup(live.clients, by_client))
    answers = live.registration_answers
    for question in rest:
        if type(question) is not RegistrationQuestion:
            append(_answer_one(policy, question, live, None))
            continue
        if question.client_id is None:
            state = next(id_states)
            if question.registration is None:
                _check_registration(question)
        else:
            state = next(client_states)
            if question.registration is not None:
                _check_registration(question)
        stamped = answers.get(state)
        append(live.by_registration(state) if stamped is None else stamped)


def _lookup(table: PartnerTable, ids: list[str]) -> list[int]:
    return table.get_many(ids) if len(ids) >= BATCH_LOOKUP_MIN else list(map(table.get, ids))
