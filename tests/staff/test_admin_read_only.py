"""The audit log and the platform accounts are read-only in the console."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from devcenter.accounts.models import PlatformAccount
from devcenter.audit.models import AuditEvent
from devcenter.partners.services import partner_register_individual
from tests.staff.factories import StaffFactory, UserFactory
from tests.staff.helpers import staff_console_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client: Client) -> Client:
    return staff_console_client(client)[0]


def test_audit_admin_has_no_add_change_delete_or_actions() -> None:
    request = RequestFactory().get("/admin/")
    request.user = StaffFactory(is_superuser=True)
    model_admin = admin.site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}


def test_audit_events_can_be_read_not_changed_or_deleted(console: Client) -> None:
    partner_register_individual(acting_user=UserFactory(), registration_name="Solo Dev")
    event = AuditEvent.objects.first()
    change = reverse("admin:audit_auditevent_change", args=[event.pk])

    assert console.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert console.get(change).status_code == 200
    assert console.post(change, {"actor": "someone else"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert console.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.actor.startswith("user:")


def test_platform_accounts_are_listed_read_only(console: Client) -> None:
    partner_register_individual(acting_user=UserFactory(), registration_name="Solo Dev")
    account = PlatformAccount.objects.get()
    page = console.get(reverse("admin:platform_accounts_platformaccount_changelist"))
    assert account.public_id in page.content.decode()
    change = reverse("admin:platform_accounts_platformaccount_change", args=[account.pk])
    assert console.post(change, {"display_name": "renamed"}).status_code == 403
