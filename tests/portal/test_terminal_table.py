"""Terminal tables line up by display width, Japanese characters counting two columns."""

from __future__ import annotations

import pytest

from devcenter.policy import Policy
from devcenter.portal.selectors import account_matrix, service_matrix
from devcenter.portal.terminal import (
    NO_MARK,
    YES_MARK,
    display_width,
    header_lines,
    pad,
    render_matrix,
)


@pytest.mark.parametrize(
    ("text", "width"),
    [("abc", 3), ("法人", 4), ("mixiアプリ PC版", 15), ("ｱ", 1), ("○", 1), ("", 0)],
)
def test_display_width_counts_wide_characters_twice(text: str, width: int) -> None:
    assert display_width(text) == width


def test_pad_fills_to_display_width() -> None:
    assert pad("法人", 6) == "法人  "
    assert pad("○", 5, "center") == "  ○  "


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("法人・認定パートナー", ("法人", "認定パートナー")),
        ("Corporate, certified", ("Corporate", "certified")),
        ("未登録", ("", "未登録")),
    ],
)
def test_header_lines_split_group_and_name(label: str, lines: tuple[str, str]) -> None:
    assert header_lines(label) == lines


def _mark_columns(line: str) -> list[int]:
    """Return the display column of every mark on a line."""
    columns, at = [], 0
    for char in line:
        if char in (YES_MARK, NO_MARK):
            columns.append(at)
        at += display_width(char)
    return columns


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("build", [service_matrix, account_matrix])
def test_marks_line_up_in_every_row(policy: Policy, lang: str, build: object) -> None:
    matrix = build(policy, lang)  # type: ignore[operator]

    lines = render_matrix(matrix, "Service")
    body = lines[3:]

    assert len(body) == len(matrix.rows)
    positions = {tuple(_mark_columns(line)) for line in body}
    assert len(positions) == 1  # every row puts its marks in the same display columns
    (marks,) = positions
    assert len(marks) == len(matrix.columns)
    names, offset = lines[1], 0
    for column, position in zip(matrix.columns, marks, strict=True):
        name = header_lines(column.label)[1]
        offset = names.index(name, offset)  # in order: "未登録" is also inside "クレカ未登録"
        start = display_width(names[:offset])
        assert start <= position < start + display_width(name)  # mark under its header
        offset += len(name)
