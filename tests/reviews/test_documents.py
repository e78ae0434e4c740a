"""Content checks of uploaded documents: type from the bytes, size, empty, names."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from devcenter.errors import InvalidError
from devcenter.reviews.documents import (
    files_removed_on_failure,
    inspect_upload,
    sanitised_name,
    sniff_content_type,
)
from tests.reviews.conftest import stored_files
from tests.reviews.factories import tiny_jpeg, tiny_pdf, tiny_png

ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00"
PE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (tiny_pdf(), "application/pdf", ".pdf"),
        (tiny_png(), "image/png", ".png"),
        (tiny_jpeg(), "image/jpeg", ".jpg"),
    ],
)
def test_pdf_png_jpeg_are_accepted_with_type_size_and_sha256(
    content: bytes, content_type: str, extension: str
) -> None:
    upload = SimpleUploadedFile("scan.bin", content, content_type="application/octet-stream")

    inspected = inspect_upload(upload, field="registry_certificate")

    assert inspected.content_type == content_type  # from the bytes, not the declared type
    assert inspected.extension == extension
    assert inspected.size == len(content)
    assert inspected.sha256 == hashlib.sha256(content).hexdigest()
    assert inspected.original_name == "scan.bin"
    assert upload.tell() == 0  # rewound for storing


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", ELF_HEADER + b"\x00" * 100),
        ("setup.pdf", PE_HEADER + b"\x00" * 100),
        ("form.png", b"GIF89a\x01\x00\x01\x00"),
        ("form.pdf", b" %PDF-1.4 leading space"),
        ("form.pdf", b"<html><body>%PDF-</body></html>"),
    ],
)
@pytest.mark.parametrize("field", ["registry_certificate", "application_form"])
def test_anything_else_is_refused_naming_the_field(name: str, content: bytes, field: str) -> None:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    with pytest.raises(InvalidError) as refused:
        inspect_upload(upload, field=field)

    assert refused.value.code == "unsupported_document_type"
    assert refused.value.field == field
    assert refused.value.status == 422
    assert refused.value.ja
    assert refused.value.en


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InvalidError) as refused:
        inspect_upload(SimpleUploadedFile("x.pdf", b""), field="application_form")

    assert (refused.value.code, refused.value.field) == ("document_empty", "application_form")


def test_a_20_mb_upload_is_refused_from_its_size_without_reading_it() -> None:
    class Unreadable(io.BytesIO):
        def read(self, *args: Any) -> bytes:
            raise AssertionError("the content must not be read")

    upload = SimpleUploadedFile("big.pdf", b"", content_type="application/pdf")
    upload.file = Unreadable()
    upload.size = 20 * 1024 * 1024

    with pytest.raises(InvalidError) as refused:
        inspect_upload(upload, field="registry_certificate")

    assert (refused.value.code, refused.value.field) == (
        "document_too_large",
        "registry_certificate",
    )


def test_a_20_mb_temporary_file_upload_is_refused() -> None:
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", 0, None)
    upload.write(b"%PDF-1.4\n" + b"\x00" * (20 * 1024 * 1024))
    upload.size = upload.tell()

    with pytest.raises(InvalidError) as refused:
        inspect_upload(upload, field="application_form")

    assert refused.value.code == "document_too_large"
    upload.close()


def test_a_file_larger_than_it_claims_is_refused_while_reading(settings: Any) -> None:
    """The size is also counted chunk by chunk: a wrong `.size` does not slip through."""
    settings.DEVCENTER_DOCUMENT_MAX_BYTES = 1000
    upload = File(io.BytesIO(b"%PDF-1.4\n" + b"\x00" * 5000), name="liar.pdf")
    upload.size = 10

    with pytest.raises(InvalidError) as refused:
        inspect_upload(upload, field="registry_certificate")

    assert refused.value.code == "document_too_large"


def test_exactly_the_limit_is_accepted(settings: Any) -> None:
    settings.DEVCENTER_DOCUMENT_MAX_BYTES = 1000
    content = tiny_pdf().ljust(1000, b"\n")

    assert inspect_upload(SimpleUploadedFile("a.pdf", content), field="x").size == 1000


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\登記簿 謄本.pdf", "登記簿_謄本.pdf"),
        ("..", "document"),
        ("", "document"),
        ("a" * 300 + ".pdf", "a" * 255),
    ],
)
def test_the_original_name_is_sanitised(name: str, expected: str) -> None:
    assert sanitised_name(name) == expected


def test_sniffing_needs_the_whole_signature() -> None:
    assert sniff_content_type(b"\x89PNG\r\n") is None
    assert sniff_content_type(b"\xff\xd8") is None
    assert sniff_content_type(b"%PDF") is None


def test_files_stored_in_a_failing_block_are_deleted(media_root: Path) -> None:
    from django.core.files.storage import default_storage

    def store_then_fail() -> None:
        with files_removed_on_failure() as stored:
            stored.add(default_storage.save("documents/a.pdf", io.BytesIO(tiny_pdf())))
            raise RuntimeError("the transaction failed")

    with pytest.raises(RuntimeError):
        store_then_fail()

    assert stored_files(media_root) == []
