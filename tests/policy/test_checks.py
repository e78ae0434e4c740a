"""`devcenter policy check`: invariants and tests over the whole request space."""

from importlib.resources import files

import pytest

from devcenter.policy import PolicyFileError, default_policy, load_policy, space
from devcenter.policy.checks import check_policy, require_checks_pass

SHIPPED = files("devcenter.policy").joinpath("mixi_platform.toml").read_text(encoding="utf-8")
PAYMENT_ROW = (
    "payment_program = { corporate_certified = true, corporate_general = false, "
    "individual_card = false"
)


def broken(old: str, new: str) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, 1)


def failures_of(text: str) -> list:
    return check_policy(load_policy(text)).failures


def test_the_shipped_policy_passes_every_invariant_and_test():
    report = check_policy(default_policy())

    assert report.ok, [f.line() for f in report.failures]
    assert report.invariants >= 7
    assert report.tests >= 8
    assert report.requests == len(list(space.requests(default_policy())))


def test_the_space_holds_each_request_once():
    requests = [r.key() for r in space.requests(default_policy())]
    assert len(requests) == len(set(requests))


def test_one_flipped_matrix_cell_is_caught_with_its_counterexample():
    text = broken(
        PAYMENT_ROW, PAYMENT_ROW.replace("individual_card = false", "individual_card = true")
    )

    failures = failures_of(text)

    assert [f.check for f in failures] == ["invariant:no_individual_payment"]
    assert failures[0].request["service"] == "payment_program"
    assert failures[0].request["partner_type"] == "individual_card"
    assert failures[0].decision["allowed"] is True
    with pytest.raises(PolicyFileError, match="no_individual_payment"):
        require_checks_pass(load_policy(text))


def test_a_move_that_loses_a_service_breaks_moves_keep():
    row = (
        "plugin          = { corporate_certified = true, corporate_general = true,  "
        "individual_card = true,"
    )
    text = broken(row, row.replace("individual_card = true", "individual_card = false"))

    checks = [f.check for f in failures_of(text)]

    assert "invariant:own_moves_lose_nothing" in checks


def test_a_status_that_allows_the_type_while_promising_nothing_is_caught():
    text = broken(
        '\nallows = "nothing"\ndenial_code = "partner_suspended"',
        '\nallows = "type"',
    )

    checks = [f.check for f in failures_of(text)]

    assert "test:a suspended certified partner may not use apps" in checks


def test_a_denial_neither_unlockable_nor_final_is_caught():
    text = broken('"individual_only", "partner_suspended"]', '"partner_suspended"]')

    failures = failures_of(text)

    assert any(f.check == "invariant:every_denial_unlockable_or_final" for f in failures)
    assert any(f.decision["code"] == "individual_only" for f in failures)


def test_a_wrong_expectation_fails_its_test():
    text = broken('expect_code = "requires_card"', 'expect_code = "requires_certification"')

    failures = failures_of(text)

    assert [f.check for f in failures] == ["test:an individual needs a card for the Graph API"]
    assert failures[0].decision["code"] == "requires_card"


def test_an_unknown_rule_is_a_file_error():
    with pytest.raises(PolicyFileError, match="unknown rule"):
        check_policy(load_policy(broken('rule = "moves_keep"', 'rule = "moves_kept"')))
