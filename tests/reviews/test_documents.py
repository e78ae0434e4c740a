"""Content checks of uploaded documents: type from the bytes, size, empty, names."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from devcenter.errors import InvalidError
from devcenter.reviews.documents import (
    LIMITS,
    ContentLimits,
    ContentRefused,
    ImageFacts,
    check_image,
    check_pdf,
    files_removed_on_failure,
    inspect_upload,
    sanitised_name,
    sniff_content_type,
)
from devcenter.reviews.errors import ReviewErrorCode, content_refused
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


# ---------------------------------------------------------------- checked for what they are


def _pdf(*objects: bytes) -> bytes:
    """Return a PDF of `objects` (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"


def _stream(data: bytes, *, flate: bool) -> bytes:
    body = zlib.compress(data, 9) if flate else data
    filters = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(body), filters, body)


def _png(width: int, height: int, rows: bytes, *, extra_chunks: bytes = b"") -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra_chunks
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _text_chunk(text: bytes) -> bytes:
    data = b"Comment\x00" + text
    return (
        struct.pack(">I", len(data))
        + b"tEXt"
        + data
        + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    )


def _refused(content: bytes, field: str = "registry_certificate") -> InvalidError:
    with pytest.raises(InvalidError) as refused:
        inspect_upload(SimpleUploadedFile("scan.pdf", content), field=field)
    assert refused.value.field == field
    assert refused.value.status == 422
    assert refused.value.ja
    assert refused.value.en
    return refused.value


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n" + ELF_HEADER + b"\x00" * 4000,  # an executable behind the signature
        b"%PDF-1.7\n<!-- not a pdf -->\n<p>hello</p>\n",  # text behind the signature
        tiny_pdf()[:-40],  # truncated: no cross-reference, no trailer
        _pdf(CATALOG, b"(a string)"),  # the page tree is not one
        _pdf(CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"),  # no page
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,  # a PNG signature, then nothing of a PNG
        tiny_png()[:30] + tiny_png()[-12:],  # a PNG with its pixels cut out
        b"\xff\xd8\xff\xe0" + ELF_HEADER + b"\xff\xd9",  # a JPEG signature, then an executable
    ],
    ids=[
        "pdf+elf",
        "pdf+text",
        "truncated-pdf",
        "broken-object",
        "no-page",
        "png-empty",
        "png-no-pixels",
        "jpeg+elf",
    ],
)
def test_a_file_that_only_starts_like_a_document_is_unreadable(content: bytes) -> None:
    assert _refused(content).code == "document_unreadable"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>",
        _pdf(CATALOG, ONE_PAGE, PAGE, b"(<!DOCTYPE html><SCRIPT src=//x>)"),  # valid, and a page
        tiny_pdf() + b"PK\x03\x04" + b"\x00" * 100,  # a ZIP after the end
        tiny_pdf() + b"<body onload=alert(1)>",  # a page after the end
        tiny_png() + b"PK\x03\x04" + b"\x00" * 100,
        _png(1, 1, b"\x00\x80", extra_chunks=_text_chunk(b"<script>alert(1)</script>")),
        tiny_jpeg() + b"PK\x03\x04" + b"\x00" * 100,
    ],
    ids=[
        "pdf-signature+html",
        "pdf+html-inside",
        "pdf+zip",
        "pdf+html-after",
        "png+zip",
        "png+script-text",
        "jpeg+zip",
    ],
)
def test_a_polyglot_is_refused(content: bytes) -> None:
    assert _refused(content).code == "document_polyglot"


@pytest.mark.parametrize(
    "action",
    [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (calc.exe) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [] >> >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
    ],
    ids=["javascript", "launch", "attachment", "xfa"],
)
def test_a_pdf_that_acts_is_refused(action: bytes) -> None:
    content = _pdf(action, ONE_PAGE, PAGE, _stream(b"<xdp/>", flate=False))

    assert _refused(content).code == "document_active_content"


