"""`devcenter decide transition`: may a partner move from one type to another, given facts?"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devcenter.policy import Policy


def _run(*args: str) -> str:
    out = StringIO()
    call_command("decide", "transition", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "from_type", "to_type", "facts"),
    [
        (
            ["--from", "corporate_certified", "--to", "corporate_general"],
            "corporate_certified",
            "corporate_general",
            {},
        ),
        (
            ["--from", "individual", "--to", "corporate_general"],
            "individual",
            "corporate_general",
            {},
        ),
        (["--from", "individual", "--to", "individual_card"], "individual", "individual_card", {}),
        (["--to", "corporate_certified"], None, "corporate_certified", {}),
        (
            [
                "--from",
                "none",
                "--to",
                "corporate_certified",
                "--fact",
                "legal_entity_registered=true",
            ],
            None,
            "corporate_certified",
            {"legal_entity_registered": True},
        ),
        (
            [
                "--from",
                "corporate_general",
                "--to",
                "corporate_certified",
                "--fact",
                "legal_entity_registered=false",
            ],
            "corporate_general",
            "corporate_certified",
            {"legal_entity_registered": False},
        ),
        (
            ["--to", "individual", "--fact", "platform_user"],
            None,
            "individual",
            {"platform_user": True},
        ),
    ],
)
def test_json_is_the_decision(
    policy: Policy, args: list[str], from_type: str | None, to_type: str, facts: dict[str, bool]
) -> None:
    output = _run(*args, "--json")

    assert json.loads(output) == policy.decide_move(from_type, to_type, facts).as_dict()


def test_certified_to_general_is_never_allowed(policy: Policy) -> None:
    output = _run("--from", "corporate_certified", "--to", "corporate_general", "--lang", "en")

    assert "denied [no_downgrade]" in output
    assert policy.decide_move("corporate_certified", "corporate_general").reason.en in output
    assert "Unlock: not possible" in output


def test_text_lists_the_facts_given() -> None:
    output = _run(
        "--to", "corporate_certified", "--fact", "legal_entity_registered=yes", "--lang", "en"
    )

    assert "Facts:" in output
    assert "the organisation is legally registered [legal_entity_registered]: yes" in output
    assert "allowed [allowed]" in output


def test_missing_fact_counts_as_false(policy: Policy) -> None:
    output = _run("--to", "corporate_certified", "--json")

    assert json.loads(output)["allowed"] is False
    assert json.loads(output)["code"] == policy.decide_move(None, "corporate_certified", {}).code


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (
            ["--from", "startup", "--to", "corporate_general"],
            r"^from: unknown partner type 'startup'",
        ),
        (["--to", "corporate_premium"], r"^to: unknown partner type 'corporate_premium'"),
        (["--to", "individual", "--fact", "adult=true"], r"^fact: unknown fact 'adult'"),
        (
            ["--to", "individual", "--fact", "platform_user=maybe"],
            r"^fact: platform_user: 'maybe' is not",
        ),
    ],
)
def test_bad_input_is_a_command_error_naming_the_field(args: list[str], pattern: str) -> None:
    with pytest.raises(CommandError, match=pattern) as error:
        _run(*args)

    assert error.value.returncode == 2
