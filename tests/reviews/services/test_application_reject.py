"""application_reject: in_review -> rejected, with the reason in Japanese and English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError
from devcenter.reviews.services import application_reject

pytestmark = pytest.mark.django_db


def test_rejection_keeps_both_reasons_and_tells_the_applicant(
    make_application: Callable[..., Any],
    staff: Any,
    owner: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = make_application("in_review")

    with django_capture_on_commit_callbacks(execute=True):
        application = application_reject(
            application_id=application.public_id,
            acting_user=staff,
            reason_ja=" 登記簿の期限切れ ",
            reason_en="The registry certificate is outdated.",
        )

    assert application.status == "rejected"
    assert (application.decision_reason_ja, application.decision_reason_en) == (
        "登記簿の期限切れ",
        "The registry certificate is outdated.",
    )
    assert application.decided_at is not None
    application.partner.refresh_from_db()
    assert application.partner.partner_type == "corporate_general"  # unchanged
    event = AuditEvent.objects.get(event_type="application.rejected")
    assert (event.old, event.new) == (
        {"status": "in_review"},
        {"status": "rejected", "kind": "upgrade"},
    )
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "登記簿の期限切れ" in mail.body
    assert "The registry certificate is outdated." in mail.body


@pytest.mark.parametrize(
    ("reason_ja", "reason_en", "field"),
    [("", "Why", "reason_ja"), ("理由", " ", "reason_en"), ("", "", "reason_ja")],
)
def test_both_reasons_are_required(
    reason_ja: str,
    reason_en: str,
    field: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application("in_review")
    before = registry_state()

    with pytest.raises(InvalidError) as refused:
        application_reject(
            application_id=application.public_id,
            acting_user=staff,
            reason_ja=reason_ja,
            reason_en=reason_en,
        )

    assert (refused.value.code, refused.value.field, refused.value.status) == (
        "reason_required",
        field,
        422,
    )
    assert registry_state() == before


@pytest.mark.parametrize("status", ["submitted", "needs_info", "approved", "rejected", "withdrawn"])
def test_only_an_application_in_review_is_rejected(
    status: str,
    make_application: Callable[..., Any],
    staff: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application(status)
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_reject(
            application_id=application.public_id, acting_user=staff, reason_ja="x", reason_en="x"
        )

    assert refused.value.code == "invalid_status_move"
    assert registry_state() == before
