"""Banded LSH over MinHash signatures: candidate pairs without comparing every pair.

A signature is cut into `bands` bands of `rows` values; two signatures are candidates when
they agree on a whole band, which happens with probability `1 - (1 - J**rows)**bands` for
Jaccard similarity J. Each band becomes one 64-bit key (the band's values packed when they fit
in 64 bits, else mixed down to 64 bits).

Storage is NumPy, not Python objects: every (band, key, insertion number) entry lives in a few
sorted runs of three parallel arrays (a 64-bit search key, the band, the insertion number;
13 bytes an entry), searched with `np.searchsorted`. The search key is the band key plus the
band times an odd constant, a bijection of the key for a given band, so equal search key and
band mean equal band key: lookups are exact. New entries arrive as a small sorted run, merged
with the run before it while that one is not much larger (a binary counter: O(log n) runs,
each entry merged O(log n) times). Removed keys are tombstoned, not erased.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["LSHIndex", "collision_probability"]

K = TypeVar("K", bound=Hashable)

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_BAND = np.uint64(0x9E3779B97F4A7C15)  # odd: key + band * _BAND is a bijection of the key


def collision_probability(jaccard: float, bands: int, rows: int) -> float:
    """Probability that two signatures with this Jaccard similarity become candidates."""
    return 1.0 - (1.0 - jaccard**rows) ** bands


def band_keys(signatures: npt.NDArray[np.uint32], bands: int, rows: int) -> U64:
    """One 64-bit key per band, row by row: the packed values for rows <= 2, else mixed."""
    sigs = np.asarray(signatures, dtype=np.uint32)
    n = sigs.shape[0]
    block = sigs[:, : bands * rows].reshape(n, bands, rows)
    if rows == 1:
        return block[:, :, 0].astype(np.uint64)
    if rows == 2:
        return (block[:, :, 0].astype(np.uint64) << np.uint64(32)) | block[:, :, 1]
    h = np.zeros((n, bands), np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = (h ^ block[:, :, r].astype(np.uint64)) * _M1
            h ^= h >> np.uint64(29)
        h *= _M2
        h ^= h >> np.uint64(32)
    return h


def _search_keys(keys: U64) -> U64:
    """Band keys (n, bands) -> search keys: key + band * odd constant (wrapping)."""
    with np.errstate(over="ignore"):
        offs = np.arange(keys.shape[1], dtype=np.uint64) * _BAND
        return keys + offs


def expand(lo: I64, hi: I64) -> tuple[I64, I64]:
    """All i in lo[r]..hi[r] for every r: (r of each, i of each), in order."""
    counts = hi - lo
    total = int(counts.sum())
    rows = np.repeat(np.arange(lo.size), counts)
    starts = np.cumsum(counts) - counts
    return rows, np.arange(total, dtype=np.int64) - np.repeat(starts - lo, counts)


class _Run:
    __slots__ = ("band", "key", "pos")

    def __init__(self, key: U64, band: npt.NDArray[np.uint8], pos: npt.NDArray[np.int32]):
        self.key, self.band, self.pos = key, band, pos


class LSHIndex(Generic[K]):
    """Keys by band of their signature; `query` returns keys sharing at least one band."""

    def __init__(self, num_perm: int = 128, bands: int = 32, rows: int = 2) -> None:
        if bands < 1 or rows < 1 or bands * rows > num_perm:
            raise ValueError(f"bands * rows must be between 1 and num_perm ({num_perm})")
        if bands > 255:
            raise ValueError("at most 255 bands")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        self._runs: list[_Run] = []
        self._slot_of: dict[K, int] = {}
        self._keys: list[K | None] = []
        self._alive: npt.NDArray[np.bool_] = np.zeros(64, bool)
        self._removed = 0

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def __iter__(self) -> Iterator[K]:
        return iter(self._slot_of)

    def _check(self, signatures: npt.NDArray[np.uint32]) -> None:
        if signatures.ndim != 2 or signatures.shape[1] != self.num_perm:
            raise ValueError(f"expected a signature of {self.num_perm} values")

    # -- adding ------------------------------------------------------------------------------

    def add(self, key: K, signature: npt.NDArray[np.uint32]) -> None:
        """Index a key under its signature's bands (a key already present is an error)."""
        self.add_many([key], np.asarray(signature)[None, :] if signature.ndim == 1 else signature)

    def add_many(self, keys: Sequence[K], signatures: npt.NDArray[np.uint32]) -> None:
        """Index several keys at once, in order: the same as `add` one after another."""
        self._check(signatures)
        if len(keys) != signatures.shape[0]:
            raise ValueError("one signature per key")
        seen: set[K] = set()
        for key in keys:
            if key in self._slot_of or key in seen:
                raise KeyError(f"key already indexed: {key!r}")
            seen.add(key)
        first = len(self._keys)
        n = len(keys)
        if not n:
            return
        for i, key in enumerate(keys):
            self._slot_of[key] = first + i
        self._keys.extend(keys)
        if first + n > self._alive.size:
            grown = np.zeros(max(2 * self._alive.size, first + n), bool)
            grown[:first] = self._alive[:first]
            self._alive = grown
        self._alive[first : first + n] = True
        skeys = _search_keys(band_keys(signatures, self.bands, self.rows)).ravel()
        order = np.argsort(skeys, kind="stable")  # entries by position, then band: stable
        pos = np.repeat(np.arange(first, first + n, dtype=np.int32), self.bands)
        band = np.tile(np.arange(self.bands, dtype=np.uint8), n)
        self._runs.append(_Run(skeys[order], band[order], pos[order]))
        while len(self._runs) > 1 and self._runs[-2].key.size <= 2 * self._runs[-1].key.size:
            b = self._runs.pop()
            a = self._runs.pop()
            merged = np.concatenate([a.key, b.key])
            order = np.argsort(merged, kind="stable")  # two sorted runs: a linear merge
            self._runs.append(
                _Run(merged[order], np.concatenate([a.band, b.band])[order],
                     np.concatenate([a.pos, b.pos])[order])
            )  # fmt: skip

    # -- querying ----------------------------------------------------------------------------

    def query_pairs(
        self, signatures: npt.NDArray[np.uint32], limits: I64 | None = None
    ) -> tuple[I64, I64]:
        """(row, insertion number) of every distinct candidate of every signature, row-major.

        With `limits`, row r only gets entries inserted before `limits[r]`: a batch indexed
        first can then be queried as if each of its signatures had come one at a time.
        """
        self._check(signatures)
        qkeys = _search_keys(band_keys(signatures, self.bands, self.rows)).ravel()
        order = np.argsort(qkeys)  # sorted queries search faster (each narrows the next)
        qkeys = qkeys[order]
        qrow = order // self.bands
        qband = (order % self.bands).astype(np.uint8)
        found_row: list[I64] = []
        found_pos: list[I64] = []
        for run in self._runs:
            # most queries miss: one search finds where a key would be, and only the keys
            # that are there are searched again for the end of their entries
            lo = np.searchsorted(run.key, qkeys, side="left")
            hit = np.flatnonzero(run.key[np.minimum(lo, run.key.size - 1)] == qkeys)
            if not hit.size:
                continue
            hi = np.searchsorted(run.key, qkeys[hit], side="right")
            which, at = expand(lo[hit], hi)
            q = hit[which]
            keep = run.band[at] == qband[q]
            row, pos = qrow[q[keep]], run.pos[at[keep]].astype(np.int64)
            if limits is not None:
                before = pos < limits[row]
                row, pos = row[before], pos[before]
            found_row.append(row)
            found_pos.append(pos)
        if not found_row:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        pair = np.unique((np.concatenate(found_row) << 32) | np.concatenate(found_pos))
        row, pos = pair >> 32, pair & 0xFFFFFFFF
        if self._removed:
            alive = self._alive[pos]
            row, pos = row[alive], pos[alive]
        return row, pos

    def query_slots(self, signature: npt.NDArray[np.uint32]) -> set[int]:
        """Insertion numbers (0, 1, ...) of the candidates: cheaper than keys for callers."""
        sig = np.asarray(signature)
        if sig.ndim != 1:
            raise ValueError(f"expected a signature of {self.num_perm} values")
        _, pos = self.query_pairs(sig[None, :])
        return set(pos.tolist())

    def query(self, signature: npt.NDArray[np.uint32]) -> set[K]:
        """Keys that share at least one band with the signature."""
        out: set[K] = set()
        for slot in self.query_slots(signature):
            key = self._keys[slot]
            if key is not None:
                out.add(key)
        return out

    def remove(self, key: K) -> None:
        """Forget a key (KeyError when it is not indexed)."""
        slot = self._slot_of.pop(key)
        self._keys[slot] = None
        self._alive[slot] = False
        self._removed += 1
