"""`devcenter decide service`: one service question, in text or as the API's JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devcenter.policy import Policy


def _run(*args: str) -> str:
    out = StringIO()
    call_command("decide", "service", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("partner_type", "service"),
    [
        ("individual", "graph_api"),
        ("corporate_certified", "payment_program"),
        ("individual", "payment_program"),
        ("none", "openid"),
        ("none", "app_pc"),
    ],
)
def test_json_is_the_decision(policy: Policy, partner_type: str, service: str) -> None:
    output = _run("--partner-type", partner_type, "--service", service, "--json")

    expected = policy.decide_service(None if partner_type == "none" else partner_type, service)
    assert json.loads(output) == expected.as_dict()


def test_omitted_partner_type_means_not_registered(policy: Policy) -> None:
    output = _run("--service", "app_pc", "--json")

    assert json.loads(output) == policy.decide_service(None, "app_pc").as_dict()


def test_text_denial_shows_code_reason_and_unlock_steps_in_english(policy: Policy) -> None:
    output = _run("--partner-type", "individual", "--service", "graph_api", "--lang", "en")

    decision = policy.decide_service("individual", "graph_api")
    assert "Decision:" in output
    assert "denied [requires_card]" in output
    assert decision.reason.en in output
    assert "Unlock (shortest first):" in output
    assert "1. Register and verify a credit card → Individual, card registered" in output


def test_text_is_japanese_by_default(policy: Policy) -> None:
    output = _run("--partner-type", "corporate_certified", "--service", "payment_program")

    assert "判定:" in output
    assert "許可 [allowed]" in output
    assert policy.decide_service("corporate_certified", "payment_program").reason.ja in output
    assert "解除方法" not in output


def test_text_says_when_nothing_can_unlock(policy: Policy) -> None:
    output = _run("--partner-type", "individual", "--service", "payment_program", "--lang", "en")

    assert "denied" in output
    assert "Unlock: not possible" in output


def test_multi_step_unlock_paths_are_numbered_with_continuation_lines() -> None:
    output = _run("--service", "app_mobile", "--lang", "en")

    lines = output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  1. "))
    assert "Corporate, certified" in lines[first]
    assert any(line.startswith("     then ") for line in lines[first:])


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--partner-type", "company", "--service", "app_pc"], "partner_type"),
        (["--partner-type", "individual", "--service", "chat"], "service"),
    ],
)
def test_unknown_code_is_a_command_error_naming_the_field(args: list[str], field: str) -> None:
    with pytest.raises(CommandError, match=rf"^{field}: unknown .*expected one of") as error:
        _run(*args)

    assert error.value.returncode == 2


def test_missing_service_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="--service"):
        _run("--partner-type", "individual")


def test_at_without_a_partner_is_refused_not_ignored() -> None:
    with pytest.raises(CommandError, match=r"^at: needs --partner ID") as error:
        _run("--partner-type", "individual", "--service", "graph_api", "--at", "2026-11-01T00:00Z")

    assert error.value.returncode == 2
