"""A bell the feed's long-polls wait on: rung in-process after an audit append commits.

Other processes' changes are seen by the long-poll's periodic re-check (every
`EVENTS_POLL_SECONDS`); the bell only makes a change in this process visible at once.
"""

from __future__ import annotations

import threading

_condition = threading.Condition()
_rung = 0


def ring(sequence: int) -> None:
    """Wake every waiting long-poll (an audit hook: `sequence` is the committed one)."""
    global _rung  # noqa: PLW0603 (one counter per process)
    with _condition:
        _rung += 1
        _condition.notify_all()


def wait(seconds: float) -> None:
    """Sleep up to `seconds`, or until the bell rings."""
    with _condition:
        start = _rung
        _condition.wait_for(lambda: _rung != start, timeout=seconds)
