"""application_approve: in_review -> approved, and the partner is certified in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError
from devcenter.reviews.services import application_approve

pytestmark = pytest.mark.django_db


def test_approval_certifies_the_partner_and_tells_the_applicant(
    make_application: Callable[..., Any],
    staff: Any,
    owner: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = make_application("in_review", identity=True)

    with django_capture_on_commit_callbacks(execute=True):
        application = application_approve(application_id=application.public_id, acting_user=staff)

    assert application.status == "approved"
    assert (application.reviewer, application.decided_at is not None) == (staff, True)
    application.partner.refresh_from_db()
    assert application.partner.partner_type == "corporate_certified"
    event = AuditEvent.objects.get(event_type="application.approved")
    assert (event.actor, event.old, event.new) == (
        f"user:{staff.pk}",
        {"status": "in_review"},
        {"status": "approved", "kind": "upgrade"},
    )
    assert AuditEvent.objects.filter(
        event_type="partner.type_changed", partner=application.partner.public_id
    ).exists()
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "承認" in mail.subject
    assert "approved" in mail.subject
    assert application.public_id in mail.body


def test_approval_of_a_new_corporation_activates_the_pending_partner(
    make_application: Callable[..., Any], staff: Any, partner: Any
) -> None:
    partner.partner_type, partner.status = None, "pending"
    partner.save()
    application = make_application("in_review", identity=True)
    assert application.kind == "new"

    application_approve(application_id=application.public_id, acting_user=staff)

    partner.refresh_from_db()
    assert (partner.partner_type, partner.status) == ("corporate_certified", "active")


def test_the_identity_confirmation_is_required(
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
    mailoutbox: list[Any],
) -> None:
    application = make_application("in_review")
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_approve(application_id=application.public_id, acting_user=staff)

    assert refused.value.code == "identity_not_confirmed"
    assert registry_state() == before
    assert mailoutbox == []


@pytest.mark.parametrize("change", ["superseded", "purged"])
def test_both_current_documents_are_required(
    change: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application("in_review", identity=True)
    form = application.documents.filter(kind="application_form")
    if change == "superseded":
        form.update(superseded=True)
    else:
        form.update(purged_at=timezone.now())
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_approve(application_id=application.public_id, acting_user=staff)

    assert refused.value.code == "documents_missing"
    assert "application_form" in refused.value.en
    assert registry_state() == before


@pytest.mark.parametrize("status", ["submitted", "needs_info", "approved", "rejected", "withdrawn"])
def test_only_an_application_in_review_is_approved(
    status: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application(status)
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_approve(application_id=application.public_id, acting_user=staff)

    assert refused.value.code == "invalid_status_move"
    assert registry_state() == before


def test_a_refused_partner_move_rolls_the_approval_back(
    make_application: Callable[..., Any],
    staff: Any,
    partner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    """Given the organisation turned out unregistered, the policy refuses and nothing is kept."""
    application = make_application("in_review", identity=True)
    partner.legal_entity_registered = False
    partner.save()
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_approve(application_id=application.public_id, acting_user=staff)

    assert refused.value.code == "legal_entity_required"
    assert registry_state() == before
