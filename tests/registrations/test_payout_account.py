"""Payouts of the payment program go only to a bank account in the partner's registered name
(§8): set by owners of a partner that may use the payment program, the holder checked against
the registered name, the number masked everywhere it is shown (the API and the audit log)."""

from __future__ import annotations

import pytest
from django.db import transaction

from devcenter.partners.services import member_add
from devcenter.policy import default_policy
from devcenter.registrations.models import PayoutAccount
from tests.registrations.conftest import audit_events, code_of
from tests.registrations.factories import caller_for, partner_of_type, platform_user

pytestmark = pytest.mark.django_db


def account(holder: str, **changes: str) -> dict[str, str]:
    return {
        "bank_code": "0001",
        "branch_code": "123",
        "account_type": "ordinary",
        "account_number": "1234567",
        "holder_name": holder,
        **changes,
    }


def path(partner) -> str:
    return f"/partners/{partner.public_id}/payout-account"


def test_an_account_in_the_registered_name_is_set_and_shown_masked(dev, certified_partner):
    holder = certified_partner.registration_name

    response = dev.put(path(certified_partner), account(holder))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["account_number"] == "****567"
    assert (body["bank_code"], body["holder_name"]) == ("0001", holder)
    assert dev.get(path(certified_partner)).json()["account_number"] == "****567"
    [event] = audit_events("payout_account.set", certified_partner.public_id)
    assert event.new["account_number"] == "****567"
    assert "1234567" not in str(event.new)


def test_the_registered_name_matches_in_any_width_case_or_spacing(dev, certified_partner):
    holder = certified_partner.registration_name
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in holder.upper())

    response = dev.put(path(certified_partner), account(f"  {wide} "))

    assert response.status_code == 200, response.json()


def test_an_account_in_another_name_is_refused_and_nothing_is_written(dev, certified_partner):
    response = dev.put(path(certified_partner), account("山田 太郎"))

    assert response.status_code == 422
    assert (code_of(response), response.json()["field"]) == ("payout_name_mismatch", "holder_name")
    assert not PayoutAccount.objects.exists()
    assert not audit_events("payout_account.set")


def test_a_second_put_replaces_the_account_and_the_audit_keeps_both_masked(dev, certified_partner):
    holder = certified_partner.registration_name
    dev.put(path(certified_partner), account(holder))

    response = dev.put(path(certified_partner), account(holder, account_number="7654321"))

    assert response.json()["account_number"] == "****321"
    assert PayoutAccount.objects.count() == 1
    second = audit_events("payout_account.set", certified_partner.public_id)[-1]
    assert (second.old["account_number"], second.new["account_number"]) == ("****567", "****321")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank_code", "12"),
        ("bank_code", "abcd"),
        ("branch_code", "1234"),
        ("account_number", "123456"),
        ("account_number", "１２３４５６７"),
        ("account_type", "savings"),
        ("holder_name", "   "),
    ],
)
def test_a_malformed_field_is_422_naming_it(dev, certified_partner, field, value):
    body = account(certified_partner.registration_name, **{field: value})

    response = dev.put(path(certified_partner), body)

    assert (response.status_code, response.json()["field"]) == (422, field)
    assert not PayoutAccount.objects.exists()


@pytest.mark.parametrize("partner_type", ["corporate_general", "individual_card", "individual"])
def test_a_partner_that_may_not_use_the_payment_program_is_refused_with_the_decision(
    partner_type,
):
    owner = platform_user()
    partner = partner_of_type(partner_type, owner)
    caller = caller_for(owner)

    response = caller.put(path(partner), account(partner.registration_name))

    expected = default_policy().decide_service(partner.partner_type, "payment_program")
    assert not expected.allowed
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["unlockable"]) == (expected.code, expected.unlockable)
    assert not PayoutAccount.objects.exists()


def test_a_developer_member_may_neither_set_nor_read_it(dev, developer, certified_partner):
    dev.put(path(certified_partner), account(certified_partner.registration_name))
    colleague = platform_user()
    with transaction.atomic():
        member_add(
            partner_id=certified_partner.public_id,
            email=colleague.email,
            role="developer",
            acting_user=developer,
        )
    caller = caller_for(colleague)

    written = caller.put(path(certified_partner), account(certified_partner.registration_name))
    read = caller.get(path(certified_partner))

    assert (written.status_code, code_of(written)) == (403, "not_an_owner")
    assert (read.status_code, code_of(read)) == (403, "not_an_owner")


def test_none_registered_yet_is_404(dev, certified_partner):
    response = dev.get(path(certified_partner))

    assert (response.status_code, code_of(response)) == (404, "payout_account_not_found")
