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

A table built with `linked=True` also keeps, per id, the fingerprints of one other key (a
registration's client id), outside the records (only writers read them): when a registration's
client id changes or the registration goes, the snapshot learns which client id to remove from
the other table without keeping a string per registration.
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
    link_h1: npt.NDArray[np.int64] | None = None  # linked tables: the other key's fingerprints
    link_h2: npt.NDArray[np.int32] | None = None


Fingerprint = tuple[int, int]


def _empty(size: int, *, linked: bool = False) -> _Arrays:
    records = np.zeros(size, RECORD)
    records["h1"] = EMPTY
    link_h1 = np.full(size, EMPTY, np.int64) if linked else None
    link_h2 = np.zeros(size, np.int32) if linked else None
    return _Arrays(
        records, records["h1"], records["h2"], records["state"], size - 1, link_h1, link_h2
    )


def fingerprint(public_id: str) -> Fingerprint:
    """Return the `(h1, h2)` a table keeps of `public_id`."""
    return hash(public_id), _h2(hash(public_id[1:]))


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


def _link_fingerprints(
    ids: list[str | None],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Return the fingerprints of linked ids (EMPTY where there is none)."""
    pairs = [(EMPTY, 0) if i is None else fingerprint(i) for i in ids]
    return (
        np.fromiter((h1 for h1, _ in pairs), np.int64, len(pairs)),
        np.fromiter((h2 for _, h2 in pairs), np.int32, len(pairs)),
    )


class PartnerTable:
    """Map partner public ids to small positive integers (states); see the module docstring."""

    def __init__(
        self,
        pairs: Iterable[tuple[str, int] | tuple[str, int, str | None]] = (),
        *,
        linked: bool = False,
    ) -> None:
        """Build the table from distinct `(public_id, state)` pairs, read in chunks (the ids are
        hashed and dropped chunk by chunk, so the strings never all exist at once). A linked
        table takes `(public_id, state, linked id or None)` triples."""
        self.linked = linked
        h1_parts, h2_parts, state_parts, link_parts = [], [], [], []
        pairs = iter(pairs)
        while chunk := list(islice(pairs, BUILD_CHUNK)):
            ids = [entry[0] for entry in chunk]
            h1, h2 = _fingerprints(ids)
            h1_parts.append(h1)
            h2_parts.append(h2)
            state_parts.append(np.fromiter((e[1] for e in chunk), STATE_DTYPE, len(chunk)))
            if linked:
                link_parts.append(_link_fingerprints([e[2] for e in chunk]))  # type: ignore[misc]
        count = sum(part.size for part in h1_parts)
        self._used = 0  # slots taken (a removed id keeps its slot, with state MISSING)
        self._arrays = _empty(_size_for(count), linked=linked)
        if count:
            links = None
            if linked:
                links = (
                    np.concatenate([h1 for h1, _ in link_parts]),
                    np.concatenate([h2 for _, h2 in link_parts]),
                )
            self._place(
                self._arrays,
                np.concatenate(h1_parts),
                np.concatenate(h2_parts),
                np.concatenate(state_parts),
                links,
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

    def linked_table(self) -> PartnerTable:
        """Return a new table from each linked id to the state of the id linking it."""
        arrays = self._arrays
        if arrays.link_h1 is None or arrays.link_h2 is None:
            raise ValueError("linked_table needs a linked table")
        keep = (arrays.h1 != EMPTY) & (arrays.states != MISSING) & (arrays.link_h1 != EMPTY)
        table = PartnerTable()
        count = int(np.count_nonzero(keep))
        table._arrays = _empty(_size_for(count))
        if count:
            table._place(
                table._arrays, arrays.link_h1[keep], arrays.link_h2[keep], arrays.states[keep]
            )
        return table

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
        return self.pop_fingerprint(fingerprint(public_id), default)

    def pop_fingerprint(self, key: Fingerprint, default: int | None = None) -> int | None:
        """Remove the id with fingerprints `key` (see `pop`); return its state."""
        arrays = self._arrays
        slot = self._find(arrays, *key)
        if slot < 0 or arrays.states[slot] == MISSING:
            return default
        state = int(arrays.states[slot])
        arrays.states[slot] = MISSING
        return state

    def link_of(self, public_id: str) -> Fingerprint | None:
        """Return the fingerprints of the id linked to `public_id` (a linked table), if any."""
        arrays = self._arrays
        slot = self._find(arrays, *fingerprint(public_id))
        if slot < 0 or arrays.link_h1 is None or arrays.states[slot] == MISSING:
            return None
        link_h1 = arrays.link_h1.item(slot)
        return None if link_h1 == EMPTY else (link_h1, arrays.link_h2.item(slot))  # type: ignore[union-attr]

    def put(self, public_id: str, state: int, link: str | None) -> None:
        """Set the state of `public_id` and the id it is linked to (a linked table)."""
        self[public_id] = state
        arrays = self._arrays
        slot = self._find(arrays, *fingerprint(public_id))
        if arrays.link_h1 is None or arrays.link_h2 is None or slot < 0:
            raise ValueError("put needs a linked table")
        link_h1, link_h2 = (EMPTY, 0) if link is None else fingerprint(link)
        arrays.link_h2[slot] = link_h2
        arrays.link_h1[slot] = link_h1

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
        size = _size_for(max(int(np.count_nonzero(keep)), self.size // 2) + 1)
        arrays = _empty(size, linked=self.linked)
        self._used = 0
        links = None
        if old.link_h1 is not None and old.link_h2 is not None:
            links = (old.link_h1[keep], old.link_h2[keep])
        self._place(arrays, old.h1[keep], old.h2[keep], old.states[keep], links)
        self._arrays = arrays
        return arrays

    def _place(
        self,
        arrays: _Arrays,
        h1: npt.NDArray[np.int64],
        h2: npt.NDArray[np.int32],
        states: npt.NDArray[np.int16],
        links: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]] | None = None,
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
            if links is not None and arrays.link_h1 is not None and arrays.link_h2 is not None:
                arrays.link_h1[where], arrays.link_h2[where] = links[0][placed], links[1][placed]
            done = np.zeros(h1.size, bool)
            done[placed] = True
            pending = pending[~done[pending]]
            slots[pending] = (slots[pending] + 1) & mask
        self._used += int(h1.size)
