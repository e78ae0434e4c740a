"""Uploaded documents: content check from the bytes, size limit, private storage.

A document is accepted only when its first bytes say PDF, PNG or JPEG (the declared name and
content type are ignored), it is not empty and not over `DEVCENTER_DOCUMENT_MAX_BYTES`, and it
is what it starts like: a PDF parses with pypdf within limits (pages, objects, decompressed
bytes, time) and holds no script, action or embedded file; an image decodes with Pillow within
its pixel limit (the decompression-bomb guard); neither carries a web page or data after its
end (a polyglot). `check_pdf` and `check_image` are for any app that takes files (app logos).
It is stored through Django's default storage under a random name; the uploaded name is kept
only as (sanitised) data. Files written by a service are deleted again when its transaction
fails (`StoredFiles`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.text import get_valid_filename
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from devcenter.reviews.errors import (
    ReviewErrorCode,
    content_refused,
    document_empty,
    document_too_large,
    unsupported_document_type,
)

# (signature, content type, extension) — checked against the first bytes.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
_HEAD_BYTES = max(len(signature) for signature, _, _ in SIGNATURES)
_CHUNK_BYTES = 64 * 1024
_NAME_MAX = 255
_TAIL_BYTES = 1024

# Markup that makes a file also a web page (a browser sniffing it would run it).
_MARKUP = re.compile(rb"<(?:script|html|body|iframe|!doctype\s+html)[\s>/]", re.IGNORECASE)
_MARKUP_OVERLAP = 32  # a marker split between two chunks is still seen


@dataclass(frozen=True)
class ContentLimits:
    """How much a file may make the checker do (README.md, "Documents")."""

    pdf_pages: int = 100
    pdf_objects: int = 100_000
    pdf_decompressed_bytes: int = 256 * 1024 * 1024
    image_pixels: int = 50_000_000  # an A4 page scanned at 600 dpi is about 35 million
    seconds: float = 10.0


LIMITS = ContentLimits()
# Pillow's own guard, for every image this process opens: a warning past the limit (turned into
# a refusal below), an error past twice the limit.
Image.MAX_IMAGE_PIXELS = LIMITS.image_pixels

# PDF parts that act: scripts, launches, form submissions, attachments, rich media.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/RichMedia", "/XFA"})
_ACTIVE_VALUES = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/EmbeddedFile", "/RichMedia"}
)
_PDF_DEPTH = 64
# pypdf logs every flaw it works around; the checker answers with a code instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class ContentRefused(Exception):  # noqa: N818 - a refusal, not a bug
    """A file is not what it starts like; `code` is one of the reviews error codes."""

    def __init__(self, code: ReviewErrorCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code


@dataclass(frozen=True)
class ImageFacts:
    """What the checker learnt from a decoded image."""

    format: str  # Pillow's name: "PNG", "JPEG"
    width: int
    height: int


@dataclass(frozen=True)
class InspectedUpload:
    """An upload that passed the checks: what to store and what to record about it."""

    field: str  # the form field, which is also the document kind
    file: File[bytes]
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """Return (content type, extension) for the first bytes of a file, or None if unsupported."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def inspect_upload(upload: File[bytes], *, field: str) -> InspectedUpload:
    """Check an upload and return its facts; raise InvalidError naming `field` if refused.

    The size is checked before any byte is read; the content is then read in chunks (never
    all at once) to find its type and SHA-256, stopping as soon as it exceeds the limit;
    last, the file must be what it starts like (`check_pdf`, `check_image`, no markup of a
    web page, nothing after its end).
    """
    limit = settings.DEVCENTER_DOCUMENT_MAX_BYTES
    declared = upload.size
    if declared is not None and declared > limit:
        raise document_too_large(field, limit)
    head, size, digest, tail, markup = b"", 0, hashlib.sha256(), b"", False
    for chunk in _chunks(upload):
        if len(head) < _HEAD_BYTES:
            head += chunk[: _HEAD_BYTES - len(head)]
        size += len(chunk)
        if size > limit:
            raise document_too_large(field, limit)
        digest.update(chunk)
        markup = markup or _MARKUP.search(tail[-_MARKUP_OVERLAP:] + chunk) is not None
        tail = (tail + chunk)[-_TAIL_BYTES:]
    if size == 0:
        raise document_empty(field)
    detected = sniff_content_type(head)
    if detected is None:
        raise unsupported_document_type(field)
    try:
        if markup:
            raise ContentRefused(ReviewErrorCode.DOCUMENT_POLYGLOT, "markup of a web page")
        upload.seek(0)
        _check_content(upload, detected[0])
        _check_end(detected[0], tail)
    except ContentRefused as refused:
        raise content_refused(refused.code, field) from None
    upload.seek(0)
    return InspectedUpload(
        field=field,
        file=upload,
        content_type=detected[0],
        extension=detected[1],
        size=size,
        sha256=digest.hexdigest(),
        original_name=sanitised_name(getattr(upload, "name", "") or ""),
    )


