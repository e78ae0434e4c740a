"""The registrations part of the registry API: registrations, credentials, listing, operators,
payment enrolment, the platform's user counts and the staff queues."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security.http import HttpBearer

from devcenter.api_support.auth import Caller, staff_auth, staff_of, user_of
from devcenter.api_support.errors import (
    ApiErrorCode,
    UnauthorizedError,
    api_error,
    error_body,
    request_language,
)
from devcenter.api_support.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_PARAMETER
from devcenter.api_support.idempotency import idempotent
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import DbId, PathText
from devcenter.apikeys.choices import ApiKeyScope
from devcenter.apikeys.selectors import apikey_by_raw_key
from devcenter.errors import ForbiddenError
from devcenter.partners.choices import PartnerStatus, PartnerType
from devcenter.partners.selectors import partner_for_user
from devcenter.registrations import operators, payments, selectors, services
from devcenter.registrations.choices import ImageKind, PaymentStatus, RegistrationStatus
from devcenter.registrations.errors import ServiceRefusedError
from devcenter.registrations.models import (
    Operator,
    PaymentEnrolment,
    PayoutAccount,
    Registration,
)
from devcenter.registrations.schemas import (
    ContactConfirmedOut,
    CredentialsOut,
    ImpactOut,
    ListingQueueItemOut,
    OperatorIn,
    OperatorOut,
    PaymentIn,
    PaymentOut,
    PayoutAccountIn,
    PayoutAccountOut,
    RefusalOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationPatchIn,
    RejectIn,
    StaffPaymentOut,
    TokenIn,
    UserCountIn,
    UserCountOut,
)

router = Router(tags=["registrations"])
staff_router = Router(tags=["staff"], auth=staff_auth())
READ = "registration.read"


def _refusal(request: HttpRequest, refused: ServiceRefusedError) -> Status[Any]:
    """Render a refused service as the error body plus the policy's decision."""
    decision = refused.decision.as_dict()
    body = {
        **error_body(refused, request_language(request)),
        "reason": decision["reason"],
        "unlockable": decision["unlockable"],
        "unlock": decision["unlock"],
    }
    return Status(409, body)


_WRITE = {**errors(409, 413), 409: RefusalOut}


@router.post("/partners/{partner_id}/registrations", response={201: RegistrationOut, **_WRITE})
@idempotent
def registration_create(
    request: HttpRequest, partner_id: str, payload: RegistrationIn
) -> Status[Any]:
    """Register a service for the partner (in development). A service the partner may not
    use now is a 409 carrying the policy's decision (`code`, `reason`, `unlock`)."""
    try:
        registration = services.registration_create(
            partner_id=partner_id,
            service=payload.service,
            name=payload.name,
            fields=payload.service_fields(),
            acting_user=user_of(request),
        )
    except ServiceRefusedError as refused:
        return _refusal(request, refused)
    return Status(201, registration)


@router.get(
    "/partners/{partner_id}/registrations", response={200: list[RegistrationOut], **errors()}
)
def registration_list(request: HttpRequest, partner_id: str) -> QuerySet[Registration]:
    """List the partner's registrations, oldest first (members; anyone else gets 404)."""
    partner = partner_for_user(acting_user=user_of(request), public_id=partner_id, operation=READ)
    return selectors.registrations_of_partner(partner=partner)


class ImpactIn(Schema):
    to: PartnerType | None = None
    status: PartnerStatus | None = None


@router.get("/partners/{partner_id}/registrations/impact", response={200: ImpactOut, **errors()})
def registration_impact(
    request: HttpRequest, partner_id: str, filters: Query[ImpactIn]
) -> dict[str, Any]:
    """Show what moving the partner to type `to` (and/or status `status`) would suspend or
    restore, before it happens; nothing is written."""
    to_type = None if filters.to is None else str(filters.to.value)
    to_status = None if filters.status is None else str(filters.status.value)
    rows = selectors.registration_impact(
        partner_id=partner_id, viewer=user_of(request), to_type=to_type, to_status=to_status
    )
    partner = partner_for_user(acting_user=user_of(request), public_id=partner_id)
    return {
        "partner": partner.public_id,
        "partner_type": to_type if to_type is not None else partner.partner_type,
        "status": to_status if to_status is not None else partner.status,
        "registrations": [
            {
                "registration": row.registration.public_id,
                "service": row.registration.service,
                "name": row.registration.name,
                "status": row.registration.status,
                "effect": row.effect,
                "decision": row.decision.as_dict(),
            }
            for row in rows
        ],
    }


