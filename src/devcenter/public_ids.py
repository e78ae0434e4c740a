"""Public identifiers (`ptn_…`, `acc_…`, …): random, never the database key."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_LENGTH = 20


def new_public_id(prefix: str) -> str:
    """Return `prefix_` followed by 20 random base32 characters (100 bits)."""
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
