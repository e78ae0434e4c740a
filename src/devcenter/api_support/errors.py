"""The API's own error codes, and the one error body every failure is turned into.

Every error answer is `{"code", "message", "field"?}` with `message` in the request language
(Japanese unless English is asked for). Services raise `DomainError` (its `status` is the
HTTP status); this module maps ninja's and Django's own failures to the same shape, and turns
anything unexpected into a logged `internal_error` as the last resort.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from devcenter.errors import DomainError, ForbiddenError, InvalidError, NotFoundError

logger = logging.getLogger("devcenter.api")


class ApiErrorCode(StrEnum):
    """Stable error codes of the API layer itself (services add their own app's codes)."""

    UNAUTHORIZED = "unauthorized"  # no, unknown or revoked credentials (401)
    INSUFFICIENT_SCOPE = "insufficient_scope"  # the API key's scope does not allow this (403)
    STAFF_ONLY = "staff_only"  # a staff endpoint called by a non-staff user (403)
    MFA_REQUIRED = "mfa_required"  # staff without TOTP, or a session that did not pass it (403)
    CSRF_FAILED = "csrf_failed"  # a session request without a valid CSRF token (403)
    NOT_FOUND = "not_found"  # no such thing, or the caller may not know it exists (404)
    INVALID_FIELD = "invalid_field"  # a field is missing or malformed; `field` names it (422)
    MALFORMED_BODY = "malformed_body"  # the body is not valid JSON / form data (422)
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # same key, another request (409)
    IDEMPOTENCY_KEY_IN_PROGRESS = "idempotency_key_in_progress"  # first request still runs (409)
    PAYLOAD_TOO_LARGE = "payload_too_large"  # the body is larger than the server accepts (413)
    INTERNAL_ERROR = "internal_error"  # a bug: logged, and never expected (500)


MESSAGES: dict[ApiErrorCode, tuple[str, str]] = {
    ApiErrorCode.UNAUTHORIZED: (
        "認証が必要です（Authorization: Bearer <APIキー> またはログイン）。",
        "Authentication required (Authorization: Bearer <API key>, or log in).",
    ),
    ApiErrorCode.INSUFFICIENT_SCOPE: (
        "このAPIキーのスコープではこの操作はできません。",
        "This API key's scope does not allow this.",
    ),
    ApiErrorCode.STAFF_ONLY: ("この操作はスタッフだけが行えます。", "Only staff may do this."),
    ApiErrorCode.MFA_REQUIRED: (
        "スタッフの操作には二要素認証（TOTP）が必要です。"
        "TOTP を有効にし、TOTP でログインしてください。",
        "Staff powers need two-factor authentication (TOTP): activate it and log in with it.",
    ),
    ApiErrorCode.CSRF_FAILED: (
        "CSRFトークンが正しくありません。",
        "The CSRF token is missing or wrong.",
    ),
    ApiErrorCode.NOT_FOUND: ("見つかりません。", "Not found."),
    ApiErrorCode.INVALID_FIELD: ("入力が正しくありません。", "This field is invalid."),
    ApiErrorCode.MALFORMED_BODY: (
        "リクエスト本文を読み取れません。",
        "The request body cannot be parsed.",
    ),
    ApiErrorCode.IDEMPOTENCY_KEY_REUSED: (
        "この Idempotency-Key は別のリクエストに使われています。",
        "This Idempotency-Key was used for a different request.",
    ),
    ApiErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS: (
        "同じ Idempotency-Key のリクエストを処理中です。少し待ってから再送してください。",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
    ),
    ApiErrorCode.PAYLOAD_TOO_LARGE: (
        "リクエストが大きすぎます。",
        "The request is too large.",
    ),
    ApiErrorCode.INTERNAL_ERROR: (
        "サーバーで予期しないエラーが発生しました。",
        "An unexpected error occurred on the server.",
    ),
}


class ErrorOut(Schema):
    """Every error answer: a stable code, a message in the request language, maybe a field."""

    code: str
    message: str
    field: str | None = None


class UnauthorizedError(DomainError):
    """No valid credentials (HTTP 401)."""

    status = 401


class ApiConflictError(DomainError):
    """An idempotency conflict (HTTP 409)."""

    status = 409


class TooLargeError(DomainError):
    status = 413


class InternalError(DomainError):
    status = 500


def api_error(
    kind: type[DomainError], code: ApiErrorCode, *, field: str | None = None
) -> DomainError:
    """Return the `kind` error for one of the API's own codes, with both messages."""
    ja, en = MESSAGES[code]
    return kind(code, ja, en, field=field)


def request_language(request: HttpRequest) -> str:
    """Return "en" when the request asks for English (Accept-Language), else "ja"."""
    asked = request.headers.get("Accept-Language", "")
    first = asked.split(",", 1)[0].strip().lower()
    return "en" if first.startswith("en") else "ja"


def error_body(error: DomainError, lang: str) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message(lang)}
    if error.field:
        body["field"] = error.field
    return body


