"""In/Out shapes of the accounts API operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema

from devcenter.accounts.errors import AccountErrorCode, account_error
from devcenter.accounts.models import PlatformAccount
from devcenter.accounts.services import DISPLAY_NAME_MAX_LENGTH
from devcenter.api_support.params import MaxLen, NotBlank, refused_as
from devcenter.errors import InvalidError


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
    """The test account's name: not blank, at most 100 characters."""

    display_name: Annotated[
        str,
        NotBlank,
        MaxLen(DISPLAY_NAME_MAX_LENGTH),
        refused_as(
            lambda: account_error(
                InvalidError, AccountErrorCode.INVALID_DISPLAY_NAME, field="display_name"
            )
        ),
    ]
