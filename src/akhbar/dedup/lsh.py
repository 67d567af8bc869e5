"""Banded LSH over MinHash signatures: candidate pairs without comparing every pair.

A signature is cut into `bands` bands of `rows` values; two signatures are candidates when
they agree on a whole band, which happens with probability `1 - (1 - J**rows)**bands` for
Jaccard similarity J. Each band becomes one Python int (the band's values packed when they fit
in 64 bits, else mixed down to 64 bits), and a bucket holds a bare int slot until a second
key arrives: no tuples of NumPy scalars, no per-bucket sets for the common single-key bucket.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["LSHIndex", "collision_probability"]

K = TypeVar("K", bound=Hashable)

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def collision_probability(jaccard: float, bands: int, rows: int) -> float:
    """Probability that two signatures with this Jaccard similarity become candidates."""
    return 1.0 - (1.0 - jaccard**rows) ** bands


def _band_keys(signature: npt.NDArray[np.uint32], bands: int, rows: int) -> list[int]:
    """One int per band: the packed values for rows <= 2, else a mixed 64-bit hash."""
    block = np.ascontiguousarray(signature[: bands * rows], dtype=np.uint32).reshape(bands, rows)
    if rows == 1:
        return block[:, 0].tolist()  # type: ignore[no-any-return]
    if rows == 2:
        packed = (block[:, 0].astype(np.uint64) << np.uint64(32)) | block[:, 1]
        return packed.tolist()  # type: ignore[no-any-return]
    h = np.zeros(bands, np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = (h ^ block[:, r].astype(np.uint64)) * _M1
            h ^= h >> np.uint64(29)
        h *= _M2
        h ^= h >> np.uint64(32)
    return h.tolist()


class LSHIndex(Generic[K]):
    """Keys by band of their signature; `query` returns keys sharing at least one band."""

    def __init__(self, num_perm: int = 128, bands: int = 32, rows: int = 2) -> None:
        if bands < 1 or rows < 1 or bands * rows > num_perm:
            raise ValueError(f"bands * rows must be between 1 and num_perm ({num_perm})")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        self._tables: list[dict[int, int | list[int]]] = [{} for _ in range(bands)]
        self._slot_of: dict[K, int] = {}
        self._keys: list[K | None] = []
        # band keys per slot, to remove a key by name: one growable uint64 array, not lists
        self._bands_of: npt.NDArray[np.uint64] = np.zeros((16, bands), np.uint64)

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def __iter__(self) -> Iterator[K]:
        return iter(self._slot_of)

    def _check(self, signature: npt.NDArray[np.uint32]) -> None:
        if signature.ndim != 1 or signature.size != self.num_perm:
            raise ValueError(f"expected a signature of {self.num_perm} values")

    def add(self, key: K, signature: npt.NDArray[np.uint32]) -> None:
        """Index a key under its signature's bands (a key already present is an error)."""
        self._check(signature)
        if key in self._slot_of:
            raise KeyError(f"key already indexed: {key!r}")
        slot = len(self._keys)
        bkeys = _band_keys(signature, self.bands, self.rows)
        for table, bk in zip(self._tables, bkeys, strict=True):
            held = table.get(bk)
            if held is None:
                table[bk] = slot
            elif isinstance(held, int):
                table[bk] = [held, slot]
            else:
                held.append(slot)
        self._slot_of[key] = slot
        self._keys.append(key)
        if slot == self._bands_of.shape[0]:
            grown = np.zeros((2 * slot, self.bands), np.uint64)
            grown[:slot] = self._bands_of
            self._bands_of = grown
        self._bands_of[slot] = bkeys

    def query_slots(self, signature: npt.NDArray[np.uint32]) -> set[int]:
        """Insertion numbers (0, 1, ...) of the candidates: cheaper than keys for callers."""
        self._check(signature)
        found: set[int] = set()
        for table, bk in zip(
            self._tables, _band_keys(signature, self.bands, self.rows), strict=True
        ):
            held = table.get(bk)
            if held is None:
                continue
            if isinstance(held, int):
                found.add(held)
            else:
                found.update(held)
        return found

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
        for table, bk in zip(self._tables, self._bands_of[slot].tolist(), strict=True):
            held = table[bk]
            if isinstance(held, int):
                del table[bk]
            else:
                held.remove(slot)
                if len(held) == 1:
                    table[bk] = held[0]
        self._keys[slot] = None
