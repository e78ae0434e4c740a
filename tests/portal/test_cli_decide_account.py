"""`devcenter decide account`: may a partner type hold an account?"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devcenter.policy import Policy


def _run(*args: str) -> str:
    out = StringIO()
    call_command("decide", "account", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("partner_type", "account"),
    [
        ("corporate_certified", "partner_account"),
        ("corporate_general", "partner_account"),
        ("corporate_certified", "user_account"),
        ("individual", "user_account"),
        ("corporate_general", "general_partner_account"),
    ],
)
def test_json_is_the_decision(policy: Policy, partner_type: str, account: str) -> None:
    output = _run("--partner-type", partner_type, "--account", account, "--json")

    assert json.loads(output) == policy.decide_account(partner_type, account).as_dict()


def test_text_shows_the_question_and_the_unlock_step(policy: Policy) -> None:
    output = _run(
        "--partner-type", "corporate_general", "--account", "partner_account", "--lang", "en"
    )

    decision = policy.decide_account("corporate_general", "partner_account")
    assert "Partner type:" in output
    assert "Corporate, general [corporate_general]" in output
    assert "Partner account [partner_account]" in output
    assert f"denied [{decision.code}]" in output
    assert decision.reason.en in output
    assert "→ Corporate, certified [corporate_certified]" in output


def test_corporate_partner_never_holds_a_user_account() -> None:
    output = _run(
        "--partner-type", "corporate_certified", "--account", "user_account", "--lang", "en"
    )

    assert "denied" in output
    assert "Unlock: not possible" in output


def test_unknown_account_is_a_command_error_naming_the_field() -> None:
    with pytest.raises(CommandError, match=r"^account: unknown account 'admin'") as error:
        _run("--partner-type", "individual", "--account", "admin")

    assert error.value.returncode == 2


def test_at_without_a_partner_is_refused_not_ignored() -> None:
    with pytest.raises(CommandError, match=r"^at: needs --partner ID") as error:
        call_command(
            "decide", "account", "--partner-type", "individual", "--account", "user_account",
            "--at", "2026-11-01T00:00:00Z", stdout=StringIO(),
        )  # fmt: skip

    assert error.value.returncode == 2
