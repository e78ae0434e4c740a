"""In/Out shapes of the partners API operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from devcenter.api_support.params import MaxLen, NoNul, NotBlank, refused_as
from devcenter.errors import InvalidError
from devcenter.partners.cards import TOKEN_MAX_LENGTH, looks_like_card_number
from devcenter.partners.errors import PartnerErrorCode, partner_error
from devcenter.partners.models import Card, Invitation, MemberRole, Membership, Partner
from devcenter.partners.services import TEXT_MAX, CorporateDetails
from devcenter.policy import Decision

# 13 digits (ASCII or full-width), each pair optionally separated by a space or a hyphen.
CORPORATE_NUMBER_PATTERN = r"^[0-9０-９](?:[ 　\-－]?[0-9０-９]){12}$"
# `tok_` then letters, digits and underscores with no run of 12 or more digits: what could be
# a card number is never a token (the server refuses it as `card_number_not_accepted`).
CARD_TOKEN_PATTERN = r"^tok_[0-9]{0,11}(?:[A-Za-z_]+[0-9]{0,11})*$"  # noqa: S105
EMAIL_MAX = TEXT_MAX["contact_email"]
REASON_MAX = 500


def _django_email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError("not an e-mail address") from None
    return value


def _invalid(field: str) -> Any:
    return refused_as(
        lambda: partner_error(InvalidError, PartnerErrorCode.INVALID_FIELD, field=field)
    )


RegistrationName = Annotated[
    str, NotBlank, MaxLen(TEXT_MAX["registration_name"]), _invalid("registration_name")
]
LegalName = Annotated[str, NotBlank, MaxLen(TEXT_MAX["legal_name"]), _invalid("legal_name")]
RepresentativeName = Annotated[
    str, NoNul, MaxLen(TEXT_MAX["representative_name"]), _invalid("representative_name")
]
HeadOfficeAddress = Annotated[
    str, NoNul, MaxLen(TEXT_MAX["head_office_address"]), _invalid("head_office_address")
]
ContactPhone = Annotated[str, NoNul, MaxLen(TEXT_MAX["contact_phone"]), _invalid("contact_phone")]
CorporateNumber = Annotated[
    str,
    StringConstraints(pattern=CORPORATE_NUMBER_PATTERN),
    refused_as(
        lambda: partner_error(
            InvalidError, PartnerErrorCode.CORPORATE_NUMBER_FORMAT, field="corporate_number"
        )
    ),
]
ContactEmail = Annotated[
    str,
    Field(json_schema_extra={"format": "email"}),
    StringConstraints(max_length=EMAIL_MAX),
    AfterValidator(_django_email),
    _invalid("contact_email"),
]
Role = Annotated[
    MemberRole,
    refused_as(lambda: partner_error(InvalidError, PartnerErrorCode.INVALID_ROLE, field="role")),
]


def _card_token(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Refuse a card number as such (never echoed), anything else malformed as a bad token."""
    if isinstance(value, str) and looks_like_card_number(value):
        raise partner_error(InvalidError, PartnerErrorCode.CARD_NUMBER_NOT_ACCEPTED, field="token")
    try:
        return handler(value)
    except ValueError:
        raise partner_error(
            InvalidError, PartnerErrorCode.CARD_TOKEN_INVALID, field="token"
        ) from None


CardToken = Annotated[
    str,
    StringConstraints(max_length=TOKEN_MAX_LENGTH, pattern=CARD_TOKEN_PATTERN),
    WrapValidator(_card_token),
]


class CorporateDetailsIn(Schema):
    """A corporation's details (general registration, or a direct certification application)."""

    registration_name: RegistrationName
    legal_name: LegalName
    corporate_number: CorporateNumber
    legal_entity_registered: bool
    representative_name: RepresentativeName = ""
    head_office_address: HeadOfficeAddress = ""
    contact_email: ContactEmail
    contact_phone: ContactPhone = ""

    def details(self) -> CorporateDetails:
        return CorporateDetails(**self.dict())


class IndividualIn(Schema):
    registration_name: RegistrationName


class PartnerOut(Schema):
    id: str
    kind: str
    partner_type: str | None
    status: str
    registration_name: str
    legal_name: str
    corporate_number: str
    legal_entity_registered: bool
    representative_name: str
    head_office_address: str
    contact_email: str
    contact_phone: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_id(partner: Partner) -> str:
        return partner.public_id


class MemberIn(Schema):
    """A platform user to add, by the e-mail of their account, and the role to give them."""

    email: Annotated[str, NoNul, StringConstraints(max_length=EMAIL_MAX)]
    role: Role


InvitedEmail = Annotated[
    str,
    Field(json_schema_extra={"format": "email"}),
    StringConstraints(max_length=EMAIL_MAX),
    AfterValidator(_django_email),
    _invalid("email"),
]


class InvitationIn(Schema):
    """An e-mail address to invite and the role the person gets once they accept."""

    email: InvitedEmail
    role: Role


class InvitationOut(Schema):
    """An invitation sent: the same answer whether or not the address has an account."""

    invitation_id: str
    email: str
    role: str
    status: str
    expires_at: datetime

    @staticmethod
    def resolve_invitation_id(invitation: Invitation) -> str:
        return invitation.public_id


class StaffReasonIn(Schema):
    """Why staff do this: recorded in the audit log with the change."""

    reason: Annotated[str, NotBlank, MaxLen(REASON_MAX)]


class StaffMemberIn(MemberIn):
    """A platform user to add on a support request, with the reason (recorded)."""

    reason: Annotated[str, NotBlank, MaxLen(REASON_MAX)]


class MemberOut(Schema):
    user_id: int
    email: str
    role: str
    since: datetime

    @staticmethod
    def resolve_email(membership: Membership) -> str:
        return str(membership.user.email)

    @staticmethod
    def resolve_since(membership: Membership) -> datetime:
        return membership.created_at


class CardIn(Schema):
    """A payment provider's card token (`tok_…`); a card number is refused before storage."""

    token: CardToken


class CardOut(Schema):
    id: str
    partner: str
    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None
    status: str
    failure_code: str
    created_at: datetime

    @staticmethod
    def resolve_id(card: Card) -> str:
        return card.public_id

    @staticmethod
    def resolve_partner(card: Card) -> str:
        return card.partner.public_id


class LabelOut(Schema):
    ja: str
    en: str


class StepOut(Schema):
    step: str
    to: str


class DecisionOut(Schema):
    """One decision of the policy core, with the paths that would unlock it."""

    allowed: bool
    code: str
    reason: LabelOut
    unlockable: bool
    unlock: list[list[StepOut]]
    policy_version: str


class EntitlementsOut(Schema):
    """Every service, account and operation with today's decision for the caller, like
    Stripe's capabilities."""

    partner: str
    partner_type: str | None
    status: str
    role: str | None
    policy_version: str
    services: dict[str, DecisionOut]
    accounts: dict[str, DecisionOut]
    operations: dict[str, DecisionOut] | None  # None for a past instant (`at`)
    at: datetime | None  # the instant asked about, or None for now


def decisions_out(decisions: dict[str, Decision]) -> dict[str, dict[str, Any]]:
    return {code: decision.as_dict() for code, decision in decisions.items()}
