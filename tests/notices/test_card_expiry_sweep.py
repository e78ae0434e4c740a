"""The card expiry sweep: each threshold (30, 7, 1 days) once per card, the most urgent one
reached only (a missed notice is not sent late), nothing for a card no longer verified, and the
notices, the e-mails and the audited `card.expiring` event of one card in one transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from devcenter.audit.models import AuditEvent, PendingAuditEvent
from devcenter.notices.card_expiry import card_expiry_notify, due_threshold
from devcenter.notices.choices import CARD_EXPIRY_THRESHOLDS
from devcenter.notices.models import CardExpiryNotice, Notice
from devcenter.partners.models import Card, CardStatus
from devcenter.partners.services import card_remove
from tests.notices.conftest import EXPIRES_ON, days_before

pytestmark = pytest.mark.django_db


def expiring_events(card: Card) -> list[Any]:
    """Return the `card.expiring` events of `card` (chained or still pending), oldest first."""
    found = [
        *AuditEvent.objects.filter(event_type="card.expiring", target_id=card.public_id),
        *PendingAuditEvent.objects.filter(event_type="card.expiring", target_id=card.public_id),
    ]
    return sorted(found, key=lambda e: e.pk)


def sweep(day: Any, capture: Any) -> int:
    """Run the sweep as of `day`, sending its e-mails as a committed sweep does."""
    with capture(execute=True):
        return card_expiry_notify(today=day)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(31, None), (30, 30), (8, 30), (7, 7), (6, 7), (2, 7), (1, 1), (0, None), (-3, None)],
)
def test_the_due_threshold_is_the_most_urgent_one_reached(days_left: int, expected: Any) -> None:
    assert CARD_EXPIRY_THRESHOLDS == (30, 7, 1)
    assert due_threshold(days_left) == expected


def test_each_threshold_goes_out_once(card: Card, django_capture_on_commit_callbacks: Any) -> None:
    sent = []
    for days_left in (31, 30, 30, 20, 8, 7, 7, 6, 2, 1, 1):
        told = sweep(days_before(days_left), django_capture_on_commit_callbacks)
        sent.append(told)

    assert sent == [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]
    records = CardExpiryNotice.objects.filter(card=card).order_by("sent_at", "pk")
    assert [r.threshold_days for r in records] == [30, 7, 1]
    assert {r.expires_on for r in records} == {EXPIRES_ON}
    assert Notice.objects.filter(partner=card.partner).count() == 3
    assert len(mail.outbox) == 3
    assert [e.new["threshold_days"] for e in expiring_events(card)] == [30, 7, 1]


def test_running_the_sweep_twice_sends_nothing_new(
    card: Card, django_capture_on_commit_callbacks: Any
) -> None:
    assert sweep(days_before(7), django_capture_on_commit_callbacks) == 1
    assert sweep(days_before(7), django_capture_on_commit_callbacks) == 0

    assert len(mail.outbox) == 1
    assert Notice.objects.count() == 1
    assert len(expiring_events(card)) == 1


def test_a_card_six_days_from_expiry_gets_only_the_seven_day_notice(
    card: Card, django_capture_on_commit_callbacks: Any
) -> None:
    # Given a card registered (or a sweep first run) 6 days before it expires
    assert sweep(days_before(6), django_capture_on_commit_callbacks) == 1
    # then the missed 30-day notice is never sent late; the 1-day one still comes
    assert sweep(days_before(5), django_capture_on_commit_callbacks) == 0
    assert sweep(days_before(1), django_capture_on_commit_callbacks) == 1

    records = CardExpiryNotice.objects.filter(card=card).order_by("threshold_days")
    assert [r.threshold_days for r in records] == [1, 7]
    assert [n.data["threshold_days"] for n in Notice.objects.order_by("pk")] == [7, 1]
    assert len(mail.outbox) == 2


def test_a_card_no_longer_verified_gets_nothing(
    card: Card, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with transaction.atomic():
        card_remove(partner_id=card.partner.public_id, card_id=card.public_id, acting_user=owner)

    assert sweep(days_before(7), django_capture_on_commit_callbacks) == 0
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_the_notice_says_what_the_expiry_takes_away(
    card: Card, graph_registration: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sweep(days_before(7), django_capture_on_commit_callbacks)

    [notice] = Notice.objects.all()
    assert notice.recipient == card.partner.memberships.get().user
    assert notice.read_at is None
    data = notice.data
    assert (data["card"], data["expires_on"], data["days_left"]) == (
        card.public_id,
        EXPIRES_ON.isoformat(),
        7,
    )
    assert (data["from_type"], data["to_type"]) == ("individual_card", "individual")
    assert "graph_api" in data["services"]
    assert "plugin" not in data["services"]  # an individual keeps the plugin
    assert data["registrations"] == [
        {"id": graph_registration.public_id, "name": "写真ビューア連携", "service": "graph_api"}
    ]


def test_the_audit_event_is_written_with_the_notice(
    card: Card, django_capture_on_commit_callbacks: Any
) -> None:
    sweep(days_before(30), django_capture_on_commit_callbacks)

    [event] = expiring_events(card)
    assert (event.actor, event.target_type, event.partner) == (
        "system",
        "card",
        card.partner.public_id,
    )
    [notice] = Notice.objects.all()
    assert event.new == notice.data


def test_a_failure_after_the_notice_leaves_neither_notice_nor_event(
    card: Card, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def broken_audit(**_kwargs: Any) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("devcenter.notices.card_expiry.audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        sweep(days_before(7), django_capture_on_commit_callbacks)

    assert not Notice.objects.exists()
    assert not CardExpiryNotice.objects.exists()
    assert mail.outbox == []
    monkeypatch.undo()
    assert sweep(days_before(7), django_capture_on_commit_callbacks) == 1  # sent on the next run


def test_a_rolled_back_sweep_leaves_no_event_no_notice_and_no_mail(
    card: Card, django_capture_on_commit_callbacks: Any
) -> None:
    def sweep_then_fail() -> None:
        with transaction.atomic():
            card_expiry_notify(today=days_before(7))
            raise ZeroDivisionError  # the enclosing change fails after the sweep

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError):
        sweep_then_fail()

    assert expiring_events(card) == []
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_the_database_refuses_a_second_record_of_one_threshold(card: Card) -> None:
    CardExpiryNotice.objects.create(
        card=card, threshold_days=7, expires_on=EXPIRES_ON, sent_at=card.created_at
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CardExpiryNotice.objects.create(
            card=card, threshold_days=7, expires_on=EXPIRES_ON, sent_at=card.created_at
        )


def test_a_replaced_card_is_told_about_afresh(
    card: Card, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from devcenter.partners.services import card_register

    sweep(days_before(7), django_capture_on_commit_callbacks)
    new = card_register(partner_id=card.partner.public_id, token="tok_jcb", acting_user=owner)  # noqa: S106
    Card.objects.filter(pk=new.pk).update(exp_year=card.exp_year, exp_month=card.exp_month)

    assert sweep(days_before(6), django_capture_on_commit_callbacks) == 1
    assert Card.objects.get(pk=card.pk).status == CardStatus.REMOVED
    assert CardExpiryNotice.objects.filter(card_id=new.pk, threshold_days=7).exists()
