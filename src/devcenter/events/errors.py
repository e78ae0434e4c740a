"""Stable error codes of the events app, with their messages in Japanese and English."""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import DomainError


class EventErrorCode(StrEnum):
    INVALID_CURSOR = "invalid_cursor"  # `after` is not a cursor this feed gave
    INVALID_LIMIT = "invalid_limit"  # `limit` outside 1..1000
    INVALID_WAIT = "invalid_wait"  # `wait` outside 0..30 seconds
    UNKNOWN_EVENT_TYPE = "unknown_event_type"  # a type that is no event type
    WEBHOOK_NOT_FOUND = "webhook_not_found"  # no such endpoint for this partner
    EVENT_NOT_FOUND = "event_not_found"  # no such event (or not this partner's)
    URL_INVALID = "url_invalid"  # not an absolute http(s) URL
    URL_NOT_HTTPS = "url_not_https"  # production endpoints must use https
    URL_NOT_PUBLIC = "url_not_public"  # resolves to a loopback/private/link-local address
    URL_UNRESOLVABLE = "url_unresolvable"  # the host name does not resolve
    DESCRIPTION_TOO_LONG = "description_too_long"  # over 500 characters
    REPLAY_TARGET_REQUIRED = "replay_target_required"  # neither an event nor a time given
    ENDPOINT_DISABLED = "endpoint_disabled"  # a test send or replay to a disabled endpoint


MESSAGES: dict[EventErrorCode, tuple[str, str]] = {
    EventErrorCode.INVALID_CURSOR: (
        "カーソルが正しくありません。フィードが返した next_cursor を指定してください。",
        "Invalid cursor: pass a next_cursor this feed returned.",
    ),
    EventErrorCode.INVALID_LIMIT: (
        "limit は 1 から 1000 の整数で指定してください。",
        "limit must be an integer from 1 to 1000.",
    ),
    EventErrorCode.INVALID_WAIT: (
        "wait は 0 から 30 秒で指定してください。",
        "wait must be from 0 to 30 seconds.",
    ),
    EventErrorCode.UNKNOWN_EVENT_TYPE: (
        "存在しないイベントの種類が含まれています。",
        "An unknown event type was given.",
    ),
    EventErrorCode.WEBHOOK_NOT_FOUND: (
        "Webhook エンドポイントが見つかりません。",
        "Webhook endpoint not found.",
    ),
    EventErrorCode.EVENT_NOT_FOUND: ("イベントが見つかりません。", "Event not found."),
    EventErrorCode.URL_INVALID: (
        "URL は http または https の絶対 URL で指定してください。",
        "The URL must be an absolute http or https URL.",
    ),
    EventErrorCode.URL_NOT_HTTPS: (
        "Webhook の URL は https でなければなりません。",
        "The webhook URL must use https.",
    ),
    EventErrorCode.URL_NOT_PUBLIC: (
        "この URL はループバック・プライベート・リンクローカルなどの内部アドレスを指しています。",
        "The URL points to a loopback, private, link-local or other internal address.",
    ),
    EventErrorCode.URL_UNRESOLVABLE: (
        "この URL のホスト名を解決できません。",
        "The URL's host name does not resolve.",
    ),
    EventErrorCode.DESCRIPTION_TOO_LONG: (
        "説明は 500 文字以内で入力してください。",
        "The description must be at most 500 characters.",
    ),
    EventErrorCode.REPLAY_TARGET_REQUIRED: (
        "再送するイベント (event_id) か開始時刻 (since) を指定してください。",
        "Give the event to replay (event_id) or a time to replay from (since).",
    ),
    EventErrorCode.ENDPOINT_DISABLED: (
        "このエンドポイントは無効になっています。有効にしてから実行してください。",
        "This endpoint is disabled: enable it first.",
    ),
}


def event_error(
    kind: type[DomainError], code: EventErrorCode, *, field: str | None = None
) -> DomainError:
    """Return a `kind` error (InvalidError, NotFoundError, …) for `code` with its messages."""
    ja, en = MESSAGES[code]
    return kind(code, ja, en, field=field)
