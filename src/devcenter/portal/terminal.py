"""Plain-text tables for the terminal, aligned by display width (Japanese takes two columns)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import groupby

from devcenter.portal.selectors import Matrix

YES_MARK = "○"
NO_MARK = "×"
GAP = "  "
# Where a column label may be split into the spec's two header rows:
# "法人・認定パートナー" -> 法人 / 認定パートナー, "Corporate, certified" -> Corporate / certified.
_HEADER_SPLIT = re.compile(r"・|, ")


def display_width(text: str) -> int:
    """Return how many terminal columns `text` takes: wide and full-width characters take two."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def pad(text: str, width: int, align: str = "left") -> str:
    """Return `text` padded with spaces to `width` display columns (`left` or `center`)."""
    missing = max(0, width - display_width(text))
    if align == "center":
        return " " * (missing // 2) + text + " " * (missing - missing // 2)
    return text + " " * missing


def header_lines(label: str) -> tuple[str, str]:
    """Return a column label as (group, name): the spec's two header rows."""
    parts = _HEADER_SPLIT.split(label, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", label)


def render_matrix(matrix: Matrix, corner: str) -> list[str]:
    """Return `matrix` as aligned lines: two header rows, a rule, one line per row."""
    headers = [header_lines(column.label) for column in matrix.columns]
    widths = [max(display_width(name), 3) for _, name in headers]
    first = max(display_width(corner), *(display_width(row.label) for row in matrix.rows))
    names = [name for _, name in headers]
    lines = [_group_line(headers, widths, first), _line(corner, names, widths, first)]
    lines.append("-" * display_width(lines[-1]))
    for row in matrix.rows:
        marks = [YES_MARK if cell.allowed else NO_MARK for cell in row.cells]
        lines.append(_line(row.label, marks, widths, first))
    return [line.rstrip() for line in lines]


def _line(label: str, cells: Sequence[str], widths: Sequence[int], first: int) -> str:
    centred = (pad(cell, width, "center") for cell, width in zip(cells, widths, strict=True))
    return GAP.join([pad(label, first), *centred])


def _group_line(headers: list[tuple[str, str]], widths: list[int], first: int) -> str:
    """Return the top header row: each group label centred over the columns it spans."""
    cells = [" " * first]
    index = 0
    for group, run in groupby(group for group, _ in headers):
        span = len(list(run))
        width = sum(widths[index : index + span]) + len(GAP) * (span - 1)
        cells.append(pad(group, width, "center"))
        index += span
    return GAP.join(cells)
