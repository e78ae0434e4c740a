"""factory_boy factories for the reviews tests: staff with TOTP, partners, members, tiny files.

Users are the registry's platform users (`tests.partners.factories`). Partners here are made
straight from the model so a test can give any type and flag; applications are made through
the services (see conftest `make_application`).
"""

from __future__ import annotations

import struct
import zlib

import factory
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile

from devcenter.partners.models import MemberRole, Membership, Partner, PartnerKind, PartnerStatus
from devcenter.public_ids import new_public_id
from tests.partners.factories import PlatformUserFactory

# A platform user (active, verified primary e-mail): the registry's factory, under our name.
UserFactory = PlatformUserFactory


class StaffFactory(PlatformUserFactory):
    """A staff user with an activated TOTP authenticator (`totp=False` for none)."""

    is_staff = True

    @factory.post_generation
    def totp(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            Authenticator.objects.create(
                user=self, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )


class PartnerFactory(factory.django.DjangoModelFactory):
    """A corporate general partner of a legally registered organisation."""

    class Meta:
        model = Partner

    public_id = factory.LazyFunction(lambda: new_public_id("ptn"))
    kind = PartnerKind.CORPORATE
    partner_type = "corporate_general"
    status = PartnerStatus.ACTIVE
    registration_name = factory.Sequence(lambda n: f"Studio {n}")
    legal_name = factory.Sequence(lambda n: f"Studio {n} K.K.")
    legal_entity_registered = True
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.com")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partner = factory.SubFactory(PartnerFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.OWNER


# ---------------------------------------------------------------- real tiny files


def tiny_pdf() -> bytes:
    """Return a minimal, valid one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
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


def tiny_png() -> bytes:
    """Return a valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte + one white pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def tiny_jpeg() -> bytes:
    """Return a valid 1x1 grey baseline JPEG (SOI, JFIF, quantisation, frame, Huffman, scan)."""
    soi, eoi = b"\xff\xd8", b"\xff\xd9"
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb\x00\x43\x00" + bytes([1] * 64)
    sof0 = b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"
    # DC table 0 with one code (length 1) for category 0; AC table 0 with one code for EOB.
    dht_dc = b"\xff\xc4\x00\x14\x00" + bytes([1] + [0] * 15) + b"\x00"
    dht_ac = b"\xff\xc4\x00\x14\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    scan = b"\x3f"  # DC difference 0 (code 0), end of block (code 0), padded with 1 bits
    return soi + app0 + dqt + sof0 + dht_dc + dht_ac + sos + scan + eoi


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "registry.pdf") -> SimpleUploadedFile:
    return upload(name, tiny_pdf())
