"""The card verifier interface: the sandbox's documented tokens and the card-number guard."""

from __future__ import annotations

from datetime import date

import pytest

from devcenter.partners.cards import (
    CardRefusal,
    SandboxCardVerifier,
    VerifiedCard,
    card_verifier,
    looks_like_card_number,
)


@pytest.mark.parametrize(
    ("token", "brand"),
    [
        ("tok_visa", "visa"),
        ("tok_mastercard", "mastercard"),
        ("tok_jcb", "jcb"),
        ("tok_amex", "amex"),
    ],
)
def test_sandbox_verifies_the_documented_tokens(token: str, brand: str) -> None:
    answer = SandboxCardVerifier().verify(token)
    assert isinstance(answer, VerifiedCard)
    assert answer.brand == brand
    assert len(answer.last4) == 4
    assert answer.last4.isdigit()
    assert answer.exp_month == 12
    assert answer.exp_year > date.today().year  # noqa: DTZ011
    assert answer.fingerprint
    assert answer.token == token


def test_sandbox_fingerprint_is_stable_per_card() -> None:
    verifier = SandboxCardVerifier()
    first, second = verifier.verify("tok_visa"), verifier.verify("tok_visa")
    other = verifier.verify("tok_jcb")
    assert isinstance(first, VerifiedCard)
    assert isinstance(second, VerifiedCard)
    assert isinstance(other, VerifiedCard)
    assert first.fingerprint == second.fingerprint != other.fingerprint


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("tok_expired", "card_expired"),
        ("tok_declined", "card_declined"),
        ("tok_incorrect_cvc", "card_incorrect_cvc"),
        ("tok_unknown", "card_token_invalid"),
    ],
)
def test_sandbox_refuses_with_the_reason(token: str, code: str) -> None:
    assert SandboxCardVerifier().verify(token) == CardRefusal(code)


@pytest.mark.parametrize(
    "value",
    [
        "4242424242424242",
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "378282246310005",
        "card:4111111111111111",
        "123456789012",
    ],
)
def test_card_numbers_are_recognised(value: str) -> None:
    assert looks_like_card_number(value)


@pytest.mark.parametrize(
    "value", ["tok_visa", "tok_1MqLZ2LkdIwHu7ixa4pQ", "pm_card_visa", "12345678901", ""]
)
def test_tokens_are_not_card_numbers(value: str) -> None:
    assert not looks_like_card_number(value)


def test_configured_verifier_is_the_sandbox_by_default() -> None:
    assert isinstance(card_verifier(), SandboxCardVerifier)