@router.get("/registrations/{registration_id}", response={200: RegistrationOut, **errors()})
def registration_detail(request: HttpRequest, registration_id: str) -> Registration:
    """Return one registration (members, its operators; anyone else gets 404)."""
    return selectors.registration_access(
        public_id=registration_id, viewer=user_of(request), operation=READ
    ).registration


@router.patch("/registrations/{registration_id}", response={200: RegistrationOut, **errors(409)})
def registration_update(
    request: HttpRequest, registration_id: str, payload: RegistrationPatchIn
) -> Registration:
    """Change the name and/or the service's fields (members and operators)."""
    return services.registration_update(
        registration_id=registration_id,
        acting_user=user_of(request),
        name=payload.name,
        fields=payload.service_fields(),
    )


@router.delete("/registrations/{registration_id}", response={200: RegistrationOut, **errors(409)})
def registration_delete(request: HttpRequest, registration_id: str) -> Registration:
    """Delete the registration: its credentials stop at once."""
    return services.registration_delete(
        registration_id=registration_id, acting_user=user_of(request)
    )


@router.post(
    "/registrations/{registration_id}/images", response={200: RegistrationOut, **errors(409, 413)}
)
@idempotent
def registration_image_add(
    request: HttpRequest, registration_id: str, kind: Form[ImageKind], file: File[UploadedFile]
) -> Registration:
    """Add a logo, icon or screenshot (multipart `kind`, `file`); it must decode as an image."""
    return services.image_add(
        registration_id=registration_id,
        kind=str(kind.value),
        upload=file,
        acting_user=user_of(request),
    )


# A secret is never stored to be replayed (the idempotency store keeps answers in clear): a
# retry with the same key is refused like any second issue, and the key is documented so.
_NO_REPLAY = {
    "parameters": [
        {
            **IDEMPOTENCY_PARAMETER,
            "description": "Accepted but never replayed: the answer holds a secret, which is "
            "not stored. A retry after a success is a 409 `credentials_already_issued` "
            "(rotate instead).",
        }
    ]
}


@router.post(
    "/registrations/{registration_id}/credentials",
    response={201: CredentialsOut, **errors(409, 413)},
    openapi_extra=_NO_REPLAY,
)
def credentials_issue(request: HttpRequest, registration_id: str) -> Status[Any]:
    """Issue the key and secret, shown this once (later: rotate)."""
    issued = services.credentials_issue(
        registration_id=registration_id, acting_user=user_of(request)
    )
    return Status(201, _credentials(issued))


@router.post(
    "/registrations/{registration_id}/credentials/rotate",
    response={200: CredentialsOut, **errors(409, 413)},
    openapi_extra=_NO_REPLAY,
)
def credentials_rotate(request: HttpRequest, registration_id: str) -> dict[str, Any]:
    """Issue a new secret, shown once; the old one works for the grace period."""
    issued = services.credentials_rotate(
        registration_id=registration_id, acting_user=user_of(request)
    )
    return _credentials(issued)


def _credentials(issued: services.Issued) -> dict[str, Any]:
    return {
        "registration": issued.registration.public_id,
        "client_id": issued.secret.client_id,
        "client_secret": issued.secret.client_secret,
    }


@router.post(
    "/registrations/{registration_id}/listing-request",
    response={200: RegistrationOut, **errors(409, 413)},
)
@idempotent
def listing_request(request: HttpRequest, registration_id: str) -> Registration:
    """Ask staff to list the registration (needs the policy's listing needs)."""
    return services.listing_request(registration_id=registration_id, acting_user=user_of(request))


@router.get(
    "/registrations/{registration_id}/operators", response={200: list[OperatorOut], **errors()}
)
def operator_list(request: HttpRequest, registration_id: str) -> QuerySet[Operator]:
    """List the registration's invited and active operators."""
    access = selectors.registration_access(
        public_id=registration_id, viewer=user_of(request), operation=READ
    )
    return selectors.registration_operators(registration=access.registration)


