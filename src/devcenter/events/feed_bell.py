"""A bell the feed's long-polls and the webhook worker wait on.

It rings in-process after an audit append commits (an audit hook) and, on PostgreSQL, when
the process's one LISTEN thread (`audit_listener`) hears another process's append. A waiter
takes `mark()` before it looks for work and then `wait(seconds, since=mark)`: a ring between
the look and the wait is not lost.
"""

from __future__ import annotations

import threading

_condition = threading.Condition()
_rung = 0


def ring(sequence: int = 0) -> None:
    """Wake every waiter (an audit hook: `sequence` is the committed one)."""
    global _rung  # noqa: PLW0603 (one counter per process)
    with _condition:
        _rung += 1
        _condition.notify_all()


def mark() -> int:
    """Return how often the bell has rung so far (pass it to `wait` as `since`)."""
    with _condition:
        return _rung


def wait(seconds: float, *, since: int | None = None) -> bool:
    """Sleep up to `seconds`, or until the bell rings after `since` (default: now); return
    whether it rang."""
    with _condition:
        start = _rung if since is None else since
        return _condition.wait_for(lambda: _rung != start, timeout=seconds)
