"""The certification application's status pipeline: one dict of allowed moves (django-oscar).

This is the application's own life cycle (who may act and when), not a partner-program rule:
whether a partner may become certified is decided by `devcenter.policy`.
"""

from __future__ import annotations

from devcenter.reviews.errors import invalid_status_move
from devcenter.reviews.models import ApplicationStatus as S

# status -> the statuses it may move to.
APPLICATION_PIPELINE: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.IN_REVIEW, S.WITHDRAWN),
    S.IN_REVIEW: (S.APPROVED, S.REJECTED, S.NEEDS_INFO, S.WITHDRAWN),
    S.NEEDS_INFO: (S.SUBMITTED, S.WITHDRAWN),
    S.APPROVED: (),
    S.REJECTED: (),
    S.WITHDRAWN: (),
}

# Open: the partner's one current application. Decided: final, documents purged later.
OPEN_STATUSES: tuple[str, ...] = (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO)
DECIDED_STATUSES: tuple[str, ...] = (S.APPROVED, S.REJECTED, S.WITHDRAWN)


def check_status_move(current: str, target: str) -> None:
    """Raise ConflictError `invalid_status_move` unless the pipeline allows current -> target."""
    if target not in APPLICATION_PIPELINE.get(current, ()):
        raise invalid_status_move(current, target)
