"""In/Out shapes of the reviews API operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Schema

from devcenter.api_support.params import MaxLen, NotBlank, refused_as
from devcenter.reviews import errors
from devcenter.reviews.models import CertificationApplication, Document
from devcenter.reviews.selectors import QueueEntry, application_documents

DOCUMENT_PATH = "/api/v1/documents/{id}"
STAFF_DOCUMENT_PATH = "/api/v1/staff/documents/{id}"
NOTE_MAX = 2000


class DocumentOut(Schema):
    """A document's metadata; the bytes are at `download_url` (members and staff only)."""

    id: str
    kind: str
    content_type: str
    size: int
    sha256: str
    original_name: str
    uploaded_at: datetime
    superseded: bool
    purged_at: datetime | None
    download_url: str | None

    @staticmethod
    def resolve_id(document: Document) -> str:
        return document.public_id

    @staticmethod
    def resolve_download_url(document: Document) -> str | None:
        if document.purged_at is not None:
            return None
        return DOCUMENT_PATH.format(id=document.public_id)


class ApplicationOut(Schema):
    """A certification application as its applicant sees it."""

    id: str
    partner: str
    kind: str
    status: str
    submitted_at: datetime
    identity_confirmed_at: datetime | None
    needs_info_note: str
    decision_reason_ja: str
    decision_reason_en: str
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime
    documents: list[DocumentOut]

    @staticmethod
    def resolve_id(application: CertificationApplication) -> str:
        return application.public_id

    @staticmethod
    def resolve_partner(application: CertificationApplication) -> str:
        return application.partner.public_id

    @staticmethod
    def resolve_documents(application: CertificationApplication) -> list[Document]:
        return list(application_documents(application=application))


class StaffDocumentOut(DocumentOut):
    """A document's metadata for staff: the bytes are at the staff API's `download_url`."""

    @staticmethod
    def resolve_download_url(document: Document) -> str | None:
        if document.purged_at is not None:
            return None
        return STAFF_DOCUMENT_PATH.format(id=document.public_id)


class StaffApplicationOut(ApplicationOut):
    """An application as staff see it: with the partner's name and the review record."""

    documents: list[StaffDocumentOut]  # type: ignore[assignment]
    partner_name: str
    reviewer: str | None
    identity_confirmation_note: str
    age_seconds: int

    @staticmethod
    def resolve_partner_name(application: CertificationApplication) -> str:
        return application.partner.registration_name

    @staticmethod
    def resolve_reviewer(application: CertificationApplication) -> str | None:
        reviewer = application.reviewer
        return None if reviewer is None else reviewer.get_username()

    @staticmethod
    def resolve_age_seconds(application: CertificationApplication) -> int:
        return int((timezone.now() - application.submitted_at).total_seconds())


class QueueItemOut(Schema):
    """One application in the review queue, with how long it has waited."""

    id: str
    partner: str
    partner_name: str
    kind: str
    status: str
    submitted_at: datetime
    age_seconds: int

    @staticmethod
    def from_entry(entry: QueueEntry) -> QueueItemOut:
        application = entry.application
        return QueueItemOut(
            id=application.public_id,
            partner=application.partner.public_id,
            partner_name=application.partner.registration_name,
            kind=application.kind,
            status=application.status,
            submitted_at=application.submitted_at,
            age_seconds=int(entry.age.total_seconds()),
        )


class NoteIn(Schema):
    """What staff write down: not blank (`note_required`)."""

    note: Annotated[str, NotBlank, MaxLen(NOTE_MAX), refused_as(errors.note_required)]


class RejectIn(Schema):
    """The rejection's reason in both languages, neither blank (`reason_required`)."""

    reason_ja: Annotated[
        str, NotBlank, MaxLen(NOTE_MAX), refused_as(lambda: errors.reason_required("reason_ja"))
    ]
    reason_en: Annotated[
        str, NotBlank, MaxLen(NOTE_MAX), refused_as(lambda: errors.reason_required("reason_en"))
    ]
