"""The admin side of the reviews: no admin form changes an application, and the document
preview the staff review screens show (the screens: tests/portal/test_staff_review.py)."""

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


def test_the_admin_form_cannot_change_an_application(
    console: Client, application: CertificationApplication
) -> None:
    """No admin save bypasses a service: the change page only sends staff to the review screen."""
    response = console.post(_change_url(application), {"status": "approved"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:staff_review", args=[application.public_id])
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
