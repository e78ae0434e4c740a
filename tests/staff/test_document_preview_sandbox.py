"""The staff preview shows a document inline but sandboxed; the application page obeys the
pages' Content-Security-Policy (no inline style)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from devcenter.reviews.models import CertificationApplication
from tests.staff.factories import submitted_application
from tests.staff.helpers import staff_console_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client: Client) -> Client:
    return staff_console_client(client)[0]


@pytest.fixture
def application(settings: object, tmp_path: object) -> CertificationApplication:
    settings.MEDIA_ROOT = tmp_path
    return submitted_application()


def test_the_preview_is_inline_and_sandboxed(
    console: Client, application: CertificationApplication
) -> None:
    document = application.documents.get(kind="registry_certificate")

    response = console.get(reverse("admin:reviews_document_preview", args=[document.public_id]))

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # shown in the page's <iframe>


def test_the_application_page_has_the_csp_and_no_inline_style(
    console: Client, application: CertificationApplication
) -> None:
    url = reverse("portal:staff_review", args=[application.public_id])

    response = console.get(url)

    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert b"style=" not in response.content
    assert b"portal/staff.css" in response.content
