"""Every cell of spec §3 (accounts), written out from the spec."""

import pytest

from devcenter.policy import Step

CC, CG, IC, IN = "corporate_certified", "corporate_general", "individual_card", "individual"
COLUMNS = (CC, CG, IC, IN)
Y, N = True, False

SPEC_ACCOUNTS = {
    "partner_account": (Y, N, N, N),
    "partner_test_account": (Y, N, N, N),
    "user_account": (N, N, Y, Y),
    # §3 text: a corporate general partner works through a restricted general_partner_account.
    "general_partner_account": (N, Y, N, N),
}
CELLS = [(acc, col, row[i]) for acc, row in SPEC_ACCOUNTS.items() for i, col in enumerate(COLUMNS)]


@pytest.mark.parametrize(("account", "partner_type", "expected"), CELLS)
def test_account_cell_matches_spec(policy, account, partner_type, expected):
    decision = policy.decide_account(partner_type, account)
    assert decision.allowed is expected
    assert decision.reason.ja
    assert decision.reason.en


@pytest.mark.parametrize("account", list(SPEC_ACCOUNTS))
def test_nobody_unregistered_holds_an_account(policy, account):
    decision = policy.decide_account(None, account)
    assert (decision.allowed, decision.code, decision.unlockable) == (False, "not_registered", True)


def test_general_partner_unlocks_partner_account_by_certification(policy):
    decision = policy.decide_account(CG, "partner_account")
    assert decision.code == "requires_certification"
    assert decision.unlock == ((Step("apply_certification", CC),),)


@pytest.mark.parametrize("partner_type", [CC, CG])
def test_a_corporation_never_holds_a_user_account(policy, partner_type):
    decision = policy.decide_account(partner_type, "user_account")
    assert (decision.allowed, decision.code, decision.unlockable, decision.unlock) == (
        False,
        "individual_only",
        False,
        (),
    )


@pytest.mark.parametrize(
    ("partner_type", "account"), [(IN, "partner_account"), (IC, "partner_test_account")]
)
def test_individuals_never_hold_partner_accounts(policy, partner_type, account):
    decision = policy.decide_account(partner_type, account)
    assert (decision.code, decision.unlockable) == ("corporate_only", False)


def test_certified_partner_cannot_go_back_to_a_general_partner_account(policy):
    decision = policy.decide_account(CC, "general_partner_account")
    assert (decision.allowed, decision.unlockable) == (False, False)
