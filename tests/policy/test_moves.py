"""Spec §4: moves between types, with the facts they need."""

import pytest

from devcenter.policy import PolicyInputError, Step

CC, CG, IC, IN, NONE = (
    "corporate_certified",
    "corporate_general",
    "individual_card",
    "individual",
    None,
)
LEGAL = {"legal_entity_registered": True}
USER = {"platform_user": True}


@pytest.mark.parametrize(
    ("source", "target", "facts", "allowed", "code"),
    [
        (NONE, CG, {}, True, "allowed"),
        (NONE, CC, LEGAL, True, "allowed"),
        (NONE, CC, {"legal_entity_registered": False}, False, "legal_entity_required"),
        (NONE, CC, {}, False, "legal_entity_required"),
        (NONE, IN, USER, True, "allowed"),
        (NONE, IN, {"platform_user": False}, False, "platform_user_required"),
        (CG, CC, LEGAL, True, "allowed"),
        (CG, CC, {}, False, "legal_entity_required"),
        (CC, CG, LEGAL, False, "no_downgrade"),
        (IN, IC, {}, True, "allowed"),
        (IC, IN, {}, True, "allowed"),
        (IN, CG, LEGAL, False, "individual_to_corporate"),
        (IN, CC, LEGAL, False, "individual_to_corporate"),
        (IC, CG, LEGAL, False, "individual_to_corporate"),
        (IC, CC, LEGAL, False, "individual_to_corporate"),
        (CG, IN, USER, False, "corporate_to_individual"),
        (CC, IC, USER, False, "corporate_to_individual"),
        (CC, CC, LEGAL, False, "no_change"),
    ],
)
def test_move_matches_spec(policy, source, target, facts, allowed, code):
    decision = policy.decide_move(source, target, facts)
    assert (decision.allowed, decision.code) == (allowed, code)
    assert decision.reason.ja
    assert decision.reason.en


@pytest.mark.parametrize(
    ("source", "target", "code"),
    [
        (CC, CG, "no_downgrade"),
        (IN, CC, "individual_to_corporate"),
        (IC, CG, "individual_to_corporate"),
    ],
)
def test_forbidden_moves_are_never_unlockable(policy, source, target, code):
    decision = policy.decide_move(source, target, LEGAL)
    assert (decision.code, decision.unlockable, decision.unlock) == (code, False, ())


def test_unregistered_to_card_individual_is_two_steps(policy):
    decision = policy.decide_move(NONE, IC, USER)
    assert decision.code == "no_such_move"
    assert decision.unlock == ((Step("register_individual", IN), Step("register_card", IC)),)


def test_card_lapse_is_automatic(policy):
    assert "自動" in policy.decide_move(IC, IN).reason.ja


def test_facts_not_needed_are_ignored(policy):
    assert policy.decide_move(IN, IC, {"legal_entity_registered": False}).allowed


@pytest.mark.parametrize(
    ("source", "target", "field"),
    [("bogus", CG, "from"), (NONE, "bogus", "to"), (NONE, None, "to")],
)
def test_unknown_types_name_the_field(policy, source, target, field):
    with pytest.raises(PolicyInputError) as caught:
        policy.decide_move(source, target, {})
    assert caught.value.field == field
