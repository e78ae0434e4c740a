"""GET /api/v1/applications/{id}."""

from tests.api.conftest import error_code


def test_applicant_reads_the_application_with_documents(dev, submitted):
    response = dev.get(f"/applications/{submitted.public_id}")

    assert response.status_code == 200
    assert response.json()["id"] == submitted.public_id
    assert len(response.json()["documents"]) == 2


def test_stranger_gets_404(other_dev, submitted):
    response = other_dev.get(f"/applications/{submitted.public_id}")

    assert response.status_code == 404
    assert error_code(response) == "application_not_found"
