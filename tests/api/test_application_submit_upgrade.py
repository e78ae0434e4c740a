"""POST /api/v1/partners/{id}/applications (multipart: the two documents)."""

from devcenter.reviews.models import CertificationApplication
from tests.api.conftest import documents, error_code, last_event


def test_general_partner_applies_to_upgrade(dev, general_partner):
    response = dev.post(
        f"/partners/{general_partner.public_id}/applications", multipart=documents()
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "upgrade"
    assert last_event().partner == general_partner.public_id


def test_individual_is_refused_with_the_policy_code(dev, individual):
    response = dev.post(f"/partners/{individual.public_id}/applications", multipart=documents())

    assert response.status_code == 409
    assert error_code(response) == "individual_to_corporate"
    assert not CertificationApplication.objects.exists()


def test_second_open_application_is_409(dev, general_partner, submitted):
    response = dev.post(
        f"/partners/{general_partner.public_id}/applications", multipart=documents()
    )

    assert response.status_code == 409
    assert error_code(response) == "application_already_open"


def test_stranger_gets_404(other_dev, general_partner):
    response = other_dev.post(
        f"/partners/{general_partner.public_id}/applications", multipart=documents()
    )

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_an_empty_file_is_422_document_empty(dev, general_partner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {**documents(), "application_form": SimpleUploadedFile("form.pdf", b"")}

    response = dev.post(f"/partners/{general_partner.public_id}/applications", multipart=files)

    assert response.status_code == 422
    assert error_code(response) == "document_empty"
    assert not CertificationApplication.objects.exists()
