"""POST /api/v1/decisions by registry id: answered from the snapshot, stamped with its sequence."""

import pytest

from devcenter.accounts.models import AccountKind
from devcenter.partners import services as accounts
from devcenter.partners.services import partner_certify, partner_suspend
from devcenter.policy import AccountTarget, Actor, default_policy
from tests.decision_plane.live_registry import (
    account_of,
    corporate_general,
    corporate_pending,
    individual,
    sequence,
    user_account_of,
)

POLICY = default_policy()


@pytest.fixture
def snapshot(application):
    """The application's snapshot, loaded afresh for this test's database."""
    application.snapshot.reload()
    return application.snapshot


def decide(client, *requests, min_snapshot=None):
    """POST the questions, with `min_snapshot` at the top level when given."""
    body: dict = {"requests": list(requests)}
    if min_snapshot is not None:
        body["min_snapshot"] = min_snapshot
    return client.request("POST", "/api/v1/decisions", json_body=body)


def stamped(decision, at: int) -> dict:
    return {**decision.as_dict(), "snapshot": at}


def certified():
    partner = corporate_general()
    return partner_certify(partner=partner, actor="system")


def service(partner_id: str, code: str = "graph_api") -> dict:
    return {"kind": "service", "partner": partner_id, "service": code}


def action(name: str, actor_id: str, target_id: str) -> dict:
    return {
        "kind": "action",
        "action": name,
        "actor": {"id": actor_id},
        "target": {"id": target_id},
    }


def test_service_and_account_by_partner_id_follow_its_type(client, snapshot):
    general, person = corporate_general(), individual()
    at = sequence()
    reply = decide(
        client,
        service(general.public_id),
        service(person.public_id),
        {"kind": "account", "partner": general.public_id, "account": "partner_account"},
        min_snapshot=at,
    )
    assert reply.status == 200, reply.body
    assert reply.body["decisions"] == [
        stamped(POLICY.decide_service("corporate_general", "graph_api"), at),
        stamped(POLICY.decide_service("individual", "graph_api"), at),
        stamped(POLICY.decide_account("corporate_general", "partner_account"), at),
    ]


def test_pending_partner_answers_like_not_registered(client, snapshot):
    pending = corporate_pending()
    (decision,) = decide(client, service(pending.public_id, "payment_program")).body["decisions"]
    assert decision == stamped(POLICY.decide_service(None, "payment_program"), snapshot.sequence)


def test_suspended_partner_is_allowed_nothing(client, snapshot):
    partner = certified()
    allowed_before = decide(client, service(partner.public_id, "openid")).body["decisions"][0]
    assert allowed_before["allowed"] is True
    partner_suspend(partner_id=partner.public_id, actor="system", reason="test")
    account = account_of(partner, AccountKind.PARTNER_ACCOUNT)
    person = user_account_of(individual())
    reply = decide(
        client,
        service(partner.public_id, "openid"),
        {"kind": "account", "partner": partner.public_id, "account": "partner_account"},
        action("profile.view", account.public_id, person.public_id),
        min_snapshot=sequence(),
    )
    assert {(d["allowed"], d["code"]) for d in reply.body["decisions"]} == {
        (False, "partner_suspended")
    }
    assert reply.body["decisions"][0]["reason"]["en"]


def test_unknown_ids_are_not_found_decisions_not_errors(client, snapshot):
    person = user_account_of(individual())
    reply = decide(
        client,
        service("ptn_nosuchpartner"),
        {"kind": "account", "partner": "ptn_nosuchpartner", "account": "user_account"},
        action("message.send", "acc_nosuchaccount", person.public_id),
        action("message.send", person.public_id, "acc_nosuchaccount"),
        min_snapshot=sequence(),
    )
    assert reply.status == 200, reply.body
    first, second, third, fourth = reply.body["decisions"]
    assert first == second
    assert (first["allowed"], first["code"], first["unlockable"]) == (False, "not_found", False)
    assert first["reason"] == {"ja": "パートナーが見つかりません", "en": "No such partner"}
    assert first["policy_version"] == POLICY.version
    assert third == fourth
    assert (third["code"], third["reason"]["en"]) == ("not_found", "No such account")


def test_unknown_code_with_unknown_partner_is_still_422(client, snapshot):
    reply = decide(client, service("ptn_nosuchpartner", "app_tv"))
    assert (reply.status, reply.body["code"], reply.body["field"]) == (
        422,
        "unknown_code",
        "service",
    )


