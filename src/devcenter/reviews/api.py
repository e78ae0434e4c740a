"""The reviews part of the registry API: certification applications, documents, staff review.

Applicants' operations are for members of the partner only (staff who are not members get
404, like strangers); staff read and decide through `staff_router` (`staff_auth()`).
"""

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from devcenter.api_support.auth import staff_auth, staff_of, user_of
from devcenter.api_support.idempotency import idempotent
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import PathText
from devcenter.partners.schemas import CorporateDetailsIn
from devcenter.reviews import selectors, services
from devcenter.reviews.documents import document_response
from devcenter.reviews.models import ApplicationStatus, CertificationApplication, Document
from devcenter.reviews.schemas import (
    ApplicationOut,
    NoteIn,
    QueueItemOut,
    RejectIn,
    StaffApplicationOut,
)

router = Router(tags=["applications"])
staff_router = Router(tags=["staff"], auth=staff_auth())

_DOCUMENT_CONTENT = {
    media: {"schema": {"type": "string", "format": "binary"}}
    for media in ("application/pdf", "image/png", "image/jpeg")
}
UPLOADS = (
    "multipart/form-data: `registry_certificate` and `application_form` (PDF, PNG, JPEG, ≤ 10 MB)"
)


# ---------------------------------------------------------------- applicant


@router.post("/applications", response={201: ApplicationOut, **errors(409, 413)})
@idempotent
def application_submit_new(
    request: HttpRequest,
    payload: Form[CorporateDetailsIn],
    registry_certificate: File[UploadedFile],
    application_form: File[UploadedFile],
) -> Status[Any]:
    """Apply for certification as a new corporation (a pending partner until approved)."""
    application = services.application_submit_new(
        acting_user=user_of(request),
        details=payload.details(),
        registry_certificate=registry_certificate,
        application_form=application_form,
    )
    return Status(201, application)


@router.post(
    "/partners/{partner_id}/applications", response={201: ApplicationOut, **errors(409, 413)}
)
@idempotent
def application_submit_upgrade(
    request: HttpRequest,
    partner_id: PathText,
    registry_certificate: File[UploadedFile],
    application_form: File[UploadedFile],
) -> Status[Any]:
    """Apply for certification for an existing partner (a general partner upgrading)."""
    application = services.application_submit_upgrade(
        acting_user=user_of(request),
        partner_id=partner_id,
        registry_certificate=registry_certificate,
        application_form=application_form,
    )
    return Status(201, application)


@router.post(
    "/applications/{application_id}/resubmit", response={200: ApplicationOut, **errors(409, 413)}
)
@idempotent
def application_resubmit(
    request: HttpRequest,
    application_id: PathText,
    registry_certificate: File[UploadedFile | None] = None,
    application_form: File[UploadedFile | None] = None,
) -> CertificationApplication:
    """Send a needs_info application back to staff, optionally with new documents."""
    return services.application_resubmit(
        acting_user=user_of(request),
        application_id=application_id,
        registry_certificate=registry_certificate,
        application_form=application_form,
    )


@router.post(
    "/applications/{application_id}/withdraw", response={200: ApplicationOut, **errors(409, 413)}
)
@idempotent
def application_withdraw(
    request: HttpRequest, application_id: PathText
) -> CertificationApplication:
    """Withdraw an open application (final)."""
    return services.application_withdraw(
        acting_user=user_of(request), application_id=application_id
    )


@router.get("/applications/{application_id}", response={200: ApplicationOut, **errors()})
def application_detail(request: HttpRequest, application_id: PathText) -> CertificationApplication:
    """Return an application with its documents' metadata (members)."""
    return selectors.application_for_user(
        acting_user=user_of(request), application_id=application_id
    )


@router.get(
    "/documents/{document_id}",
    response={200: None, **errors()},
    openapi_extra={
        "responses": {"200": {"description": "The document's bytes", "content": _DOCUMENT_CONTENT}}
    },
    tags=["documents"],
)
def document_download(request: HttpRequest, document_id: PathText) -> FileResponse:
    """Stream a document (members of its partner; anyone else gets 404)."""
    document = selectors.document_for_user(acting_user=user_of(request), document_id=document_id)
    return _document_response(document)


