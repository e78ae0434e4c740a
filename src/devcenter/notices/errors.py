"""Stable error codes of the notices services, with their messages in Japanese and English.

Besides these codes, a refused move passes the policy core's own code through unchanged
(`no_downgrade`, `individual_to_corporate`, `no_change`, `partner_suspended`, …).
"""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import DomainError


class NoticeErrorCode(StrEnum):
    """Stable error codes of `devcenter.notices` (used by the API, the portal and the tests)."""

    NOTICE_NOT_FOUND = "notice_not_found"  # no such notice, or it is someone else's
    UNKNOWN_PARTNER_TYPE = "unknown_partner_type"  # `to` names no partner type of the policy


MESSAGES: dict[NoticeErrorCode, tuple[str, str]] = {
    NoticeErrorCode.NOTICE_NOT_FOUND: ("お知らせが見つかりません。", "No such notice."),
    NoticeErrorCode.UNKNOWN_PARTNER_TYPE: (
        "パートナー種別が正しくありません。",
        "This is not a partner type.",
    ),
}


def notice_error(
    kind: type[DomainError], code: NoticeErrorCode, *, field: str | None = None
) -> DomainError:
    """Return the `kind` error for `code`, with both messages."""
    ja, en = MESSAGES[code]
    return kind(code, ja, en, field=field)
