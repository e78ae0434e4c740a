"""Every write to registrations: create, edit, delete, images, credentials, listing, review.

Each service is keyword-only and one transaction: lock the partner then the registration,
ask the policy (the viewer's operation through `registration_access`, the partner's service
through its capabilities, the listing pipeline and the name rule through the policy's
registration rules), write, audit, and send e-mails on commit. Operators, payment enrolment
and following the partner's entitlements live in `operators`, `payments` and `follow`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import actor_of, audit_record
from devcenter.errors import ConflictError
from devcenter.partners.capabilities import partner_capabilities
from devcenter.partners.selectors import partner_lock_for
from devcenter.policy import default_policy
from devcenter.policy.registrable import MIN_USERS, NO_CREDENTIALS, Registrable
from devcenter.public_ids import new_public_id
from devcenter.registrations import clock, links
from devcenter.registrations.choices import (
    CredentialKind,
    RegistrationStatus,
)
from devcenter.registrations.credentials import (
    IssuedSecret,
    credential_issue,
    credential_revoke,
    credential_rotate,
    graph_api_client_update,
)
from devcenter.registrations.errors import RegistrationErrorCode as Code
from devcenter.registrations.errors import ServiceRefusedError, conflict, invalid
from devcenter.registrations.fields import clean_fields
from devcenter.registrations.images import CheckedImage, check_image
from devcenter.registrations.models import Credential, Registration, RegistrationImage
from devcenter.registrations.notifications import notify_contact_email, notify_listing_decided
from devcenter.registrations.selectors import (
    REGISTRATION_COLUMNS,
    contact_email_pending,
    listing_field_value,
    listing_missing,
    registration_access,
)
from devcenter.reviews.services import require_reviewer
from devcenter.users import ActingUser

CREATE = "registration.create"  # the policy's operations
MANAGE = "registration.manage"
DELETE = "registration.delete"
CREDENTIALS = "registration.credentials"
REVIEW = "registration.review"
NAME_MAX = 100
REASON_MAX = 2000
SCREENSHOT = "screenshot"  # the one image kind a registration holds several of
_COMMUNITY_LOCK = 0x5245_4743  # "REGC": the advisory-lock class of support communities
COLUMNS = REGISTRATION_COLUMNS


def _rules() -> Any:
    return default_policy().registrations


def registration_snapshot(registration: Registration) -> dict[str, Any]:
    """Return what the audit log keeps of a registration."""
    return {
        "service": registration.service,
        "name": registration.name,
        "status": registration.status,
        "restore_status": registration.restore_status,
        "suspended_reason": registration.suspended_reason,
    }


def registration_audit(
    registration: Registration,
    event: AuditEventType,
    actor: str,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> None:
    """Append one audit event about `registration` (inside the caller's transaction)."""
    audit_record(
        event_type=str(event),
        actor=actor,
        target_type=AuditTarget.REGISTRATION,
        target_id=registration.public_id,
        partner=registration.partner.public_id,
        old=old,
        new=new,
    )


def _checked_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise invalid(Code.INVALID_FIELD, "name")
    if not _rules().name_allowed(name):
        raise invalid(Code.NAME_RESERVED, "name")
    return name


# ---------------------------------------------------------------- create, edit, delete


@transaction.atomic
def registration_create(
    *, partner_id: str, service: str, name: str, fields: Mapping[str, Any], acting_user: ActingUser
) -> Registration:
    """Register `service` for the partner, in development.

    Refuses, writing nothing: `service_not_registrable`, `name_reserved`, a field error (422);
    `partner_not_found` (404) and the operation's refusal (`registration.create`); a service the
    partner may not use now with the policy's decision (`ServiceRefusedError`, 409: its code, reason
    and unlock paths); `community_full` (409).
    """
    rules = _rules()
    if service not in rules.registrable:
        raise invalid(Code.SERVICE_NOT_REGISTRABLE, "service")
    entry = rules.of(service)
    checked_name = _checked_name(name)
    cleaned = clean_fields(entry, fields, creating=True)
    partner = partner_lock_for(public_id=partner_id, acting_user=acting_user, operation=CREATE)
    decision = partner_capabilities(partner=partner, viewer=acting_user).service(service)
    if not decision.allowed:
        raise ServiceRefusedError(decision)
    registration = Registration(
        public_id=new_public_id("reg"),
        partner=partner,
        service=service,
        name=checked_name,
        status=rules.initial_status,
        created_by=acting_user,
    )
    _apply_fields(registration, entry, cleaned)
    registration.save()
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_CREATED,
        actor_of(acting_user),
        new={**registration_snapshot(registration), "fields": sorted(cleaned)},
    )
    if entry.confirm_contact_email and registration.contact_email:
        _send_contact_link(registration)
    return registration


