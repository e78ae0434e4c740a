"""In/Out shapes of the registrations API operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from devcenter.api_support.params import MaxLen, NotBlank
from devcenter.partners.schemas import DecisionOut, LabelOut, StepOut
from devcenter.registrations import clock
from devcenter.registrations.models import Operator, PaymentEnrolment, PayoutAccount, Registration
from devcenter.registrations.selectors import (
    QueueEntry,
    payment_enabled,
    registration_client_id,
    registration_images,
    registration_usable,
)


class RegistrationIn(BaseModel):
    """`service`, `name` and the service's own fields (the policy's `[[registrable]]` entry:
    e.g. `gadget_xml_url`, `redirect_uris`, `contact_email`, `support_community_id`)."""

    model_config = ConfigDict(extra="allow")

    service: Annotated[str, NotBlank, MaxLen(30)]
    name: Annotated[str, NotBlank, MaxLen(100)]

    def service_fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class RegistrationPatchIn(BaseModel):
    """The name and/or any of the service's fields to change (`null` clears an optional one)."""

    model_config = ConfigDict(extra="allow")

    name: Annotated[str, NotBlank, MaxLen(100)] | None = None

    def service_fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class ImageOut(Schema):
    kind: str
    content_type: str
    width: int
    height: int
    size: int
    sha256: str
    created_at: datetime


class RegistrationOut(Schema):
    """A registration as its partner's members and operators see it."""

    id: str
    partner: str
    service: str
    name: str
    status: str
    restore_status: str
    suspended_reason: str
    usable: bool
    description: str
    contact_email: str
    contact_email_confirmed: bool
    support_community_id: str
    redirect_uris: list[str]
    page: str | None
    fields: dict[str, Any]
    images: list[ImageOut]
    client_id: str | None
    user_count: int
    payment_enabled: bool
    listing_requested_at: datetime | None
    decided_at: datetime | None
    decision_reason_ja: str
    decision_reason_en: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_id(registration: Registration) -> str:
        return registration.public_id

    @staticmethod
    def resolve_partner(registration: Registration) -> str:
        return registration.partner.public_id

    @staticmethod
    def resolve_usable(registration: Registration) -> bool:
        return registration_usable(registration=registration)

    @staticmethod
    def resolve_contact_email_confirmed(registration: Registration) -> bool:
        return registration.contact_email_confirmed_at is not None

    @staticmethod
    def resolve_page(registration: Registration) -> str | None:
        return None if registration.parent is None else registration.parent.public_id

    @staticmethod
    def resolve_images(registration: Registration) -> list[Any]:
        return registration_images(registration=registration)

    @staticmethod
    def resolve_client_id(registration: Registration) -> str | None:
        return registration_client_id(registration=registration)

    @staticmethod
    def resolve_payment_enabled(registration: Registration) -> bool:
        return payment_enabled(registration=registration)


class RefusalOut(Schema):
    """A 409: the error body; a service the partner may not use adds the policy's decision
    (`reason`, `unlockable`, `unlock`: how to unlock it)."""

    code: str
    message: str
    field: str | None = None
    reason: LabelOut | None = None
    unlockable: bool | None = None
    unlock: list[list[StepOut]] | None = None


class CredentialsOut(Schema):
    """Shown once: the key and (except for a plugin's check key) the secret."""

    registration: str
    client_id: str
    client_secret: str | None


class ImpactRowOut(Schema):
    registration: str
    service: str
    name: str
    status: str
    effect: str
    decision: DecisionOut


class ImpactOut(Schema):
    """What moving the partner would do to its registrations, before it happens."""

    partner: str
    partner_type: str | None
    status: str
    registrations: list[ImpactRowOut]


class OperatorIn(Schema):
    email: Annotated[str, NotBlank, MaxLen(254)]


class OperatorOut(Schema):
    registration: str
    user_id: int
    email: str
    status: str
    invited_at: datetime
    confirmed_at: datetime | None

    @staticmethod
    def resolve_registration(operator: Operator) -> str:
        return operator.registration.public_id

    @staticmethod
    def resolve_email(operator: Operator) -> str:
        return str(operator.user.email)


class TokenIn(Schema):
    token: Annotated[str, NotBlank, MaxLen(500)]


class ContactConfirmedOut(Schema):
    registration: str
    contact_email_confirmed: bool


class PayoutAccountIn(Schema):
    bank_code: Annotated[str, MaxLen(10)]  # 4 digits (金融機関コード)
    branch_code: Annotated[str, MaxLen(10)]  # 3 digits (支店コード)
    account_type: Annotated[str, MaxLen(20)]  # ordinary (普通) or checking (当座)
    account_number: Annotated[str, MaxLen(20)]  # 7 digits
    holder_name: Annotated[str, MaxLen(200)]  # the partner's registered name


class PayoutAccountOut(Schema):
    partner: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str  # masked: only the last three digits
    holder_name: str
    updated_at: datetime

    @staticmethod
    def resolve_partner(account: PayoutAccount) -> str:
        return account.partner.public_id

    @staticmethod
    def resolve_account_number(account: PayoutAccount) -> str:
        return account.masked_number


class PaymentIn(Schema):
    business_plan: Annotated[str, NotBlank, MaxLen(20000)]


class PaymentOut(Schema):
    id: str
    registration: str
    status: str
    business_plan: str
    submitted_at: datetime
    decided_at: datetime | None
    reason_ja: str
    reason_en: str

    @staticmethod
    def resolve_id(enrolment: PaymentEnrolment) -> str:
        return enrolment.public_id

    @staticmethod
    def resolve_registration(enrolment: PaymentEnrolment) -> str:
        return enrolment.registration.public_id


class StaffPaymentOut(PaymentOut):
    """A payment enrolment in the staff queue: the app, its partner and how long it waited."""

    partner: str
    partner_name: str
    service: str
    app_name: str
    age_seconds: int

    @staticmethod
    def resolve_partner(enrolment: PaymentEnrolment) -> str:
        return enrolment.registration.partner.public_id

    @staticmethod
    def resolve_partner_name(enrolment: PaymentEnrolment) -> str:
        return enrolment.registration.partner.registration_name

    @staticmethod
    def resolve_service(enrolment: PaymentEnrolment) -> str:
        return enrolment.registration.service

    @staticmethod
    def resolve_app_name(enrolment: PaymentEnrolment) -> str:
        return enrolment.registration.name

    @staticmethod
    def resolve_age_seconds(enrolment: PaymentEnrolment) -> int:
        return int((clock.now() - enrolment.submitted_at).total_seconds())


class UserCountIn(Schema):
    count: Annotated[int, Field(ge=0, le=2**31 - 1)]


class UserCountOut(Schema):
    registration: str
    user_count: int


class ListingQueueItemOut(Schema):
    """A listing request in the staff queue, with how long it has waited."""

    id: str
    partner: str
    partner_name: str
    service: str
    name: str
    status: str
    user_count: int
    listing_requested_at: datetime | None
    age_seconds: int

    @staticmethod
    def from_entry(entry: QueueEntry) -> ListingQueueItemOut:
        registration = entry.registration
        return ListingQueueItemOut(
            id=registration.public_id,
            partner=registration.partner.public_id,
            partner_name=registration.partner.registration_name,
            service=registration.service,
            name=registration.name,
            status=registration.status,
            user_count=registration.user_count,
            listing_requested_at=registration.listing_requested_at,
            age_seconds=int(entry.age.total_seconds()),
        )


class RejectIn(Schema):
    reason_ja: Annotated[str, NotBlank, MaxLen(2000)]
    reason_en: Annotated[str, NotBlank, MaxLen(2000)]
