"""Parallel writers on PostgreSQL: one consistent, gapless chain that catch-up never skips.

50 parallel card registrations for one partner keep one verified card; parallel writers
(some rolling back) leave exactly their committed events, in a chain a reader catching up by
sequence (as the decision plane does) follows without ever skipping one.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from devcenter.audit.models import AuditEvent, AuditEventType, AuditTarget
from devcenter.audit.selectors import audit_events_after, audit_verify_chain
from devcenter.audit.services import audit_record
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
                partner_id=partner.public_id, token=TOKENS[n % len(TOKENS)], acting_user=user
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


WRITERS = 6
TRANSACTIONS = 25


def _write(writer: int, start: threading.Barrier, errors: list[BaseException]) -> None:
    """Commit TRANSACTIONS transactions of 1-3 events each; every fifth one rolls back."""
    try:
        start.wait()
        for n in range(TRANSACTIONS):
            try:
                with transaction.atomic():
                    for k in range(1 + (writer + n) % 3):
                        audit_record(
                            event_type=AuditEventType.PARTNER_UPDATED,
                            actor=f"user:{writer}",
                            target_type=AuditTarget.PARTNER,
                            target_id=f"ptn_{writer}_{n}_{k}",
                            partner=f"ptn_{writer}_{n}_{k}",
                        )
                    if n % 5 == 4:
                        raise _RefusedError
            except _RefusedError:
                pass
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connection.close()


class _RefusedError(Exception):
    pass


def _catch_up(done: threading.Event, seen: list[int], gaps: list[tuple[int, int]]) -> None:
    """Catch up by sequence as the decision plane does, and note any sequence skipped."""
    try:
        while True:
            finished = done.is_set()
            last = seen[-1] if seen else 0
            for sequence in audit_events_after(sequence=last).values_list("sequence", flat=True):
                if sequence != (seen[-1] if seen else 0) + 1:
                    gaps.append((seen[-1] if seen else 0, sequence))
                seen.append(sequence)
            if finished:
                return
    finally:
        connection.close()


def test_parallel_writers_keep_one_gapless_chain_a_catch_up_never_skips(transactional_db) -> None:
    # Given writers committing (and rolling back) in parallel while a reader catches up
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    seen: list[int] = []
    gaps: list[tuple[int, int]] = []
    done = threading.Event()
    reader = threading.Thread(target=_catch_up, args=(done, seen, gaps))
    writers = [threading.Thread(target=_write, args=(w, start, errors)) for w in range(WRITERS)]
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join()

    # Then the chain verifies, sequences run 1..N, rolled-back events are absent,
    # and the reader saw every committed event in order, never one above a missing one
    assert errors == []
    committed = sum(
        1 + (w + n) % 3 for w in range(WRITERS) for n in range(TRANSACTIONS) if n % 5 != 4
    )
    check = audit_verify_chain()
    assert (check.ok, check.verified, check.pending) == (True, committed, 0)
    sequences = list(AuditEvent.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, committed + 1))
    assert gaps == []
    assert seen == sequences
