"""An in-memory copy of the API-key hashes, so authenticating a decision needs no query.

The copy is refreshed when this process changes a key (the apikeys hook) and, for changes made
by other processes, when a cheap generation value read at most once a second has moved. Key
use is remembered in memory and written back in the same periodic step.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What the decision plane knows of a key."""

    name: str
    scope: str


class Keyring:
    """Key hashes by SHA-256, loaded from the database through the apikeys selectors."""

    def __init__(self, poll_seconds: float = POLL_SECONDS) -> None:
        self._keys: dict[str, KeyInfo] = {}
        self._generation: str | None = None
        self._stale = True
        self._checked_at = 0.0
        self._poll_seconds = poll_seconds
        self._used: set[str] = set()
        self._refreshing: asyncio.Task[None] | None = None

    def mark_stale(self) -> None:
        """Force a reload before the next lookup (a key changed in this process)."""
        self._stale = True

    async def lookup(self, raw_key: str) -> KeyInfo | None:
        """Return the key's info, or None for an unknown or revoked key."""
        if self._stale:
            await asyncio.to_thread(self._reload_sync)
        elif time.monotonic() - self._checked_at > self._poll_seconds and self._refreshing is None:
            self._refreshing = asyncio.get_running_loop().create_task(self._refresh_in_background())
        secret_hash = hashlib.sha256(raw_key.encode()).hexdigest()
        info = self._keys.get(secret_hash)
        if info is not None:
            self._used.add(secret_hash)
        return info

    async def _refresh_in_background(self) -> None:
        try:
            await asyncio.to_thread(self._poll_sync)
        finally:
            self._refreshing = None

    def _poll_sync(self) -> None:
        _with_connection(self._poll_once)

    def _poll_once(self) -> None:
        from devcenter.apikeys.selectors import apikey_generation
        from devcenter.apikeys.services import apikey_touch

        used, self._used = self._used, set()
        for secret_hash in used:
            apikey_touch(secret_hash=secret_hash)
        if apikey_generation() != self._generation:
            self._load()
        self._checked_at = time.monotonic()

    def _reload_sync(self) -> None:
        _with_connection(self._load)

    def _load(self) -> None:
        from devcenter.apikeys.selectors import apikey_active_hashes, apikey_generation

        generation = apikey_generation()
        self._keys = {
            h: KeyInfo(name, scope) for h, (name, scope) in apikey_active_hashes().items()
        }
        self._generation = generation
        self._stale = False
        self._checked_at = time.monotonic()


def _with_connection(work: Callable[[], None]) -> None:
    """Run database work in this worker thread and give its connection back afterwards."""
    from django.db import close_old_connections

    close_old_connections()
    try:
        work()
    finally:
        close_old_connections()
