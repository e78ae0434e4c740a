"""POST /api/v1/decisions: each request kind, in order, with the policy version."""

import pytest

from devcenter.policy import default_policy

POLICY = default_policy()


def test_service_question(client):
    reply = client.decide({"kind": "service", "partner_type": "individual", "service": "graph_api"})
    assert reply.status == 200
    (decision,) = reply.body["decisions"]
    assert decision == POLICY.decide_service("individual", "graph_api").as_dict()
    assert decision["code"] == "requires_card"
    assert decision["unlock"] == [[{"step": "register_card", "to": "individual_card"}]]
    assert decision["policy_version"] == POLICY.version


def test_unregistered_service_question(client):
    (decision,) = client.decide(
        {"kind": "service", "partner_type": None, "service": "openid"}
    ).body["decisions"]
    assert decision["allowed"] is True


def test_account_question(client):
    (decision,) = client.decide(
        {"kind": "account", "partner_type": "corporate_general", "account": "partner_account"}
    ).body["decisions"]
    assert (decision["allowed"], decision["code"]) == (False, "requires_certification")


@pytest.mark.parametrize(
    ("source", "target", "facts", "code"),
    [
        (None, "corporate_certified", {"legal_entity_registered": False}, "legal_entity_required"),
        (None, "individual", {"platform_user": True}, "allowed"),
        ("corporate_certified", "corporate_general", {}, "no_downgrade"),
        (
            "individual",
            "corporate_general",
            {"legal_entity_registered": True},
            "individual_to_corporate",
        ),
    ],
)
def test_transition_question(client, source, target, facts, code):
    reply = client.decide({"kind": "transition", "from": source, "to": target, "facts": facts})
    assert reply.body["decisions"][0]["code"] == code


def test_action_questions(client):
    reply = client.decide(
        {
            "kind": "action",
            "action": "message.send",
            "actor": {"account": "partner_account", "id": "a1", "partner": "ptn_1"},
            "target": {"type": "account", "account": "user_account", "id": "u1", "partner": None},
        },
        {
            "kind": "action",
            "action": "profile.view",
            "actor": {"account": "user_account", "id": "u1"},
            "target": {
                "type": "account",
                "account": "general_partner_account",
                "id": "g1",
                "partner": "ptn_2",
            },
        },
        {
            "kind": "action",
            "action": "community.post",
            "actor": {"account": "partner_account", "id": "a1", "partner": "ptn_1"},
            "target": {"type": "community", "id": "c1", "support_app_partner": "ptn_1"},
        },
        {
            "kind": "action",
            "action": "content.post",
            "actor": {"account": "general_partner_account", "id": "g1", "partner": "ptn_2"},
            "target": {
                "type": "account",
                "account": "general_partner_account",
                "id": "g1",
                "partner": "ptn_2",
            },
            "attributes": {"content_type": "diary", "visibility": "private"},
        },
    )
    assert reply.status == 200
    codes = [d["code"] for d in reply.body["decisions"]]
    assert codes == ["forbidden_for_partner_account", "not_found", "allowed", "allowed"]


def test_answers_keep_request_order(client):
    requests = [
        {"kind": "service", "partner_type": t, "service": s}
        for t in [*POLICY.partner_types, None]
        for s in POLICY.services
    ]
    reply = client.decide(*requests)
    expected = [POLICY.decide_service(r["partner_type"], r["service"]).as_dict() for r in requests]
    assert reply.body["decisions"] == expected


def test_ten_thousand_requests_are_accepted(client):
    requests = [{"kind": "service", "partner_type": "individual", "service": "app_pc"}] * 10_000
    reply = client.decide(*requests)
    assert reply.status == 200
    assert len(reply.body["decisions"]) == 10_000


def test_reasons_are_in_both_languages(client):
    (decision,) = client.decide(
        {"kind": "service", "partner_type": "individual", "service": "app_mobile"}
    ).body["decisions"]
    assert decision["reason"]["ja"].startswith("「mixiアプリ モバイル版」")
    assert "mixi app (mobile)" in decision["reason"]["en"]
