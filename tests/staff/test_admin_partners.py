"""The partner pages of the console: search, filters, audit trail, suspend/restore by service."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Partner
from devcenter.partners.services import partner_register_corporate_general
from tests.staff.factories import UserFactory, corporate_details
from tests.staff.helpers import staff_console_client

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:partners_partner_changelist"


@pytest.fixture
def console(client: Client) -> Client:
    return staff_console_client(client)[0]


@pytest.fixture
def partner() -> Partner:
    return partner_register_corporate_general(
        acting_user=UserFactory(), details=corporate_details(3)
    )


@pytest.mark.parametrize("field", ["registration_name", "public_id", "corporate_number"])
def test_search_finds_a_partner_by_name_public_id_and_corporate_number(
    console: Client, partner: Partner, field: str
) -> None:
    other = partner_register_corporate_general(
        acting_user=UserFactory(), details=corporate_details(4, registration_name="Other Studio")
    )
    page = console.get(reverse(CHANGELIST), {"q": getattr(partner, field)}).content.decode()
    assert partner.public_id in page
    assert other.public_id not in page


def test_filters_by_type_and_status(console: Client, partner: Partner) -> None:
    url = reverse(CHANGELIST)
    assert (
        partner.public_id
        in console.get(url, {"partner_type__exact": "corporate_general"}).content.decode()
    )
    assert (
        partner.public_id
        not in console.get(url, {"partner_type__exact": "individual"}).content.decode()
    )
    assert (
        partner.public_id not in console.get(url, {"status__exact": "suspended"}).content.decode()
    )


def test_partner_page_shows_its_audit_trail(console: Client, partner: Partner) -> None:
    page = console.get(reverse("admin:partners_partner_change", args=[partner.pk])).content.decode()
    assert 'id="partner-audit-trail"' in page
    for event in AuditEvent.objects.filter(partner=partner.public_id):
        assert f"<td>{event.sequence}</td>" in page


def test_type_and_status_cannot_be_edited(console: Client, partner: Partner) -> None:
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    page = console.get(url).content.decode()
    assert 'name="partner_type"' not in page
    assert 'name="status"' not in page
    assert console.post(url, {"partner_type": "corporate_certified"}).status_code == 403
    partner.refresh_from_db()
    assert partner.partner_type == "corporate_general"


def _action(console: Client, partner: Partner, action: str, **data: str):
    return console.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [partner.pk], **data}
    )


def test_suspend_asks_for_a_reason_then_calls_the_service(
    console: Client, partner: Partner
) -> None:
    confirm = _action(console, partner, "suspend_partners")
    assert confirm.status_code == 200
    assert 'name="reason"' in confirm.content.decode()
    partner.refresh_from_db()
    assert partner.status == "active"

    _action(console, partner, "suspend_partners", reason="Abuse report #12")

    partner.refresh_from_db()
    assert partner.status == "suspended"
    event = AuditEvent.objects.filter(partner=partner.public_id).last()
    assert event.event_type == "partner.suspended"


def test_restore_calls_the_service(console: Client, partner: Partner) -> None:
    _action(console, partner, "suspend_partners", reason="Abuse report #12")
    _action(console, partner, "restore_partners", reason="Resolved")

    partner.refresh_from_db()
    assert partner.status == "active"
    assert (
        AuditEvent.objects.filter(partner=partner.public_id).last().event_type == "partner.restored"
    )


def test_restoring_an_active_partner_shows_the_refusal(console: Client, partner: Partner) -> None:
    before = AuditEvent.objects.count()
    response = _action(console, partner, "restore_partners", reason="nothing to restore")
    assert response.status_code == 302
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(
        note.endswith("(not_suspended)") and not note.startswith("not_suspended") for note in notes
    )
    assert AuditEvent.objects.count() == before


def test_the_admin_cannot_add_or_delete_partners(console: Client, partner: Partner) -> None:
    assert console.get(reverse("admin:partners_partner_add")).status_code == 403
    delete = reverse("admin:partners_partner_delete", args=[partner.pk])
    assert console.post(delete, {"post": "yes"}).status_code == 403
