"""Reads of certification applications and their documents (with who may see them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from devcenter.partners.capabilities import partner_capabilities
from devcenter.reviews import errors
from devcenter.reviews.documents import open_stored
from devcenter.reviews.models import ApplicationStatus, CertificationApplication, Document
from devcenter.reviews.workflow import APPLICATION_PIPELINE, OPEN_STATUSES
from devcenter.users import ActingUser

if TYPE_CHECKING:
    from devcenter.partners.models import Partner


@dataclass(frozen=True)
class QueueEntry:
    """An application in the review queue and how long it waited: from its submission until
    now, or until its decision (the age stops at the decision)."""

    application: CertificationApplication
    age: timedelta


def review_queue(
    *,
    status: str | None = None,
    statuses: Iterable[str] | None = None,
    now: datetime | None = None,
) -> list[QueueEntry]:
    """Return the applications to review, oldest submission first, each with its age.

    Without `status` or `statuses`, every open application (submitted, in review, needs info).
    """
    now = now or timezone.now()
    wanted = [status] if status else list(statuses if statuses is not None else OPEN_STATUSES)
    applications = (
        CertificationApplication.objects.filter(status__in=wanted)
        .select_related("partner", "submitted_by", "reviewer")
        .order_by("submitted_at", "pk")
    )
    return [
        QueueEntry(application, (application.decided_at or now) - application.submitted_at)
        for application in applications
    ]


def applications_of_partner(*, partner: Any) -> QuerySet[CertificationApplication]:
    """Return a partner's applications, newest first."""
    return CertificationApplication.objects.filter(partner=partner).order_by("-submitted_at", "-pk")


@dataclass(frozen=True)
class ApplicantActions:
    """What the applicant may do with an application now (the pipeline's moves)."""

    withdraw: bool  # before a decision
    resubmit: bool  # only after staff asked for information (needs_info)


def applicant_actions(*, application: CertificationApplication) -> ApplicantActions:
    """Return whether the applicant may withdraw or resubmit `application` in its status."""
    moves = APPLICATION_PIPELINE.get(application.status, ())
    return ApplicantActions(
        withdraw=ApplicationStatus.WITHDRAWN in moves,
        resubmit=ApplicationStatus.SUBMITTED in moves,
    )


def application_get(*, pk: int | str) -> CertificationApplication | None:
    """Return the application with primary key `pk` (the staff console's admin URLs), or None."""
    return CertificationApplication.objects.filter(pk=pk).first()


def application_for_user(
    *, acting_user: ActingUser | None, application_id: str, as_staff: bool = False
) -> CertificationApplication:
    """Return the application if the policy lets `user` see its documents (`documents.read`:
    members, and staff in the staff console, `as_staff`); else NotFoundError."""
    application = (
        CertificationApplication.objects.select_related("partner")
        .filter(public_id=application_id)
        .first()
    )
    if application is None or not _may(
        acting_user, application.partner, "documents.read", as_staff
    ):
        raise errors.application_not_found()
    return application


def application_documents(*, application: CertificationApplication) -> QuerySet[Document]:
    """Return an application's documents, current ones first, then by upload time."""
    return application.documents.order_by("superseded", "uploaded_at", "pk")


def document_for_user(
    *, acting_user: ActingUser | None, document_id: str, as_staff: bool = False
) -> Document:
    """Return the document if the policy lets `user` open it (`documents.download`: owners,
    and staff in the staff console); NotFoundError for anyone with no role for its partner,
    the policy's refusal (403) for a member who may see only the metadata."""
    document = (
        Document.objects.select_related("application__partner")
        .filter(public_id=document_id)
        .first()
    )
    if document is None:
        raise errors.document_not_found()
    capabilities = partner_capabilities(
        partner=document.application.partner, viewer=acting_user, as_staff=as_staff
    )
    if capabilities.role is None:
        raise errors.document_not_found()
    capabilities.require("documents.download")
    return document


def document_open(document: Document) -> IO[bytes]:
    """Return a binary file handle on the document's bytes (for streaming); NotFound if purged."""
    if document.purged_at is not None or not document.file.name:
        raise errors.document_purged()
    return open_stored(document.file.name)


def _may(acting_user: ActingUser | None, partner: Partner, operation: str, as_staff: bool) -> bool:
    return partner_capabilities(partner=partner, viewer=acting_user, as_staff=as_staff).allows(
        operation
    )
