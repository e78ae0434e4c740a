"""GET /api/v1/staff/applications/{id}."""

from tests.api.conftest import error_code


def test_staff_see_the_review_record_and_document_links(staff, submitted):
    response = staff.get(f"/staff/applications/{submitted.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["partner_name"] == submitted.partner.registration_name
    assert body["age_seconds"] >= 0
    assert all(d["download_url"] for d in body["documents"])


def test_unknown_is_404(staff):
    response = staff.get("/staff/applications/apl_nope")
    assert response.status_code == 404
    assert error_code(response) == "application_not_found"


def test_developer_is_403(dev, submitted):
    response = dev.get(f"/staff/applications/{submitted.public_id}")
    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
