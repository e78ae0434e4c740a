"""Uploaded documents: content check from the bytes, size limit, private storage.

A document is accepted only when its first bytes say PDF, PNG or JPEG (the declared name and
content type are ignored), it is not empty and not over `DEVCENTER_DOCUMENT_MAX_BYTES`. It is
stored through Django's default storage under a random name; the uploaded name is kept only
as (sanitised) data. Files written by a service are deleted again when its transaction fails
(`StoredFiles`).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.text import get_valid_filename

from devcenter.reviews.errors import (
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
    all at once) to find its type and SHA-256, stopping as soon as it exceeds the limit.
    """
    limit = settings.DEVCENTER_DOCUMENT_MAX_BYTES
    declared = upload.size
    if declared is not None and declared > limit:
        raise document_too_large(field, limit)
    head, size, digest = b"", 0, hashlib.sha256()
    for chunk in _chunks(upload):
        if len(head) < _HEAD_BYTES:
            head += chunk[: _HEAD_BYTES - len(head)]
        size += len(chunk)
        if size > limit:
            raise document_too_large(field, limit)
        digest.update(chunk)
    if size == 0:
        raise document_empty(field)
    detected = sniff_content_type(head)
    if detected is None:
        raise unsupported_document_type(field)
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
