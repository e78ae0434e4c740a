"""`devcenter audit verify`: the count when the chain holds, the first broken link otherwise."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_verify_chain
from tests.partners.factories import corporate_general_partner, individual_partner

pytestmark = pytest.mark.django_db


def _verify() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue().strip(), err.getvalue().strip()
    return 0, out.getvalue().strip(), err.getvalue().strip()


@pytest.fixture
def history() -> int:
    corporate_general_partner()
    individual_partner()
    return AuditEvent.objects.count()


def test_an_empty_log_verifies() -> None:
    assert _verify() == (0, "verified 0 events", "")


def test_an_intact_chain_prints_the_count(history: int) -> None:
    assert history == 6
    assert _verify() == (0, f"verified {history} events", "")


def test_an_altered_event_is_the_broken_link(history: int, tamper) -> None:
    with tamper():
        AuditEvent.objects.filter(sequence=3).update(actor="user:999")
    code, out, err = _verify()
    assert code == 1
    assert out == ""
    assert err.startswith("broken at sequence 3: ")
    assert "altered" in err


def test_a_rewritten_hash_breaks_the_next_link(history: int, tamper) -> None:
    from devcenter.audit.services import event_hash

    event = AuditEvent.objects.get(sequence=2)
    event.new = {"forged": True}
    with tamper():
        AuditEvent.objects.filter(pk=event.pk).update(new=event.new, hash=event_hash(event))
    code, _, err = _verify()
    assert code == 1
    assert err.startswith("broken at sequence 3: prev_hash")


def test_a_deleted_event_is_a_gap(history: int, tamper) -> None:
    with tamper():
        AuditEvent.objects.filter(sequence=4).delete()
    code, _, err = _verify()
    assert code == 1
    assert err.startswith("broken at sequence 5: expected sequence 4")
    check = audit_verify_chain()
    assert (check.verified, check.broken_at) == (3, 5)
