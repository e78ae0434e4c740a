"""In/Out shapes of the accounts API operations."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from devcenter.accounts.models import PlatformAccount


class AccountOut(Schema):
    id: str
    partner: str
    kind: str
    display_name: str
    emblem: bool
    status: str
    created_at: datetime
    deleted_at: datetime | None

    @staticmethod
    def resolve_id(account: PlatformAccount) -> str:
        return account.public_id

    @staticmethod
    def resolve_partner(account: PlatformAccount) -> str:
        return account.partner.public_id


class TestAccountIn(Schema):
    display_name: str
