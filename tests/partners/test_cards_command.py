"""`devcenter cards expire`: prints how many cards expired; idempotent."""
# ruff: noqa: S106 (the sandbox verifier's documented test tokens, not secrets)

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from devcenter.partners.models import CardStatus
from devcenter.partners.services import card_register
from tests.partners.factories import individual_partner, platform_user

pytestmark = pytest.mark.django_db


def _expire(*args: str) -> str:
    out = StringIO()
    call_command("cards", "expire", *args, stdout=out)
    return out.getvalue().strip()


def test_expire_prints_the_count_and_is_idempotent() -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=user)
    assert _expire() == "expired 0 cards"
    later = f"{card.exp_year + 1}-01-01"
    assert _expire("--today", later) == "expired 1 cards"
    assert _expire("--today", later) == "expired 0 cards"
    card.refresh_from_db()
    assert card.status == CardStatus.EXPIRED
