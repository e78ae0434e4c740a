"""Stable error codes of the registrations services, with their messages in Japanese and English.

Besides these, a service the partner may not use is refused with the policy core's own code
(`requires_card`, `requires_certification`, `corporate_only`, `partner_suspended`, …) carried by
`ServiceRefusedError` together with the decision's reason and unlock paths, and a refused operation
with the operation's code (`not_an_owner`, `partner_suspended`, …).
"""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import ConflictError, DomainError, InvalidError, NotFoundError
from devcenter.policy import Decision


class RegistrationErrorCode(StrEnum):
    """Stable error codes of `devcenter.registrations` (API, CLI and tests use them)."""

    REGISTRATION_NOT_FOUND = "registration_not_found"  # no such registration, or not yours
    SERVICE_NOT_REGISTRABLE = "service_not_registrable"  # openid, simplepost, unknown (422)
    INVALID_FIELD = "invalid_service_field"  # a service field missing or malformed (422)
    UNKNOWN_FIELD = "unknown_field"  # a field the service does not carry (422)
    NAME_RESERVED = "name_reserved"  # starts with mixi / ミクシィ in any case or width (422)
    REDIRECT_URI_INVALID = "redirect_uri_invalid"  # not an absolute URL with a host (422)
    REDIRECT_URI_NOT_HTTPS = "redirect_uri_not_https"  # http on a host other than loopback
    REDIRECT_URI_FRAGMENT = "redirect_uri_fragment"  # a redirect URI may not carry #fragment
    COMMUNITY_FULL = "community_full"  # the support community already serves the maximum (409)
    PAGE_NOT_FOUND = "page_not_found"  # a page app names no page of the partner (422)
    NOT_AN_IMAGE = "not_an_image"  # the upload does not decode as PNG, JPEG or GIF (422)
    IMAGE_TOO_LARGE = "image_too_large"  # over the byte or pixel limit (422)
    IMAGE_KIND_NOT_ACCEPTED = "image_kind_not_accepted"  # the service takes no such image (422)
    TOO_MANY_SCREENSHOTS = "too_many_screenshots"  # (409)
    INVALID_STATUS_MOVE = "invalid_status_move"  # the listing pipeline has no such move (409)
    RELISTING_COOLDOWN = "relisting_cooldown"  # rejected too recently to ask again (409)
    LISTING_INCOMPLETE = "listing_incomplete"  # a listing need is missing; `field` names it
    REGISTRATION_SUSPENDED = "registration_suspended"  # its partner may not use the service
    NO_CREDENTIALS_FOR_SERVICE = "no_credentials_for_service"  # e.g. a page (409)
    CREDENTIALS_ALREADY_ISSUED = "credentials_already_issued"  # shown once: rotate instead
    CREDENTIALS_NOT_ISSUED = "credentials_not_issued"  # rotate before the first issue (409)
    CONTACT_EMAIL_UNCONFIRMED = "contact_email_unconfirmed"  # confirm the e-mailed link first
    LINK_INVALID = "link_invalid"  # the token is not one of ours (422)
    LINK_EXPIRED = "link_expired"  # older than its validity (409)
    LINK_USED = "link_used"  # already confirmed, or replaced by a newer link (409)
    CONTACT_EMAIL_NOT_PENDING = "contact_email_not_pending"  # nothing awaits confirmation (409)
    LINK_RECENTLY_SENT = "link_recently_sent"  # a link went out less than a minute ago (409)
    USER_NOT_FOUND = "user_not_found"  # no platform user with this e-mail (404)
    ALREADY_MEMBER = "already_member"  # members act on every registration already (409)
    OPERATOR_ALREADY_GRANTED = "operator_already_granted"  # (409)
    OPERATOR_NOT_FOUND = "operator_not_found"  # (404)
    PAYMENT_NOT_APPLICABLE = "payment_not_applicable"  # the service has no payment enrolment
    PAYMENT_ALREADY_OPEN = "payment_already_open"  # a business plan awaits review (409)
    PAYMENT_NOT_FOUND = "payment_not_found"  # (404)
    PAYMENT_NOT_SUBMITTED = "payment_not_submitted"  # already decided (409)
    USER_COUNT_INVALID = "user_count_invalid"  # a negative or non-integer count (422)
    FIELD_NOT_A_SUBSET = "field_not_a_subset"  # a choice not among its `subset_of` field's (422)
    FIELD_REQUIRES_STATUS = "field_requires_status"  # settable only in another status (409)
    PAYOUT_NAME_MISMATCH = "payout_name_mismatch"  # holder is not the registered name (422)
    PAYOUT_ACCOUNT_NOT_FOUND = "payout_account_not_found"  # none registered yet (404)