@router.post(
    "/registrations/{registration_id}/operators", response={201: OperatorOut, **errors(409, 413)}
)
@idempotent
def operator_grant(request: HttpRequest, registration_id: str, payload: OperatorIn) -> Status[Any]:
    """Invite a platform user (by e-mail) as operator; they confirm the e-mailed link."""
    operator = operators.operator_grant(
        registration_id=registration_id, email=payload.email, acting_user=user_of(request)
    )
    return Status(201, operator)


@router.delete(
    "/registrations/{registration_id}/operators/{user_id}", response={204: None, **errors(409)}
)
def operator_revoke(request: HttpRequest, registration_id: PathText, user_id: DbId) -> Status[None]:
    """Revoke an operator (owners)."""
    operators.operator_revoke(
        registration_id=registration_id, user_id=user_id, acting_user=user_of(request)
    )
    return Status(204, None)


@router.post("/registration-operators/confirm", response={200: OperatorOut, **errors(409, 413)})
@idempotent
def operator_confirm(request: HttpRequest, payload: TokenIn) -> Operator:
    """Confirm an operator grant with the e-mailed token, as the invited user."""
    return operators.operator_confirm(token=payload.token, acting_user=user_of(request))


@router.post(
    "/registrations/{registration_id}/contact-email/resend",
    response={202: RegistrationOut, **errors(409, 413)},
)
@idempotent
def contact_email_resend(request: HttpRequest, registration_id: str) -> Status[Registration]:
    """Send a new confirmation link to the contact e-mail awaiting it (the old link stops);
    at most one a minute."""
    registration = services.contact_email_resend(
        registration_id=registration_id, acting_user=user_of(request)
    )
    return Status(202, registration)


@router.post(
    "/registration-contact-email/confirm", response={200: ContactConfirmedOut, **errors(409, 413)}
)
@idempotent
def contact_email_confirm(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    """Confirm a contact e-mail address with the e-mailed token (any signed-in user holding
    it: the token is the proof)."""
    registration = services.contact_email_confirm(token=payload.token)
    return {"registration": registration.public_id, "contact_email_confirmed": True}


@router.get(
    "/registrations/{registration_id}/payment", response={200: list[PaymentOut], **errors()}
)
def payment_list(request: HttpRequest, registration_id: str) -> QuerySet[PaymentEnrolment]:
    """List the app's payment enrolments, newest first."""
    access = selectors.registration_access(
        public_id=registration_id, viewer=user_of(request), operation=READ
    )
    return selectors.payment_enrolments(registration=access.registration)


@router.post("/registrations/{registration_id}/payment", response={201: PaymentOut, **_WRITE})
@idempotent
def payment_enrol(request: HttpRequest, registration_id: str, payload: PaymentIn) -> Status[Any]:
    """Submit the app's business plan for the mixi Payment Program (owners of a partner that
    may use it); payment is enabled once staff approve."""
    try:
        enrolment = payments.payment_enrol(
            registration_id=registration_id,
            business_plan=payload.business_plan,
            acting_user=user_of(request),
        )
    except ServiceRefusedError as refused:
        return _refusal(request, refused)
    return Status(201, enrolment)


@router.get("/partners/{partner_id}/payout-account", response={200: PayoutAccountOut, **errors()})
def payout_account(request: HttpRequest, partner_id: str) -> PayoutAccount:
    """The bank account the payment program pays into (owners; the number masked)."""
    return payments.payout_account_of(partner_id=partner_id, acting_user=user_of(request))


@router.put("/partners/{partner_id}/payout-account", response={200: PayoutAccountOut, **_WRITE})
@idempotent
def payout_account_set(
    request: HttpRequest, partner_id: str, payload: PayoutAccountIn
) -> PayoutAccount | Status[Any]:
    """Set the payout bank account: it must be held in the partner's registered name (422
    `payout_name_mismatch`); a partner that may not use the payment program is refused with
    the policy's decision (409)."""
    try:
        return payments.payout_account_set(
            partner_id=partner_id, acting_user=user_of(request), **payload.dict()
        )
    except ServiceRefusedError as refused:
        return _refusal(request, refused)


# ---------------------------------------------------------------- platform services


class DecisionsKey(HttpBearer):
    """`Authorization: Bearer <key>` with scope `decisions`: a platform service."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        key = apikey_by_raw_key(token)
        if key is None:
            raise api_error(UnauthorizedError, ApiErrorCode.UNAUTHORIZED)
        if key.scope != ApiKeyScope.DECISIONS:
            raise api_error(ForbiddenError, ApiErrorCode.INSUFFICIENT_SCOPE)
        return Caller(user=None, key_name=key.name, key_scope=key.scope)


@router.put(
    "/registrations/{registration_id}/user-count",
    response={200: UserCountOut, **errors(413)},
    auth=DecisionsKey(),
    tags=["platform"],
)
def user_count_report(
    request: HttpRequest, registration_id: str, payload: UserCountIn
) -> dict[str, Any]:
    """Set the registration's user count as the platform measures it (a platform service, key
    scope `decisions`); a PUT, idempotent by nature."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    registration = services.user_count_report(
        registration_id=registration_id, count=payload.count, actor=caller.actor
    )
    return {"registration": registration.public_id, "user_count": registration.user_count}


