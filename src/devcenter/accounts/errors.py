"""Stable error codes of the accounts services, with their messages in Japanese and English.

A refused account kind passes the policy core's own code through unchanged (`decide_account`:
`requires_certification`, `corporate_only`, `not_available_for_type`, …).
"""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import DomainError


class AccountErrorCode(StrEnum):
    """Stable error codes of `devcenter.accounts`."""

    ACCOUNT_NOT_FOUND = "account_not_found"  # no such account for this partner
    ACCOUNT_DELETED = "account_deleted"  # the account was deleted before
    NOT_A_TEST_ACCOUNT = "not_a_test_account"  # only test accounts are deleted by partners
    TEST_ACCOUNT_LIMIT = "test_account_limit"  # DEVCENTER_TEST_ACCOUNT_LIMIT reached
    INVALID_DISPLAY_NAME = "invalid_display_name"  # empty or longer than 100 characters
    PARTNER_SUSPENDED = "partner_suspended"  # a suspended partner is allowed nothing


MESSAGES: dict[AccountErrorCode, tuple[str, str]] = {
    AccountErrorCode.ACCOUNT_NOT_FOUND: ("アカウントが見つかりません。", "Account not found."),
    AccountErrorCode.ACCOUNT_DELETED: (
        "このアカウントは削除済みです。",
        "This account has been deleted.",
    ),
    AccountErrorCode.NOT_A_TEST_ACCOUNT: (
        "削除できるのはパートナーテストアカウントだけです。",
        "Only partner test accounts can be deleted.",
    ),
    AccountErrorCode.TEST_ACCOUNT_LIMIT: (
        "パートナーテストアカウントの上限に達しています。",
        "The partner test account limit has been reached.",
    ),
    AccountErrorCode.INVALID_DISPLAY_NAME: (
        "表示名は1文字以上100文字以内で入力してください。",
        "The display name must be 1 to 100 characters.",
    ),
    AccountErrorCode.PARTNER_SUSPENDED: (
        "このパートナーは利用停止中のため、何も利用できません。",
        "This partner is suspended and is allowed nothing.",
    ),
}


def account_error(
    kind: type[DomainError], code: AccountErrorCode, *, field: str | None = None
) -> DomainError:
    """Return a `kind` error (ConflictError, InvalidError, …) for `code` with its messages."""
    ja, en = MESSAGES[code]
    return kind(code, ja, en, field=field)
