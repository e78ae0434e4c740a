"""The apikeys app's stable error codes, and its refusals as the one domain error type."""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidError,
    NotFoundError,
)


class ApiKeyErrorCode(StrEnum):
    """Stable error codes of the apikeys services (used by the CLI and the APIs)."""

    NAME_TAKEN = "name_taken"  # another key (active or revoked) already has this name
    NOT_FOUND = "not_found"  # no key with this name
    ALREADY_REVOKED = "already_revoked"  # the key was revoked before
    INVALID_SCOPE = "invalid_scope"  # scope is not one of ApiKeyScope
    INVALID_NAME = "invalid_name"  # empty or too long name
    USER_NOT_FOUND = "user_not_found"  # --user names no user
    STAFF_USER_REQUIRED = "staff_user_required"  # a staff key for no user, or a non-staff one
    MFA_REQUIRED = "mfa_required"  # a staff key for a staff user without activated TOTP


# code: (kind, ja, en); `{name}`, `{scopes}` and `{email}` are filled in.
MESSAGES: dict[ApiKeyErrorCode, tuple[type[DomainError], str, str]] = {
    ApiKeyErrorCode.NAME_TAKEN: (
        ConflictError,
        "APIキー「{name}」はすでにあります。",
        "an API key named {name!r} already exists",
    ),
    ApiKeyErrorCode.NOT_FOUND: (
        NotFoundError,
        "APIキー「{name}」はありません。",
        "no API key named {name!r}",
    ),
    ApiKeyErrorCode.ALREADY_REVOKED: (
        ConflictError,
        "APIキー「{name}」はすでに無効にされています。",
        "API key {name!r} was revoked before",
    ),
    ApiKeyErrorCode.INVALID_SCOPE: (
        InvalidError,
        "スコープは {scopes} のいずれかです。",
        "unknown scope; use one of: {scopes}",
    ),
    ApiKeyErrorCode.INVALID_NAME: (
        InvalidError,
        "名前は1〜100文字です。",
        "name must be 1 to 100 characters",
    ),
    ApiKeyErrorCode.USER_NOT_FOUND: (
        NotFoundError,
        "メールアドレス {email} のユーザーはいません。",
        "no user with e-mail {email!r}",
    ),
    ApiKeyErrorCode.STAFF_USER_REQUIRED: (
        ForbiddenError,
        "スタッフのAPIキーは有効なスタッフユーザーにだけ発行できます（--user）。",
        "a staff key is bound to an active staff user (--user)",
    ),
    ApiKeyErrorCode.MFA_REQUIRED: (
        ForbiddenError,
        "スタッフのAPIキーは二要素認証（TOTP）を有効にしたスタッフにだけ発行できます。",
        "a staff key needs a staff user with activated two-factor authentication (TOTP)",
    ),
}


class ApiKeyError(DomainError):
    """A refused API-key operation: the domain error with an `ApiKeyErrorCode`."""


def apikey_error(code: ApiKeyErrorCode, **values: str) -> ApiKeyError:
    """Return the refusal for `code`, its messages filled with `values`, with its status."""
    kind, ja, en = MESSAGES[code]
    error = ApiKeyError(code, ja.format(**values), en.format(**values))
    error.status = kind.status
    return error
