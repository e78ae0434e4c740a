"""The registry reads the decision plane's snapshot streams (partners and accounts selectors)."""

from __future__ import annotations

import pytest

from devcenter.accounts.selectors import account_snapshot_rows, accounts_of_partner
from devcenter.errors import NotFoundError
from devcenter.partners.selectors import (
    partner_get_by_pk,
    partner_snapshot_rows,
)
from tests.partners.factories import corporate_general_partner, individual_partner


@pytest.mark.django_db
def test_partner_rows_are_public_id_type_and_status() -> None:
    partner = individual_partner()
    other = corporate_general_partner()

    rows = set(partner_snapshot_rows().iterator(chunk_size=10))
    assert (partner.public_id, partner.partner_type, partner.status) in rows
    assert (other.public_id, other.partner_type, other.status) in rows
    assert list(partner_snapshot_rows(public_id__in=[partner.public_id])) == [
        (partner.public_id, partner.partner_type, partner.status)
    ]


@pytest.mark.django_db
def test_account_rows_are_public_id_kind_partner_and_status() -> None:
    partner = individual_partner()

    account = accounts_of_partner(partner=partner).get()
    lookup = {"partner__public_id__in": [partner.public_id]}

    expected = [(account.public_id, account.kind, partner.public_id, account.status)]
    assert list(account_snapshot_rows(**lookup)) == expected
    assert list(account_snapshot_rows(**lookup).iterator(chunk_size=10)) == expected


@pytest.mark.django_db
def test_partner_get_by_pk() -> None:
    partner = individual_partner()

    assert partner_get_by_pk(pk=partner.pk) == partner
    with pytest.raises(NotFoundError):
        partner_get_by_pk(pk=partner.pk + 1000)