def _apply_fields(registration: Registration, entry: Registrable, cleaned: dict[str, Any]) -> None:
    """Put checked values on the registration (columns, the page, the JSON of the rest)."""
    rules = _rules()
    extra = dict(registration.fields or {})
    for code, value in cleaned.items():
        field = rules.fields[code]
        if field.type == "registration":
            registration.parent = _own_registration(registration, field.of, value, code)
        elif code in COLUMNS:
            setattr(registration, code, value)
        else:
            extra[code] = value
    registration.fields = extra
    _check_field_rules(registration, entry, cleaned)
    if cleaned.get("support_community_id"):
        _check_community(registration, cleaned["support_community_id"])
    if "contact_email" in cleaned:
        registration.contact_email_confirmed_at = None
        registration.contact_email_nonce = ""


def _check_field_rules(
    registration: Registration, entry: Registrable, cleaned: dict[str, Any]
) -> None:
    """The policy's rules between a field and the rest of the registration, on the values it
    will have: `subset_of` (its choices among another field's: 422) and `requires_status` (set
    only in that status: 409 `field_requires_status`, naming the status)."""
    rules = _rules()
    for code in entry.fields:
        field = rules.fields[code]
        value = listing_field_value(registration, code) or []
        if field.subset_of and (code in cleaned or field.subset_of in cleaned):
            allowed = listing_field_value(registration, field.subset_of) or []
            if any(choice not in allowed for choice in value):
                raise invalid(Code.FIELD_NOT_A_SUBSET, code)
        if (
            field.requires_status
            and code in cleaned
            and value
            and registration.status != field.requires_status
        ):
            status = rules.statuses[field.requires_status]
            raise ConflictError(
                Code.FIELD_REQUIRES_STATUS,
                f"この項目は、登録が「{status.ja}」の状態になってから設定できます。",
                f"This field can be set only once the registration is {status.en.lower()}.",
                field=code,
            )


def _own_registration(
    registration: Registration, service: str | None, public_id: str, field: str
) -> Registration | None:
    if not public_id:
        return None
    found = Registration.objects.filter(
        partner=registration.partner, service=service, public_id=public_id, deleted_at__isnull=True
    ).first()
    if found is None:
        raise invalid(Code.PAGE_NOT_FOUND, field)
    return found