def _check_content(stream: IO[bytes] | File[bytes], content_type: str) -> None:
    if content_type == "application/pdf":
        check_pdf(stream)
    else:
        check_image(stream, formats=("PNG", "JPEG"))


_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_PDF_EOF = b"%%EOF"


def _check_end(content_type: str, tail: bytes) -> None:
    """Refuse data after the file's own end (a ZIP or a page appended: a polyglot)."""
    if content_type == "application/pdf":
        end = tail.rfind(_PDF_EOF)
        ends_well = end >= 0 and not tail[end + len(_PDF_EOF) :].strip(b"\x00\t\n\f\r ")
    elif content_type == "image/png":
        ends_well = tail.endswith(_PNG_END)
    else:  # JPEG: the end-of-image marker, maybe padded with zero bytes
        ends_well = tail.rstrip(b"\x00").endswith(b"\xff\xd9")
    if not ends_well:
        raise ContentRefused(ReviewErrorCode.DOCUMENT_POLYGLOT, "data after the end of the file")


def check_pdf(stream: IO[bytes] | File[bytes], limits: ContentLimits = LIMITS) -> int:
    """Parse a PDF with pypdf within `limits`; return its page count or raise ContentRefused.

    Every object is read and every stream decompressed (counted against the limit), so a file
    that only starts with `%PDF-`, a decompression bomb or a PDF that acts (scripts, launch
    actions, attachments) is refused here, not in a reviewer's browser.
    """
    deadline = time.monotonic() + limits.seconds
    try:
        reader = PdfReader(stream, strict=False, root_object_recovery_limit=limits.pdf_objects)
        if reader.is_encrypted:
            raise ContentRefused(ReviewErrorCode.DOCUMENT_UNREADABLE, "encrypted")
        pages = len(reader.pages)
        if pages == 0:
            raise ContentRefused(ReviewErrorCode.DOCUMENT_UNREADABLE, "no page")
        if pages > limits.pdf_pages:
            raise ContentRefused(ReviewErrorCode.DOCUMENT_TOO_COMPLEX, f"{pages} pages")
        _walk_pdf(reader, limits, deadline)
    except ContentRefused:
        raise
    except (LimitReachedError, RecursionError, MemoryError) as exc:
        raise ContentRefused(ReviewErrorCode.DOCUMENT_TOO_COMPLEX, repr(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any parser failure means: not a PDF
        raise ContentRefused(ReviewErrorCode.DOCUMENT_UNREADABLE, repr(exc)) from None
    return pages


def _walk_pdf(reader: PdfReader, limits: ContentLimits, deadline: float) -> None:
    """Read every object of the file, counting objects and decompressed bytes."""
    numbers = [
        (number, generation)
        for generation, table in reader.xref.items()
        for number in table
        if number
    ] + [(number, 0) for number in reader.xref_objStm]
    if len(numbers) > limits.pdf_objects:
        raise ContentRefused(ReviewErrorCode.DOCUMENT_TOO_COMPLEX, f"{len(numbers)} objects")
    decompressed = 0
    for number, generation in numbers:
        if time.monotonic() > deadline:
            raise ContentRefused(ReviewErrorCode.DOCUMENT_TOO_COMPLEX, "too slow to check")
        obj = reader.get_object(IndirectObject(number, generation, reader))
        _refuse_active(obj, 0)
        if isinstance(obj, StreamObject):
            decompressed += _stream_size(obj)
            if decompressed > limits.pdf_decompressed_bytes:
                raise ContentRefused(ReviewErrorCode.DOCUMENT_TOO_COMPLEX, "decompressed size")


def _stream_size(stream: StreamObject) -> int:
    try:
        return len(stream.get_data())
    except DependencyError:  # an image codec pypdf does not carry (JBIG2): the browser's job
        return len(stream._data)


def _refuse_active(obj: Any, depth: int) -> None:
    """Refuse a script, action or attachment anywhere inside one object (not across refs)."""
    if depth > _PDF_DEPTH:
        raise ContentRefused(ReviewErrorCode.DOCUMENT_TOO_COMPLEX, "nesting")
    if isinstance(obj, DictionaryObject):
        if (
            _ACTIVE_KEYS.intersection(obj)
            or {obj.get("/S"), obj.get("/Type"), obj.get("/Subtype")} & _ACTIVE_VALUES
        ):
            raise ContentRefused(ReviewErrorCode.DOCUMENT_ACTIVE_CONTENT)
        for value in obj.values():
            _refuse_active(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _refuse_active(value, depth + 1)


def check_image(
    stream: IO[bytes] | File[bytes],
    *,
    formats: tuple[str, ...] = ("PNG", "JPEG"),
    max_pixels: int = LIMITS.image_pixels,
) -> ImageFacts:
    """Decode an image with Pillow; return its facts or raise ContentRefused.

    The size in the header is checked before any pixel is decoded (a decompression bomb is
    refused at once), then every pixel is decoded, so a truncated or forged image is refused.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream, formats=list(formats)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ContentRefused(
                        ReviewErrorCode.DOCUMENT_TOO_COMPLEX, f"{width}x{height} pixels"
                    )
                image.load()
                return ImageFacts(str(image.format), width, height)
    except ContentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ContentRefused(ReviewErrorCode.DOCUMENT_TOO_COMPLEX, str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any decoder failure means: not that image
        raise ContentRefused(ReviewErrorCode.DOCUMENT_UNREADABLE, repr(exc)) from None


def _chunks(upload: File[bytes]) -> Iterator[bytes]:
    upload.seek(0)
    while chunk := upload.read(_CHUNK_BYTES):
        yield chunk


def sanitised_name(name: str) -> str:
    """Return the uploaded file's base name made safe to show (never used to store the file)."""
    base = os.path.basename(name.replace("\\", "/"))
    try:
        safe = get_valid_filename(base)
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for "", ".", ".."
        safe = ""
    return safe[:_NAME_MAX] or "document"


def random_stored_name(extension: str) -> str:
    """Return a random file name with the detected extension (the upload_to folder is added)."""
    return secrets.token_hex(16) + extension


@dataclass
class StoredFiles:
    """The files a service wrote; `discard()` deletes them when its transaction fails."""

    names: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        self.names.append(name)

    def discard(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        self.names.clear()


@contextmanager
def files_removed_on_failure() -> Iterator[StoredFiles]:
    """Yield a StoredFiles; delete what was stored in it if the block raises.

    Wrap the whole transaction in it (outside `transaction.atomic`), so a failure at commit
    time also removes the files. A caller's own outer transaction rolling back later is not
    seen here; `documents_purge` does not sweep such orphans (see its docstring).
    """
    stored = StoredFiles()
    try:
        yield stored
    except BaseException:
        stored.discard()
        raise


def open_stored(name: str) -> IO[bytes]:
    """Return an open binary handle on a stored file, for streaming."""
    return default_storage.open(name, "rb")


def document_response(
    handle: IO[bytes], *, content_type: str, filename: str, inline: bool
) -> FileResponse:
    """Return a stored document's bytes as a sandboxed answer, never as a page of this site.

    `Content-Security-Policy: sandbox` gives the document an opaque origin with no script, so
    a file that is more than it claims cannot act as the site; nosniff keeps the browser to
    the detected type; `Content-Disposition` names the file (inline for a preview, attachment
    for a download); registry certificates hold personal data, so nothing caches it.
    """
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
