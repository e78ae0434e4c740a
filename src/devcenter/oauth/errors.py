"""Stable error codes of the oauth services, with their messages in Japanese and English.

The OAuth endpoints themselves answer with RFC 6749 / RFC 7009 / RFC 7662 errors
(`invalid_client`, `invalid_grant`, …), produced by oauthlib; these codes are the services'.
"""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import DomainError, InvalidError, NotFoundError

REDIRECT_URIS = "redirect_uris"


class OAuthErrorCode(StrEnum):
    """Stable error codes of `devcenter.oauth` (used by the registrations API and the tests)."""

    CLIENT_NOT_FOUND = "client_not_found"  # no OAuth client with this client_id
    INVALID_NAME = "invalid_name"  # the client's name is empty or too long
    REDIRECT_URI_REQUIRED = "redirect_uri_required"  # a public client needs one
    REDIRECT_URI_INVALID = "redirect_uri_invalid"  # not an absolute URI with a host
    REDIRECT_URI_NOT_HTTPS = "redirect_uri_not_https"  # http only on a loopback host
    REDIRECT_URI_FRAGMENT = "redirect_uri_fragment"  # RFC 6749 §3.1.2: no fragment
    REDIRECT_URI_DUPLICATE = "redirect_uri_duplicate"  # the same URI twice
    PUBLIC_CLIENT = "public_client"  # a public client has no secret to rotate


MESSAGES: dict[OAuthErrorCode, tuple[str, str]] = {
    OAuthErrorCode.CLIENT_NOT_FOUND: (
        "OAuthクライアントが見つかりません。",
        "OAuth client not found.",
    ),
    OAuthErrorCode.INVALID_NAME: (
        "名前が空か、長すぎます（255文字まで）。",
        "The name is empty or too long (255 characters at most).",
    ),
    OAuthErrorCode.REDIRECT_URI_REQUIRED: (
        "公開クライアントにはリダイレクトURIが1つ以上必要です。",
        "A public client needs at least one redirect URI.",
    ),
    OAuthErrorCode.REDIRECT_URI_INVALID: (
        "リダイレクトURIは、ホスト名を含む絶対URIで指定してください（空白・ユーザー情報は使えません）。",
        "A redirect URI must be an absolute URI with a host (no spaces, no user information).",
    ),
    OAuthErrorCode.REDIRECT_URI_NOT_HTTPS: (
        "リダイレクトURIは https にしてください（http はループバックアドレスの"
        " 127.0.0.1、[::1]、localhost だけで使えます）。",
        "A redirect URI must use https (http only on the loopback hosts 127.0.0.1, [::1] and"
        " localhost).",
    ),
    OAuthErrorCode.REDIRECT_URI_FRAGMENT: (
        "リダイレクトURIにフラグメント（#以降）は含められません。",
        "A redirect URI must not contain a fragment (#…).",
    ),
    OAuthErrorCode.REDIRECT_URI_DUPLICATE: (
        "同じリダイレクトURIが2回指定されています。",
        "The same redirect URI is given twice.",
    ),
    OAuthErrorCode.PUBLIC_CLIENT: (
        "公開クライアントにはシークレットがないため、更新できません。",
        "A public client has no secret to rotate.",
    ),
}


def oauth_error(
    kind: type[DomainError], code: OAuthErrorCode, *, field: str | None = None
) -> DomainError:
    """Return a `kind` error (InvalidError, NotFoundError, …) for `code` with its messages."""
    ja, en = MESSAGES[code]
    return kind(code, ja, en, field=field)


def invalid_redirect_uris(code: OAuthErrorCode) -> DomainError:
    """Return the 422 error of a refused redirect URI list."""
    return oauth_error(InvalidError, code, field=REDIRECT_URIS)


def client_not_found() -> DomainError:
    """Return the 404 error of an unknown client_id."""
    return oauth_error(NotFoundError, OAuthErrorCode.CLIENT_NOT_FOUND)