def _check_community(registration: Registration, community_id: str) -> None:
    """Refuse a support community that already serves the policy's maximum of registrations.

    Registrations of different partners may name one community: on PostgreSQL an advisory lock
    per community serialises the count and the write (row locks cannot lock rows not yet
    written); SQLite transactions are IMMEDIATE, so writers queue already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_COMMUNITY_LOCK, community_id]
            )
    serving = list(
        Registration.objects.select_for_update()
        .filter(support_community_id=community_id, deleted_at__isnull=True)
        .exclude(pk=registration.pk)
        .values_list("pk", flat=True)
    )
    if len(serving) >= _rules().community_max_registrations:
        raise conflict(Code.COMMUNITY_FULL, "support_community_id")


def _send_contact_link(registration: Registration) -> None:
    registration.contact_email_nonce = links.new_nonce()
    registration.contact_email_sent_at = clock.now()
    registration.save(update_fields=["contact_email_nonce", "contact_email_sent_at"])
    token = links.link_token(
        links.CONTACT_EMAIL_LINK, registration.pk, registration.contact_email_nonce
    )
    email, name = registration.contact_email, registration.name
    hours = settings.DEVCENTER_REGISTRATION_LINK_HOURS
    transaction.on_commit(
        lambda: notify_contact_email(email=email, name=name, token=token, hours=hours)
    )


@transaction.atomic
def registration_update(
    *,
    registration_id: str,
    acting_user: ActingUser,
    name: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Registration:
    """Change the name and the fields given (owners, developers and operators).

    The same checks as creation; a required field may not be blanked. A new contact e-mail
    must be confirmed again (a new link is sent).
    """
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=MANAGE, lock=True
    )
    registration = access.registration
    entry = _rules().of(registration.service)
    old = registration_snapshot(registration)
    if name is not None:
        registration.name = _checked_name(name)
    cleaned = clean_fields(entry, fields or {}, creating=False)
    _apply_fields(registration, entry, cleaned)
    registration.save()
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_UPDATED,
        actor_of(acting_user),
        old=old,
        new={**registration_snapshot(registration), "fields": sorted(cleaned)},
    )
    if "contact_email" in cleaned and entry.confirm_contact_email and registration.contact_email:
        _send_contact_link(registration)
    if name is not None or "redirect_uris" in cleaned:
        graph_api_client_update(registration)
    return registration


@transaction.atomic
def registration_delete(*, registration_id: str, acting_user: ActingUser) -> Registration:
    """Delete a registration: its credentials stop at once; the row is kept (audited)."""
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=DELETE, lock=True
    )
    registration = access.registration
    credential = Credential.objects.filter(registration=registration).first()
    if credential is not None and credential.revoked_at is None:
        credential_revoke(credential)
        registration_audit(
            registration,
            AuditEventType.REGISTRATION_CREDENTIALS_REVOKED,
            actor_of(acting_user),
            new={"client_id": credential.client_id, "reason": "deleted"},
        )
    registration.deleted_at = clock.now()
    registration.save(update_fields=["deleted_at", "updated_at"])
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_DELETED,
        actor_of(acting_user),
        old=registration_snapshot(registration),
        new={"deleted": True, "credentials_revoked": credential is not None},
    )
    return registration


RESEND_AFTER = timedelta(minutes=1)


@transaction.atomic
def contact_email_resend(*, registration_id: str, acting_user: ActingUser) -> Registration:
    """Send a new confirmation link for the contact e-mail awaiting it; the old link stops.

    Refuses `contact_email_not_pending` (nothing awaits confirmation) and `link_recently_sent`
    (within a minute of the last link), both 409.
    """
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=MANAGE, lock=True
    )
    registration = access.registration
    if not contact_email_pending(registration=registration):
        raise conflict(Code.CONTACT_EMAIL_NOT_PENDING, "contact_email")
    sent_at = registration.contact_email_sent_at
    if sent_at is not None and clock.now() - sent_at < RESEND_AFTER:
        raise conflict(Code.LINK_RECENTLY_SENT, "contact_email")
    _send_contact_link(registration)
    return registration


@transaction.atomic
def contact_email_confirm(*, token: str) -> Registration:
    """Confirm a registration's contact e-mail with the e-mailed link (no log-in needed).

    Refuses `link_invalid` (422), `link_used` and `link_expired` (409).
    """
    row_id, nonce = links.link_read(links.CONTACT_EMAIL_LINK, token)
    registration = (
        Registration.objects.select_for_update()
        .select_related("partner")
        .filter(pk=row_id, deleted_at__isnull=True)
        .first()
    )
    if registration is None:
        raise invalid(Code.LINK_INVALID, links.TOKEN_FIELD)
    links.link_check(
        stored_nonce=registration.contact_email_nonce,
        given_nonce=nonce,
        sent_at=registration.contact_email_sent_at,
    )
    registration.contact_email_confirmed_at = clock.now()
    registration.contact_email_nonce = ""
    registration.save(update_fields=["contact_email_confirmed_at", "contact_email_nonce"])
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_CONTACT_EMAIL_CONFIRMED,
        f"email:{registration.contact_email}",
        new={"contact_email_confirmed": True},
    )
    return registration


# ---------------------------------------------------------------- images


def image_add(
    *, registration_id: str, kind: str, upload: File[bytes], acting_user: ActingUser
) -> Registration:
    """Add a logo, icon or screenshot (a logo or icon replaces the previous one).

    The file must decode as an image (`not_an_image`, `image_too_large`: 422); the service
    must take that kind (`image_kind_not_accepted`, 422); at most the policy's number of
    screenshots (`too_many_screenshots`, 409).
    """
    checked = check_image(upload)
    stored: list[str] = []
    try:
        with transaction.atomic():
            registration = _image_store(registration_id, kind, checked, acting_user, stored)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return registration


def _image_store(
    registration_id: str,
    kind: str,
    checked: CheckedImage,
    acting_user: ActingUser,
    stored: list[str],
) -> Registration:
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=MANAGE, lock=True
    )
    registration = access.registration
    rules = _rules()
    if kind not in rules.of(registration.service).images:
        raise invalid(Code.IMAGE_KIND_NOT_ACCEPTED, "kind")
    existing = RegistrationImage.objects.filter(registration=registration, kind=kind)
    if kind == SCREENSHOT and existing.count() >= rules.max_screenshots:
        raise conflict(Code.TOO_MANY_SCREENSHOTS, "kind")
    if kind != SCREENSHOT:
        replaced = list(existing.values_list("file", flat=True))
        existing.delete()
        transaction.on_commit(lambda: _delete_files(replaced))
    image = RegistrationImage(
        registration=registration,
        kind=kind,
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        size=checked.size,
        sha256=checked.sha256,
    )
    image.file.save(str(checked.content.name), checked.content, save=False)
    stored.append(str(image.file.name))
    image.save()
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_IMAGE_ADDED,
        actor_of(acting_user),
        new={"kind": kind, "sha256": checked.sha256, "content_type": checked.content_type},
    )
    return registration


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# ---------------------------------------------------------------- credentials


@dataclass(frozen=True)
class Issued:
    registration: Registration
    secret: IssuedSecret


def _credentials_checks(registration: Registration) -> Registrable:
    entry: Registrable = _rules().of(registration.service)
    if entry.credentials == NO_CREDENTIALS:
        raise conflict(Code.NO_CREDENTIALS_FOR_SERVICE)
    if registration.status == RegistrationStatus.SUSPENDED:
        raise conflict(Code.REGISTRATION_SUSPENDED)
    if entry.confirm_contact_email and registration.contact_email_confirmed_at is None:
        raise conflict(Code.CONTACT_EMAIL_UNCONFIRMED, "contact_email")
    return entry


@transaction.atomic
def credentials_issue(*, registration_id: str, acting_user: ActingUser) -> Issued:
    """Issue the registration's key and secret, shown this once (owners, developers,
    operators). Refuses `credentials_already_issued` (rotate instead),
    `no_credentials_for_service`, `registration_suspended`, `contact_email_unconfirmed`."""
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=CREDENTIALS, lock=True
    )
    registration = access.registration
    entry = _credentials_checks(registration)
    credential = Credential.objects.filter(registration=registration).first()
    if credential is not None and credential.revoked_at is None:
        raise conflict(Code.CREDENTIALS_ALREADY_ISSUED)
    if credential is not None:
        credential.delete()  # a revoked one of a deleted registration cannot be here; be safe
    secret = credential_issue(registration, CredentialKind(entry.credentials))
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_CREDENTIALS_ISSUED,
        actor_of(acting_user),
        new={"client_id": secret.client_id, "kind": entry.credentials},
    )
    return Issued(registration, secret)


@transaction.atomic
def credentials_rotate(*, registration_id: str, acting_user: ActingUser) -> Issued:
    """Issue a new secret, shown once; the old one keeps working for the grace period
    (`DEVCENTER_CREDENTIAL_GRACE_HOURS`). A plugin's check key is replaced outright."""
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=CREDENTIALS, lock=True
    )
    registration = access.registration
    _credentials_checks(registration)
    credential = Credential.objects.filter(
        registration=registration, revoked_at__isnull=True
    ).first()
    if credential is None:
        raise conflict(Code.CREDENTIALS_NOT_ISSUED)
    old_id = credential.client_id
    secret = credential_rotate(credential)
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_CREDENTIALS_ROTATED,
        actor_of(acting_user),
        old={"client_id": old_id},
        new={
            "client_id": secret.client_id,
            "grace_hours": settings.DEVCENTER_CREDENTIAL_GRACE_HOURS,
        },
    )
    return Issued(registration, secret)


