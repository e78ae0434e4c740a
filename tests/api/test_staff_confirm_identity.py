"""POST /api/v1/staff/applications/{id}/confirm-identity."""

from tests.api.conftest import error_code, last_event


def test_records_the_contact_made(staff, in_review):
    response = staff.post(
        f"/staff/applications/{in_review.public_id}/confirm-identity",
        {"note": "代表電話で担当者に確認"},
    )

    assert response.status_code == 200
    assert response.json()["identity_confirmed_at"]
    assert response.json()["identity_confirmation_note"] == "代表電話で担当者に確認"
    assert last_event().event_type == "application.identity_confirmed"


def test_empty_note_is_422(staff, in_review):
    response = staff.post(
        f"/staff/applications/{in_review.public_id}/confirm-identity", {"note": " "}
    )

    assert response.status_code == 422
    assert error_code(response) == "note_required"


def test_missing_note_is_invalid_field(staff, in_review):
    response = staff.post(f"/staff/applications/{in_review.public_id}/confirm-identity", {})

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "note"
