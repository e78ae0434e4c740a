"""The reviews app's stable error codes, and the refusals its services raise (ja/en)."""

from __future__ import annotations

from enum import StrEnum

from devcenter.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError


class ReviewErrorCode(StrEnum):
    """Stable error codes of the reviews services (the API and the CLI show exactly these)."""

    INVALID_STATUS_MOVE = "invalid_status_move"  # the workflow does not allow from -> to (409)
    APPLICATION_ALREADY_OPEN = "application_already_open"  # the partner has an open one (409)
    APPLICATION_NOT_FOUND = "application_not_found"  # unknown, or not the caller's (404)
    DOCUMENT_NOT_FOUND = "document_not_found"  # unknown, or not the caller's (404)
    DOCUMENT_PURGED = "document_purged"  # deleted after retention; the row is kept (404)
    PARTNER_NOT_FOUND = "partner_not_found"  # unknown partner, or the caller is no member (404)
    NOT_A_MEMBER = "not_a_member"  # staff without membership may not apply for a partner (403)
    STAFF_ONLY = "staff_only"  # review actions are for staff (403)
    MFA_REQUIRED = "mfa_required"  # staff need an activated TOTP authenticator (403)
    IDENTITY_NOT_CONFIRMED = "identity_not_confirmed"  # approve before the contact (409)
    NOT_IN_REVIEW = "not_in_review"  # identity is recorded while in review (409)
    DOCUMENTS_MISSING = "documents_missing"  # approve without both current documents (409)
    REASON_REQUIRED = "reason_required"  # reject needs reason_ja and reason_en (422)
    NOTE_REQUIRED = "note_required"  # needs_info / identity confirmation need a note (422)
    UNSUPPORTED_DOCUMENT_TYPE = "unsupported_document_type"  # not PDF/PNG/JPEG by content (422)
    DOCUMENT_TOO_LARGE = "document_too_large"  # over DEVCENTER_DOCUMENT_MAX_BYTES (422)
    DOCUMENT_EMPTY = "document_empty"  # zero bytes (422)
    DOCUMENT_REQUIRED = "document_required"  # a required upload is absent (422)
    DOCUMENT_UNREADABLE = "document_unreadable"  # starts like PDF/PNG/JPEG, does not parse (422)
    DOCUMENT_POLYGLOT = "document_polyglot"  # also another file: a page, data after its end (422)
    DOCUMENT_TOO_COMPLEX = "document_too_complex"  # pages, objects, pixels, bytes, time (422)
    DOCUMENT_ACTIVE_CONTENT = "document_active_content"  # a PDF with scripts or attachments (422)


_STATUS_JA = {
    "submitted": "提出済み",
    "in_review": "審査中",
    "needs_info": "追加情報待ち",
    "approved": "承認",
    "rejected": "却下",
    "withdrawn": "取り下げ",
}

_FIELD_JA = {
    "registry_certificate": "登記簿謄本（履歴事項全部証明書）",
    "application_form": "申込書",
    "reason_ja": "却下理由（日本語）",
    "reason_en": "却下理由（英語）",
    "note": "メモ",
}


# The statuses in English words, as a refusal names them (never the codes).
STATUS_EN = {
    "submitted": "submitted",
    "in_review": "in review",
    "needs_info": "waiting for the applicant's information",
    "approved": "approved",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
}

# The step to take first, by the status an application is in (named in a refused move).
_STEP_FIRST = {
    "submitted": ("先に「審査を開始」してください。", "Start the review first."),
    "needs_info": (
        "申請者が追加情報を送るまでお待ちください。",
        "Wait for the applicant to send the information asked for.",
    ),
    "approved": ("この申請は審査済みです。", "The application is already decided."),
    "rejected": ("この申請は審査済みです。", "The application is already decided."),
    "withdrawn": ("この申請は取り下げられています。", "The applicant withdrew the application."),
}


def invalid_status_move(current: str, target: str) -> ConflictError:
    """Return the refusal of a status move the workflow does not allow, naming the step to
    take first where there is one."""
    step_ja, step_en = _STEP_FIRST.get(current, ("", ""))
    return ConflictError(
        ReviewErrorCode.INVALID_STATUS_MOVE,
        f"申請の状態を「{_STATUS_JA.get(current, current)}」から"
        f"「{_STATUS_JA.get(target, target)}」に変更することはできません。{step_ja}",
        f"An application that is {STATUS_EN.get(current, current)} cannot become "
        f"{STATUS_EN.get(target, target)}. {step_en}".rstrip(),
    )


def application_already_open() -> ConflictError:
    return ConflictError(
        ReviewErrorCode.APPLICATION_ALREADY_OPEN,
        "このパートナーにはすでに審査中の認定申請があります。",
        "This partner already has an open certification application.",
    )


def application_not_found() -> NotFoundError:
    return NotFoundError(
        ReviewErrorCode.APPLICATION_NOT_FOUND,
        "認定申請が見つかりません。",
        "No such certification application.",
    )


def document_not_found() -> NotFoundError:
    return NotFoundError(
        ReviewErrorCode.DOCUMENT_NOT_FOUND, "書類が見つかりません。", "No such document."
    )


def document_purged() -> NotFoundError:
    return NotFoundError(
        ReviewErrorCode.DOCUMENT_PURGED,
        "この書類は保存期間の経過により削除されました。",
        "This document was deleted after its retention period.",
    )


