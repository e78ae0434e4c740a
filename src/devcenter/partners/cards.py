"""Card verification behind a small interface, fit for a provider that tokenises in the browser.

The card number goes from the browser straight to the payment provider (its JS widget), which
hands the page a one-time token; the server only ever sees that token and asks the provider,
through a `CardVerifier`, to verify it. The answer is either a `VerifiedCard` (brand, last four
digits, expiry and the provider's fingerprint of the card) or a `CardRefusal` with one of our
stable codes. The verifier in use is `settings.DEVCENTER_CARD_VERIFIER` (a dotted path); a
production adapter maps its provider's decline codes onto `PartnerErrorCode`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from devcenter.partners.errors import PartnerErrorCode

TOKEN_MAX_LENGTH = 200
# 12 to 19 digits, possibly grouped with spaces or dashes: what a card number looks like.
_CARD_NUMBER = re.compile(r"[0-9](?:[ \-]?[0-9]){11,18}")


@dataclass(frozen=True)
class VerifiedCard:
    """What the provider tells about a verified card; never the number itself."""

    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    fingerprint: str  # the provider's stable id of the card number


@dataclass(frozen=True)
class CardRefusal:
    """The provider refused the token: one of the card codes of `PartnerErrorCode`."""

    code: PartnerErrorCode


class CardVerifier(Protocol):
    """Ask the payment provider to verify a browser-made token (a zero-amount authorisation)."""

    def verify(self, token: str) -> VerifiedCard | CardRefusal:
        """Return the verified card, or why it was refused."""
        ...


def looks_like_card_number(token: str) -> bool:
    """Return whether `token` looks like a card number (12–19 digits, spaces/dashes allowed)."""
    return bool(_CARD_NUMBER.search(token or ""))


def card_verifier() -> CardVerifier:
    """Return the configured verifier (`settings.DEVCENTER_CARD_VERIFIER`)."""
    verifier: CardVerifier = import_string(settings.DEVCENTER_CARD_VERIFIER)()
    return verifier


_SANDBOX_CARDS = {
    "tok_visa": ("visa", "4242"),
    "tok_mastercard": ("mastercard", "4444"),
    "tok_jcb": ("jcb", "0000"),
    "tok_amex": ("amex", "8431"),
}
_SANDBOX_REFUSALS = {
    "tok_expired": PartnerErrorCode.CARD_EXPIRED,
    "tok_declined": PartnerErrorCode.CARD_DECLINED,
    "tok_incorrect_cvc": PartnerErrorCode.CARD_INCORRECT_CVC,
}
SANDBOX_YEARS_VALID = 4


class SandboxCardVerifier:
    """A verifier for development and tests that accepts the documented test tokens.

    `tok_visa`, `tok_mastercard`, `tok_jcb` and `tok_amex` verify (expiry: December,
    four years ahead); `tok_expired`, `tok_declined` and `tok_incorrect_cvc` are refused with
    their reason; any other token is refused as `card_token_invalid`.
    """

    def verify(self, token: str) -> VerifiedCard | CardRefusal:
        """Return the sandbox answer for `token`."""
        if token in _SANDBOX_REFUSALS:
            return CardRefusal(_SANDBOX_REFUSALS[token])
        if token not in _SANDBOX_CARDS:
            return CardRefusal(PartnerErrorCode.CARD_TOKEN_INVALID)
        brand, last4 = _SANDBOX_CARDS[token]
        return VerifiedCard(
            token=token,
            brand=brand,
            last4=last4,
            exp_month=12,
            exp_year=date.today().year + SANDBOX_YEARS_VALID,  # noqa: DTZ011
            fingerprint=hashlib.sha256(f"sandbox:{brand}:{last4}".encode()).hexdigest()[:32],
        )
