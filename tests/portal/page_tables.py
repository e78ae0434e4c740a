"""Read the landing page's tables back from its HTML."""

from __future__ import annotations

from html.parser import HTMLParser


class _MatrixReader(HTMLParser):
    """Collect, for one table, `{row code: {column code: (mark, spoken text)}}`."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.row: str | None = None
        self.column: str | None = None
        self.hidden = False
        self.cells: dict[str, dict[str, list[str]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.inside = found.get("id") == self.table_id
        elif self.inside and tag == "tr" and found.get("data-code"):
            self.row = found["data-code"]
            self.cells[self.row] = {}
        elif self.inside and tag == "td" and self.row and found.get("data-column"):
            self.column = found["data-column"]
            self.cells[self.row][self.column] = ["", ""]
        elif tag == "span" and self.column:
            self.hidden = "visually-hidden" in (found.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif tag == "td":
            self.column = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.row and self.column and data.strip():
            self.cells[self.row][self.column][1 if self.hidden else 0] += data.strip()


def matrix_cells(html: str, table_id: str) -> dict[str, dict[str, tuple[str, str]]]:
    """Return the marks of table `table_id`: `{row: {column: (mark, accessible text)}}`."""
    reader = _MatrixReader(table_id)
    reader.feed(html)
    return {
        row: {column: (mark, text) for column, (mark, text) in cells.items()}
        for row, cells in reader.cells.items()
    }
