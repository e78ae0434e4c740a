"""application_start_review: submitted -> in_review by staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError
from devcenter.reviews.errors import STATUS_EN, NotFoundError
from devcenter.reviews.services import application_start_review

pytestmark = pytest.mark.django_db


def test_staff_take_a_submitted_application_into_review(
    make_application: Callable[..., Any], staff: Any
) -> None:
    application = make_application()

    application = application_start_review(application_id=application.public_id, acting_user=staff)

    assert (application.status, application.reviewer) == ("in_review", staff)
    event = AuditEvent.objects.get(event_type="application.in_review")
    assert (event.actor, event.old, event.new) == (
        f"user:{staff.pk}",
        {"status": "submitted"},
        {"status": "in_review", "kind": "upgrade"},
    )


@pytest.mark.parametrize("status", ["in_review", "needs_info", "approved", "rejected", "withdrawn"])
def test_only_a_submitted_application_goes_into_review(
    status: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application(status)
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_start_review(application_id=application.public_id, acting_user=staff)

    assert refused.value.code == "invalid_status_move"
    assert STATUS_EN[status] in refused.value.en  # the status in words
    assert registry_state() == before


def test_an_unknown_application_is_not_found(staff: Any) -> None:
    with pytest.raises(NotFoundError) as refused:
        application_start_review(application_id="apl_nope", acting_user=staff)

    assert refused.value.code == "application_not_found"
