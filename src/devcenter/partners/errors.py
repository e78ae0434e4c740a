"""Stable error codes of the partners services, with their messages in Japanese and English.

Besides these codes, a refused move passes the policy core's own code through unchanged
(`individual_to_corporate`, `corporate_to_individual`, `no_downgrade`, `no_such_move`,
`no_change`, `platform_user_required`, `legal_entity_required`, …: see
`devcenter.policy.default_policy().describe()["moves"]` and the policy's facts).
"""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import DomainError


class PartnerErrorCode(StrEnum):
    """Stable error codes of `devcenter.partners` (used by the API, the CLI and the tests)."""

    PARTNER_NOT_FOUND = "partner_not_found"  # no such partner, or the caller may not see it
    ALREADY_REGISTERED = "already_registered"  # the user / corporate number is registered
    PARTNER_SUSPENDED = "partner_suspended"  # a suspended partner is allowed nothing
    ALREADY_SUSPENDED = "already_suspended"  # suspend of a suspended partner
    NOT_SUSPENDED = "not_suspended"  # restore of a partner that is not suspended
    INVALID_FIELD = "invalid_field"  # a required text is empty or too long (see `field`)
    CORPORATE_NUMBER_FORMAT = "corporate_number_format"  # not 13 digits
    CORPORATE_NUMBER_CHECK_DIGIT = "corporate_number_check_digit"  # wrong check digit
    NOT_AN_OWNER = "not_an_owner"  # only an owner may add or remove other members
    NOT_A_MEMBER = "not_a_member"  # the user is not a member of the partner
    ALREADY_MEMBER = "already_member"  # the user is a member already
    USER_NOT_FOUND = "user_not_found"  # no platform user with this e-mail
    INVALID_ROLE = "invalid_role"  # role is not one of MemberRole
    LAST_OWNER = "last_owner"  # a partner always keeps one owner
    INDIVIDUAL_SINGLE_MEMBER = "individual_single_member"  # an individual partner is one user
    CARD_NUMBER_NOT_ACCEPTED = "card_number_not_accepted"  # a card number sent as the token
    CARD_TOKEN_INVALID = "card_token_invalid"  # noqa: S105 (empty, too long, or unknown)
    CARD_DECLINED = "card_declined"  # the provider declined the card
    CARD_EXPIRED = "card_expired"  # the provider reports the card expired
    CARD_INCORRECT_CVC = "card_incorrect_cvc"  # the security code did not match
    CARD_NOT_FOUND = "card_not_found"  # no such card for this partner
    CARD_NOT_VERIFIED = "card_not_verified"  # only the verified card can be removed


MESSAGES: dict[PartnerErrorCode, tuple[str, str]] = {
    PartnerErrorCode.PARTNER_NOT_FOUND: ("パートナーが見つかりません。", "Partner not found."),
    PartnerErrorCode.ALREADY_REGISTERED: ("すでに登録されています。", "Already registered."),
    PartnerErrorCode.PARTNER_SUSPENDED: (
        "このパートナーは利用停止中のため、何も利用できません。",
        "This partner is suspended and is allowed nothing.",
    ),
    PartnerErrorCode.ALREADY_SUSPENDED: (
        "このパートナーはすでに利用停止中です。",
        "This partner is already suspended.",
    ),
    PartnerErrorCode.NOT_SUSPENDED: (
        "このパートナーは利用停止中ではありません。",
        "This partner is not suspended.",
    ),
    PartnerErrorCode.INVALID_FIELD: (
        "入力が空か、長すぎます。",
        "This field is empty or too long.",
    ),
    PartnerErrorCode.CORPORATE_NUMBER_FORMAT: (
        "法人番号は13桁の数字で入力してください。",
        "A corporate number is 13 digits.",
    ),
    PartnerErrorCode.CORPORATE_NUMBER_CHECK_DIGIT: (
        "法人番号のチェックデジットが正しくありません。",
        "The corporate number's check digit is wrong.",
    ),
    PartnerErrorCode.NOT_AN_OWNER: (
        "この操作はオーナーだけが行えます。",
        "Only an owner may do this.",
    ),
    PartnerErrorCode.NOT_A_MEMBER: (
        "このユーザーはパートナーのメンバーではありません。",
        "This user is not a member of the partner.",
    ),
    PartnerErrorCode.ALREADY_MEMBER: (
        "このユーザーはすでにメンバーです。",
        "This user is already a member.",
    ),
    PartnerErrorCode.USER_NOT_FOUND: (
        "このメールアドレスのプラットフォームユーザーが見つかりません。",
        "No platform user has this e-mail address.",
    ),
    PartnerErrorCode.INVALID_ROLE: ("役割が正しくありません。", "Unknown role."),
    PartnerErrorCode.LAST_OWNER: (
        "最後のオーナーは削除できません。",
        "The last owner cannot be removed.",
    ),
    PartnerErrorCode.INDIVIDUAL_SINGLE_MEMBER: (
        "個人パートナーのメンバーは本人だけです。",
        "An individual partner has only its own user as a member.",
    ),
    PartnerErrorCode.CARD_NUMBER_NOT_ACCEPTED: (
        "カード番号は受け付けません。決済代行会社のトークンを送ってください。",
        "Card numbers are not accepted: send the payment provider's token.",
    ),
    PartnerErrorCode.CARD_TOKEN_INVALID: (
        "カードのトークンが正しくありません。",
        "The card token is not valid.",
    ),
    PartnerErrorCode.CARD_DECLINED: (
        "カードが承認されませんでした。",
        "The card was declined.",
    ),
    PartnerErrorCode.CARD_EXPIRED: ("カードの有効期限が切れています。", "The card has expired."),
    PartnerErrorCode.CARD_INCORRECT_CVC: (
        "セキュリティコードが正しくありません。",
        "The card's security code is incorrect.",
    ),
    PartnerErrorCode.CARD_NOT_FOUND: ("カードが見つかりません。", "Card not found."),
    PartnerErrorCode.CARD_NOT_VERIFIED: (
        "認証済みのカードではありません。",
        "This card is not the verified card.",
    ),
}


def partner_error(
    kind: type[DomainError], code: PartnerErrorCode, *, field: str | None = None
) -> DomainError:
    """Return a `kind` error (ConflictError, InvalidError, …) for `code` with its messages."""
    ja, en = MESSAGES[code]
    return kind(code, ja, en, field=field)
