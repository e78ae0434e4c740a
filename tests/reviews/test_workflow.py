"""The application status pipeline: every pair of statuses, allowed or refused with its code."""

from __future__ import annotations

import itertools

import pytest

from devcenter.errors import ConflictError
from devcenter.reviews.errors import STATUS_EN
from devcenter.reviews.models import ApplicationStatus
from devcenter.reviews.workflow import (
    APPLICATION_PIPELINE,
    ReviewStep,
    check_status_move,
    next_review_step,
)

ALLOWED = {
    ("submitted", "in_review"),
    ("submitted", "withdrawn"),
    ("in_review", "approved"),
    ("in_review", "rejected"),
    ("in_review", "needs_info"),
    ("in_review", "withdrawn"),
    ("needs_info", "submitted"),
    ("needs_info", "withdrawn"),
}


def test_the_pipeline_covers_every_status() -> None:
    assert set(APPLICATION_PIPELINE) == set(ApplicationStatus.values)


@pytest.mark.parametrize(
    ("current", "target"), sorted(itertools.product(ApplicationStatus.values, repeat=2))
)
def test_move(current: str, target: str) -> None:
    if (current, target) in ALLOWED:
        check_status_move(current, target)
        return
    with pytest.raises(ConflictError) as refused:
        check_status_move(current, target)
    assert refused.value.code == "invalid_status_move"
    assert refused.value.status == 409
    assert STATUS_EN[current] in refused.value.en  # in words, never the codes
    assert STATUS_EN[target] in refused.value.en
    assert refused.value.ja


def test_a_move_refused_before_the_review_starts_names_the_step() -> None:
    with pytest.raises(ConflictError) as refused:
        check_status_move("submitted", "approved")

    assert refused.value.en.endswith("Start the review first.")
    assert refused.value.ja.endswith("先に「審査を開始」してください。")


@pytest.mark.parametrize(
    ("status", "confirmed", "step"),
    [
        ("submitted", False, ReviewStep.START_REVIEW),
        ("in_review", False, ReviewStep.CONFIRM_IDENTITY),
        ("in_review", True, ReviewStep.DECIDE),
        ("needs_info", True, ReviewStep.AWAIT_APPLICANT),
        ("approved", True, ReviewStep.DECIDED),
        ("rejected", False, ReviewStep.DECIDED),
        ("withdrawn", False, ReviewStep.DECIDED),
    ],
)
def test_the_next_review_step(status: str, confirmed: bool, step: ReviewStep) -> None:
    assert next_review_step(status, identity_confirmed=confirmed) == step
