"""Public identifiers (`ptn_…`, `acc_…`, …): random, never the database key."""

from __future__ import annotations

import base64
import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_LENGTH = 20
# RFC 4648 base32 spells each 5 bits with one of these; the table respells them in Crockford's.
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET)
_BYTES = (_LENGTH * 5 + 7) // 8  # 13 bytes: 104 random bits, the first 100 are used


def new_public_id(prefix: str) -> str:
    """Return `prefix_` followed by 20 random base32 characters (100 bits).

    Each character spells 5 bits of `secrets.token_bytes`, so every character is uniform over
    the alphabet, as `secrets.choice` per character was, at a twentieth of its cost (it runs
    twice per registration).
    """
    spelled = base64.b32encode(secrets.token_bytes(_BYTES))[:_LENGTH].decode("ascii")
    return f"{prefix}_{spelled.translate(_CROCKFORD)}"