MESSAGES: dict[RegistrationErrorCode, tuple[str, str]] = {
    RegistrationErrorCode.REGISTRATION_NOT_FOUND: (
        "登録したサービスが見つかりません。",
        "Registration not found.",
    ),
    RegistrationErrorCode.SERVICE_NOT_REGISTRABLE: (
        "このサービスは登録するものではありません。",
        "This service is not registered (it needs no registration, or is unknown).",
    ),
    RegistrationErrorCode.INVALID_FIELD: ("入力が正しくありません。", "This field is invalid."),
    RegistrationErrorCode.UNKNOWN_FIELD: (
        "このサービスにはない項目です。",
        "This service has no such field.",
    ),
    RegistrationErrorCode.NAME_RESERVED: (
        "名前を「mixi」「ミクシィ」で始めることはできません。",
        "A name may not start with the platform's own name (mixi / ミクシィ).",
    ),
    RegistrationErrorCode.REDIRECT_URI_INVALID: (
        "リダイレクトURLはホストを含む絶対URLで指定してください。",
        "A redirect URI must be an absolute URL with a host.",
    ),
    RegistrationErrorCode.REDIRECT_URI_NOT_HTTPS: (
        "リダイレクトURLは https で指定してください（ループバックアドレスを除く）。",
        "A redirect URI must use https (except on a loopback address).",
    ),
    RegistrationErrorCode.REDIRECT_URI_FRAGMENT: (
        "リダイレクトURLに # 以降（フラグメント）は含められません。",
        "A redirect URI may not contain a fragment (#…).",
    ),
    RegistrationErrorCode.COMMUNITY_FULL: (
        "このサポートコミュニティは、すでに上限の数のアプリを担当しています。",
        "This support community already serves the maximum number of apps.",
    ),
    RegistrationErrorCode.PAGE_NOT_FOUND: (
        "指定されたmixiページが見つかりません。",
        "The mixi Page named does not exist among the partner's pages.",
    ),
    RegistrationErrorCode.NOT_AN_IMAGE: (
        "画像（PNG、JPEG、GIF）として読み込めないファイルです。",
        "The file does not decode as an image (PNG, JPEG, GIF).",
    ),
    RegistrationErrorCode.IMAGE_TOO_LARGE: ("画像が大きすぎます。", "The image is too large."),
    RegistrationErrorCode.IMAGE_KIND_NOT_ACCEPTED: (
        "このサービスにはこの種類の画像を登録できません。",
        "This service takes no image of this kind.",
    ),
    RegistrationErrorCode.TOO_MANY_SCREENSHOTS: (
        "スクリーンショットはこれ以上登録できません。",
        "No more screenshots can be added.",
    ),
    RegistrationErrorCode.INVALID_STATUS_MOVE: (
        "現在の状態からはこの操作を行えません。",
        "This is not possible in the registration's current status.",
    ),
    RegistrationErrorCode.RELISTING_COOLDOWN: (
        "掲載不可となってから一定期間は再申請できません。",
        "A rejected registration may ask for listing again only after the cool-down.",
    ),
    RegistrationErrorCode.LISTING_INCOMPLETE: (
        "掲載申請に必要な項目がそろっていません。",
        "Something the listing request needs is missing.",
    ),
    RegistrationErrorCode.REGISTRATION_SUSPENDED: (
        "パートナーがこのサービスを利用できないため、この登録は停止中です。",
        "This registration is suspended: its partner may not use the service now.",
    ),
    RegistrationErrorCode.NO_CREDENTIALS_FOR_SERVICE: (
        "このサービスにはキーは発行されません。",
        "This service has no credentials.",
    ),
    RegistrationErrorCode.CREDENTIALS_ALREADY_ISSUED: (
        "キーは発行済みです（シークレットは一度だけ表示されます）。再発行してください。",
        "Credentials were issued already (the secret is shown once): rotate them instead.",
    ),
    RegistrationErrorCode.CREDENTIALS_NOT_ISSUED: (
        "キーはまだ発行されていません。",
        "No credentials have been issued yet.",
    ),
    RegistrationErrorCode.CONTACT_EMAIL_UNCONFIRMED: (
        "連絡先メールアドレスの確認が済むまでキーは表示されません。",
        "Confirm the contact e-mail address (the e-mailed link) before credentials are shown.",
    ),
    RegistrationErrorCode.LINK_INVALID: ("リンクが正しくありません。", "This link is not valid."),
    RegistrationErrorCode.LINK_EXPIRED: (
        "リンクの有効期限が切れています。",
        "This link has expired.",
    ),
    RegistrationErrorCode.LINK_USED: (
        "このリンクはすでに使われたか、無効になっています。",
        "This link was used already or is no longer valid.",
    ),
    RegistrationErrorCode.CONTACT_EMAIL_NOT_PENDING: (
        "確認を待っている連絡先メールアドレスはありません。",
        "No contact e-mail address is waiting to be confirmed.",
    ),
    RegistrationErrorCode.LINK_RECENTLY_SENT: (
        "確認リンクは1分以内に送信済みです。メールが届かない場合は、少し待ってからもう一度お試しください。",
        "A confirmation link was sent less than a minute ago. If it does not arrive, "
        "try again shortly.",
    ),
    RegistrationErrorCode.USER_NOT_FOUND: (
        "このメールアドレスのプラットフォームユーザーが見つかりません。",
        "No platform user has this e-mail address.",
    ),
    RegistrationErrorCode.ALREADY_MEMBER: (
        "このユーザーはパートナーのメンバーです。",
        "This user is a member of the partner already.",
    ),
    RegistrationErrorCode.OPERATOR_ALREADY_GRANTED: (
        "このユーザーはすでに運営者です（または確認待ちです）。",
        "This user is an operator already (or has a link to confirm).",
    ),
    RegistrationErrorCode.OPERATOR_NOT_FOUND: ("運営者が見つかりません。", "Operator not found."),
    RegistrationErrorCode.PAYMENT_NOT_APPLICABLE: (
        "このサービスはmixiペイメントプログラムの対象ではありません。",
        "This service cannot be enrolled in the mixi Payment Program.",
    ),
    RegistrationErrorCode.PAYMENT_ALREADY_OPEN: (
        "審査中の企画申請があります。",
        "A business plan is already awaiting review.",
    ),
    RegistrationErrorCode.PAYMENT_NOT_FOUND: (
        "ペイメント申請が見つかりません。",
        "Payment enrolment not found.",
    ),
    RegistrationErrorCode.PAYMENT_NOT_SUBMITTED: (
        "このペイメント申請は審査済みです。",
        "This payment enrolment was decided already.",
    ),
    RegistrationErrorCode.USER_COUNT_INVALID: (
        "利用者数は0以上の整数で指定してください。",
        "The user count must be a non-negative integer.",
    ),
    RegistrationErrorCode.FIELD_NOT_A_SUBSET: (
        "対応する項目で選んだものの中から選んでください（公開するデバイスは動作するデバイスから）。",
        "Choose only among the related field's choices (e.g. public devices among the devices).",
    ),
    RegistrationErrorCode.FIELD_REQUIRES_STATUS: (
        "登録の今の状態では、この項目は設定できません。",
        "This field cannot be set in the registration's current status.",
    ),
    RegistrationErrorCode.PAYOUT_NAME_MISMATCH: (
        "振込先口座の名義は、パートナーの登録名義と同じでなければなりません。",
        "The payout account must be held in the partner's registered name.",
    ),
    RegistrationErrorCode.PAYOUT_ACCOUNT_NOT_FOUND: (
        "振込先口座はまだ登録されていません。",
        "No payout account is registered yet.",
    ),
}


def registration_error(
    kind: type[DomainError], code: RegistrationErrorCode, *, field: str | None = None
) -> DomainError:
    """Return a `kind` error (ConflictError, InvalidError, …) for `code` with its messages."""
    ja, en = MESSAGES[code]
    return kind(code, ja, en, field=field)


def not_found() -> DomainError:
    return registration_error(NotFoundError, RegistrationErrorCode.REGISTRATION_NOT_FOUND)


def invalid(code: RegistrationErrorCode, field: str) -> DomainError:
    return registration_error(InvalidError, code, field=field)


def conflict(code: RegistrationErrorCode, field: str | None = None) -> DomainError:
    return registration_error(ConflictError, code, field=field)


class ServiceRefusedError(ConflictError):
    """The partner may not use the service now: the policy's decision, with its unlock paths."""

    def __init__(self, decision: Decision, *, field: str = "service") -> None:
        super().__init__(decision.code, decision.reason.ja, decision.reason.en, field=field)
        self.decision = decision
