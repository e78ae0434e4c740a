"""POST /api/v1/applications/{id}/resubmit (multipart, documents optional)."""

from tests.api.conftest import documents, error_code, last_event


def test_needs_info_application_goes_back_to_submitted_with_a_new_document(dev, needs_info):
    upload = {"registry_certificate": documents()["registry_certificate"]}

    response = dev.post(f"/applications/{needs_info.public_id}/resubmit", multipart=upload)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert [d["superseded"] for d in body["documents"]].count(True) == 1
    assert last_event().event_type == "document.uploaded" or last_event().event_type == (
        "application.submitted"
    )


def test_without_documents_is_fine(dev, needs_info):
    response = dev.post(f"/applications/{needs_info.public_id}/resubmit", multipart={})

    assert response.status_code == 200


def test_a_submitted_application_cannot_be_resubmitted(dev, submitted):
    response = dev.post(f"/applications/{submitted.public_id}/resubmit", multipart={})

    assert response.status_code == 409
    assert error_code(response) == "application_not_awaiting_answer"


def test_stranger_gets_404(other_dev, needs_info):
    response = other_dev.post(f"/applications/{needs_info.public_id}/resubmit", multipart={})

    assert response.status_code == 404
    assert error_code(response) == "application_not_found"
