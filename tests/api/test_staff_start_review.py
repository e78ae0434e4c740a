"""POST /api/v1/staff/applications/{id}/start-review."""

from tests.api.conftest import error_code, last_event
from tests.api.factories import ApiCaller, lapsed_staff_key
from tests.reviews.factories import StaffFactory


def test_staff_takes_the_application_into_review(staff, submitted):
    response = staff.post(f"/staff/applications/{submitted.public_id}/start-review")

    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
    assert last_event().event_type == "application.in_review"


def test_staff_without_totp_is_403_mfa_required(submitted):
    caller = ApiCaller(lapsed_staff_key(StaffFactory(totp=False), totp=False))

    response = caller.post(f"/staff/applications/{submitted.public_id}/start-review")

    assert response.status_code == 403
    assert error_code(response) == "mfa_required"


def test_developer_key_is_403_and_nothing_changes(dev, submitted):
    response = dev.post(f"/staff/applications/{submitted.public_id}/start-review")

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_twice_is_409(staff, in_review):
    response = staff.post(f"/staff/applications/{in_review.public_id}/start-review")

    assert response.status_code == 409
    assert error_code(response) == "invalid_status_move"