def partner_not_found() -> NotFoundError:
    return NotFoundError(
        ReviewErrorCode.PARTNER_NOT_FOUND, "パートナーが見つかりません。", "No such partner."
    )


def not_a_member() -> ForbiddenError:
    return ForbiddenError(
        ReviewErrorCode.NOT_A_MEMBER,
        "パートナーのメンバーだけが認定を申請できます。",
        "Only a member of the partner may apply for its certification.",
    )


def staff_only() -> ForbiddenError:
    return ForbiddenError(
        ReviewErrorCode.STAFF_ONLY,
        "この操作は運営スタッフだけが行えます。",
        "Only staff may do this.",
    )


def mfa_required() -> ForbiddenError:
    return ForbiddenError(
        ReviewErrorCode.MFA_REQUIRED,
        "審査を行うには二要素認証（TOTP）を有効にしてください。",
        "Activate two-factor authentication (TOTP) before reviewing applications.",
    )


def identity_not_confirmed() -> ConflictError:
    return ConflictError(
        ReviewErrorCode.IDENTITY_NOT_CONFIRMED,
        "承認の前に「本人確認」の手順で、申請者への連絡を記録してください。",
        "Confirm the applicant's identity first: record the contact made, then approve.",
    )


def not_in_review(current: str) -> ConflictError:
    return ConflictError(
        ReviewErrorCode.NOT_IN_REVIEW,
        f"本人確認は審査中の申請にだけ記録できます（現在: {_STATUS_JA.get(current, current)}）。",
        f"Identity is recorded only while the application is in review (now {current!r}).",
    )


def documents_missing(kinds: list[str]) -> ConflictError:
    names_ja = "、".join(_FIELD_JA.get(kind, kind) for kind in kinds)
    return ConflictError(
        ReviewErrorCode.DOCUMENTS_MISSING,
        f"承認に必要な書類がありません: {names_ja}",
        f"Documents needed for approval are missing: {', '.join(kinds)}",
    )


def reason_required(field: str) -> InvalidError:
    return InvalidError(
        ReviewErrorCode.REASON_REQUIRED,
        f"{_FIELD_JA[field]}を入力してください。",
        f"Give the rejection reason ({field}).",
        field=field,
    )


def note_required() -> InvalidError:
    return InvalidError(
        ReviewErrorCode.NOTE_REQUIRED,
        "内容を入力してください。",
        "Give a note.",
        field="note",
    )


def unsupported_document_type(field: str) -> InvalidError:
    return InvalidError(
        ReviewErrorCode.UNSUPPORTED_DOCUMENT_TYPE,
        f"{_FIELD_JA.get(field, field)}はPDF、PNG、JPEGのいずれかにしてください。",
        f"{field}: only PDF, PNG and JPEG files are accepted (checked from the content).",
        field=field,
    )


def document_too_large(field: str, limit: int) -> InvalidError:
    return InvalidError(
        ReviewErrorCode.DOCUMENT_TOO_LARGE,
        f"{_FIELD_JA.get(field, field)}が大きすぎます（上限 {limit} バイト）。",
        f"{field}: the file is larger than {limit} bytes.",
        field=field,
    )


def document_empty(field: str) -> InvalidError:
    return InvalidError(
        ReviewErrorCode.DOCUMENT_EMPTY,
        f"{_FIELD_JA.get(field, field)}が空のファイルです。",
        f"{field}: the file is empty.",
        field=field,
    )


def document_required(field: str) -> InvalidError:
    return InvalidError(
        ReviewErrorCode.DOCUMENT_REQUIRED,
        f"{_FIELD_JA.get(field, field)}を添付してください。",
        f"{field}: attach the document.",
        field=field,
    )


# The refusals of the content check (`reviews.documents.ContentRefused`), by code: ja, en.
CONTENT_MESSAGES: dict[ReviewErrorCode, tuple[str, str]] = {
    ReviewErrorCode.DOCUMENT_UNREADABLE: (
        "{name}を読み取れません。正しいPDF、PNG、JPEGファイルを添付してください。",
        "{field}: the file cannot be read as the PDF, PNG or JPEG it starts like.",
    ),
    ReviewErrorCode.DOCUMENT_POLYGLOT: (
        "{name}に別の種類のデータ（ウェブページ、スクリプト、ファイルの後ろのデータなど）が"
        "含まれています。",
        "{field}: the file also holds another kind of data (a web page, a script, or data "
        "after its end).",
    ),
    ReviewErrorCode.DOCUMENT_TOO_COMPLEX: (
        "{name}が複雑すぎて確認できません（ページ数、オブジェクト数、画素数、展開後のサイズ"
        "または確認時間の上限を超えています）。",
        "{field}: the file is too complex to check (too many pages, objects, pixels or "
        "decompressed bytes, or it takes too long).",
    ),
    ReviewErrorCode.DOCUMENT_ACTIVE_CONTENT: (
        "{name}にスクリプト、アクションまたは埋め込みファイルが含まれています。",
        "{field}: the PDF holds scripts, actions or embedded files.",
    ),
}


def content_refused(code: ReviewErrorCode, field: str) -> InvalidError:
    """Return the refusal of a file whose content is not what it claims (see CONTENT_MESSAGES)."""
    ja, en = CONTENT_MESSAGES[code]
    return InvalidError(
        code,
        ja.format(name=_FIELD_JA.get(field, field)),
        en.format(field=field),
        field=field,
    )
