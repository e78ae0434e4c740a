"""The Japanese message catalogs: every message translated, none fuzzy, the .mo built from the .po.

Japanese is the default language, so an untranslated or fuzzy entry shows English to every user.
"""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest

import devcenter

PACKAGE = Path(devcenter.__file__).parent
CATALOGS = sorted(PACKAGE.glob("**/locale/ja/LC_MESSAGES/django.po"))


def entries(po: Path) -> list[tuple[str, str, bool]]:
    """Return `(msgid, msgstr, fuzzy)` of each entry but the header (no plural forms used)."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        parts: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if line.startswith(("msgid ", "msgstr ")):
                current, _, rest = line.partition(" ")
                parts[current] = [rest]
            elif line.startswith('"') and current:
                parts[current].append(line)
        if "msgid" not in parts:
            continue
        msgid = "".join(ast.literal_eval(p) for p in parts["msgid"])
        msgstr = "".join(ast.literal_eval(p) for p in parts.get("msgstr", ['""']))
        if msgid:
            found.append((msgid, msgstr, fuzzy))
    return found


def test_there_are_catalogs():
    assert len(CATALOGS) >= 2  # the package's and the staff console's


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated_and_none_is_fuzzy(po: Path):
    problems = [msgid for msgid, msgstr, fuzzy in entries(po) if fuzzy or not msgstr]

    assert problems == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_compiled_catalog_matches_the_source(po: Path):
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    stale = [msgid for msgid, msgstr, _ in entries(po) if compiled.gettext(msgid) != msgstr]

    assert stale == []
