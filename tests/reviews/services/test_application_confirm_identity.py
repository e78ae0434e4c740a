"""application_confirm_identity: staff record the contact made, while in review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError
from devcenter.reviews.services import application_confirm_identity

pytestmark = pytest.mark.django_db


def test_staff_record_the_identity_confirmation(
    make_application: Callable[..., Any], staff: Any
) -> None:
    application = make_application("in_review")

    application = application_confirm_identity(
        application_id=application.public_id, acting_user=staff, note="  Called 03-0000-0000.  "
    )

    assert application.identity_confirmed_by == staff
    assert application.identity_confirmed_at is not None
    assert application.identity_confirmation_note == "Called 03-0000-0000."
    event = AuditEvent.objects.get(event_type="application.identity_confirmed")
    assert event.new == {"identity_confirmed": True, "confirmed_by": f"user:{staff.pk}"}
    assert "03-0000" not in str(event.new)  # the note (personal data) stays out of the log


@pytest.mark.parametrize("note", ["", "   "])
def test_a_note_is_required(
    note: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application("in_review")
    before = registry_state()

    with pytest.raises(InvalidError) as refused:
        application_confirm_identity(
            application_id=application.public_id, acting_user=staff, note=note
        )

    assert (refused.value.code, refused.value.field) == ("note_required", "note")
    assert registry_state() == before


@pytest.mark.parametrize("status", ["submitted", "needs_info", "rejected", "withdrawn"])
def test_identity_is_recorded_only_in_review(
    status: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application(status)
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_confirm_identity(
            application_id=application.public_id, acting_user=staff, note="x"
        )

    assert refused.value.code == "not_in_review"
    assert registry_state() == before