# ---------------------------------------------------------------- staff


class QueueFilterIn(Schema):
    status: RegistrationStatus | None = None


class PaymentFilterIn(Schema):
    status: PaymentStatus | None = None


@staff_router.get("/staff/registrations", response={200: list[ListingQueueItemOut], **errors()})
def staff_listing_queue(
    request: HttpRequest, filters: Query[QueueFilterIn]
) -> list[ListingQueueItemOut]:
    """Return listing requests (default: awaiting review), oldest request first, with age."""
    staff_of(request)
    status = None if filters.status is None else str(filters.status.value)
    entries = selectors.listing_queue(status=status)
    return [ListingQueueItemOut.from_entry(entry) for entry in entries]


@staff_router.get(
    "/staff/registrations/{registration_id}", response={200: RegistrationOut, **errors()}
)
def staff_registration_detail(request: HttpRequest, registration_id: str) -> Registration:
    """Return one registration as staff review it (any partner's)."""
    reviewer = staff_of(request)
    return selectors.registration_access(
        public_id=registration_id, viewer=reviewer, operation=READ, as_staff=True
    ).registration


_STAFF_ACTION = {200: RegistrationOut, **errors(409, 413)}


@staff_router.post("/staff/registrations/{registration_id}/publish", response=_STAFF_ACTION)
@idempotent
def staff_listing_publish(request: HttpRequest, registration_id: str) -> Registration:
    """Publish a registration whose listing was requested (staff with TOTP)."""
    reviewer = staff_of(request)
    return services.listing_publish(registration_id=registration_id, acting_user=reviewer)


@staff_router.post("/staff/registrations/{registration_id}/reject", response=_STAFF_ACTION)
@idempotent
def staff_listing_reject(
    request: HttpRequest, registration_id: str, payload: RejectIn
) -> Registration:
    """Reject a listing request, with the reason in Japanese and English."""
    reviewer = staff_of(request)
    return services.listing_reject(
        registration_id=registration_id,
        acting_user=reviewer,
        reason_ja=payload.reason_ja,
        reason_en=payload.reason_en,
    )


@staff_router.get("/staff/payment-enrolments", response={200: list[StaffPaymentOut], **errors()})
def staff_payment_queue(
    request: HttpRequest, filters: Query[PaymentFilterIn]
) -> QuerySet[PaymentEnrolment]:
    """Return payment enrolments (default: awaiting review), oldest first, with their age."""
    staff_of(request)
    status = None if filters.status is None else str(filters.status.value)
    return selectors.payment_queue(status=status)


_PAYMENT_ACTION = {200: StaffPaymentOut, **errors(409, 413)}


@staff_router.post("/staff/payment-enrolments/{payment_id}/approve", response=_PAYMENT_ACTION)
@idempotent
def staff_payment_approve(request: HttpRequest, payment_id: str) -> PaymentEnrolment:
    """Approve an app's business plan: its payment is enabled (staff with TOTP)."""
    reviewer = staff_of(request)
    return payments.payment_approve(payment_id=payment_id, acting_user=reviewer)


@staff_router.post("/staff/payment-enrolments/{payment_id}/reject", response=_PAYMENT_ACTION)
@idempotent
def staff_payment_reject(
    request: HttpRequest, payment_id: str, payload: RejectIn
) -> PaymentEnrolment:
    """Reject an app's business plan, with the reason in Japanese and English."""
    reviewer = staff_of(request)
    return payments.payment_reject(
        payment_id=payment_id,
        acting_user=reviewer,
        reason_ja=payload.reason_ja,
        reason_en=payload.reason_en,
    )
