"""In/Out shapes of the partners API operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from devcenter.partners.models import Card, Membership, Partner
from devcenter.partners.services import CorporateDetails
from devcenter.policy import Decision


class CorporateDetailsIn(Schema):
    """A corporation's details (general registration, or a direct certification application)."""

    registration_name: str
    legal_name: str
    corporate_number: str
    legal_entity_registered: bool
    representative_name: str = ""
    head_office_address: str = ""
    contact_email: str
    contact_phone: str = ""

    def details(self) -> CorporateDetails:
        return CorporateDetails(**self.dict())


class IndividualIn(Schema):
    registration_name: str


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

    email: str
    role: str


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

    token: str


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
