"""The accounts part of the registry API: a partner's accounts and its test accounts."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status

from devcenter.accounts import selectors
from devcenter.accounts.models import PlatformAccount
from devcenter.accounts.schemas import AccountOut, TestAccountIn
from devcenter.api_support.auth import user_of
from devcenter.api_support.idempotency import idempotent
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import PathText
from devcenter.partners import services
from devcenter.partners.selectors import partner_for_user

router = Router(tags=["accounts"])


@router.get("/partners/{partner_id}/accounts", response={200: list[AccountOut], **errors()})
def account_list(request: HttpRequest, partner_id: PathText) -> QuerySet[PlatformAccount]:
    """List the partner's active platform accounts, oldest first."""
    partner = partner_for_user(acting_user=user_of(request), public_id=partner_id)
    return selectors.accounts_of_partner(partner=partner).select_related("partner")


@router.post("/partners/{partner_id}/test-accounts", response={201: AccountOut, **errors(409, 413)})
@idempotent
def test_account_create(
    request: HttpRequest, partner_id: PathText, payload: TestAccountIn
) -> Status[Any]:
    """Create a partner test account (certified partners, up to the configured limit)."""
    account = services.test_account_create(
        partner_id=partner_id, display_name=payload.display_name, acting_user=user_of(request)
    )
    return Status(201, account)


@router.delete(
    "/partners/{partner_id}/test-accounts/{account_id}", response={200: AccountOut, **errors(409)}
)
def test_account_delete(
    request: HttpRequest, partner_id: PathText, account_id: PathText
) -> PlatformAccount:
    """Delete one of the partner's test accounts (status deleted)."""
    return services.test_account_delete(
        partner_id=partner_id, account_id=account_id, acting_user=user_of(request)
    )
