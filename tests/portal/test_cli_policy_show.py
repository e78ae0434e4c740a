"""`devcenter policy show`: the matrices as text with marks, or the whole policy as JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devcenter.policy import Policy


def _run(*args: str) -> str:
    out = StringIO()
    call_command("policy", *args, stdout=out)
    return out.getvalue()


def _row(output: str, label: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(label + " "))


def test_text_is_japanese_by_default_with_version_and_marks(policy: Policy) -> None:
    output = _run("show")

    assert policy.version in output
    assert "ご利用可能なサービス" in output
    assert "保有できるアカウント" in output
    assert "法人" in output
    assert "個人" in output
    row = _row(output, policy.label("service", "payment_program").ja)
    assert row.split()[-5:] == ["○", "×", "×", "×", "×"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_service_and_account_row_matches_the_policy(policy: Policy, lang: str) -> None:
    output = _run("show", "--lang", lang)

    for service in policy.services:
        marks = _row(output, policy.label("service", service).get(lang)).split()[-5:]
        expected = [
            "○" if policy.decide_service(t, service).allowed else "×"
            for t in [*policy.partner_types, None]
        ]
        assert marks == expected, service
    for account in policy.accounts:
        marks = _row(output, policy.label("account", account).get(lang)).split()[-4:]
        expected = [
            "○" if policy.decide_account(t, account).allowed else "×" for t in policy.partner_types
        ]
        assert marks == expected, account


def test_english_text_uses_english_labels(policy: Policy) -> None:
    output = _run("show", "--lang", "en")

    assert "Services (○ available, × not available)" in output
    assert "Corporate" in output
    assert "Not registered" in output
    assert policy.label("service", "payment_program").ja not in output


def test_json_is_the_policy_description(policy: Policy) -> None:
    assert json.loads(_run("show", "--json")) == policy.describe()


def test_unknown_language_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="--lang"):
        _run("show", "--lang", "fr")
