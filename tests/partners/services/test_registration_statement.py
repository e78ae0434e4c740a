"""On PostgreSQL a registration's rows are written in one statement (`registration_sql`).

It must store exactly what the ORM path (SQLite's, `_register_corporate_general_orm`) stores:
the partner, the membership, the account and the three audit events, field by field. Only what
must differ between two registrations differs: ids, public ids, the corporate number, times.
Both paths run here on the same PostgreSQL database, in real transactions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.db import connection, transaction

from devcenter.accounts.models import PlatformAccount
from devcenter.audit.models import AuditEvent, PendingAuditEvent
from devcenter.audit.selectors import audit_verify_chain
from devcenter.partners.models import Membership, Partner
from devcenter.partners.services import (
    _register_corporate_general_orm,
    partner_register_corporate_general,
)
from tests.partners.factories import corporate_details, platform_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

_STAMPS = {"created_at", "updated_at", "occurred_at"}
_CHAIN = {"sequence", "prev_hash", "hash"}


def _stored(partner: Partner) -> dict[str, Any]:
    """Return every stored field of the registration's rows, ids and public ids replaced."""
    account = PlatformAccount.objects.get(partner=partner)
    names = {
        partner.public_id: "<partner>",
        account.public_id: "<account>",
        partner.corporate_number: "<number>",
    }
    ids = {("partner", partner.pk): "<partner pk>", ("account", account.pk): "<account pk>"}

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, str):
            return names.get(value, value)
        return value

    def row(values: dict[str, Any], kind: str) -> dict[str, Any]:
        out = {}
        for name, value in values.items():
            if name in _STAMPS:
                assert isinstance(value, datetime), (name, value)
                assert value.utcoffset() is not None, name
                out[name] = "<time>"
            elif name == "id":
                out[name] = ids.get((kind, value), "<pk>")
            elif name == "partner_id":
                out[name] = ids[("partner", value)]
            elif name in _CHAIN:
                out[name] = "<chain>"
            else:
                out[name] = clean(value)
        return out

    (partner_row,) = Partner.objects.filter(pk=partner.pk).values()
    (membership_row,) = Membership.objects.filter(partner=partner).values()
    (account_row,) = PlatformAccount.objects.filter(pk=account.pk).values()
    events = list(
        AuditEvent.objects.filter(partner=partner.public_id).order_by("sequence").values()
    )
    return {
        "partner": row(partner_row, "partner"),
        "membership": row(membership_row, "membership"),
        "account": row(account_row, "account"),
        "events": [row(event, "event") for event in events],
    }


def test_the_one_statement_stores_what_the_orm_stores() -> None:
    user = platform_user()
    details = corporate_details(
        representative_name="代表 太郎",
        head_office_address="東京都渋谷区",
        contact_phone="03-0000-0000",
    )
    fast = partner_register_corporate_general(acting_user=user, details=details)
    other = corporate_details(
        registration_name=details.registration_name,
        legal_name=details.legal_name,
        representative_name=details.representative_name,
        head_office_address=details.head_office_address,
        contact_email=details.contact_email,
        contact_phone=details.contact_phone,
    )
    orm = _register_corporate_general_orm(user, other.cleaned())

    fast_rows, orm_rows = _stored(fast), _stored(orm)
    assert fast_rows == orm_rows
    assert len(fast_rows["events"]) == 3
    assert [e["event_type"] for e in fast_rows["events"]] == [
        "partner.registered",
        "member.added",
        "account.created",
    ]
    # The instance the service returns is the stored row.
    stored = Partner.objects.get(pk=fast.pk)
    assert (stored.public_id, stored.created_at) == (fast.public_id, fast.created_at)
    assert PendingAuditEvent.objects.count() == 0
    assert audit_verify_chain().verified == 6


def test_inside_a_callers_transaction_the_events_are_linked_once_it_commits() -> None:
    user = platform_user()
    with transaction.atomic():
        partner = partner_register_corporate_general(acting_user=user, details=corporate_details())
        assert PendingAuditEvent.objects.count() == 3  # written with the rows, not linked yet
        assert AuditEvent.objects.count() == 0
    assert PendingAuditEvent.objects.count() == 0
    assert AuditEvent.objects.filter(partner=partner.public_id).count() == 3
    assert audit_verify_chain().verified == 3


def test_a_caller_rolling_back_takes_the_rows_and_the_events_with_it() -> None:
    user = platform_user()

    def register_then_fail() -> None:
        with transaction.atomic():
            partner_register_corporate_general(acting_user=user, details=corporate_details())
            raise RuntimeError("the caller fails")

    with pytest.raises(RuntimeError):
        register_then_fail()
    assert Partner.objects.count() == 0
    assert PlatformAccount.objects.count() == 0
    assert PendingAuditEvent.objects.count() + AuditEvent.objects.count() == 0
    assert connection.in_atomic_block is False