def test_a_pdf_decompression_bomb_is_too_complex() -> None:
    """100 MB of zeros in a 100 kB stream: refused, not inflated in full."""
    bomb = _stream(b"\x00" * 100_000_000, flate=True)
    content = _pdf(CATALOG, ONE_PAGE, PAGE, bomb)
    assert len(content) < 200_000

    assert _refused(content).code == "document_too_complex"


def test_decompressed_bytes_are_counted_across_streams() -> None:
    streams = [_stream(b"\x00" * 1_000_000, flate=True) for _ in range(5)]
    content = _pdf(CATALOG, ONE_PAGE, PAGE, *streams)

    with pytest.raises(ContentRefused) as refused:
        check_pdf(io.BytesIO(content), ContentLimits(pdf_decompressed_bytes=4_000_000))
    assert refused.value.code == "document_too_complex"
    assert check_pdf(io.BytesIO(content), ContentLimits(pdf_decompressed_bytes=5_000_000)) == 1


def test_too_many_pages_or_objects_is_too_complex() -> None:
    pages = 101
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"
    content = _pdf(
        CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages), *([page] * pages)
    )

    assert _refused(content).code == "document_too_complex"
    assert check_pdf(io.BytesIO(content), ContentLimits(pdf_pages=101)) == 101
    with pytest.raises(ContentRefused) as refused:
        check_pdf(io.BytesIO(content), ContentLimits(pdf_pages=101, pdf_objects=100))
    assert refused.value.code == "document_too_complex"


def test_a_slow_pdf_is_cut_off_at_the_time_limit() -> None:
    content = _pdf(CATALOG, ONE_PAGE, PAGE)

    with pytest.raises(ContentRefused) as refused:
        check_pdf(io.BytesIO(content), ContentLimits(seconds=-1))
    assert refused.value.code == "document_too_complex"


def test_an_image_decompression_bomb_is_refused_before_decoding() -> None:
    """10,000 x 10,000 grey pixels (100 million) in about 100 kB."""
    bomb = _png(10_000, 10_000, (b"\x00" + b"\x00" * 10_000) * 10_000)
    assert len(bomb) < 200_000

    assert _refused(bomb).code == "document_too_complex"


def test_pillows_own_guard_is_set() -> None:
    assert Image.MAX_IMAGE_PIXELS == LIMITS.image_pixels == 50_000_000


def test_a_real_scan_sized_image_and_a_multi_page_pdf_pass() -> None:
    scan = _png(2480, 100, (b"\x00" + b"\x7f" * 2480) * 100)  # an A4-wide strip at 300 dpi
    streams = [_stream(b"0 0 m 72 72 l S\n" * 1000, flate=True) for _ in range(3)]
    pdf = _pdf(CATALOG, ONE_PAGE, PAGE, *streams)

    assert inspect_upload(SimpleUploadedFile("scan.png", scan), field="x").content_type == (
        "image/png"
    )
    assert inspect_upload(SimpleUploadedFile("form.pdf", pdf), field="x").content_type == (
        "application/pdf"
    )


def test_check_image_is_reusable_for_other_files() -> None:
    """Another app (an app logo) asks for PNG only and a smaller picture."""
    facts = check_image(io.BytesIO(tiny_png()), formats=("PNG",), max_pixels=512 * 512)

    assert facts == ImageFacts("PNG", 1, 1)
    with pytest.raises(ContentRefused) as refused:
        check_image(io.BytesIO(tiny_jpeg()), formats=("PNG",))
    assert refused.value.code == "document_unreadable"
    with pytest.raises(ContentRefused) as refused:
        check_image(io.BytesIO(_png(600, 600, (b"\x00" * 601) * 600)), max_pixels=512 * 512)
    assert refused.value.code == "document_too_complex"


@pytest.mark.parametrize(
    "code",
    ["document_unreadable", "document_polyglot", "document_too_complex", "document_active_content"],
)
def test_each_content_code_is_in_the_enum_with_both_messages(code: str) -> None:
    error = content_refused(ReviewErrorCode(code), "application_form")

    assert (error.code, error.field, error.status) == (code, "application_form", 422)
    assert "申込書" in error.ja
    assert error.en.startswith("application_form: ")
