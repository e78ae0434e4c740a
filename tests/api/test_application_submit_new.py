"""POST /api/v1/applications (multipart: corporate details and the two documents)."""

from dataclasses import asdict

from django.core.files.uploadedfile import SimpleUploadedFile

from devcenter.partners.models import Partner
from devcenter.reviews.models import CertificationApplication
from tests.api.conftest import documents, error_code, last_event
from tests.partners.factories import corporate_details


def _form(**overrides):
    return {**asdict(corporate_details(**overrides)), **documents()}


def test_new_corporation_applies_and_becomes_a_pending_partner(dev):
    response = dev.post("/applications", multipart=_form())

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert {d["kind"] for d in body["documents"]} == {"registry_certificate", "application_form"}
    assert all(d["download_url"].startswith("/api/v1/documents/") for d in body["documents"])
    partner = Partner.objects.get(public_id=body["partner"])
    assert partner.partner_type is None
    assert last_event().partner == partner.public_id


def test_an_executable_posing_as_pdf_is_refused_and_nothing_written(dev):
    form = _form()
    form["registry_certificate"] = SimpleUploadedFile(
        "x.pdf", b"MZ\x90\x00binary", "application/pdf"
    )

    response = dev.post("/applications", multipart=form)

    assert response.status_code == 422
    assert error_code(response) == "unsupported_document_type"
    assert not Partner.objects.exists()


def test_missing_document_is_422_naming_it(dev):
    form = _form()
    del form["application_form"]

    response = dev.post("/applications", multipart=form)

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "application_form"


def test_unregistered_organisation_is_409_with_the_policy_code(dev):
    response = dev.post("/applications", multipart=_form(legal_entity_registered=False))

    assert response.status_code == 409
    assert error_code(response) == "legal_entity_required"
    assert not CertificationApplication.objects.exists()


def test_resending_the_same_form_with_the_same_key_replays(dev):
    details = asdict(corporate_details())
    first = dev.post("/applications", multipart={**details, **documents()}, key="apl-1")

    # A second send has a new multipart boundary but the same fields and file bytes.
    again = dev.post("/applications", multipart={**details, **documents()}, key="apl-1")

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert CertificationApplication.objects.count() == 1


def test_same_key_with_another_file_is_409(dev):
    details = asdict(corporate_details())
    dev.post("/applications", multipart={**details, **documents()}, key="apl-2")
    other = {
        **documents(),
        "application_form": SimpleUploadedFile("f.pdf", b"%PDF-1.4 x", "application/pdf"),
    }

    response = dev.post("/applications", multipart={**details, **other}, key="apl-2")

    assert response.status_code == 409
    assert error_code(response) == "idempotency_key_reused"
