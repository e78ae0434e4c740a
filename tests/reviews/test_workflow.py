"""The application status pipeline: every pair of statuses, allowed or refused with its code."""

from __future__ import annotations

import itertools

import pytest

from devcenter.errors import ConflictError
from devcenter.reviews.models import ApplicationStatus
from devcenter.reviews.workflow import APPLICATION_PIPELINE, check_status_move

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
    assert current in refused.value.en
    assert target in refused.value.en
    assert refused.value.ja
