"""An in-memory copy of the API-key hashes, so authenticating a decision needs no query.

The copy is refreshed when this process changes a key (the apikeys hook) and, for changes made
by other processes, when a cheap generation value read at most once a second has moved. Key
use is remembered in memory and written back in the same periodic step.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass

from devcenter.decision_plane.database import PlaneDatabase

POLL_SECONDS = 1.0
RETRY_SECONDS = 1.0  # after a failed reload, the next try
RELOAD_WAIT_SECONDS = 2.0  # the longest a request waits for a reload


class KeyringUnavailableError(RuntimeError):
    """The keys were never read (the database has not answered since start)."""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What the decision plane knows of a key."""

    name: str
    scope: str


class Keyring:
    """Key hashes by SHA-256, loaded from the database through the apikeys selectors.

    When the database is away, the keys last read keep authenticating (a revocation made
    meanwhile cannot be written anyway); before the first read, `lookup` raises
    `KeyringUnavailableError`.
    """

    def __init__(
        self, poll_seconds: float = POLL_SECONDS, *, database: PlaneDatabase | None = None
    ) -> None:
        self._keys: dict[str, KeyInfo] = {}
        self._generation: str | None = None
        self.loaded = False
        self._stale = True
        self._checked_at = 0.0
        self._retry_at = 0.0
        self._poll_seconds = poll_seconds
        self._used: set[str] = set()
        self._refreshing: asyncio.Task[None] | None = None
        self._reloading: asyncio.Task[None] | None = None
        self.database = database or PlaneDatabase()

    def mark_stale(self) -> None:
        """Force a reload before the next lookup (a key changed in this process)."""
        self._stale = True

    async def lookup(self, raw_key: str) -> KeyInfo | None:
        """Return the key's info, or None for an unknown or revoked key."""
        if self._stale:
            await self._reload()
        elif time.monotonic() - self._checked_at > self._poll_seconds and self._refreshing is None:
            self._refreshing = asyncio.get_running_loop().create_task(self._refresh_in_background())
        secret_hash = hashlib.sha256(raw_key.encode()).hexdigest()
        info = self._keys.get(secret_hash)
        if info is not None:
            self._used.add(secret_hash)
        return info

    async def load(self) -> None:
        """Read the keys now (server start-up); a failure is logged, not raised."""
        try:
            await self._reload()
        except KeyringUnavailableError:
            pass  # logged by `database`; the first request tries again

    async def _reload(self) -> None:
        """Reload (one reload shared by all requests); keep the old keys if it fails."""
        if time.monotonic() >= self._retry_at or not self.loaded:
            if self._reloading is None or self._reloading.done():
                self._reloading = asyncio.get_running_loop().create_task(self._reload_once())
            try:
                await asyncio.wait_for(asyncio.shield(self._reloading), RELOAD_WAIT_SECONDS)
            except TimeoutError:
                pass
        if not self.loaded:
            raise KeyringUnavailableError("the API keys could not be read")

    async def _reload_once(self) -> None:
        try:
            await self.database.run(self._load)
        except Exception:  # recorded and logged by `database`
            self._retry_at = time.monotonic() + RETRY_SECONDS

    async def _refresh_in_background(self) -> None:
        try:
            await self.database.run(self._poll_once)
        except Exception:  # recorded and logged by `database`; polled again later
            self._checked_at = time.monotonic()
        finally:
            self._refreshing = None

    def _poll_once(self) -> None:
        from devcenter.apikeys.selectors import apikey_generation
        from devcenter.apikeys.services import apikey_touch

        used, self._used = self._used, set()
        try:
            for secret_hash in used:
                apikey_touch(secret_hash=secret_hash)
        except Exception:
            self._used |= used  # written back by a later poll
            raise
        if apikey_generation() != self._generation:
            self._load()
        self._checked_at = time.monotonic()

    def _load(self) -> None:
        from devcenter.apikeys.selectors import apikey_active_hashes, apikey_generation

        generation = apikey_generation()
        self._keys = {
            h: KeyInfo(name, scope) for h, (name, scope) in apikey_active_hashes().items()
        }
        self._generation = generation
        self.loaded = True
        self._stale = False
        self._checked_at = time.monotonic()
