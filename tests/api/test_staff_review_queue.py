"""GET /api/v1/staff/applications?status=."""

from tests.api.conftest import error_code


def test_queue_lists_open_applications_oldest_first_with_age(staff, submitted):
    response = staff.get("/staff/applications")

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == submitted.public_id
    assert item["age_seconds"] >= 0


def test_filter_by_status(staff, submitted):
    assert staff.get("/staff/applications", status="in_review").json() == []
    assert len(staff.get("/staff/applications", status="submitted").json()) == 1


def test_unknown_status_is_422(staff):
    response = staff.get("/staff/applications", status="bogus")

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "status"


def test_developer_key_is_403(dev):
    assert error_code(dev.get("/staff/applications")) == "insufficient_scope"


def test_staff_key_of_a_non_staff_user_is_403(developer):
    from tests.api.factories import ApiCaller, lapsed_staff_key

    response = ApiCaller(lapsed_staff_key(developer)).get("/staff/applications")

    assert response.status_code == 403
    assert error_code(response) == "staff_only"
