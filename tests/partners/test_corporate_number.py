"""法人番号: the check digit over the 12-digit base, and validation of user input."""

from __future__ import annotations

import pytest

from devcenter.errors import InvalidError
from devcenter.partners.corporate_number import (
    corporate_number_check_digit,
    validate_corporate_number,
)

# Published numbers (国税庁 法人番号公表サイト).
PUBLISHED = [
    "7000012050002",  # 国税庁
    "1180301018771",  # トヨタ自動車株式会社
    "5010401067252",  # ソニーグループ株式会社
]


@pytest.mark.parametrize("number", PUBLISHED)
def test_published_numbers_are_valid(number: str) -> None:
    assert corporate_number_check_digit(number[1:]) == int(number[0])
    assert validate_corporate_number(number) == number


@pytest.mark.parametrize(
    ("base", "check"),
    [
        # Σ = 0 -> 9 - 0 = 9
        ("000000000000", 9),
        # rightmost digit is P1 (weight 1): Σ = 1 -> 8
        ("000000000001", 8),
        # second from the right is P2 (weight 2): Σ = 2 -> 7
        ("000000000010", 7),
        # Σ = 9 (a multiple of 9) -> 9 - 0 = 9
        ("000000000009", 9),
        # all ones: six odd weights 1 + six even weights 2 = 18 -> 9 - 0 = 9
        ("111111111111", 9),
        # from the right 2,1,0,9,8,7,6,5,4,3,2,1:
        # Σ = 2 + 2·1 + 0 + 2·9 + 8 + 2·7 + 6 + 2·5 + 4 + 2·3 + 2 + 2·1 = 74; 74 mod 9 = 2 -> 7
        ("123456789012", 7),
    ],
)
def test_computed_check_digits(base: str, check: int) -> None:
    assert corporate_number_check_digit(base) == check


def test_full_width_digits_spaces_and_hyphens_are_normalised() -> None:
    assert validate_corporate_number("７０００ ０１２-０５０００２") == "7000012050002"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("8000012050002", "corporate_number_check_digit"),
        ("1000012050002", "corporate_number_check_digit"),
        ("700001205000", "corporate_number_format"),
        ("70000120500021", "corporate_number_format"),
        ("700001205000a", "corporate_number_format"),
        ("", "corporate_number_format"),
    ],
)
def test_invalid_numbers_are_refused_with_their_code_on_the_field(value: str, code: str) -> None:
    with pytest.raises(InvalidError) as refused:
        validate_corporate_number(value)
    assert refused.value.code == code
    assert refused.value.field == "corporate_number"
    assert refused.value.ja
    assert refused.value.en


def test_check_digit_needs_twelve_digits() -> None:
    with pytest.raises(ValueError, match="12 digits"):
        corporate_number_check_digit("12345")
