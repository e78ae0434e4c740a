"""The notices part of the registry API: the acting user's inbox (the portal's `/notices/`).

`GET /notices`: the caller's notices, newest first, a page at a time (`cursor`: the
`next_cursor` of the page before), only the unread ones with `unread=true`; each with its
title and text in Japanese and English. `POST /notices/{id}/read` marks one read,
`POST /notices/read-all` every unread one. Marking read is not audited (services docstring).
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from devcenter.api_support.auth import user_of
from devcenter.api_support.idempotency import idempotent
from devcenter.api_support.openapi import errors
from devcenter.api_support.params import NoNul, PathText
from devcenter.notices.choices import NoticeKind
from devcenter.notices.models import Notice
from devcenter.notices.selectors import notices_page
from devcenter.notices.services import notice_mark_read, notices_mark_all_read
from devcenter.notices.wording import card_expiry_words
from devcenter.partners.schemas import LabelOut

router = Router(tags=["notices"])

LANGUAGES = ("ja", "en")


class NoticeOut(Schema):
    """One notice to the caller about one of their partners."""

    id: str
    kind: str
    partner: str
    partner_name: str
    created_at: datetime
    read: bool
    read_at: datetime | None
    title: LabelOut
    text: LabelOut = Field(description="what the notice says, one paragraph")
    data: dict[str, Any] = Field(description="what it is about, as codes and ids")


class NoticePageOut(Schema):
    notices: list[NoticeOut]
    next_cursor: str | None = Field(description="pass as `cursor` for older ones; none: no more")


class NoticesQuery(Schema):
    cursor: Annotated[str, NoNul] | None = Field(
        None, pattern=r"^[0-9]{1,16}_[0-9]{1,18}$", description="a next_cursor"
    )
    limit: int = Field(50, ge=1, le=200, description="notices per page")
    unread: bool = Field(False, description="only the unread ones")


class MarkedOut(Schema):
    marked: int = Field(description="how many notices were unread and now are read")


def _words(notice: Notice, lang: str) -> tuple[str, str]:
    if notice.kind == NoticeKind.CARD_EXPIRING:
        words = card_expiry_words(
            notice.data, partner_name=notice.partner.registration_name, lang=lang
        )
        return words.title, f"{words.lead} {words.action}".strip()
    from django.utils import translation

    with translation.override(lang):
        label = str(NoticeKind(notice.kind).label) if notice.kind in NoticeKind.values else ""
    return label or notice.kind, ""


def notice_out(notice: Notice) -> dict[str, Any]:
    """Return `notice` as the API shows it (its words in both languages)."""
    words = {lang: _words(notice, lang) for lang in LANGUAGES}
    return {
        "id": notice.public_id,
        "kind": notice.kind,
        "partner": notice.partner.public_id,
        "partner_name": notice.partner.registration_name,
        "created_at": notice.created_at.astimezone(UTC),
        "read": notice.read_at is not None,
        "read_at": notice.read_at.astimezone(UTC) if notice.read_at else None,
        "title": {lang: words[lang][0] for lang in LANGUAGES},
        "text": {lang: words[lang][1] for lang in LANGUAGES},
        "data": notice.data,
    }


def _cursor_of(notice: Notice) -> str:
    micros = int(notice.created_at.timestamp() * 1_000_000)
    return f"{micros}_{notice.pk}"


def _parse_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    micros, pk = cursor.split("_")
    created_at = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
    return created_at, int(pk)


@router.get("/notices", response={200: NoticePageOut, **errors()})
def notice_list(request: HttpRequest, query: Query[NoticesQuery]) -> dict[str, Any]:
    """Return the caller's notices, newest first, a page at a time."""
    found = notices_page(
        user=user_of(request),
        unread_only=query.unread,
        before=_parse_cursor(query.cursor),
        limit=query.limit + 1,
    )
    page, more = found[: query.limit], len(found) > query.limit
    return {
        "notices": [notice_out(n) for n in page],
        "next_cursor": _cursor_of(page[-1]) if more else None,
    }


@router.post("/notices/read-all", response={200: MarkedOut, **errors()})
@idempotent
def notice_read_all(request: HttpRequest) -> dict[str, int]:
    """Mark every unread notice of the caller read."""
    return {"marked": notices_mark_all_read(acting_user=user_of(request))}


@router.post("/notices/{notice_id}/read", response={200: NoticeOut, **errors()})
@idempotent
def notice_read(request: HttpRequest, notice_id: PathText) -> dict[str, Any]:
    """Mark one of the caller's notices read (again: no change); 404 for anyone else's."""
    return notice_out(notice_mark_read(notice_id=notice_id, acting_user=user_of(request)))
