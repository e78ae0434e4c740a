"""Certification applications: submission, resubmission, withdrawal and the staff review.

Every service is keyword-only and runs in one transaction: lock the application row
(`select_for_update`), check the status move against `workflow.APPLICATION_PIPELINE` and any
partner move against the policy core, write, audit, and send e-mails on commit. Uploaded
documents are checked before anything is written, and the files stored by a service are
deleted again if its transaction fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import actor_of, audit_record
from devcenter.partners.capabilities import partner_capabilities
from devcenter.partners.selectors import partner_lock_for
from devcenter.partners.services import (
    CorporateDetails,
    partner_certify,
    partner_register_corporate_pending,
)
from devcenter.public_ids import new_public_id
from devcenter.reviews import errors
from devcenter.reviews.documents import (
    InspectedUpload,
    StoredFiles,
    files_removed_on_failure,
    inspect_upload,
    random_stored_name,
)
from devcenter.reviews.models import (
    ApplicationKind,
    ApplicationStatus,
    CertificationApplication,
    Document,
    DocumentKind,
)
from devcenter.reviews.notifications import notify_applicant
from devcenter.reviews.workflow import DECIDED_STATUSES, OPEN_STATUSES, check_status_move
from devcenter.users import ActingUser

if TYPE_CHECKING:
    from devcenter.partners.models import Partner

APPLY = "certification.apply"  # the policy's operation


# ---------------------------------------------------------------- applicant


def application_submit_new(
    *,
    acting_user: ActingUser,
    details: CorporateDetails,
    registry_certificate: File[bytes],
    application_form: File[bytes],
) -> CertificationApplication:
    """Register a new corporation as a pending partner and open its application (kind new).

    An unregistered organisation is refused with the policy's code (409) by the partners
    service; a refused document with InvalidError naming its field (422). Either way nothing
    is written.
    """
    uploads = _inspect_required(registry_certificate, application_form)
    with files_removed_on_failure() as stored, transaction.atomic():
        partner = partner_register_corporate_pending(acting_user=acting_user, details=details)
        application = _open_application(
            partner=partner, kind=ApplicationKind.NEW, acting_user=acting_user
        )
        _store_documents(application, uploads, acting_user=acting_user, stored=stored)
    return application


def application_submit_upgrade(
    *,
    acting_user: ActingUser,
    partner_id: str,
    registry_certificate: File[bytes],
    application_form: File[bytes],
) -> CertificationApplication:
    """Open a certification application for an existing partner the user is a member of.

    A corporate general partner applies to upgrade (kind upgrade); a pending corporation
    whose earlier application was decided applies again (kind new). The policy decides
    (`certification.apply`: the move to certified, with `legal_entity_registered`): an
    individual partner or an unregistered organisation is refused with its code (409), a
    suspended partner with `partner_suspended` (409). Anyone with no role for the partner,
    staff included, gets 404; one open application per partner (`application_already_open`).
    """
    uploads = _inspect_required(registry_certificate, application_form)
    with files_removed_on_failure() as stored, transaction.atomic():
        partner = partner_lock_for(public_id=partner_id, acting_user=acting_user, operation=APPLY)
        kind = ApplicationKind.NEW if partner.partner_type is None else ApplicationKind.UPGRADE
        application = _open_application(partner=partner, kind=kind, acting_user=acting_user)
        _store_documents(application, uploads, acting_user=acting_user, stored=stored)
    return application


def application_resubmit(
    *,
    acting_user: ActingUser,
    application_id: str,
    registry_certificate: File[bytes] | None = None,
    application_form: File[bytes] | None = None,
) -> CertificationApplication:
    """Send a needs_info application back to staff (status submitted), by a partner member.

    A new document supersedes the current one of the same kind; documents are optional (the
    applicant may have answered otherwise, e.g. by phone).
    """
    given = {
        DocumentKind.REGISTRY_CERTIFICATE: registry_certificate,
        DocumentKind.APPLICATION_FORM: application_form,
    }
    uploads = [inspect_upload(f, field=kind) for kind, f in given.items() if f is not None]
    with files_removed_on_failure() as stored, transaction.atomic():
        application = _lock_for_member(
            acting_user=acting_user,
            application_id=application_id,
            operation="certification.resubmit",
        )
        old = application.status
        check_status_move(old, ApplicationStatus.SUBMITTED)
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        _audit(application, AuditEventType.APPLICATION_SUBMITTED, acting_user, old)
        _store_documents(application, uploads, acting_user=acting_user, stored=stored)
    return application


@transaction.atomic
def application_withdraw(
    *, acting_user: ActingUser, application_id: str
) -> CertificationApplication:
    """Withdraw an open application (final), by a member of the partner."""
    application = _lock_for_member(
        acting_user=acting_user, application_id=application_id, operation="certification.withdraw"
    )
    old = application.status
    check_status_move(old, ApplicationStatus.WITHDRAWN)
    application.status = ApplicationStatus.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    _audit(application, AuditEventType.APPLICATION_WITHDRAWN, acting_user, old)
    return application


# ---------------------------------------------------------------- staff


@transaction.atomic
def application_start_review(
    *, application_id: str, acting_user: ActingUser
) -> CertificationApplication:
    """Take a submitted application into review (staff with TOTP)."""
    require_reviewer(acting_user)
    application, old = _staff_move(application_id, acting_user, ApplicationStatus.IN_REVIEW)
    application.reviewer = acting_user
    application.save(update_fields=["status", "reviewer", "updated_at"])
    _audit(application, AuditEventType.APPLICATION_IN_REVIEW, acting_user, old)
    return application


@transaction.atomic
def application_confirm_identity(
    *, application_id: str, acting_user: ActingUser, note: str
) -> CertificationApplication:
    """Record the identity confirmation (the contact made with the applicant) while in review.

    The note is kept on the application, not in the audit log (it may hold personal data).
    """
    require_reviewer(acting_user)
    note = _required_note(note)
    application = _lock(application_id)
    if application.status != ApplicationStatus.IN_REVIEW:
        raise errors.not_in_review(application.status)
    was_confirmed = application.identity_confirmed_at is not None
    application.identity_confirmed_at = timezone.now()
    application.identity_confirmed_by = acting_user
    application.identity_confirmation_note = note
    application.save(
        update_fields=[
            "identity_confirmed_at",
            "identity_confirmed_by",
            "identity_confirmation_note",
            "updated_at",
        ]
    )
    audit_record(
        event_type=AuditEventType.APPLICATION_IDENTITY_CONFIRMED,
        actor=actor_of(acting_user),
        target_type=AuditTarget.APPLICATION,
        target_id=application.public_id,
        partner=application.partner.public_id,
        old={"identity_confirmed": was_confirmed},
        new={"identity_confirmed": True, "confirmed_by": actor_of(acting_user)},
    )
    return application


@transaction.atomic
def application_approve(
    *, application_id: str, acting_user: ActingUser
) -> CertificationApplication:
    """Approve an application in review and certify its partner, in one transaction.

    Needs the identity confirmation (`identity_not_confirmed`) and both current documents
    (`documents_missing`); the partner's move is checked by `partner_certify`.
    """
    require_reviewer(acting_user)
    application, old = _staff_move(application_id, acting_user, ApplicationStatus.APPROVED)
    if application.identity_confirmed_at is None:
        raise errors.identity_not_confirmed()
    _check_documents_complete(application)
    partner_certify(partner=application.partner, actor=actor_of(acting_user))
    _decide(application, acting_user)
    _audit(application, AuditEventType.APPLICATION_APPROVED, acting_user, old)
    transaction.on_commit(lambda: notify_applicant(application.pk))
    return application


@transaction.atomic
def application_reject(
    *, application_id: str, acting_user: ActingUser, reason_ja: str, reason_en: str
) -> CertificationApplication:
    """Reject an application in review (final), with the reason in Japanese and English."""
    require_reviewer(acting_user)
    reason_ja, reason_en = (reason_ja or "").strip(), (reason_en or "").strip()
    if not reason_ja:
        raise errors.reason_required("reason_ja")
    if not reason_en:
        raise errors.reason_required("reason_en")
    application, old = _staff_move(application_id, acting_user, ApplicationStatus.REJECTED)
    application.decision_reason_ja = reason_ja
    application.decision_reason_en = reason_en
    _decide(application, acting_user, "decision_reason_ja", "decision_reason_en")
    _audit(application, AuditEventType.APPLICATION_REJECTED, acting_user, old)
    transaction.on_commit(lambda: notify_applicant(application.pk))
    return application


@transaction.atomic
def application_request_info(
    *, application_id: str, acting_user: ActingUser, note: str
) -> CertificationApplication:
    """Ask the applicant for what is missing (status needs_info); the note says what."""
    require_reviewer(acting_user)
    note = _required_note(note)
    application, old = _staff_move(application_id, acting_user, ApplicationStatus.NEEDS_INFO)
    application.needs_info_note = note
    application.reviewer = acting_user
    application.save(update_fields=["status", "needs_info_note", "reviewer", "updated_at"])
    _audit(application, AuditEventType.APPLICATION_NEEDS_INFO, acting_user, old)
    transaction.on_commit(lambda: notify_applicant(application.pk))
    return application


def require_reviewer(acting_user: ActingUser) -> None:
    """Raise ForbiddenError `staff_only` or `mfa_required` unless `user` may review."""
    if acting_user is None or not acting_user.is_active or not acting_user.is_staff:
        raise errors.staff_only()
    if not Authenticator.objects.filter(user=acting_user, type=Authenticator.Type.TOTP).exists():
        raise errors.mfa_required()


# ---------------------------------------------------------------- retention


def documents_purge(*, now: datetime) -> int:
    """Delete the files of documents whose application was decided over the retention ago.

    Retention is `DEVCENTER_DOCUMENT_RETENTION_DAYS` after `decided_at` (approved, rejected,
    withdrawn). Each document is purged in its own transaction: the file is deleted, the row
    kept with `purged_at` set and `document.purged` audited. Idempotent: return how many
    documents were purged by this run. The file is deleted before the commit, so a failed
    commit leaves the row unpurged and the next run completes it.
    """
    cutoff = now - timedelta(days=settings.DEVCENTER_DOCUMENT_RETENTION_DAYS)
    due = _purge_due(cutoff).values_list("pk", flat=True)
    return sum(_purge_one(pk, cutoff=cutoff, now=now) for pk in list(due))


def _purge_due(cutoff: datetime) -> Any:
    return Document.objects.filter(
        purged_at__isnull=True,
        application__status__in=DECIDED_STATUSES,
        application__decided_at__lte=cutoff,
    )


@transaction.atomic
def _purge_one(pk: int, *, cutoff: datetime, now: datetime) -> int:
    document = _purge_due(cutoff).select_for_update(of=("self",)).filter(pk=pk).first()
    if document is None:  # purged meanwhile by another run
        return 0
    name = document.file.name
    if name:
        default_storage.delete(name)
    document.file = ""
    document.purged_at = now
    document.save(update_fields=["file", "purged_at"])
    audit_record(
        event_type=AuditEventType.DOCUMENT_PURGED,
        actor=actor_of(None),
        target_type=AuditTarget.DOCUMENT,
        target_id=document.public_id,
        partner=document.application.partner.public_id,
        old={"kind": document.kind, "sha256": document.sha256, "size": document.size},
        new={"purged_at": now.isoformat()},
    )
    return 1


# ---------------------------------------------------------------- internals


def _inspect_required(
    registry_certificate: File[bytes] | None, application_form: File[bytes] | None
) -> list[InspectedUpload]:
    uploads = []
    for kind, upload in (
        (DocumentKind.REGISTRY_CERTIFICATE, registry_certificate),
        (DocumentKind.APPLICATION_FORM, application_form),
    ):
        if upload is None:
            raise errors.document_required(kind)
        uploads.append(inspect_upload(upload, field=kind))
    return uploads


def _open_application(
    *, partner: Partner, kind: str, acting_user: ActingUser
) -> CertificationApplication:
    if CertificationApplication.objects.filter(partner=partner, status__in=OPEN_STATUSES).exists():
        raise errors.application_already_open()
    try:
        with transaction.atomic():  # savepoint: a concurrent application for the same partner
            application = CertificationApplication.objects.create(
                public_id=new_public_id("apl"),
                partner=partner,
                kind=kind,
                status=ApplicationStatus.SUBMITTED,
                submitted_by=acting_user,
                submitted_at=timezone.now(),
            )
    except IntegrityError:
        raise errors.application_already_open() from None
    _audit(application, AuditEventType.APPLICATION_SUBMITTED, acting_user, None)
    return application


def _store_documents(
    application: CertificationApplication,
    uploads: Iterable[InspectedUpload],
    *,
    acting_user: ActingUser,
    stored: StoredFiles,
) -> None:
    for upload in uploads:
        previous = application.documents.filter(kind=upload.field, superseded=False)
        superseded = list(previous.values_list("public_id", flat=True))
        previous.update(superseded=True)
        document = Document(
            public_id=new_public_id("doc"),
            application=application,
            kind=upload.field,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            original_name=upload.original_name,
            uploaded_by=acting_user,
        )
        document.file.save(random_stored_name(upload.extension), upload.file, save=False)
        stored.add(document.file.name or "")
        document.save()
        audit_record(
            event_type=AuditEventType.DOCUMENT_UPLOADED,
            actor=actor_of(acting_user),
            target_type=AuditTarget.DOCUMENT,
            target_id=document.public_id,
            partner=application.partner.public_id,
            new={
                "application": application.public_id,
                "kind": document.kind,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "supersedes": superseded,
            },
        )


def _lock(application_id: str) -> CertificationApplication:
    application = (
        CertificationApplication.objects.select_for_update()
        .filter(public_id=application_id)
        .first()
    )
    if application is None:
        raise errors.application_not_found()
    return application


def _lock_for_member(
    *, acting_user: ActingUser | None, application_id: str, operation: str
) -> CertificationApplication:
    """Lock the application and require `operation` of `user` on its partner (404 for a
    user with no role for it, as for an application that does not exist)."""
    application = _lock(application_id)
    capabilities = partner_capabilities(partner=application.partner, viewer=acting_user)
    if capabilities.role is None:
        raise errors.application_not_found()
    capabilities.require(operation)
    return application


def _staff_move(
    application_id: str, acting_user: ActingUser, target: str
) -> tuple[CertificationApplication, str]:
    """Lock the application and move it to `target` in memory (the caller checked the staff)."""
    application = _lock(application_id)
    old = application.status
    check_status_move(old, target)
    application.status = target
    return application, old


def _check_documents_complete(application: CertificationApplication) -> None:
    present = set(
        application.documents.filter(superseded=False, purged_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    missing = [kind for kind in DocumentKind.values if kind not in present]
    if missing:
        raise errors.documents_missing(missing)


def _decide(application: CertificationApplication, acting_user: ActingUser, *fields: str) -> None:
    application.reviewer = acting_user
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "reviewer", "decided_at", "updated_at", *fields])


def _required_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise errors.note_required()
    return note


def _audit(
    application: CertificationApplication,
    event_type: str,
    acting_user: ActingUser,
    old_status: str | None,
) -> None:
    audit_record(
        event_type=event_type,
        actor=actor_of(acting_user),
        target_type=AuditTarget.APPLICATION,
        target_id=application.public_id,
        partner=application.partner.public_id,
        old=None if old_status is None else {"status": old_status},
        new={"status": application.status, "kind": application.kind},
    )
