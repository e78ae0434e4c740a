from __future__ import annotations

from enum import StrEnum


class ApiKeyErrorCode(StrEnum):
    """Stable error codes of the apikeys services (used by the CLI and the APIs)."""

    NAME_TAKEN = "name_taken"  # another key (active or revoked) already has this name
    NOT_FOUND = "not_found"  # no key with this name
    ALREADY_REVOKED = "already_revoked"  # the key was revoked before
    INVALID_SCOPE = "invalid_scope"  # scope is not one of ApiKeyScope
    INVALID_NAME = "invalid_name"  # empty or too long name
    USER_NOT_FOUND = "user_not_found"  # --user names no user


class ApiKeyError(Exception):
    """A refused API-key operation, with a stable ``code`` and a human ``message``."""

    def __init__(self, code: ApiKeyErrorCode | str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = ApiKeyErrorCode(code)
        self.message = message
