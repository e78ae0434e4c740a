"""account_create: the policy decides which kinds a partner's type may hold."""

from __future__ import annotations

import pytest
from django.db import transaction

from devcenter.accounts.models import AccountKind, AccountStatus
from devcenter.accounts.services import account_create
from devcenter.errors import ConflictError, InvalidError
from devcenter.policy import default_policy
from tests.partners.factories import corporate_general_partner, individual_partner

pytestmark = pytest.mark.django_db


def test_creates_an_allowed_account_with_the_policy_emblem(last_event) -> None:
    partner = corporate_general_partner()
    with transaction.atomic():
        account = account_create(
            partner=partner,
            kind=AccountKind.GENERAL_PARTNER_ACCOUNT,
            display_name=" 二つ目 ",
            actor="system",
        )
    assert account.public_id.startswith("acc_")
    assert (account.display_name, account.status, account.emblem) == ("二つ目", "active", False)
    event = last_event()
    assert (event.event_type, event.target_id, event.partner) == (
        "account.created",
        account.public_id,
        partner.public_id,
    )
    assert event.new["kind"] == "general_partner_account"


@pytest.mark.parametrize("kind", list(AccountKind.values))
def test_every_kind_follows_decide_account(kind: str, row_counts) -> None:
    partner = individual_partner()
    decision = default_policy().decide_account(partner.partner_type, kind)
    before = row_counts()
    if decision.allowed:
        account = account_create(partner=partner, kind=kind, display_name="x", actor="system")
        assert account.status == AccountStatus.ACTIVE
        return
    with pytest.raises(ConflictError) as refused:
        account_create(partner=partner, kind=kind, display_name="x", actor="system")
    assert refused.value.code == decision.code
    assert row_counts() == before


@pytest.mark.parametrize("name", ["", " ", "x" * 101])
def test_a_bad_display_name_is_refused(name: str, row_counts) -> None:
    partner = individual_partner()
    before = row_counts()
    with pytest.raises(InvalidError) as refused:
        account_create(
            partner=partner, kind=AccountKind.USER_ACCOUNT, display_name=name, actor="system"
        )
    assert (refused.value.code, refused.value.field) == ("invalid_display_name", "display_name")
    assert row_counts() == before
