"""The Graph API scope catalogue: the scopes a client may ask a user for, with their labels.

Read from the policy file's `[[graph_api_scopes]]` entries by the loader; the authorization
server (`devcenter.oauth`) knows no scope that is not listed here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from devcenter.policy.model import Label

if TYPE_CHECKING:
    from devcenter.policy.loader import _Reader

SECTION = "graph_api_scopes"
# RFC 6749 §3.3 scope-token characters, kept to what the catalogue uses: no space, no quote.
_SCOPE_CODE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class GraphApiScope:
    """One scope: its code (as sent in `scope=`) and what it allows, in Japanese and English."""

    code: str
    label: Label


def read_graph_api_scopes(r: _Reader, doc: Mapping[str, Any]) -> tuple[GraphApiScope, ...]:
    """Return the checked catalogue: every entry has a well-formed, unique code and both labels."""
    if SECTION not in doc:
        return ()
    result = []
    for where, entry in r.entries(doc, SECTION):
        code = r.text(entry, "code", where)
        if not _SCOPE_CODE.fullmatch(code):
            raise r.fail(f"{where}.code", f"{code!r} is not a scope code (a-z, 0-9, _)")
        result.append(GraphApiScope(code, r.label(entry, where)))
    r.unique([s.code for s in result], SECTION)
    return tuple(result)
