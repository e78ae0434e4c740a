"""POST /api/v1/staff/applications/{id}/reject."""

from tests.api.conftest import error_code, last_event


def test_rejects_with_reasons_in_both_languages(staff, in_review):
    response = staff.post(
        f"/staff/applications/{in_review.public_id}/reject",
        {"reason_ja": "書類が不鮮明です", "reason_en": "The documents are illegible."},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["decision_reason_en"] == "The documents are illegible."
    assert last_event().event_type == "application.rejected"


def test_missing_english_reason_is_422(staff, in_review):
    response = staff.post(
        f"/staff/applications/{in_review.public_id}/reject", {"reason_ja": "理由", "reason_en": ""}
    )

    assert response.status_code == 422
    assert error_code(response) == "reason_required"
    assert response.json()["field"] == "reason_en"


def test_submitted_application_cannot_be_rejected_yet(staff, submitted):
    response = staff.post(
        f"/staff/applications/{submitted.public_id}/reject", {"reason_ja": "a", "reason_en": "b"}
    )

    assert response.status_code == 409
    assert error_code(response) == "invalid_status_move"
