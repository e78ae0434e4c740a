"""POST /api/v1/applications: a document is checked for what it is, not only how it starts
(a file that merely starts with `%PDF-`, then an ELF or a web page, used to be accepted)."""

from dataclasses import asdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from devcenter.partners.models import Partner
from tests.api.conftest import documents, error_code
from tests.partners.factories import corporate_details
from tests.reviews.factories import tiny_pdf

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 500


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.4\n" + ELF, "document_unreadable"),
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "document_polyglot"),
        (tiny_pdf() + b"PK\x03\x04" + b"\x00" * 64, "document_polyglot"),
    ],
    ids=["pdf+elf", "pdf+html", "pdf+zip"],
)
def test_a_document_that_is_not_what_it_starts_like_is_422_and_nothing_written(
    dev, content: bytes, code: str
) -> None:
    form = {**asdict(corporate_details()), **documents()}
    form["registry_certificate"] = SimpleUploadedFile("touki.pdf", content, "application/pdf")

    response = dev.post("/applications", multipart=form)

    assert response.status_code == 422
    assert error_code(response) == code
    assert response.json()["field"] == "registry_certificate"
    assert not Partner.objects.exists()
