"""How client secrets are stored: a salted SHA-256, not a slow password hash.

A client secret is 128 random characters from the generator (far beyond guessing), so the
cost of PBKDF2, which protects low-entropy passwords, buys nothing and would make every token
request spend most of its time hashing. API keys are stored the same way (SHA-256).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _noop

ALGORITHM = "client_secret_sha256"


class ClientSecretHasher(BasePasswordHasher):
    """`client_secret_sha256$<salt>$<hex sha256(salt + secret)>`."""

    algorithm = ALGORITHM

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)  # type: ignore[attr-defined]
        digest = hashlib.sha256((salt + password).encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict[str, Any]:
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm  # noqa: S101 (Django's hashers do the same)
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        decoded = self.decode(encoded)
        return {
            _noop("algorithm"): decoded["algorithm"],
            _noop("salt"): mask_hash(decoded["salt"], show=2),
            _noop("hash"): mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password: str, encoded: str) -> None:
        """Nothing to harden: there are no work-factor rounds to equalise."""
