"""Account selectors."""

from __future__ import annotations

import pytest

from devcenter.accounts.selectors import account_get, accounts_of_partner
from devcenter.errors import NotFoundError
from devcenter.partners.services import partner_certify
from tests.partners.factories import corporate_general_partner

pytestmark = pytest.mark.django_db


def test_accounts_of_partner_hides_deleted_unless_asked() -> None:
    partner = partner_certify(partner=corporate_general_partner(), actor="system")
    assert [a.kind for a in accounts_of_partner(partner=partner)] == ["partner_account"]
    every = accounts_of_partner(partner=partner, include_deleted=True)
    assert [a.kind for a in every] == ["general_partner_account", "partner_account"]


def test_account_get() -> None:
    partner = corporate_general_partner()
    account = partner.platform_accounts.get()
    assert account_get(public_id=account.public_id) == account
    with pytest.raises(NotFoundError) as missing:
        account_get(public_id="acc_nope")
    assert missing.value.code == "account_not_found"
