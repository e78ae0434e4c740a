"""POST /api/v1/staff/applications/{id}/needs-info."""

from tests.api.conftest import error_code, last_event


def test_asks_the_applicant_for_what_is_missing(staff, in_review):
    response = staff.post(
        f"/staff/applications/{in_review.public_id}/needs-info",
        {"note": "申込書の押印がありません"},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "needs_info"
    assert response.json()["needs_info_note"] == "申込書の押印がありません"
    assert last_event().event_type == "application.needs_info"


def test_unknown_application_is_404(staff):
    response = staff.post("/staff/applications/apl_nope/needs-info", {"note": "x"})

    assert response.status_code == 404
    assert error_code(response) == "application_not_found"
