"""The database's account kinds are exactly the policy's."""

from __future__ import annotations

from devcenter.accounts.models import AccountKind
from devcenter.policy import default_policy


def test_account_kind_choices_equal_the_policy_codes() -> None:
    assert set(AccountKind.values) == set(default_policy().accounts)
