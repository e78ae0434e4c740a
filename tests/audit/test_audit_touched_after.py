"""`audit_touched_after`: what the decision plane's catch-up needs, with no target strings."""

from __future__ import annotations

import pytest

from devcenter.accounts.models import PlatformAccount
from devcenter.audit.selectors import audit_touched_after
from tests.partners.factories import corporate_general_partner

pytestmark = pytest.mark.django_db


def test_each_event_names_its_partner_and_its_account_if_any() -> None:
    partner = corporate_general_partner()
    account = PlatformAccount.objects.get(partner__public_id=partner.public_id)

    touched = audit_touched_after(sequence=0)

    assert [(number, p, a) for number, _, p, a in touched] == [
        (1, partner.public_id, ""),  # partner.registered
        (2, partner.public_id, ""),  # member.added
        (3, partner.public_id, account.public_id),  # account.created
    ]
    assert audit_touched_after(sequence=2)[0][0] == 3
    assert audit_touched_after(sequence=3) == []
