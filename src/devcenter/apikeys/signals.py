"""In-process hooks run after a key change commits (plain callables, not Django signals).

The decision plane appends a callable here to refresh its in-memory keyring at once in the
process that made the change; other processes notice through ``apikey_generation()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

on_keys_changed: list[Callable[[], None]] = []


def keys_changed() -> None:
    """Call every hook; a failing hook is logged and never undoes the committed change."""
    for hook in list(on_keys_changed):
        try:
            hook()
        except Exception:
            logger.exception("on_keys_changed hook %r failed", hook)
