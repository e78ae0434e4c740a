"""POST /api/v1/applications/{id}/withdraw."""

from tests.api.conftest import error_code, last_event


def test_applicant_withdraws(dev, submitted):
    response = dev.post(f"/applications/{submitted.public_id}/withdraw")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert last_event().event_type == "application.withdrawn"


def test_twice_is_409_but_a_replay_is_not(dev, submitted):
    path = f"/applications/{submitted.public_id}/withdraw"
    dev.post(path, key="wd-1")

    replay = dev.post(path, key="wd-1")
    again = dev.post(path, key="wd-2")

    assert replay.status_code == 200
    assert replay["Idempotent-Replayed"] == "true"
    assert again.status_code == 409
    assert error_code(again) == "no_open_application"


def test_stranger_gets_404(other_dev, submitted):
    response = other_dev.post(f"/applications/{submitted.public_id}/withdraw")
    assert response.status_code == 404
    assert error_code(response) == "application_not_found"
