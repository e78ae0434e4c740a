"""`devcenter decisions tail` on a log it cannot read: one clear line, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation


def test_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("decisions", "tail", "--path", str(tmp_path), stdout=io.StringIO())

    assert str(refused.value) == f"Cannot read the decision log {tmp_path}: Is a directory"


def test_a_file_that_is_not_text_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    path.write_bytes(b'{"decision_id":"dec_1"}\n\xff\xfe\n')

    with translation.override("ja"), pytest.raises(CommandError, match="判定ログ .* を読めません"):
        call_command("decisions", "tail", "--path", str(path), stdout=io.StringIO())


def test_pretty_shows_a_line_that_is_not_json_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    path.write_text('{"decision_id":"dec_1"}\n{"decision_id":"dec_2","tim', encoding="utf-8")
    out = io.StringIO()

    call_command("decisions", "tail", "--pretty", "--path", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "{",
        '  "decision_id": "dec_1"',
        "}",
        '{"decision_id":"dec_2","tim',
    ]


def test_no_log_with_the_rate_at_zero_says_why(settings, tmp_path: Path) -> None:
    settings.DEVCENTER_DECISION_LOG_RATE = 0.0
    settings.DEVCENTER_DECISION_LOG_PATH = str(tmp_path / "decisions.jsonl")

    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("decisions", "tail", stdout=io.StringIO())

    assert str(refused.value) == (
        f"No decision log at {tmp_path / 'decisions.jsonl'} "
        "(DEVCENTER_DECISION_LOG_RATE is 0: no decision is logged)"
    )
