"""application_request_info: in_review -> needs_info, saying what is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError
from devcenter.reviews.services import application_request_info

pytestmark = pytest.mark.django_db


def test_staff_ask_for_what_is_missing_and_the_applicant_is_told(
    make_application: Callable[..., Any],
    staff: Any,
    owner: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = make_application("in_review")

    with django_capture_on_commit_callbacks(execute=True):
        application = application_request_info(
            application_id=application.public_id, acting_user=staff, note="申込書の2ページ目"
        )

    assert (application.status, application.needs_info_note) == ("needs_info", "申込書の2ページ目")
    assert application.decided_at is None  # not a decision: the applicant resubmits
    event = AuditEvent.objects.get(event_type="application.needs_info")
    assert (event.old, event.new) == (
        {"status": "in_review"},
        {"status": "needs_info", "kind": "upgrade"},
    )
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "申込書の2ページ目" in mail.body
    assert "More information" in mail.subject


def test_a_note_is_required(
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application("in_review")
    before = registry_state()

    with pytest.raises(InvalidError) as refused:
        application_request_info(application_id=application.public_id, acting_user=staff, note=" ")

    assert (refused.value.code, refused.value.field) == ("note_required", "note")
    assert registry_state() == before


@pytest.mark.parametrize("status", ["submitted", "needs_info", "approved", "rejected", "withdrawn"])
def test_only_an_application_in_review_needs_info(
    status: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application(status)
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_request_info(application_id=application.public_id, acting_user=staff, note="x")

    assert refused.value.code == "invalid_status_move"
    assert registry_state() == before
