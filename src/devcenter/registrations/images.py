"""Logos, icons and screenshots: accepted only when Pillow decodes them (the name is ignored).

An image must not be empty, over `DEVCENTER_IMAGE_MAX_BYTES`, or over Pillow's
decompression-bomb limit; it must decode fully as PNG, JPEG or GIF. It is stored under a random
name in the private default storage.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from devcenter.registrations.errors import RegistrationErrorCode as Code
from devcenter.registrations.errors import invalid

FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "GIF": ("image/gif", ".gif"),
}
FIELD = "file"


@dataclass(frozen=True)
class CheckedImage:
    """An upload Pillow decoded: what to store and what to record."""

    content: ContentFile[bytes]
    content_type: str
    width: int
    height: int
    size: int
    sha256: str


def check_image(upload: File[bytes]) -> CheckedImage:
    """Return the decoded facts of `upload`; raise InvalidError `not_an_image` /
    `image_too_large` (field `file`) when it is refused."""
    limit = settings.DEVCENTER_IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise invalid(Code.IMAGE_TOO_LARGE, FIELD)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise invalid(Code.IMAGE_TOO_LARGE, FIELD)
    if not data:
        raise invalid(Code.NOT_AN_IMAGE, FIELD)
    image_format, width, height = _decode(data)
    content_type, extension = FORMATS[image_format]
    return CheckedImage(
        content=ContentFile(data, name=secrets.token_hex(16) + extension),
        content_type=content_type,
        width=width,
        height=height,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _decode(data: bytes) -> tuple[str, int, int]:
    """Return (format, width, height) after decoding every pixel, or refuse."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format or ""
                if image_format not in FORMATS:
                    raise invalid(Code.NOT_AN_IMAGE, FIELD)
                image.load()  # decode the pixels: a truncated or forged file fails here
                return image_format, image.width, image.height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise invalid(Code.IMAGE_TOO_LARGE, FIELD) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise invalid(Code.NOT_AN_IMAGE, FIELD) from None
