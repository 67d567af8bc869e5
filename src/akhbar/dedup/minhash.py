"""MinHash signatures of word shingles, vectorised with NumPy and identical on every machine.

Text is split into words exactly as `akhbar.text.tokenize` splits it (runs of letters and
digits), on the *normalised* text, so `فى`/`في` and `«»`/`""` spellings do not break a shingle.
No stemming or stopword removal: on the dev split neither moved copy-level F1 (templates and
rewrites differ in whole phrases, not in affixes), and every extra rule is a way to differ.

Hashing is fixed and platform-independent: each word is a polynomial hash of its code points in
wrapping uint64 arithmetic, mixed with the SplitMix64 finaliser; a shingle chains its words'
hashes through the same mixer. Each of the `num_perm` permutations is a multiply-add-shift
hash `((a * x + b) mod 2**64) >> 32` of the shingle's low 32 bits (a strongly universal family
for 32-bit keys; wrap-around is the intended modulus, so no overflow care is needed), with `a`,
`b` drawn from `np.random.default_rng(seed)`. Signatures are uint32.

Byte format (`to_bytes`/`from_bytes`): the signature's uint32 values, little-endian, in
permutation order, nothing else: `num_perm * 4` bytes, fit for a SQLite BLOB.

A sketch also keeps its text's *lead*: the first `lead_size` distinct shingles in text order.
News is trimmed from the bottom, so a trimmed copy keeps the lead of the full text, while a
release that merely sits inside a longer round-up or combined release does not; copy detection
uses the lead to tell the two apart, and to find containment candidates that banding misses.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["EMPTY", "MinHasher", "Sketch", "from_bytes", "jaccard", "to_bytes"]

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

EMPTY = np.uint32(0xFFFFFFFF)  # every value of the signature of a text without words

_POLY = np.uint64(0x100000001B3)  # FNV-64 prime: the polynomial base for code points
_CHAIN = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio odd constant that chains shingle words
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_LE_U32 = np.dtype("<u4")
_NO_LEAD = np.zeros(0, np.uint32)
_NO_LEAD.flags.writeable = False
_CHUNK = 4096  # shingles per block of the (num_perm x shingles) product: ~4 MB, cache-sized


@functools.lru_cache(maxsize=1)
def _word_lut() -> npt.NDArray[np.bool_]:
    """Code point -> is a word character (`str.isalnum`, i.e. the tokenizer's `[^\\W_]`)."""
    return np.fromiter(
        (chr(cp).isalnum() for cp in range(sys.maxunicode + 1)), bool, sys.maxunicode + 1
    )


def _mix(x: U64) -> U64:
    """SplitMix64 finaliser: spreads every input bit over the output (in place on a copy)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _M1
        x ^= x >> np.uint64(27)
        x *= _M2
        x ^= x >> np.uint64(31)
    return x


def to_bytes(signature: U32) -> bytes:
    """The signature as little-endian uint32 bytes, so it can be stored and read anywhere."""
    return np.asarray(signature, dtype=_LE_U32).tobytes()


def from_bytes(data: bytes) -> U32:
    """A signature back from `to_bytes` output (native byte order, uint32)."""
    if len(data) % 4:
        raise ValueError(f"signature bytes must be a multiple of 4 long, got {len(data)}")
    return np.frombuffer(data, dtype=_LE_U32).astype(np.uint32)


@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """What copy detection keeps of an article: signature, sorted shingle hashes and lead.

    `shingles` (unique, sorted, the low 32 bits of each shingle hash) gives exact containment,
    which a signature alone estimates too loosely for a short piece inside a long article.
    """

    signature: U32
    shingles: U32
    lead: U32 = field(
        default_factory=lambda: _NO_LEAD
    )  # first distinct shingles in text order (empty: unknown)

    @property
    def size(self) -> int:
        """Number of distinct shingles."""
        return int(self.shingles.size)

    def to_bytes(self) -> bytes:
        """A head, signature, lead, then shingles; all little-endian uint32.

        The head is the signature length plus the lead length times 65536, so bytes written
        before sketches had a lead (head = signature length) still read back, lead-less.
        """
        if self.signature.size >= 1 << 16 or self.lead.size >= 1 << 16:
            raise ValueError("signature and lead must be shorter than 65536 values")
        head = np.array([self.signature.size | self.lead.size << 16], dtype=_LE_U32).tobytes()
        return head + to_bytes(self.signature) + to_bytes(self.lead) + to_bytes(self.shingles)

    @classmethod
    def from_bytes(cls, data: bytes) -> Sketch:
        """A sketch back from `Sketch.to_bytes` output."""
        values = from_bytes(data)
        n = int(values[0]) & 0xFFFF if values.size else 0
        m = int(values[0]) >> 16 if values.size else 0
        if values.size == 0 or values.size < 1 + n + m:
            raise ValueError("truncated sketch bytes")
        lead = values[1 + n : 1 + n + m].copy() if m else _NO_LEAD
        return cls(values[1 : 1 + n].copy(), values[1 + n + m :].copy(), lead)


class MinHasher:
    """Word-shingle MinHash with fixed permutations: same text, same signature, everywhere."""

    def __init__(
        self, num_perm: int = 128, shingle_size: int = 3, seed: int = 1, lead_size: int = 8
    ) -> None:
        if num_perm < 1 or shingle_size < 1 or lead_size < 0:
            raise ValueError("num_perm and shingle_size must be at least 1, lead_size >= 0")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self.lead_size = lead_size
        rng = np.random.default_rng(seed)
        a = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64, endpoint=False)
        self._a: U64 = (a | np.uint64(1)).reshape(-1, 1)  # odd multipliers
        self._b: U64 = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64).reshape(-1, 1)

    def __repr__(self) -> str:
        return (
            f"MinHasher(num_perm={self.num_perm}, shingle_size={self.shingle_size}, "
            f"seed={self.seed}, lead_size={self.lead_size})"
        )

    # -- shingles ----------------------------------------------------------------------------

    def _word_hashes(self, texts: Sequence[str]) -> tuple[U64, npt.NDArray[np.int64]]:
        """Hash of every word of every text, and the number of words per text.

        All texts are joined with a space and processed as one code-point array, so the cost
        per text is a few array operations rather than a Python loop over its words.
        """
        joined = " ".join(texts)
        cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
        is_word = _word_lut()[cps]
        # which text each character belongs to: the separators sit at cumulative lengths
        bounds = np.cumsum([len(t) + 1 for t in texts], dtype=np.int64)
        where = np.flatnonzero(is_word)
        if where.size == 0:
            return np.zeros(0, np.uint64), np.zeros(len(texts), np.int64)
        new_word = np.ones(where.size, bool)
        new_word[1:] = where[1:] != where[:-1] + 1
        starts = np.flatnonzero(new_word)
        index = np.arange(where.size)
        pos = index - np.maximum.accumulate(np.where(new_word, index, 0))  # place in its word
        powers = np.ones(int(pos.max()) + 1, np.uint64)
        with np.errstate(over="ignore"):
            powers[1:] = _POLY
            powers = np.cumprod(powers, dtype=np.uint64)
            terms = (cps[where].astype(np.uint64) + np.uint64(1)) * powers[pos]
        words = _mix(np.add.reduceat(terms, starts, dtype=np.uint64))
        owner = np.searchsorted(bounds, where[starts], side="right")
        counts = np.bincount(owner, minlength=len(texts)).astype(np.int64)
        return words, counts

    def _shingle_hashes(self, words: U64, counts: npt.NDArray[np.int64]) -> tuple[U64, U64]:
        """Shingle hashes of all texts (text by text) and how many each text has."""
        k = self.shingle_size
        n = words.size
        ends = np.cumsum(counts)
        starts = ends - counts
        # shingle j covers words j .. j+k-1; valid when they all lie in j's text
        owner_end = np.repeat(ends, counts)
        width = np.minimum(owner_end - np.arange(n), k)
        full = width == k
        # a text shorter than k words gets one shingle of all its words
        short_first = starts[(counts > 0) & (counts < k)]
        keep = full.copy()
        keep[short_first] = True
        with np.errstate(over="ignore"):
            h = words.copy()
            for i in range(1, k):
                nxt = np.zeros(n, np.uint64)
                nxt[: n - i] = words[i:]
                extend = width > i
                h = np.where(extend, _mix(h * _CHAIN + nxt), h)
        per_text = np.bincount(
            np.repeat(np.arange(counts.size), counts)[keep], minlength=counts.size
        )
        return h[keep], per_text.astype(np.uint64)

    # -- public ------------------------------------------------------------------------------

    def shingles(self, text: str) -> U32:
        """Distinct shingle hashes of a text (low 32 bits), sorted."""
        return self.sketches([text])[0].shingles

    def signature(self, text: str) -> U32:
        """The MinHash signature of a text: `num_perm` uint32 values (all EMPTY when wordless)."""
        return self.sketches([text])[0].signature

    def signatures(self, texts: Sequence[str]) -> U32:
        """Signatures of many texts at once, one row each: the fast path for a batch."""
        if not texts:
            return np.zeros((0, self.num_perm), np.uint32)
        return np.stack([s.signature for s in self.sketches(texts)])

    def sketches(self, texts: Sequence[str]) -> list[Sketch]:
        """Signature and distinct shingles of every text, computed together in blocks."""
        if not texts:
            return []
        words, counts = self._word_hashes(texts)
        hashes, per_text = self._shingle_hashes(words, counts)
        x32 = hashes & np.uint64(0xFFFFFFFF)
        offsets = np.concatenate(([0], np.cumsum(per_text.astype(np.int64))))
        sigs = self._min_hash(x32, offsets)
        # distinct shingles of every text with one sort of (text number, hash) keys
        owner = np.repeat(np.arange(len(texts), dtype=np.uint64), per_text.astype(np.int64))
        keys = (owner << np.uint64(32)) | x32
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        first = np.ones(keys.size, bool)
        first[1:] = keys[1:] != keys[:-1]
        # the lead: first occurrences in text order (positions are text by text), first L
        starts = np.sort(order[first])
        text_of = owner[starts].astype(np.int64)
        keys = keys[first]
        values = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        counts = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=len(texts))
        bounds = np.concatenate(([0], np.cumsum(counts)))
        rank = np.arange(starts.size) - bounds[text_of]
        in_lead = rank < self.lead_size
        lead = x32[starts[in_lead]].astype(np.uint32)
        lead_bounds = np.concatenate(([0], np.cumsum(np.minimum(counts, self.lead_size))))
        b, lb = bounds.tolist(), lead_bounds.tolist()
        return [
            Sketch(sigs[i], values[b[i] : b[i + 1]], lead[lb[i] : lb[i + 1]])
            for i in range(len(texts))
        ]

    def _min_hash(self, x32: U64, offsets: npt.NDArray[np.int64]) -> U32:
        """Row i: min over text i's shingles of every permutation, in cache-sized blocks.

        The (num_perm x block) product lives in one reused buffer, updated in place: the
        arithmetic is memory-bound, and a block that fits in cache is several times faster
        than one product over a whole batch. The min is taken on the full 64-bit value and
        shifted after, which equals the min of the shifted values and saves a pass.
        """
        n_texts = offsets.size - 1
        sigs = np.full((n_texts, self.num_perm), EMPTY, np.uint32)
        buf = np.empty((self.num_perm, _CHUNK), np.uint64)
        lo = 0
        while lo < n_texts:
            # as many whole texts as fit in one block (at least one, which may be larger)
            hi = max(int(np.searchsorted(offsets, offsets[lo] + _CHUNK, side="right")) - 1, lo + 1)
            seg = x32[offsets[lo] : offsets[hi]]
            if seg.size:
                out = (
                    buf[:, : seg.size]
                    if seg.size <= _CHUNK
                    else np.empty((self.num_perm, seg.size), np.uint64)
                )
                np.multiply(self._a, seg, out=out)
                np.add(out, self._b, out=out)
                local = offsets[lo:hi] - offsets[lo]
                nonempty = offsets[lo + 1 : hi + 1] > offsets[lo:hi]
                mins = np.minimum.reduceat(out, local[nonempty], axis=1)
                sigs[lo:hi][nonempty] = (mins >> np.uint64(32)).T.astype(np.uint32)
            lo = hi
        return sigs


def jaccard(a: U32, b: U32) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal positions."""
    if a.shape != b.shape:
        raise ValueError(f"signatures differ in length: {a.shape} vs {b.shape}")
    return float(np.count_nonzero(a == b)) / a.size if a.size else 0.0
