"""application_submit_new: a new corporation applies for certification directly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, InvalidError
from devcenter.partners.services import CorporateDetails
from devcenter.reviews.services import application_submit_new
from tests.partners.factories import corporate_details
from tests.reviews.conftest import stored_files
from tests.reviews.factories import UserFactory, pdf_upload, tiny_jpeg, upload

pytestmark = pytest.mark.django_db


def details(*, registered: bool = True) -> CorporateDetails:
    return corporate_details(registration_name="Kumo Games", legal_entity_registered=registered)


def test_a_new_corporation_becomes_a_pending_partner_with_an_open_application(
    media_root: Path,
) -> None:
    user = UserFactory()

    application = application_submit_new(
        acting_user=user,
        details=details(),
        registry_certificate=pdf_upload("登記簿.pdf"),
        application_form=upload("form.jpg", tiny_jpeg(), "image/jpeg"),
    )

    partner = application.partner
    assert (partner.partner_type, partner.status) == (None, "pending")
    assert partner.memberships.get().user == user
    assert (application.kind, application.status) == ("new", "submitted")
    assert application.submitted_by == user
    documents = {d.kind: d for d in application.documents.all()}
    assert documents["registry_certificate"].content_type == "application/pdf"
    assert documents["registry_certificate"].original_name == "登記簿.pdf"
    assert documents["application_form"].content_type == "image/jpeg"
    names = [Path(d.file.name).name for d in documents.values()]
    assert all(name.endswith((".pdf", ".jpg")) and "form" not in name for name in names)
    assert len(stored_files(media_root)) == 2
    submitted = AuditEvent.objects.get(event_type="application.submitted")
    assert (submitted.target_id, submitted.partner) == (application.public_id, partner.public_id)
    assert submitted.new == {"status": "submitted", "kind": "new"}
    assert AuditEvent.objects.filter(event_type="document.uploaded").count() == 2
    assert AuditEvent.objects.filter(event_type="partner.registered").count() == 1


def test_an_unregistered_organisation_is_refused_with_the_policy_code_and_nothing_written(
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    user = UserFactory()
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_submit_new(
            acting_user=user,
            details=details(registered=False),
            registry_certificate=pdf_upload(),
            application_form=pdf_upload("form.pdf"),
        )

    assert refused.value.code == "legal_entity_required"
    assert refused.value.status == 409
    assert registry_state() == before


@pytest.mark.parametrize("bad_field", ["registry_certificate", "application_form"])
def test_an_executable_named_pdf_is_refused_and_nothing_written(
    bad_field: str, registry_state: Callable[[], dict[str, Any]]
) -> None:
    user = UserFactory()
    before = registry_state()
    files = {"registry_certificate": pdf_upload(), "application_form": pdf_upload("f.pdf")}
    files[bad_field] = upload("x.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64)

    with pytest.raises(InvalidError) as refused:
        application_submit_new(acting_user=user, details=details(), **files)

    assert (refused.value.code, refused.value.field) == ("unsupported_document_type", bad_field)
    assert registry_state() == before


def test_a_20_mb_document_is_refused_and_nothing_written(
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    user = UserFactory()
    before = registry_state()
    big = upload("big.pdf", b"%PDF-1.4\n" + b"\x00" * (20 * 1024 * 1024))

    with pytest.raises(InvalidError) as refused:
        application_submit_new(
            acting_user=user,
            details=details(),
            registry_certificate=big,
            application_form=pdf_upload(),
        )

    assert (refused.value.code, refused.value.field) == (
        "document_too_large",
        "registry_certificate",
    )
    assert registry_state() == before


def test_a_missing_document_is_refused(registry_state: Callable[[], dict[str, Any]]) -> None:
    user = UserFactory()
    before = registry_state()

    with pytest.raises(InvalidError) as refused:
        application_submit_new(
            acting_user=user,
            details=details(),
            registry_certificate=pdf_upload(),
            application_form=None,  # type: ignore[arg-type]
        )

    assert (refused.value.code, refused.value.field) == ("document_required", "application_form")
    assert registry_state() == before