def test_account_ids_resolve_kind_and_partner(client, snapshot):
    """A partner account may not message a user; a user may message another user."""
    partner_account = account_of(certified(), AccountKind.PARTNER_ACCOUNT)
    alice, bob = individual(), individual()
    alice_account, bob_account = user_account_of(alice), user_account_of(bob)
    reply = decide(
        client,
        action("message.send", partner_account.public_id, alice_account.public_id),
        action("message.send", alice_account.public_id, bob_account.public_id),
        {
            "kind": "action",
            "action": "message.send",
            "actor": {"id": bob_account.public_id},
            "target": {"type": "account", "account": "user_account", "id": "u_outside"},
        },
        min_snapshot=sequence(),
    )
    at = reply.body["decisions"][0]["snapshot"]
    expected = POLICY.decide_action(
        Actor("partner_account", partner_account.public_id, partner_account.partner.public_id),
        "message.send",
        AccountTarget("user_account", alice_account.public_id, alice.public_id),
    )
    assert reply.body["decisions"][0] == stamped(expected, at)
    assert reply.body["decisions"][0]["allowed"] is False
    assert [d["allowed"] for d in reply.body["decisions"][1:]] == [True, True]


def test_deleted_account_is_not_found(client, snapshot):
    partner = certified()
    owner = partner.memberships.get().user
    test_account = accounts.test_account_create(
        partner_id=partner.public_id, display_name="t", acting_user=owner
    )
    person = user_account_of(individual())
    ask = action("profile.view", test_account.public_id, person.public_id)
    assert decide(client, ask, min_snapshot=sequence()).body["decisions"][0]["code"] != "not_found"
    accounts.test_account_delete(
        partner_id=partner.public_id, account_id=test_account.public_id, acting_user=owner
    )
    (decision,) = decide(client, ask, min_snapshot=sequence()).body["decisions"]
    assert decision["code"] == "not_found"


def test_stateless_questions_carry_no_snapshot(client, snapshot):
    (decision,) = decide(
        client, {"kind": "service", "partner_type": "individual", "service": "graph_api"}
    ).body["decisions"]
    assert decision == POLICY.decide_service("individual", "graph_api").as_dict()


def test_kind_given_keeps_an_action_stateless(client, snapshot):
    ask = {
        "kind": "action",
        "action": "message.send",
        "actor": {"account": "partner_account", "id": "a1", "partner": "ptn_x"},
        "target": {"account": "user_account", "id": "u1"},
    }
    (decision,) = decide(client, ask).body["decisions"]
    assert "snapshot" not in decision
    assert decision["code"] == "forbidden_for_partner_account"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"kind": "service", "service": "openid"}, "partner_type"),
        (
            {"kind": "service", "partner_type": None, "partner": "ptn_x", "service": "openid"},
            "partner",
        ),
        (
            {"kind": "account", "partner_type": "individual", "partner": "ptn_x", "account": "x"},
            "partner",
        ),
        ({"kind": "account", "account": "user_account"}, "partner_type"),
        (
            {
                "kind": "action",
                "action": "message.send",
                "actor": {"id": "acc_a", "partner": "ptn_x"},
                "target": {"id": "acc_b"},
            },
            "actor.partner",
        ),
        (
            {
                "kind": "action",
                "action": "message.send",
                "actor": {"id": "acc_a"},
                "target": {"type": "community", "id": "c", "account": "user_account"},
            },
            "target.account",
        ),
        (
            {
                "kind": "action",
                "action": "message.send",
                "actor": {"id": "acc_a"},
                "target": {"account": "user_account"},
            },
            "target.id",
        ),
    ],
)
def test_both_or_neither_is_422_naming_the_field(client, snapshot, question, field):
    reply = decide(client, question)
    assert reply.status == 422, reply.body
    assert (reply.body["code"], reply.body["index"], reply.body["field"]) == (
        "invalid_request",
        0,
        field,
    )


def test_read_your_write_with_min_snapshot(client, snapshot):
    """A change made in this process is answered at once when min_snapshot names it."""
    partner = corporate_general()
    assert decide(client, service(partner.public_id, "openid")).body["decisions"][0]["allowed"]
    partner_suspend(partner_id=partner.public_id, actor="system", reason="test")
    at = sequence()
    reply = decide(client, service(partner.public_id, "openid"), min_snapshot=at)
    assert reply.status == 200
    (decision,) = reply.body["decisions"]
    assert (decision["code"], decision["snapshot"]) == ("partner_suspended", at)


def test_min_snapshot_far_ahead_is_503_with_retry_after(client, snapshot, monkeypatch):
    monkeypatch.setattr(snapshot, "wait_seconds", 0.2)
    reply = decide(client, service("ptn_x"), min_snapshot=sequence() + 1000)
    assert (reply.status, reply.body["code"]) == (503, "snapshot_behind")
    assert reply.headers["retry-after"] == "1"
    assert reply.body["message"]


def test_min_snapshot_must_be_a_non_negative_integer(client, snapshot):
    reply = client.request(
        "POST", "/api/v1/decisions", json_body={"requests": [], "min_snapshot": -1}
    )
    assert (reply.status, reply.body["code"], reply.body["field"]) == (
        422,
        "invalid_request",
        "min_snapshot",
    )