def error_response(api: NinjaAPI, request: HttpRequest, error: DomainError) -> HttpResponse:
    """Render `error` as the API's error body with its status."""
    lang = request_language(request)
    response = api.create_response(request, error_body(error, lang), status=error.status)
    response["Content-Language"] = lang
    return response


# Where ninja puts a parameter in `loc`, and the argument names of whole-body schemas: neither
# is a field the client knows about.
_LOC_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
_SCHEMA_ARGUMENTS = {"payload", "filters"}


def field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    """Return the client-facing field name of a pydantic error location."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOC_SOURCES:
        parts = parts[1:]
    if parts and parts[0] in _SCHEMA_ARGUMENTS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _from_validation(exc: ValidationError) -> DomainError:
    first = exc.errors[0] if exc.errors else {}
    loc = first.get("loc", ())
    if loc and loc[0] == "path":
        # An id that cannot name anything (not a number, beyond a 64-bit key) names nothing.
        return api_error(NotFoundError, ApiErrorCode.NOT_FOUND)
    return api_error(InvalidError, ApiErrorCode.INVALID_FIELD, field=field_of(first.get("loc", ())))


_HTTP_ERROR_CODES: dict[int, tuple[type[DomainError], ApiErrorCode]] = {
    400: (InvalidError, ApiErrorCode.MALFORMED_BODY),
    401: (UnauthorizedError, ApiErrorCode.UNAUTHORIZED),
    403: (ForbiddenError, ApiErrorCode.CSRF_FAILED),  # ninja's only 403 is the CSRF check
    404: (NotFoundError, ApiErrorCode.NOT_FOUND),
    413: (TooLargeError, ApiErrorCode.PAYLOAD_TOO_LARGE),
}


def _from_http_error(exc: HttpError) -> DomainError:
    kind, code = _HTTP_ERROR_CODES.get(
        exc.status_code, (InternalError, ApiErrorCode.INTERNAL_ERROR)
    )
    if kind is InternalError:
        logger.error("unmapped ninja HttpError %s: %s", exc.status_code, exc)
    return api_error(kind, code, field="body" if code == ApiErrorCode.MALFORMED_BODY else None)


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every failure of `api` answer with the error body (ninja picks the closest type)."""

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, exc)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(api, request, _from_validation(exc))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, api_error(UnauthorizedError, ApiErrorCode.UNAUTHORIZED))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, _from_http_error(exc))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, api_error(NotFoundError, ApiErrorCode.NOT_FOUND))

    def on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            api, request, api_error(TooLargeError, ApiErrorCode.PAYLOAD_TOO_LARGE)
        )

    def on_unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            api, request, api_error(InvalidError, ApiErrorCode.MALFORMED_BODY, field="body")
        )

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return error_response(api, request, api_error(InternalError, ApiErrorCode.INTERNAL_ERROR))

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (DomainError, on_domain_error),
        (ValidationError, on_validation),
        (AuthenticationError, on_authentication),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (RequestDataTooBig, on_too_large),
        (TooManyFieldsSent, on_too_large),
        (TooManyFilesSent, on_too_large),
        (MultiPartParserError, on_unreadable),
        (UnreadablePostError, on_unreadable),
        (Exception, on_unexpected),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)


def json_not_found(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """Answer an unknown path under /api/v1/ with the JSON error body, not an HTML page."""
    from devcenter.api import api

    return error_response(api, request, api_error(NotFoundError, ApiErrorCode.NOT_FOUND))
