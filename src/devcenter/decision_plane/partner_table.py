"""Partner public id -> state, in flat numpy arrays: no object per partner, lookups in batches.

A `dict` of 1,000,000 `str` keys costs about 100 bytes per partner and three dependent cache
misses per lookup (its index, its entry, the key object it compares), one lookup after another:
at 10,000 questions per call that was most of a worker's time (docs/performance.md, (d)).
This table keeps one 16-byte record per slot of an open-addressing table (linear probing, at most
half full), so that a probe is one memory access:

- `h1`: `hash(public_id)`, CPython's SipHash-1-3 of the string under the process's random key
  (`EMPTY`, -1, marks a free slot: `hash()` never returns -1);
- `h2`: the low 32 bits of `hash(public_id[1:])`, the same keyed function of another input;
- `state`: the partner's state (`Snapshot.states` index; 0 is "not found": a removed id).

An id is found when both fingerprints match: a false match needs a 96-bit coincidence of a
keyed function whose key an outsider never sees (about N / 2**96 per question for N partners).
`get_many` looks a whole batch up with a few vectorised gathers, so the cache misses of
different questions overlap instead of coming one after another.

One writer (the snapshot's catch-up, under its lock) and any number of readers (the event
loop): a new slot is published by writing `h1` last, a state change is one element write, and
growing builds new arrays and swaps them in with one attribute assignment. A reader takes
`self._arrays` once per lookup, so it always sees one consistent set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

import numpy as np
import numpy.typing as npt

EMPTY = -1  # no `hash()` is -1
MISSING = 0  # the state of an id that is not (or no longer) there
MIN_SIZE = 1024
BUILD_CHUNK = 50_000
STATE_DTYPE = np.int16
RECORD = np.dtype([("h1", "<i8"), ("h2", "<i4"), ("state", "<i2"), ("spare", "<i2")])

_tail = itemgetter(slice(1, None))


@dataclass(frozen=True, slots=True)
class _Arrays:
    records: npt.NDArray[np.void]  # RECORD
    h1: npt.NDArray[np.int64]  # views of the records' fields
    h2: npt.NDArray[np.int32]
    states: npt.NDArray[np.int16]
    mask: int


def _empty(size: int) -> _Arrays:
    records = np.zeros(size, RECORD)
    records["h1"] = EMPTY
    return _Arrays(records, records["h1"], records["h2"], records["state"], size - 1)


def _h2(value: int) -> int:
    """Return the low 32 bits of `value` as a signed 32-bit integer (the stored `h2`)."""
    return ((value & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000


def _size_for(count: int) -> int:
    """Return the power of two that keeps `count` entries at most half the slots."""
    return max(MIN_SIZE, 1 << (2 * max(count, 1) - 1).bit_length())


def _fingerprints(ids: list[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    count = len(ids)
    return (
        np.fromiter(map(hash, ids), np.int64, count),
        np.fromiter(map(hash, map(_tail, ids)), np.int64, count).astype(np.int32),
    )


class PartnerTable:
    """Map partner public ids to small positive integers (states); see the module docstring."""

    def __init__(self, pairs: Iterable[tuple[str, int]] = ()) -> None:
        """Build the table from distinct `(public_id, state)` pairs, read in chunks (the ids are
        hashed and dropped chunk by chunk, so the strings never all exist at once)."""
        h1_parts, h2_parts, state_parts = [], [], []
        pairs = iter(pairs)
        while chunk := list(islice(pairs, BUILD_CHUNK)):
            ids = [public_id for public_id, _ in chunk]
            h1, h2 = _fingerprints(ids)
            h1_parts.append(h1)
            h2_parts.append(h2)
            state_parts.append(np.fromiter((state for _, state in chunk), STATE_DTYPE, len(chunk)))
        count = sum(part.size for part in h1_parts)
        self._used = 0  # slots taken (a removed id keeps its slot, with state MISSING)
        self._arrays = _empty(_size_for(count))
        if count:
            self._place(
                self._arrays,
                np.concatenate(h1_parts),
                np.concatenate(h2_parts),
                np.concatenate(state_parts),
            )

    # -- reads (any thread) ----------------------------------------------------------------

    def get(self, public_id: str, default: int = MISSING) -> int:
        """Return the state of `public_id`, or `default` when it is not in the table."""
        if public_id.__class__ is not str:
            return default  # None (or anything else) is never a partner id
        arrays = self._arrays
        slot = self._find(arrays, hash(public_id), _h2(hash(public_id[1:])))
        if slot < 0:
            return default
        state = int(arrays.states[slot])
        return state if state != MISSING else default

    def get_many(self, ids: list[str]) -> list[int]:
        """Return the state of each id in `ids` (MISSING for unknown ones), in one pass."""
        if not ids:
            return []
        arrays = self._arrays
        h1, h2 = _fingerprints(ids)
        records, mask = arrays.records, arrays.mask
        slots = h1 & mask
        found = np.zeros(len(ids), STATE_DTYPE)
        pending = np.arange(len(ids))
        while pending.size:
            seen = records[slots[pending]]  # one gather of whole records
            seen_h1 = seen["h1"]
            hit = (seen_h1 == h1[pending]) & (seen["h2"] == h2[pending])
            found[pending[hit]] = seen["state"][hit]
            pending = pending[~hit & (seen_h1 != EMPTY)]
            slots[pending] = (slots[pending] + 1) & mask
        return found.tolist()

    def __contains__(self, public_id: object) -> bool:
        return isinstance(public_id, str) and self.get(public_id) != MISSING

    def __getitem__(self, public_id: str) -> int:
        state = self.get(public_id)
        if state == MISSING:
            raise KeyError(public_id)
        return state

    def __len__(self) -> int:
        return int(np.count_nonzero(self._arrays.states))

    @property
    def size(self) -> int:
        """The number of slots (a power of two)."""
        return self._arrays.mask + 1

    @property
    def nbytes(self) -> int:
        """The bytes the arrays take."""
        return int(self._arrays.records.nbytes)

    # -- writes (one thread at a time) -----------------------------------------------------

    def __setitem__(self, public_id: str, state: int) -> None:
        if state == MISSING:
            self.pop(public_id, None)
            return
        h1, h2 = hash(public_id), _h2(hash(public_id[1:]))
        arrays = self._arrays
        slot = self._find(arrays, h1, h2)
        if slot >= 0:
            arrays.states[slot] = state  # one element: readers see the old or the new state
            return
        if 2 * (self._used + 1) > self.size:
            arrays = self._grow()
        slot = self._free_slot(arrays, h1)
        arrays.states[slot] = state
        arrays.h2[slot] = h2
        arrays.h1[slot] = h1  # last: publishes the slot
        self._used += 1

    def pop(self, public_id: str, default: int | None = None) -> int | None:
        """Remove `public_id` (its slot stays, answering MISSING); return its state."""
        arrays = self._arrays
        slot = self._find(arrays, hash(public_id), _h2(hash(public_id[1:])))
        if slot < 0 or arrays.states[slot] == MISSING:
            return default
        state = int(arrays.states[slot])
        arrays.states[slot] = MISSING
        return state

    # -- inside ------------------------------------------------------------------------------

    @staticmethod
    def _find(arrays: _Arrays, h1: int, h2: int) -> int:
        """Return the slot holding (h1, h2), or -1."""
        h1_table, mask = arrays.h1, arrays.mask
        slot = h1 & mask
        while True:
            seen = h1_table.item(slot)
            if seen == EMPTY:
                return -1
            if seen == h1 and arrays.h2.item(slot) == h2:
                return slot
            slot = (slot + 1) & mask

    @staticmethod
    def _free_slot(arrays: _Arrays, h1: int) -> int:
        h1_table, mask = arrays.h1, arrays.mask
        slot = h1 & mask
        while h1_table.item(slot) != EMPTY:
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> _Arrays:
        """Rebuild at twice the size without the removed ids; swap the new arrays in."""
        old = self._arrays
        keep = (old.h1 != EMPTY) & (old.states != MISSING)
        arrays = _empty(_size_for(max(int(np.count_nonzero(keep)), self.size // 2) + 1))
        self._used = 0
        self._place(arrays, old.h1[keep], old.h2[keep], old.states[keep])
        self._arrays = arrays
        return arrays

    def _place(
        self,
        arrays: _Arrays,
        h1: npt.NDArray[np.int64],
        h2: npt.NDArray[np.int32],
        states: npt.NDArray[np.int16],
    ) -> None:
        """Insert distinct fingerprints into `arrays` (not yet shared), vectorised."""
        mask = arrays.mask
        slots = h1 & mask
        pending = np.arange(h1.size)
        while pending.size:
            at = slots[pending]
            free = arrays.h1[at] == EMPTY
            candidates = pending[free]
            _, first = np.unique(at[free], return_index=True)
            placed = candidates[first]  # one per free slot this round
            where = slots[placed]
            arrays.h1[where], arrays.h2[where] = h1[placed], h2[placed]
            arrays.states[where] = states[placed]
            done = np.zeros(h1.size, bool)
            done[placed] = True
            pending = pending[~done[pending]]
            slots[pending] = (slots[pending] + 1) & mask
        self._used += int(h1.size)
