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

Most lookups miss (an article shares no band with any earlier one), so a bitmap of the search
keys' hashes (16 to 32 bits per entry, rebuilt twice as large as the index grows) turns away
about 95% of the misses before any binary search of the runs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from typing import Generic, Literal, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "Bitmap",
    "LSHIndex",
    "collision_probability",
    "distinct",
    "expand",
    "fences",
    "group_end",
    "radix_order",
    "search",
]

K = TypeVar("K", bound=Hashable)
_T = TypeVar("_T", bound=np.generic)

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_BAND = np.uint64(0x9E3779B97F4A7C15)  # odd: key + band * _BAND is a bijection of the key
_BITS_PER_ENTRY = 16  # the bitmap filter's least size: at most ~6% of the misses get past
_FENCE = 32  # keys of a sorted run per fence (a power of two): see `search`
_RADIX_MIN = 4096  # fewer keys are sorted by `np.argsort` (as fast, in cache)
_LE_U64 = np.dtype("<u8")
_LE_U16 = np.dtype("<u2")


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


def distinct(x: npt.NDArray[_T], counts: bool = False) -> tuple[npt.NDArray[_T], I64]:
    """Sorted distinct values of `x` and, with `counts`, how often each occurs (else empty).

    A sort and a neighbour compare: several times faster than `np.unique`, whose hash table
    (NumPy 2.3+) costs a millisecond even on a thousand integers. Many 64-bit keys (pairs of
    numbers, most of their bits the same) are sorted digit by digit (`radix_order`).
    """
    x = x.ravel()
    if x.size >= _RADIX_MIN and x.dtype in (np.uint64, np.int64) and x.min() >= 0:
        x = np.take(x, radix_order(x.view(np.uint64)))  # `take`: faster than `[]` here
    else:
        x = np.sort(x)
    if x.size < 2:
        return x, np.ones(x.size, np.int64) if counts else np.zeros(0, np.int64)
    first = np.empty(x.size, bool)
    first[0] = True
    np.not_equal(x[1:], x[:-1], out=first[1:])
    if not counts:
        return x[first], np.zeros(0, np.int64)
    at = np.flatnonzero(first)
    return x[at], np.diff(at, append=x.size)


def radix_order(keys: U64) -> I64:
    """A stable `argsort` of uint64 keys: one stable sort of each 16-bit digit from the lowest
    (NumPy's stable sort of uint16 is a radix sort), up to the highest bit where the keys
    differ; about half the time of `np.argsort` on 64-bit keys for a batch's band keys. The
    digits are read in place (the keys as little-endian 16-bit words), not shifted out."""
    if keys.size < _RADIX_MIN:
        return np.argsort(keys, kind="stable")
    span = int(keys.max() ^ keys.min())
    digits = np.ascontiguousarray(keys, _LE_U64).view(_LE_U16).reshape(-1, 4)
    order = np.argsort(digits[:, 0], kind="stable")
    for d in range(1, (span.bit_length() + 15) // 16):
        order = np.take(order, np.argsort(np.take(digits[:, d], order), kind="stable"))
    return order


def fences(keys: U64) -> U64:
    """Every `_FENCE`-th key of a sorted array: what `search` reads first."""
    out: U64 = keys[::_FENCE].copy()
    return out


def search(keys: U64, fence: U64, q: U64, side: Literal["left", "right"] = "left") -> I64:
    """`np.searchsorted(keys, q, side)` for sorted `keys` with `fence = fences(keys)`.

    A binary search of a large run misses the cache at nearly every step, the more so as the
    run is read once a batch; here the small fence array gives each query its block of
    `_FENCE` keys, and a branch-free binary search of all blocks at once finishes the job
    (about a third faster on a run of half a million keys read cold).
    """
    n = keys.size
    if n <= _FENCE * _FENCE:
        return np.searchsorted(keys, q, side=side)
    block = np.searchsorted(fence, q, side=side)  # keys[(block - 1) * _FENCE] is before q
    at = (block - 1) * _FENCE
    step = _FENCE // 2
    while step:
        probe = at + step
        value = np.take(keys, probe, mode="clip")  # a probe past the end does not move
        ahead = (value <= q) if side == "right" else (value < q)
        ahead &= probe < n
        at += ahead * step
        step //= 2
    at += 1
    at[block == 0] = 0
    return at


def group_end(keys: U64, fence: U64, q: U64, lo: I64, shift: int = 0) -> I64:
    """Where the entries of each query end in sorted `keys` (`fence = fences(keys)`), given
    where they start (`keys[lo] >> shift == q` for every query): most queries have one entry,
    so only those whose next key is theirs too are searched (`search`, side "right", for the
    last key `q << shift` can have: all shift bits set)."""
    after = lo + 1
    nxt = np.take(keys, after, mode="clip") >> np.uint64(shift)
    more = np.flatnonzero((after < keys.size) & (nxt == q))
    if more.size:
        last = (q[more] << np.uint64(shift)) | np.uint64((1 << shift) - 1)
        after[more] = search(keys, fence, last, side="right")
    return after


def expand(lo: I64, hi: I64) -> tuple[I64, I64]:
    """All i in lo[r]..hi[r] for every r: (r of each, i of each), in order."""
    counts = hi - lo
    total = int(counts.sum())
    rows = np.repeat(np.arange(lo.size), counts)
    starts = np.cumsum(counts) - counts
    return rows, np.arange(total, dtype=np.int64) - np.repeat(starts - lo, counts)


class Bitmap:
    """A one-hash Bloom filter of 64-bit keys: `has` is false for every key never added."""

    __slots__ = ("bits", "log2")

    _GOLD = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, log2: int = 16) -> None:
        self.log2 = log2
        self.bits = np.zeros(1 << max(0, log2 - 3), np.uint8)

    def full(self, entries: int) -> bool:
        """Whether `entries` keys leave fewer than `_BITS_PER_ENTRY` bits each."""
        return entries * _BITS_PER_ENTRY > 1 << self.log2

    def larger(self, entries: int) -> Bitmap:
        """An empty bitmap with twice `_BITS_PER_ENTRY` bits for each of `entries` keys."""
        return Bitmap(max(self.log2, (2 * entries * _BITS_PER_ENTRY - 1).bit_length()))

    def _at(self, keys: U64) -> tuple[I64, npt.NDArray[np.uint8]]:
        with np.errstate(over="ignore"):
            h = (keys * self._GOLD) >> np.uint64(64 - self.log2)
        return (h >> np.uint64(3)).astype(np.int64), np.left_shift(1, h & np.uint64(7)).astype(
            np.uint8
        )

    def add(self, keys: U64) -> None:
        """Set the keys' bits: scattered, then again where a repeated byte kept another's."""
        byte, bit = self._at(keys)
        bits = self.bits
        while byte.size:
            bits[byte] |= bit
            miss = (bits[byte] & bit) == 0
            byte, bit = byte[miss], bit[miss]

    def has(self, keys: U64) -> npt.NDArray[np.bool_]:
        """Whether each key may have been added."""
        byte, bit = self._at(keys)
        out: npt.NDArray[np.bool_] = (self.bits[byte] & bit) != 0
        return out


