"""The one domain error type services raise; every face maps it the same way.

A service refuses a request by raising `DomainError` (or one of its kinds) with a stable `code`
from its app's error-code enum and a message in Japanese and English. The API turns `status`
into the HTTP status (409 for an illegal move, 422 for an invalid field, …), never a 500.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused request: stable `code`, messages in ja/en, HTTP `status`, optional `field`."""

    status = 409

    def __init__(self, code: str, ja: str, en: str, *, field: str | None = None) -> None:
        super().__init__(f"{code}: {en}")
        self.code = str(code)
        self.ja = ja
        self.en = en
        self.field = field

    def message(self, lang: str) -> str:
        """Return the message in `lang` (Japanese unless English is asked for)."""
        return self.en if lang == "en" else self.ja


class ConflictError(DomainError):
    """The move is not allowed in the current state (HTTP 409)."""

    status = 409


class InvalidError(DomainError):
    """A field is invalid (HTTP 422); `field` names it."""

    status = 422


class NotFoundError(DomainError):
    """The thing does not exist, or the caller may not know it does (HTTP 404)."""

    status = 404


class ForbiddenError(DomainError):
    """The caller may not do this (HTTP 403)."""

    status = 403


def cli_message(error: DomainError) -> str:
    """Return a refusal's message for a command line: in the active language (a command's
    `--lang`, else the site's default, Japanese)."""
    from django.utils import translation

    return error.message(translation.get_language() or "ja")
