"""Error answers of the decision plane: a stable code, a message in the caller's language."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from devcenter.decision_plane.schema import MAX_REQUESTS


@dataclass(frozen=True, slots=True)
class PlaneError(Exception):
    """An error answer: HTTP status, stable code, and where the problem is (if in the body)."""

    status: int
    code: str
    field: str | None = None
    index: int | None = None
    problem: str | None = None

    def body(self, lang: str) -> bytes:
        """Return the JSON error body in `lang` (ja unless en)."""
        ja, en = MESSAGES[self.code]
        message = en if lang == "en" else ja
        if self.field:
            message = f"{self.field}: {message}"
        if self.problem:
            message = f"{message} ({self.problem})"
        payload: dict[str, object] = {"code": self.code, "message": message}
        if self.field is not None:
            payload["field"] = self.field
        if self.index is not None:
            payload["index"] = self.index
        return json.dumps(payload, ensure_ascii=False).encode()


MESSAGES: dict[str, tuple[str, str]] = {
    "unauthorized": (
        "有効なAPIキーが必要です（Authorization: Bearer <キー>）。",
        "A valid API key is required (Authorization: Bearer <key>).",
    ),
    "insufficient_scope": (
        "このAPIキーにはこの操作のスコープ（decisions または metrics）がありません。",
        "This API key does not have the scope this needs (decisions, or metrics).",
    ),
    "payload_too_large": (
        f"1回に送れる問い合わせは{MAX_REQUESTS:,}件までです。",
        f"At most {MAX_REQUESTS:,} requests per call.",
    ),
    "malformed_json": ("本文がJSONとして読み取れません。", "The body is not valid JSON."),
    "invalid_request": ("形式が正しくありません。", "The request is malformed."),
    "unknown_code": ("不明なコードです。", "Unknown code."),
    "method_not_allowed": ("このメソッドは使えません。", "Method not allowed."),
    "snapshot_behind": (
        "登録情報のスナップショットがまだ min_snapshot に達していません。"
        "少し待って再試行してください。",
        "The registry snapshot has not reached min_snapshot yet; retry shortly.",
    ),
    "registry_unavailable": (
        "登録情報をまだ読み込めていません（データベースに接続できません）。"
        "少し待って再試行してください。",
        "The registry has not been read yet (the database does not answer); retry shortly.",
    ),
    "not_ready": (
        "準備ができていません（not_ready を参照）。",
        "Not ready (see not_ready).",
    ),
    "internal_error": (
        "サーバーで予期しないエラーが発生しました。",
        "An unexpected error occurred on the server.",
    ),
}

_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_NAMED_FIELD = re.compile(r"field `([^`]+)`")
_REQUEST = re.compile(r"^\.requests\[(\d+)\]\.?")


def from_validation(text: str) -> PlaneError:
    """Turn a msgspec validation message into a 422 naming the request index and field."""
    match = _AT.match(text)
    message, path = (match["message"], match["path"] or "") if match else (text, "")
    path = path.replace("[...]", "")  # msgspec hides dict keys; name the dict
    named = _NAMED_FIELD.search(message)
    if named:
        path = f"{path}.{named[1]}"
    if path == ".requests" and "length <=" in message:
        return PlaneError(413, "payload_too_large")
    request = _REQUEST.match(path)
    if request:
        field = path[request.end() :] or "kind"
        return PlaneError(422, "invalid_request", field, int(request[1]), message)
    return PlaneError(422, "invalid_request", path.lstrip(".") or "body", None, message)
