"""A downloaded document is sandboxed: it can never run as a page of this site."""

from tests.reviews.factories import tiny_pdf


def test_a_download_is_a_sandboxed_attachment_of_the_detected_type(dev, submitted):
    document = submitted.documents.get(kind="registry_certificate")

    response = dev.get(f"/documents/{document.public_id}")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == tiny_pdf()
