"""The live view's tables (no database): a snapshot filled by hand, answered in process."""

import json

import pytest

from devcenter.decision_plane.answer import QuestionError, answer, live_view
from devcenter.decision_plane.partner_table import PartnerTable
from devcenter.decision_plane.schema import decode_body
from devcenter.decision_plane.snapshot import MISSING_STATE, Snapshot
from devcenter.policy import default_policy

POLICY = default_policy()


@pytest.fixture
def snapshot():
    snapshot = Snapshot()
    snapshot.partners["ptn_general"] = snapshot._state("corporate_general", "active")
    snapshot.partners["ptn_card"] = snapshot._state("individual_card", "active")
    snapshot.partners["ptn_frozen"] = snapshot._state("individual_card", "suspended")
    snapshot.sequence, snapshot.loaded = 41, True
    return snapshot


def ask(snapshot, *requests):
    body = json.dumps({"requests": list(requests)}).encode()
    return json.loads(answer(POLICY, decode_body(body).requests, snapshot))["decisions"]


def service(partner, code="graph_api"):
    return {"kind": "service", "partner": partner, "service": code}


def account(partner, code="partner_account"):
    return {"kind": "account", "partner": partner, "account": code}


def expected(decision, at):
    return {**decision.as_dict(), "snapshot": at}


def test_each_state_answers_as_the_policy_core_says(snapshot):
    asked = [service("ptn_general"), service("ptn_card"), account("ptn_general")]

    # twice: the second time from the filled tables
    for _ in range(2):
        assert ask(snapshot, *asked) == [
            expected(POLICY.decide_service("corporate_general", "graph_api"), 41),
            expected(POLICY.decide_service("individual_card", "graph_api"), 41),
            expected(POLICY.decide_account("corporate_general", "partner_account"), 41),
        ]


def test_unknown_and_suspended_partners_are_denied(snapshot):
    unknown, frozen = ask(snapshot, service("ptn_nobody"), account("ptn_frozen"))

    assert (unknown["allowed"], unknown["code"]) == (False, "not_found")
    assert (frozen["allowed"], frozen["code"]) == (False, "partner_suspended")
    assert snapshot.partner("ptn_nobody") == snapshot.states[MISSING_STATE]


def test_the_view_is_kept_until_the_sequence_moves(snapshot):
    first = live_view(POLICY, snapshot)
    assert live_view(POLICY, snapshot) is first

    snapshot.partners["ptn_general"] = snapshot._state("corporate_certified", "active")
    snapshot.sequence = 42

    assert live_view(POLICY, snapshot) is not first
    (decision,) = ask(snapshot, service("ptn_general", "payment_program"))
    assert decision == expected(POLICY.decide_service("corporate_certified", "payment_program"), 42)


def test_a_reloaded_snapshot_gets_a_new_view(snapshot):
    first = live_view(POLICY, snapshot)
    snapshot.partners = PartnerTable([("ptn_general", snapshot.partners["ptn_general"])])

    assert live_view(POLICY, snapshot) is not first


def test_a_bad_code_after_table_hits_names_its_own_index(snapshot):
    ask(snapshot, service("ptn_card"))  # fills the row

    with pytest.raises(QuestionError) as raised:
        ask(snapshot, service("ptn_card"), service("ptn_card"), service("ptn_card", "no_such"))

    assert (raised.value.index, raised.value.field) == (2, "service")


def test_questions_by_id_without_a_snapshot_are_refused():
    from devcenter.decision_plane.answer import SnapshotUnavailableError

    body = json.dumps({"requests": [service("ptn_card")]}).encode()
    with pytest.raises(SnapshotUnavailableError):
        answer(POLICY, decode_body(body).requests, None)


@pytest.mark.parametrize("many", [False, True], ids=["one by one", "in one batch"])
def test_questions_by_id_after_stateless_ones_in_any_mix(snapshot, many):
    """The lookup path starts at the first question by id; the rest may be of any kind."""
    mixed = [
        {"kind": "service", "partner_type": "individual", "service": "graph_api"},
        service("ptn_card"),
        {"kind": "transition", "from": None, "to": "individual", "facts": {"platform_user": True}},
        account("ptn_nobody"),
        {"kind": "account", "partner_type": "corporate_general", "account": "partner_account"},
        service("ptn_frozen", "app_pc"),
    ] * (5 if many else 1)

    decisions = ask(snapshot, *mixed)

    codes = [(d["allowed"], d["code"], "snapshot" in d) for d in decisions[:6]]
    assert codes == [
        (POLICY.decide_service("individual", "graph_api").allowed, codes[0][1], False),
        (True, POLICY.decide_service("individual_card", "graph_api").code, True),
        (True, codes[2][1], False),
        (False, "not_found", True),
        (False, codes[4][1], False),
        (False, "partner_suspended", True),
    ]
    assert decisions == decisions[:6] * (5 if many else 1)
