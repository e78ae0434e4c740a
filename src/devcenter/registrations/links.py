"""Signed, single-use links: an operator's confirmation and a contact e-mail's confirmation.

The token is signed with the secret key (it cannot be forged) and names a row and a nonce kept
on that row; using the link clears the nonce (a second use is `link_used`), and a link older
than `DEVCENTER_REGISTRATION_LINK_HOURS` (from the row's sent time, by the app's clock) is
`link_expired`.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing

from devcenter.registrations import clock
from devcenter.registrations.errors import RegistrationErrorCode as Code
from devcenter.registrations.errors import conflict, invalid

OPERATOR_LINK = "devcenter.registrations.operator"
CONTACT_EMAIL_LINK = "devcenter.registrations.contact_email"
TOKEN_FIELD = "token"  # noqa: S105 (the name of the input field)


def new_nonce() -> str:
    """Return the secret a new link carries."""
    return secrets.token_hex(16)


def link_token(purpose: str, row_id: int, nonce: str) -> str:
    """Return the signed token of a link for row `row_id`."""
    return signing.dumps({"id": row_id, "n": nonce}, salt=purpose)


def link_read(purpose: str, token: str) -> tuple[int, str]:
    """Return (row id, nonce) of a token; InvalidError `link_invalid` if it is not ours."""
    try:
        value = signing.loads(token or "", salt=purpose)
    except signing.BadSignature:
        raise invalid(Code.LINK_INVALID, TOKEN_FIELD) from None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        raise invalid(Code.LINK_INVALID, TOKEN_FIELD)
    return value["id"], str(value.get("n", ""))


def link_check(*, stored_nonce: str, given_nonce: str, sent_at: datetime | None) -> None:
    """Refuse a used or replaced link (`link_used`) and an expired one (`link_expired`)."""
    if not stored_nonce or not secrets.compare_digest(stored_nonce, given_nonce):
        raise conflict(Code.LINK_USED, TOKEN_FIELD)
    validity = timedelta(hours=settings.DEVCENTER_REGISTRATION_LINK_HOURS)
    if sent_at is None or clock.now() > sent_at + validity:
        raise conflict(Code.LINK_EXPIRED, TOKEN_FIELD)
