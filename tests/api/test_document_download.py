"""GET /api/v1/documents/{id}."""

from tests.api.conftest import error_code
from tests.reviews.factories import tiny_pdf


def _certificate(application):
    return application.documents.get(kind="registry_certificate")


def test_member_downloads_the_bytes(dev, submitted):
    document = _certificate(submitted)

    response = dev.get(f"/documents/{document.public_id}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == tiny_pdf()
    assert "attachment" in response["Content-Disposition"]


def test_staff_are_no_members_on_the_developer_endpoint(staff, submitted):
    """Staff open documents in the staff console; being staff gives no right as a member."""
    response = staff.get(f"/documents/{_certificate(submitted).public_id}")

    assert response.status_code == 404
    assert error_code(response) == "document_not_found"


def test_member_of_another_partner_gets_404(other_dev, submitted):
    response = other_dev.get(f"/documents/{_certificate(submitted).public_id}")

    assert response.status_code == 404
    assert error_code(response) == "document_not_found"
