"""Every cell of spec §2 (services), written out from the spec, not read from the policy file."""

import pytest

from devcenter.policy import Step

CC, CG, IC, IN, NONE = (
    "corporate_certified",
    "corporate_general",
    "individual_card",
    "individual",
    None,
)
COLUMNS = (CC, CG, IC, IN, NONE)
Y, N = True, False

SPEC_SERVICES = {
    "app_pc": (Y, N, Y, Y, N),
    "app_mobile": (Y, N, N, N, N),
    "app_smartphone": (Y, N, Y, N, N),
    "payment_program": (Y, N, N, N, N),
    "graph_api": (Y, N, Y, N, N),
    "plugin": (Y, Y, Y, Y, N),
    "page": (Y, Y, Y, Y, N),
    "page_app": (Y, N, Y, N, N),
    "openid": (Y, Y, Y, Y, Y),
    "simplepost": (Y, Y, Y, Y, Y),
}
CELLS = [(svc, col, row[i]) for svc, row in SPEC_SERVICES.items() for i, col in enumerate(COLUMNS)]


def test_policy_lists_exactly_the_spec_services(policy):
    assert set(policy.services) == set(SPEC_SERVICES)


@pytest.mark.parametrize(("service", "partner_type", "expected"), CELLS)
def test_service_cell_matches_spec(policy, service, partner_type, expected):
    decision = policy.decide_service(partner_type, service)
    assert decision.allowed is expected
    assert (decision.code == "allowed") is expected
    assert decision.reason.ja
    assert decision.reason.en


@pytest.mark.parametrize(("service", "partner_type", "expected"), CELLS)
def test_every_denial_is_unlockable_exactly_when_a_path_exists(
    policy, service, partner_type, expected
):
    decision = policy.decide_service(partner_type, service)
    if expected:
        assert decision.unlock == ()
        return
    assert decision.unlockable is bool(decision.unlock)
    for path in decision.unlock:
        # the path's last type allows it, and no earlier type on the path does
        assert policy.decide_service(path[-1].to, service).allowed
        assert not any(policy.decide_service(s.to, service).allowed for s in path[:-1])


@pytest.mark.parametrize(
    ("partner_type", "service", "code", "unlock"),
    [
        (IN, "graph_api", "requires_card", ((Step("register_card", IC),),)),
        (IN, "app_smartphone", "requires_card", ((Step("register_card", IC),),)),
        (IN, "page_app", "requires_card", ((Step("register_card", IC),),)),
        (CG, "app_pc", "requires_certification", ((Step("apply_certification", CC),),)),
        (CG, "payment_program", "requires_certification", ((Step("apply_certification", CC),),)),
        (IN, "payment_program", "corporate_only", ()),
        (IC, "payment_program", "corporate_only", ()),
        (IN, "app_mobile", "corporate_only", ()),
        (IC, "app_mobile", "corporate_only", ()),
    ],
)
def test_denial_code_and_shortest_unlock(policy, partner_type, service, code, unlock):
    decision = policy.decide_service(partner_type, service)
    assert (decision.code, decision.unlock) == (code, unlock)
    assert decision.unlockable is bool(unlock)


def test_unregistered_asking_for_graph_api_gets_every_path_shortest_first(policy):
    decision = policy.decide_service(None, "graph_api")
    assert decision.code == "not_registered"
    assert decision.unlock == (
        (Step("apply_certification", CC),),
        (Step("register_corporate_general", CG), Step("apply_certification", CC)),
        (Step("register_individual", IN), Step("register_card", IC)),
    )


def test_unregistered_plugin_paths_stop_at_the_first_allowing_type(policy):
    decision = policy.decide_service(None, "plugin")
    assert [len(p) for p in decision.unlock] == [1, 1, 1]
    assert {p[0].to for p in decision.unlock} == {CC, CG, IN}


@pytest.mark.parametrize("service", ["openid", "simplepost"])
def test_registration_free_services_say_so(policy, service):
    decision = policy.decide_service(None, service)
    assert decision.allowed
    assert "登録なし" in decision.reason.ja
    assert "without partner registration" in decision.reason.en


def test_decisions_are_shared_objects(policy):
    assert policy.decide_service(IN, "graph_api") is policy.decide_service(IN, "graph_api")


def test_decision_json_matches_its_fields(policy):
    import json

    decision = policy.decide_service(CG, "graph_api")
    assert json.loads(decision.json) == decision.as_dict()
    assert decision.as_dict()["policy_version"] == policy.version


@pytest.mark.parametrize(
    ("partner_type", "service", "field"),
    [
        ("corporate", "app_pc", "partner_type"),
        (CC, "app_tv", "service"),
        ("none", "app_pc", "partner_type"),
    ],
)
def test_unknown_codes_raise_input_error_naming_the_field(policy, partner_type, service, field):
    from devcenter.policy import PolicyInputError

    with pytest.raises(PolicyInputError) as caught:
        policy.decide_service(partner_type, service)
    assert caught.value.field == field
