"""法人番号 (Japanese corporate number): 13 digits, the first of which is a check digit.

The check digit of the 12-digit base number is 9 - ((Σ P_n × Q_n) mod 9) for n = 1..12,
where P_n is the n-th digit counted from the right of the base number and Q_n is 1 for odd n
and 2 for even n (国税庁, 法人番号の指定等に関する省令 第2条).
"""

from __future__ import annotations

import re
import unicodedata

from devcenter.errors import InvalidError
from devcenter.partners.errors import PartnerErrorCode, partner_error

_SEPARATORS = re.compile(r"[\s\-]")
_THIRTEEN_DIGITS = re.compile(r"[0-9]{13}")
FIELD = "corporate_number"


def corporate_number_check_digit(base: str) -> int:
    """Return the check digit of a 12-digit base number."""
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError("the base of a corporate number is 12 digits")
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def validate_corporate_number(value: str) -> str:
    """Return the number as 13 ASCII digits; raise InvalidError when it is not a valid one.

    Full-width digits, spaces and hyphens are accepted and normalised away.
    """
    number = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    if not _THIRTEEN_DIGITS.fullmatch(number):
        raise partner_error(InvalidError, PartnerErrorCode.CORPORATE_NUMBER_FORMAT, field=FIELD)
    if int(number[0]) != corporate_number_check_digit(number[1:]):
        raise partner_error(
            InvalidError, PartnerErrorCode.CORPORATE_NUMBER_CHECK_DIGIT, field=FIELD
        )
    return number