# ---------------------------------------------------------------- listing


def _move(registration: Registration, to_status: str) -> str:
    """Check a listing-pipeline move (and its cool-down); return the old status."""
    if registration.status == RegistrationStatus.SUSPENDED:
        raise conflict(Code.REGISTRATION_SUSPENDED)
    rules = _rules()
    after_cooldown = rules.move(registration.status, to_status)
    if after_cooldown is None:
        raise conflict(Code.INVALID_STATUS_MOVE, "status")
    if after_cooldown:
        ready = (registration.rejected_at or clock.now()) + timedelta(
            days=rules.relisting_cooldown_days
        )
        if clock.now() < ready:
            raise conflict(Code.RELISTING_COOLDOWN, "status")
    return registration.status


def _listing_needs(registration: Registration) -> None:
    """Refuse a listing request that misses one of the policy's needs (`listing_incomplete`,
    naming the first) or whose name breaks the name rule (`name_reserved`)."""
    if not _rules().name_allowed(registration.name):
        raise invalid(Code.NAME_RESERVED, "name")
    missing = listing_missing(registration=registration)
    if missing:
        raise conflict(
            Code.LISTING_INCOMPLETE, "user_count" if missing[0] == MIN_USERS else missing[0]
        )


@transaction.atomic
def listing_request(*, registration_id: str, acting_user: ActingUser) -> Registration:
    """Ask staff to list the registration (in development, or rejected after the cool-down)."""
    access = registration_access(
        public_id=registration_id, viewer=acting_user, operation=MANAGE, lock=True
    )
    registration = access.registration
    old = _move(registration, RegistrationStatus.LISTING_REQUESTED)
    _listing_needs(registration)
    registration.status = RegistrationStatus.LISTING_REQUESTED
    registration.listing_requested_at = clock.now()
    registration.save(update_fields=["status", "listing_requested_at", "updated_at"])
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_LISTING_REQUESTED,
        actor_of(acting_user),
        old={"status": old},
        new={"status": registration.status},
    )
    return registration


