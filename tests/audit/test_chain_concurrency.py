"""50 parallel card registrations for one partner: one verified card, a consistent chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_verify_chain
from devcenter.errors import DomainError
from devcenter.partners.models import Card, CardStatus, PartnerType
from devcenter.partners.services import card_register
from tests.partners.factories import individual_partner, platform_user

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CALLS = 50
TOKENS = ("tok_visa", "tok_mastercard", "tok_jcb", "tok_amex", "tok_declined")


def test_parallel_card_registrations_keep_one_card_and_a_gapless_chain(transactional_db) -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    start = threading.Barrier(CALLS)
    outcomes: list[object] = [None] * CALLS

    def register(n: int) -> None:
        try:
            start.wait()
            outcomes[n] = card_register(
                partner_id=partner.public_id, token=TOKENS[n % len(TOKENS)], by=user
            )
        except Exception as error:  # a DomainError is clean; anything else fails the test
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(CALLS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    unclean = [o for o in outcomes if not isinstance(o, Card | DomainError)]
    assert unclean == []
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert {e.code for e in refused} <= {"card_declined"}
    assert len(refused) == CALLS // len(TOKENS)
    assert Card.objects.filter(partner=partner, status=CardStatus.VERIFIED).count() == 1
    partner.refresh_from_db()
    assert partner.partner_type == PartnerType.INDIVIDUAL_CARD
    check = audit_verify_chain()
    assert check.ok, check.problem
    sequences = list(AuditEvent.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    assert check.verified == len(sequences)
    assert AuditEvent.objects.filter(event_type="card.registered").count() == CALLS - len(refused)
    assert AuditEvent.objects.filter(event_type="card.failed").count() == len(refused)
