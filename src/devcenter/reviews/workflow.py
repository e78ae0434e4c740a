"""The certification application's status pipeline: one dict of allowed moves (django-oscar).

This is the application's own life cycle (who may act and when), not a partner-program rule:
whether a partner may become certified is decided by `devcenter.policy`.
"""

from __future__ import annotations

from enum import StrEnum

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


class ReviewStep(StrEnum):
    """The step of a review that comes next, in the order staff take them."""

    START_REVIEW = "start_review"  # submitted (or resubmitted): take it into review
    CONFIRM_IDENTITY = "confirm_identity"  # in review: contact the applicant and record it
    DECIDE = "decide"  # in review, identity confirmed: approve, reject or ask for information
    AWAIT_APPLICANT = "await_applicant"  # needs info: the applicant answers (resubmits)
    DECIDED = "decided"  # approved, rejected or withdrawn: nothing left to do


# The staff's steps in order (the review panel lists them so).
REVIEW_STEPS: tuple[ReviewStep, ...] = (
    ReviewStep.START_REVIEW,
    ReviewStep.CONFIRM_IDENTITY,
    ReviewStep.DECIDE,
)


def next_review_step(status: str, *, identity_confirmed: bool) -> ReviewStep:
    """Return the step that comes next for an application in `status`."""
    if status == S.SUBMITTED:
        return ReviewStep.START_REVIEW
    if status == S.IN_REVIEW:
        return ReviewStep.DECIDE if identity_confirmed else ReviewStep.CONFIRM_IDENTITY
    if status == S.NEEDS_INFO:
        return ReviewStep.AWAIT_APPLICANT
    return ReviewStep.DECIDED