class _Run:
    __slots__ = ("band", "fence", "key", "pos")

    def __init__(self, key: U64, band: npt.NDArray[np.uint8], pos: npt.NDArray[np.int32]):
        self.key, self.band, self.pos = key, band, pos
        self.fence = fences(key)


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
        self._bits = Bitmap()

    def __len__(self) -> int:
        return len(self._slot_of)

    @property
    def inserted(self) -> int:
        """How many keys were ever inserted, removed ones included: the position the next key
        takes (the positions `add_query` reports)."""
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def __iter__(self) -> Iterator[K]:
        return iter(self._slot_of)

    def _check(self, signatures: npt.NDArray[np.uint32]) -> None:
        if signatures.ndim != 2 or signatures.shape[1] != self.num_perm:
            raise ValueError(f"expected a signature of {self.num_perm} values")
        if signatures.dtype != np.uint32:  # other values would band differently, silently
            raise ValueError(f"signatures are uint32 MinHash values, not {signatures.dtype}")

    # -- adding ------------------------------------------------------------------------------

    def add(self, key: K, signature: npt.NDArray[np.uint32]) -> None:
        """Index a key under its signature's bands (a key already present is an error)."""
        self.add_many([key], np.asarray(signature)[None, :] if signature.ndim == 1 else signature)

    def add_many(self, keys: Sequence[K], signatures: npt.NDArray[np.uint32]) -> None:
        """Index several keys at once, in order: the same as `add` one after another."""
        self._insert(keys, self._search(keys, signatures))
        self._merge()

    def add_query(self, keys: Sequence[K], signatures: npt.NDArray[np.uint32]) -> tuple[I64, I64]:
        """Index several keys, in order, and return (row, insertion number) of every distinct
        candidate of each among the keys indexed before it (earlier calls, earlier rows),
        row-major: the same as `add_many` then `query_pairs` limited to each row's own
        insertion number, without searching the runs for the new keys' own entries."""
        skeys = self._search(keys, signatures)
        row, pos = self._lookup(skeys)  # earlier calls: before the new run exists
        first = len(self._keys)
        run = self._insert(keys, skeys)
        # earlier rows of this call: equal search keys of the same band in the new run, in
        # any order within a key; every member of a group against every other
        starts = np.flatnonzero(np.concatenate(([True], run.key[1:] != run.key[:-1])))
        size = np.diff(starts, append=run.key.size)
        group = np.flatnonzero(size > 1)
        if group.size:
            later = expand(starts[group], starts[group] + size[group])[1]
            at = np.repeat(group, size[group])
            which, earlier = expand(starts[at], starts[at] + size[at])
            later = later[which]
            same = (run.band[earlier] == run.band[later]) & (run.pos[earlier] < run.pos[later])
            row = np.concatenate([row, run.pos[later[same]].astype(np.int64) - first])
            pos = np.concatenate([pos, run.pos[earlier[same]].astype(np.int64)])
        self._merge()
        return self._distinct_alive(row, pos)

    def _search(self, keys: Sequence[K], signatures: npt.NDArray[np.uint32]) -> U64:
        """The search keys of new keys' signatures, row by row, after checking both."""
        self._check(signatures)
        if len(keys) != signatures.shape[0]:
            raise ValueError("one signature per key")
        seen = set(keys)
        if len(seen) < len(keys) or not self._slot_of.keys().isdisjoint(seen):
            repeated = set()
            for key in keys:
                if key in self._slot_of or key in repeated:
                    raise KeyError(f"key already indexed: {key!r}")
                repeated.add(key)
        return _search_keys(band_keys(signatures, self.bands, self.rows)).ravel()

    def _insert(self, keys: Sequence[K], skeys: U64) -> _Run:
        """Index checked keys under their search keys: a new sorted run, merged unless the
        caller merges later (`add_query` reads the new run first)."""
        first = len(self._keys)
        n = len(keys)
        self._slot_of.update(zip(keys, range(first, first + n), strict=True))
        self._keys.extend(keys)
        if first + n > self._alive.size:
            grown = np.zeros(max(2 * self._alive.size, first + n), bool)
            grown[:first] = self._alive[:first]
            self._alive = grown
        self._alive[first : first + n] = True
        order = radix_order(skeys)
        pos = np.repeat(np.arange(first, first + n, dtype=np.int32), self.bands)
        band = np.tile(np.arange(self.bands, dtype=np.uint8), n)
        run = _Run(skeys[order], band[order], pos[order])
        if self._bits.full((first + n) * self.bands):
            self._bits = self._bits.larger((first + n) * self.bands)
            for old in self._runs:
                self._bits.add(old.key)
        self._bits.add(skeys)
        if n:
            self._runs.append(run)
        return run

    def _merge(self) -> None:
        """Merge the last run with the one before while that one is not much larger."""
        while len(self._runs) > 1 and self._runs[-2].key.size <= 2 * self._runs[-1].key.size:
            b = self._runs.pop()
            a = self._runs.pop()
            merged = np.concatenate([a.key, b.key])
            order = np.argsort(merged, kind="stable")  # two sorted runs: a linear merge
            # gathered by `take`, which is faster than indexing with `[]` for large arrays
            self._runs.append(
                _Run(np.take(merged, order), np.take(np.concatenate([a.band, b.band]), order),
                     np.take(np.concatenate([a.pos, b.pos]), order))
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
        row, pos = self._lookup(qkeys)
        if limits is not None:
            before = pos < limits[row]
            row, pos = row[before], pos[before]
        return self._distinct_alive(row, pos)

    def _lookup(self, qkeys: U64) -> tuple[I64, I64]:
        """(row, insertion number) of every entry matching a search key (row by row, `bands`
        keys a row), with repeats."""
        maybe = np.flatnonzero(self._bits.has(qkeys))
        order = maybe[np.argsort(qkeys[maybe])]  # sorted queries search faster
        qkeys = qkeys[order]
        qrow = order // self.bands
        qband = (order % self.bands).astype(np.uint8)
        found_row: list[I64] = [np.zeros(0, np.int64)]
        found_pos: list[I64] = [np.zeros(0, np.int64)]
        for run in self._runs:
            # one search finds where a key would be, and only the keys that are there are
            # searched again for the end of their entries
            lo = search(run.key, run.fence, qkeys)
            hit = np.flatnonzero(run.key[np.minimum(lo, run.key.size - 1)] == qkeys)
            if not hit.size:
                continue
            hi = group_end(run.key, run.fence, qkeys[hit], lo[hit])
            which, at = expand(lo[hit], hi)
            q = hit[which]
            keep = run.band[at] == qband[q]
            found_row.append(qrow[q[keep]])
            found_pos.append(run.pos[at[keep]].astype(np.int64))
        return np.concatenate(found_row), np.concatenate(found_pos)

    def _distinct_alive(self, row: I64, pos: I64) -> tuple[I64, I64]:
        """Distinct (row, insertion number) pairs, sorted, of keys not removed."""
        if not row.size:
            return row, pos
        pair, _ = distinct((row << 32) | pos)
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