def _document_response(document: Document) -> FileResponse:
    """Return the document's bytes as a sandboxed download."""
    return document_response(
        selectors.document_open(document),
        content_type=document.content_type,
        filename=document.original_name,
        inline=False,
    )


# ---------------------------------------------------------------- staff


class QueueFilterIn(Schema):
    status: ApplicationStatus | None = None


@staff_router.get("/staff/applications", response={200: list[QueueItemOut], **errors()})
def staff_review_queue(request: HttpRequest, filters: Query[QueueFilterIn]) -> list[QueueItemOut]:
    """Return the review queue, oldest submission first, with each application's age."""
    staff_of(request)
    status = filters.status.value if filters.status else None
    return [QueueItemOut.from_entry(entry) for entry in selectors.review_queue(status=status)]


@staff_router.get(
    "/staff/applications/{application_id}", response={200: StaffApplicationOut, **errors()}
)
def staff_application_detail(
    request: HttpRequest, application_id: PathText
) -> CertificationApplication:
    """Return an application with the review record, documents and their download links."""
    staff = staff_of(request)
    return selectors.application_for_user(
        acting_user=staff, application_id=application_id, as_staff=True
    )


@staff_router.get(
    "/staff/documents/{document_id}",
    response={200: None, **errors()},
    openapi_extra={
        "responses": {"200": {"description": "The document's bytes", "content": _DOCUMENT_CONTENT}}
    },
)
def staff_document_download(request: HttpRequest, document_id: PathText) -> FileResponse:
    """Stream any document (staff)."""
    staff = staff_of(request)
    return _document_response(
        selectors.document_for_user(acting_user=staff, document_id=document_id, as_staff=True)
    )


_STAFF_ACTION = {200: StaffApplicationOut, **errors(409, 413)}


@staff_router.post("/staff/applications/{application_id}/start-review", response=_STAFF_ACTION)
@idempotent
def staff_start_review(request: HttpRequest, application_id: PathText) -> CertificationApplication:
    """Take a submitted application into review (staff with TOTP)."""
    reviewer = staff_of(request)
    return services.application_start_review(application_id=application_id, acting_user=reviewer)


@staff_router.post("/staff/applications/{application_id}/confirm-identity", response=_STAFF_ACTION)
@idempotent
def staff_confirm_identity(
    request: HttpRequest, application_id: PathText, payload: NoteIn
) -> CertificationApplication:
    """Record the identity confirmation (the contact made with the applicant)."""
    reviewer = staff_of(request)
    return services.application_confirm_identity(
        application_id=application_id, acting_user=reviewer, note=payload.note
    )


@staff_router.post("/staff/applications/{application_id}/approve", response=_STAFF_ACTION)
@idempotent
def staff_approve(request: HttpRequest, application_id: PathText) -> CertificationApplication:
    """Approve: the partner becomes corporate certified and gets its partner account."""
    reviewer = staff_of(request)
    return services.application_approve(application_id=application_id, acting_user=reviewer)


@staff_router.post("/staff/applications/{application_id}/reject", response=_STAFF_ACTION)
@idempotent
def staff_reject(
    request: HttpRequest, application_id: PathText, payload: RejectIn
) -> CertificationApplication:
    """Reject, with the reason in Japanese and English."""
    reviewer = staff_of(request)
    return services.application_reject(
        application_id=application_id,
        acting_user=reviewer,
        reason_ja=payload.reason_ja,
        reason_en=payload.reason_en,
    )


@staff_router.post("/staff/applications/{application_id}/needs-info", response=_STAFF_ACTION)
@idempotent
def staff_request_info(
    request: HttpRequest, application_id: PathText, payload: NoteIn
) -> CertificationApplication:
    """Ask the applicant for more information (what is missing)."""
    reviewer = staff_of(request)
    return services.application_request_info(
        application_id=application_id, acting_user=reviewer, note=payload.note
    )
