"""The application form (申込書) as a PDF, filled in with the partner's details.

Certification needs two documents: the commercial registry certificate and this application
form, signed and sealed by the representative. The form is generated for the partner with
reportlab; its built-in CID fonts print Japanese with no font file to ship.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

FONT = "HeiseiKakuGo-W5"
TITLE = {
    "ja": "mixi Platform 認定パートナー 申込書",
    "en": "mixi Platform certified partner: application form",
}
ROWS: tuple[tuple[str, str, str], ...] = (
    ("registration_name", "登録名", "Registration name"),
    ("legal_name", "法人名（登記上の名称）", "Legal name"),
    ("corporate_number", "法人番号", "Corporate number"),
    ("representative_name", "代表者", "Representative"),
    ("head_office_address", "本店所在地", "Head-office address"),
    ("contact_email", "連絡先メールアドレス", "Contact e-mail"),
    ("contact_phone", "連絡先電話番号", "Contact phone"),
    ("public_id", "パートナーID", "Partner ID"),
)
PLEDGE = (
    "上記の法人は、mixi Platform パートナー規約に同意し、"
    "認定パートナーとしての登録を申し込みます。",
    "The corporation above accepts the mixi Platform partner terms and applies to be a certified"
    " partner.",
)
SIGN = ("申込日", "代表者 署名・押印", "Date", "Representative's signature and seal")


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def application_form_pdf(partner: Any, *, lang: str) -> bytes:
    """Return the application form (申込書) for `partner` as PDF bytes, in Japanese with English
    beneath (the form staff receive is one and the same in both languages)."""
    font = _font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(TITLE["ja"] + " / " + TITLE["en"])
    pdf.setAuthor("mixi Developer Center")
    width, height = A4
    y = height - 25 * mm
    pdf.setFont(font, 16)
    pdf.drawString(20 * mm, y, TITLE["ja"])
    y -= 7 * mm
    pdf.setFont(font, 10)
    pdf.drawString(20 * mm, y, TITLE["en"])
    y -= 6 * mm
    issued = timezone.localdate().isoformat()
    pdf.drawRightString(width - 20 * mm, y, f"作成日 / Issued: {issued}")
    y -= 10 * mm
    for attribute, ja, en in ROWS:
        value = str(getattr(partner, attribute, "") or "")
        pdf.setFont(font, 9)
        pdf.drawString(20 * mm, y, f"{ja} / {en}")
        pdf.setFont(font, 12)
        pdf.drawString(80 * mm, y, value or "—")
        pdf.line(80 * mm, y - 2 * mm, width - 20 * mm, y - 2 * mm)
        y -= 11 * mm
    y -= 4 * mm
    pdf.setFont(font, 10)
    for line in PLEDGE:
        pdf.drawString(20 * mm, y, line)
        y -= 6 * mm
    y -= 14 * mm
    pdf.setFont(font, 10)
    pdf.drawString(20 * mm, y, f"{SIGN[0]} / {SIGN[2]}")
    pdf.line(60 * mm, y - 2 * mm, 100 * mm, y - 2 * mm)
    y -= 20 * mm
    pdf.drawString(20 * mm, y, f"{SIGN[1]} / {SIGN[3]}")
    pdf.line(80 * mm, y - 2 * mm, width - 20 * mm, y - 2 * mm)
    pdf.rect(width - 45 * mm, y + 2 * mm, 25 * mm, 25 * mm)  # where the seal goes
    pdf.showPage()
    pdf.save()
    return out.getvalue()