def _notify_decided(registration: Registration) -> None:
    """E-mail the registrant the decision, after commit."""
    creator = registration.created_by
    if creator is None or not creator.email:
        return
    email, name = str(creator.email), registration.name
    published = registration.status == RegistrationStatus.PUBLISHED
    reasons = (registration.decision_reason_ja, registration.decision_reason_en)
    transaction.on_commit(
        lambda: notify_listing_decided(
            email=email, name=name, published=published, reason_ja=reasons[0], reason_en=reasons[1]
        )
    )


def _staff_access(registration_id: str, acting_user: ActingUser) -> Registration:
    require_reviewer(acting_user)
    return registration_access(
        public_id=registration_id, viewer=acting_user, operation=REVIEW, lock=True, as_staff=True
    ).registration


@transaction.atomic
def listing_publish(*, registration_id: str, acting_user: ActingUser) -> Registration:
    """Publish a registration whose listing was requested (staff with TOTP)."""
    registration = _staff_access(registration_id, acting_user)
    old = _move(registration, RegistrationStatus.PUBLISHED)
    registration.status = RegistrationStatus.PUBLISHED
    registration.decided_at = clock.now()
    registration.reviewer = acting_user
    registration.decision_reason_ja = registration.decision_reason_en = ""
    registration.save()
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_PUBLISHED,
        actor_of(acting_user),
        old={"status": old},
        new={"status": registration.status},
    )
    _notify_decided(registration)
    return registration


@transaction.atomic
def listing_reject(
    *, registration_id: str, acting_user: ActingUser, reason_ja: str, reason_en: str
) -> Registration:
    """Reject a listing request with a reason in Japanese and English (staff with TOTP); the
    partner may ask again after the policy's cool-down."""
    reasons = {"reason_ja": (reason_ja or "").strip(), "reason_en": (reason_en or "").strip()}
    for field, text in reasons.items():
        if not text or len(text) > REASON_MAX:
            raise invalid(Code.INVALID_FIELD, field)
    registration = _staff_access(registration_id, acting_user)
    old = _move(registration, RegistrationStatus.REJECTED)
    registration.status = RegistrationStatus.REJECTED
    registration.rejected_at = registration.decided_at = clock.now()
    registration.reviewer = acting_user
    registration.decision_reason_ja = reasons["reason_ja"]
    registration.decision_reason_en = reasons["reason_en"]
    registration.save()
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_REJECTED,
        actor_of(acting_user),
        old={"status": old},
        new={"status": registration.status, **reasons},
    )
    _notify_decided(registration)
    return registration


@transaction.atomic
def user_count_report(*, registration_id: str, count: int, actor: str) -> Registration:
    """Record the user count the platform reports for a registration (a platform service)."""
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise invalid(Code.USER_COUNT_INVALID, "count")
    found = Registration.objects.filter(public_id=registration_id, deleted_at__isnull=True).first()
    if found is None:
        from devcenter.registrations.errors import not_found

        raise not_found()
    registration = (
        Registration.objects.select_for_update().select_related("partner").get(pk=found.pk)
    )
    old = registration.user_count
    registration.user_count = count
    registration.user_count_reported_at = clock.now()
    registration.save(update_fields=["user_count", "user_count_reported_at", "updated_at"])
    registration_audit(
        registration,
        AuditEventType.REGISTRATION_USER_COUNT_REPORTED,
        actor,
        old={"user_count": old},
        new={"user_count": count},
    )
    return registration
