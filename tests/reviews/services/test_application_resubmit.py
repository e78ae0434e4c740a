"""application_resubmit: needs_info -> submitted; new documents supersede old ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError, NotFoundError
from devcenter.reviews.services import application_resubmit
from tests.reviews.conftest import stored_files
from tests.reviews.factories import MembershipFactory, StaffFactory, pdf_upload, upload

pytestmark = pytest.mark.django_db


def test_resubmission_with_a_new_certificate_supersedes_the_old_one(
    make_application: Callable[..., Any], owner: Any, media_root: Path
) -> None:
    application = make_application("needs_info")
    old = application.documents.get(kind="registry_certificate")
    events_before = AuditEvent.objects.count()

    application = application_resubmit(
        acting_user=owner,
        application_id=application.public_id,
        registry_certificate=pdf_upload("page2.pdf"),
    )

    assert application.status == "submitted"
    old.refresh_from_db()
    assert old.superseded
    current = application.documents.filter(superseded=False)
    assert sorted(current.values_list("kind", flat=True)) == [
        "application_form",
        "registry_certificate",
    ]
    assert current.get(kind="registry_certificate").original_name == "page2.pdf"
    assert len(stored_files(media_root)) == 3  # the old file is kept until the purge
    events = list(AuditEvent.objects.filter(sequence__gt=events_before))
    assert [e.event_type for e in events] == ["application.submitted", "document.uploaded"]
    assert (events[0].old, events[0].new) == (
        {"status": "needs_info"},
        {"status": "submitted", "kind": "upgrade"},
    )
    assert events[1].new["supersedes"] == [old.public_id]
    assert events[1].new["kind"] == "registry_certificate"


def test_resubmission_without_documents_keeps_the_current_ones(
    make_application: Callable[..., Any], owner: Any
) -> None:
    application = make_application("needs_info")

    application = application_resubmit(acting_user=owner, application_id=application.public_id)

    assert application.status == "submitted"
    assert application.documents.filter(superseded=False).count() == 2


@pytest.mark.parametrize("status", ["submitted", "in_review", "approved", "rejected", "withdrawn"])
def test_only_a_needs_info_application_is_resubmitted(
    status: str,
    make_application: Callable[..., Any],
    owner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application(status)
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_resubmit(
            acting_user=owner, application_id=application.public_id, application_form=pdf_upload()
        )

    # The policy refuses first: staff have not asked for more information.
    assert refused.value.code == "application_not_awaiting_answer"
    assert registry_state() == before  # the new file was not left behind either


def test_a_bad_document_is_refused_and_nothing_written(
    make_application: Callable[..., Any],
    owner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application("needs_info")
    before = registry_state()

    with pytest.raises(InvalidError) as refused:
        application_resubmit(
            acting_user=owner,
            application_id=application.public_id,
            application_form=upload("form.pdf", b"MZ\x90\x00" + b"\x00" * 60),
        )

    assert (refused.value.code, refused.value.field) == (
        "unsupported_document_type",
        "application_form",
    )
    assert registry_state() == before


@pytest.mark.parametrize("who", ["member_of_other", "staff"])
def test_only_members_resubmit(
    who: str,
    make_application: Callable[..., Any],
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application("needs_info")
    user = MembershipFactory().user if who == "member_of_other" else StaffFactory()
    before = registry_state()

    with pytest.raises(NotFoundError) as refused:
        application_resubmit(acting_user=user, application_id=application.public_id)

    assert refused.value.code == "application_not_found"
    assert registry_state() == before
