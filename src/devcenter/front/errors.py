"""Error answers of the front door: a stable code and a message in the caller's language."""

from __future__ import annotations

import json
from enum import StrEnum


class FrontErrorCode(StrEnum):
    """Stable codes of the answers the front door gives before any app reads the request."""

    PAYLOAD_TOO_LARGE = "payload_too_large"  # the body is over its route's limit (413)
    UNAUTHORIZED = "unauthorized"  # an upload without a bearer key or a session cookie (401)
    DISALLOWED_HOST = "disallowed_host"  # the Host header is not in ALLOWED_HOSTS (400)


MESSAGES: dict[FrontErrorCode, tuple[str, str]] = {
    FrontErrorCode.PAYLOAD_TOO_LARGE: (
        "リクエストが大きすぎます（上限 {limit} バイト）。",
        "The request is too large (at most {limit} bytes).",
    ),
    FrontErrorCode.UNAUTHORIZED: (
        "認証が必要です（Authorization: Bearer <APIキー> またはログイン）。",
        "Authentication required (Authorization: Bearer <API key>, or log in).",
    ),
    FrontErrorCode.DISALLOWED_HOST: (
        "このホスト名では応答できません。",
        "This host name is not served here.",
    ),
}


def error_body(code: FrontErrorCode, lang: str, **values: object) -> bytes:
    """Return the JSON error body `{"code", "message"}` in `lang` (ja unless en)."""
    ja, en = MESSAGES[code]
    message = (en if lang == "en" else ja).format(**values)
    return json.dumps({"code": str(code), "message": message}, ensure_ascii=False).encode()
