"""Deliveries are signed per the Standard Webhooks specification.

The verifier here is written from the specification's text with hmac and base64 (not the
library that signs): the signed content is `{webhook-id}.{webhook-timestamp}.{body}`, the key
is the base64-decoded part of the secret after `whsec_`, the signature HMAC-SHA256 in base64,
sent as space-separated `v1,<signature>` entries; a timestamp more than 5 minutes from now is
refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta

import pytest

from devcenter.events.signing import new_secret, signed_headers

TOLERANCE_SECONDS = 5 * 60


def spec_verify(secret: str, headers: dict[str, str], body: str, *, now: float) -> bool:
    """Return whether one of the headers' v1 signatures is valid for `body` and fresh."""
    timestamp = int(headers["webhook-timestamp"])
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{headers['webhook-id']}.{timestamp}.{body}".encode()
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    for entry in headers["webhook-signature"].split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


BODY = '{"id":"evt_7","type":"card.removed","data":{"card":"card_x"}}'


@pytest.fixture
def secret() -> str:
    return new_secret()


def _headers(secrets: list[str], at: datetime | None = None) -> dict[str, str]:
    return signed_headers(
        message_id="evt_7", timestamp=at or datetime.now(tz=UTC), body=BODY, secrets_in_use=secrets
    )


def test_secret_has_the_whsec_prefix_and_24_bytes(secret: str) -> None:
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 24


def test_an_independent_verifier_accepts_the_signature(secret: str) -> None:
    assert spec_verify(secret, _headers([secret]), BODY, now=time.time())


def test_a_tampered_body_fails(secret: str) -> None:
    headers = _headers([secret])
    assert not spec_verify(secret, headers, BODY.replace("card_x", "card_y"), now=time.time())


def test_a_tampered_id_fails(secret: str) -> None:
    headers = {**_headers([secret]), "webhook-id": "evt_8"}
    assert not spec_verify(secret, headers, BODY, now=time.time())


def test_a_stale_timestamp_fails(secret: str) -> None:
    headers = _headers([secret], at=datetime.now(tz=UTC) - timedelta(minutes=6))
    assert not spec_verify(secret, headers, BODY, now=time.time())


def test_another_secret_fails(secret: str) -> None:
    assert not spec_verify(new_secret(), _headers([secret]), BODY, now=time.time())


def test_during_rotation_both_secrets_verify(secret: str) -> None:
    newer = new_secret()
    headers = _headers([newer, secret])
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert spec_verify(secret, headers, BODY, now=time.time())
    assert spec_verify(newer, headers, BODY, now=time.time())
