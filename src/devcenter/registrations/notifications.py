"""E-mails of the registrations app (sent on commit, in Japanese and English)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

OPERATOR_CONFIRM_PATH = "/api/v1/registration-operators/confirm"
CONTACT_CONFIRM_PATH = "/api/v1/registration-contact-email/confirm"
# The portal's pages for the same links (a person clicks; a program posts the token).
OPERATOR_PAGE = "/registration-links/operator/{token}/"
CONTACT_PAGE = "/registration-links/contact-email/{token}/"


def _page(path: str, token: str) -> str:
    return f"{settings.DEVCENTER_BASE_URL}{path.format(token=token)}"


def _send(to: str, subject: tuple[str, str], body: tuple[str, str]) -> None:
    send_mail(
        subject=f"[devcenter] {subject[0]} / {subject[1]}",
        message=f"{body[0]}\n\n----\n\n{body[1]}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
    )


def notify_operator_invited(*, email: str, name: str, token: str, hours: int) -> None:
    """Send the invited user the link that confirms the grant (valid `hours`)."""
    _send(
        email,
        ("サービスの運営者に追加されました", "You were made an operator of a service"),
        (
            f"「{name}」の運営者として追加されました。{hours}時間以内に次のリンクを開いて確認して"
            f"ください。\n{_page(OPERATOR_PAGE, token)}\n（API: トークンを POST "
            f"{OPERATOR_CONFIRM_PATH} に送ることもできます）\ntoken: {token}",
            f"You were made an operator of {name}. Confirm within {hours} hours by opening "
            f"this link:\n{_page(OPERATOR_PAGE, token)}\n(API: or send the token to POST "
            f"{OPERATOR_CONFIRM_PATH}.)\ntoken: {token}",
        ),
    )


def notify_contact_email(*, email: str, name: str, token: str, hours: int) -> None:
    """Send the contact address the link that confirms it (valid `hours`)."""
    _send(
        email,
        ("連絡先メールアドレスの確認", "Confirm the contact e-mail address"),
        (
            f"「{name}」の連絡先として登録されました。{hours}時間以内に次のリンクを開いて確認して"
            f"ください。\n{_page(CONTACT_PAGE, token)}\n（API: トークンを POST "
            f"{CONTACT_CONFIRM_PATH} に送ることもできます）\ntoken: {token}",
            f"This address was given as the contact of {name}. Confirm within {hours} hours "
            f"by opening this link:\n{_page(CONTACT_PAGE, token)}\n(API: or send the token to "
            f"POST {CONTACT_CONFIRM_PATH}.)\ntoken: {token}",
        ),
    )


def notify_listing_decided(
    *, email: str, name: str, published: bool, reason_ja: str, reason_en: str
) -> None:
    """Tell the registrant the staff decision on a listing request (with the reason)."""
    if published:
        _send(
            email,
            ("掲載申請が承認されました", "Your listing request was approved"),
            (f"「{name}」が掲載されました。", f"{name} is now listed."),
        )
        return
    _send(
        email,
        ("掲載申請が却下されました", "Your listing request was rejected"),
        (
            f"「{name}」は掲載されませんでした。\n理由: {reason_ja}",
            f"{name} was not listed.\nReason: {reason_en}",
        ),
    )
