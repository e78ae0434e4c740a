"""In-process hooks run after an audit append commits (plain callables, not Django signals).

The decision plane's snapshot registers here to catch up at once in the process that made the
change; other processes learn of changes through NOTIFY (PostgreSQL) or by polling the sequence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

on_audit_appended: list[Callable[[int], None]] = []


def audit_appended(sequence: int) -> None:
    """Call every hook with the committed sequence; a failing hook is logged, never raised."""
    for hook in list(on_audit_appended):
        try:
            hook(sequence)
        except Exception:
            logger.exception("on_audit_appended hook %r failed", hook)
