"""The review console: queue, application page with documents, and buttons that call services."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from devcenter.audit.models import AuditEvent
from devcenter.reviews.models import CertificationApplication
from tests.staff.factories import UserFactory, activate_totp, submitted_application
from tests.staff.helpers import mfa_login, staff_console_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client: Client) -> Client:
    return staff_console_client(client)[0]


@pytest.fixture
def application(settings: object, tmp_path: object) -> CertificationApplication:
    settings.MEDIA_ROOT = tmp_path
    return submitted_application()


def _change_url(application: CertificationApplication) -> str:
    return reverse("admin:reviews_certificationapplication_change", args=[application.pk])


def _press(console: Client, application: CertificationApplication, action: str, **data: str):
    url = reverse("admin:reviews_certificationapplication_review", args=[application.pk, action])
    return console.post(url, data)


def _messages(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _events(application: CertificationApplication) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_id=application.public_id).order_by("sequence"))


def test_queue_lists_open_applications_oldest_first_with_status_filter(
    console: Client, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path
    older, newer = submitted_application(1), submitted_application(2)
    url = reverse("admin:reviews_certificationapplication_changelist")

    page = console.get(url, {"status__exact": "submitted"}).content.decode()

    assert page.index(older.public_id) < page.index(newer.public_id)
    assert older.public_id not in console.get(url, {"status__exact": "approved"}).content.decode()


def test_application_page_previews_documents_and_offers_the_buttons(
    console: Client, application: CertificationApplication
) -> None:
    page = console.get(_change_url(application)).content.decode()

    form_png = application.documents.get(kind="application_form")
    registry_pdf = application.documents.get(kind="registry_certificate")
    preview = "admin:reviews_document_preview"
    assert f'<img src="{reverse(preview, args=[form_png.public_id])}' in page
    assert f'<iframe src="{reverse(preview, args=[registry_pdf.public_id])}' in page
    for action in ("start_review", "confirm_identity", "approve", "reject", "needs_info"):
        assert f'name="{action}"' in page


def test_start_confirm_approve_call_the_services_and_audit(
    console: Client, application: CertificationApplication
) -> None:
    """The three buttons move the application to approved and certify the partner."""
    _press(console, application, "start_review")
    _press(console, application, "confirm_identity", note="Called the representative")
    response = _press(console, application, "approve")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.partner.partner_type == "corporate_certified"
    staff_events = [
        e.event_type for e in _events(application) if e.event_type != "application.submitted"
    ]
    assert staff_events == [
        "application.in_review",
        "application.identity_confirmed",
        "application.approved",
    ]
    assert _events(application)[-1].actor == f"user:{application.reviewer.pk}"


def test_reject_with_reasons_calls_the_service_and_audits(
    console: Client, application: CertificationApplication
) -> None:
    _press(console, application, "start_review")
    _press(console, application, "reject", reason_ja="書類が不鮮明です", reason_en="Unreadable")

    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.decision_reason_en == "Unreadable"
    assert _events(application)[-1].event_type == "application.rejected"


def test_needs_info_calls_the_service_and_audits(
    console: Client, application: CertificationApplication
) -> None:
    _press(console, application, "start_review")
    _press(console, application, "needs_info", note="The seal is missing")

    application.refresh_from_db()
    assert application.status == "needs_info"
    assert _events(application)[-1].event_type == "application.needs_info"


def test_a_refused_action_shows_its_code_and_writes_nothing(
    console: Client, application: CertificationApplication
) -> None:
    """Approving a submitted application: an error message with the code, never a 500."""
    before = AuditEvent.objects.count()

    response = _press(console, application, "approve")

    assert response.status_code == 302
    assert any(m.startswith("invalid_status_move:") for m in _messages(response))
    application.refresh_from_db()
    assert application.status == "submitted"
    assert AuditEvent.objects.count() == before


def test_approve_before_identity_confirmation_is_refused(
    console: Client, application: CertificationApplication
) -> None:
    _press(console, application, "start_review")
    response = _press(console, application, "approve")
    assert any(m.startswith("identity_not_confirmed:") for m in _messages(response))


def test_a_form_without_its_fields_is_refused_before_the_service(
    console: Client, application: CertificationApplication
) -> None:
    _press(console, application, "start_review")
    before = AuditEvent.objects.count()
    _press(console, application, "reject", reason_ja="理由")  # no English reason
    application.refresh_from_db()
    assert application.status == "in_review"
    assert AuditEvent.objects.count() == before


def test_the_admin_form_cannot_change_an_application(
    console: Client, application: CertificationApplication
) -> None:
    """No admin save bypasses a service: the change form is view-only."""
    response = console.post(_change_url(application), {"status": "approved"})
    assert response.status_code == 403
    delete_url = reverse("admin:reviews_certificationapplication_delete", args=[application.pk])
    assert console.post(delete_url, {"post": "yes"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


def test_staff_preview_streams_the_document_inline(
    console: Client, application: CertificationApplication
) -> None:
    document = application.documents.get(kind="registry_certificate")
    response = console.get(reverse("admin:reviews_document_preview", args=[document.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_preview_is_not_found_for_non_staff(
    client: Client, application: CertificationApplication
) -> None:
    """Even the applicant (a member of the partner) gets a 404 from the staff console."""
    document = application.documents.first()
    url = reverse("admin:reviews_document_preview", args=[document.public_id])
    assert client.get(url).status_code == 302  # anonymous: to the log-in page

    member = application.submitted_by
    mfa_login(client, member, activate_totp(member))
    assert client.get(url).status_code == 404

    other = Client()
    other_user = UserFactory()
    other.force_login(other_user)
    assert other.get(url).status_code == 404


def test_preview_of_an_unknown_document_is_not_found(console: Client) -> None:
    url = reverse("admin:reviews_document_preview", args=["doc_missing"])
    assert console.get(url).status_code == 404
