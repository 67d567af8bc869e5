"""MinHash signatures of word shingles by one-permutation hashing, identical on every machine.

Text is split into words at every character that is not a letter or a digit (so `56.65` and
`10,000` are two words each, where `akhbar.text.tokenize` keeps them whole): callers pass the
*normalised* text (`CopyDetector.add` takes it), so `فى`/`في` and `«»`/`""` spellings do not
break a shingle; the hasher itself folds nothing.
No stemming or stopword removal: on the dev split neither moved copy-level F1 (templates and
rewrites differ in whole phrases, not in affixes), and every extra rule is a way to differ.

Hashing is fixed and platform-independent: each word is a polynomial hash of its code points in
wrapping uint64 arithmetic, mixed with the SplitMix64 finaliser; a shingle chains its words'
hashes through the same mixer, and keeps the low 32 bits. The polynomial is evaluated for a
whole batch at once: term i is `(cp + 1) * P**i` over the batch's characters, and a word's sum
is scaled back by the inverse power of its first character (the base is odd, so invertible
modulo 2**64), which gives the same values as restarting the powers at every word.

Signatures (scheme 1) use one-permutation hashing with optimal densification (Li, Owen and
Zhang 2012; Shrivastava 2017): the shingle hash itself is the permutation; value v falls into
bin `(v * num_perm) >> 32` and each bin keeps its smallest value, so a text costs one sort of
its distinct shingles (needed anyway) instead of `num_perm` hashes per shingle. An empty bin
(a text with fewer shingles than bins) takes the value of the first non-empty bin along a
fixed pseudo-random probe sequence of bins (drawn from `np.random.default_rng(seed)`), the
same sequence for every text, so two texts still agree in a bin with probability equal to
their Jaccard similarity. A value keeps its bin in its top bits, so values copied from
different bins never agree. A text with few filled bins (a short one) would need many probes
per empty bin; it reads instead where each of its filled bins first appears in each probe
sequence (a table built once), which names the same bin. Scheme 0 (128 multiply-add
permutations, before) is not produced any more; a stored scheme-0 sketch keeps its exact
shingles, from which `resketch` derives the scheme-1 signature: old and new signatures are
never compared with each other.

Byte format (`to_bytes`/`from_bytes`): the signature's uint32 values, little-endian, in bin
order, nothing else: `num_perm * 4` bytes, fit for a SQLite BLOB. `Sketch.to_bytes` adds a
head with the lengths and the scheme (see there).

A sketch also keeps its text's *lead*: the first `lead_size` distinct shingles in text order.
News is trimmed from the bottom, so a trimmed copy keeps the lead of the full text, while a
release that merely sits inside a longer round-up or combined release does not; copy detection
uses the lead to tell the two apart, and to find containment candidates that banding misses.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from akhbar.dedup.lsh import expand

__all__ = [
    "EMPTY",
    "SCHEME",
    "MinHasher",
    "Sketch",
    "SketchBatch",
    "from_bytes",
    "jaccard",
    "to_bytes",
]

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

EMPTY = np.uint32(0xFFFFFFFF)  # every value of the signature of a text without words
SCHEME = 1  # signature scheme written now: one-permutation hashing, optimal densification

_POLY = np.uint64(0x100000001B3)  # FNV-64 prime: the polynomial base for code points
_POLY_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))  # its inverse modulo 2**64
_CHAIN = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio odd constant that chains shingle words
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_LOW = np.uint64(0xFFFFFFFF)
_U32 = np.uint64(32)
_LE_U32 = np.dtype("<u4")
_LE_U16 = np.dtype("<u2")
_NO_LEAD = np.zeros(0, np.uint32)
_NO_LEAD.flags.writeable = False
_CHARS = 1 << 19  # characters hashed at once (whole texts): 4 MB arrays, reused from the heap
_PROBES = 1024  # densification probes per empty bin before the cyclic fallback
# a text with at most this many filled bins is densified from `_first_probes` (cost: its empty
# bins times its filled ones), not by probing (cost: probes until a hit, ~num_perm / filled)
_FEW_FILLED = 16
_FIRST_PROBES_MAX = 256  # num_perm up to which `_first_probes` (num_perm**2 values) is kept
_LEAD_WINDOW = 2  # a lead is looked for among a text's first lead_size * this shingles
_ONE = np.uint64(1)


@functools.lru_cache(maxsize=1)
def _word_lut() -> npt.NDArray[np.bool_]:
    """Code point -> is a word character (`str.isalnum`, i.e. the tokenizer's `[^\\W_]`)."""
    return np.fromiter(
        (chr(cp).isalnum() for cp in range(sys.maxunicode + 1)), bool, sys.maxunicode + 1
    )


@functools.lru_cache(maxsize=1)
def _code_lut() -> U32:
    """Code point -> code point + 1 for a word character, 0 for any other: one lookup gives
    both what is a word and what its polynomial adds."""
    codes = np.arange(1, sys.maxunicode + 2, dtype=np.uint32)
    codes[~_word_lut()] = 0
    return codes


@functools.lru_cache(maxsize=1)
def _code_lut_bmp() -> U64:
    """`_code_lut` of the Basic Multilingual Plane, as uint64 (what the polynomial sums):
    small enough to stay in cache, and gathered straight into the sums' array."""
    codes = _code_lut()[: 1 << 16].astype(np.uint64)
    codes.flags.writeable = False
    return codes


@functools.lru_cache(maxsize=1)
def _powers(size: int) -> tuple[U64, U64]:
    """P**i and P**-i for i < size (wrapping uint64), read-only: 8 MB for a block of
    `_CHARS`, built once per process like the code tables, not once per hasher."""
    with np.errstate(over="ignore"):
        powers = np.full(size, _POLY, np.uint64)
        powers[0] = 1
        np.cumprod(powers, dtype=np.uint64, out=powers)
        inverse = np.full(size, _POLY_INV, np.uint64)
        inverse[0] = 1
        np.cumprod(inverse, dtype=np.uint64, out=inverse)
    powers.flags.writeable = False
    inverse.flags.writeable = False
    return powers, inverse


@functools.lru_cache(maxsize=4)
def _probe_tables(num_perm: int, seed: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int16]]:
    """The densification probes (row b: the bins an empty bin b looks at, in order) and, for
    num_perm up to `_FIRST_PROBES_MAX`, where bin c first appears in row b (`_PROBES` if
    never): read-only, built once per process for each (num_perm, seed)."""
    rng = np.random.default_rng(seed)
    probes = rng.integers(0, num_perm, size=(num_perm, _PROBES), dtype=np.int32)
    probes.flags.writeable = False
    if num_perm > _FIRST_PROBES_MAX:
        return probes, np.zeros((0, 0), np.int16)
    # (row, bin) cells in probe order; a stable sort puts each cell's first probe first
    cell = probes + (np.arange(num_perm, dtype=np.int32) * num_perm)[:, None]
    order = np.argsort(cell.ravel(), kind="stable")
    ordered = cell.ravel()[order]
    head = np.ones(order.size, bool)
    head[1:] = ordered[1:] != ordered[:-1]
    first = np.full(num_perm * num_perm, _PROBES, np.int16)
    first[ordered[head]] = order[head] % _PROBES
    first.flags.writeable = False
    return probes, first.reshape(num_perm, num_perm)


def _probe_steps(probes: npt.NDArray[np.int32]) -> list[npt.NDArray[np.int32]]:
    """The probe table cut into the columns of each probing step (8, 32, 128, ... wide, up
    to `_PROBES` in all), each contiguous: a step gathers whole rows of a small table."""
    steps, t, step = [], 0, 8
    while t < probes.shape[1]:
        steps.append(np.ascontiguousarray(probes[:, t : t + step]))
        t, step = t + step, 4 * step
    return steps


def _mix(x: U64) -> U64:
    """SplitMix64 finaliser: spreads every input bit over the output (in place: `x` must be a
    fresh array the caller owns, so a batch costs no temporaries beyond one shift)."""
    t = np.empty_like(x)
    with np.errstate(over="ignore"):
        np.right_shift(x, np.uint64(30), out=t)
        x ^= t
        x *= _M1
        np.right_shift(x, np.uint64(27), out=t)
        x ^= t
        x *= _M2
        np.right_shift(x, np.uint64(31), out=t)
        x ^= t
    return x


def _first_of_eight(hit: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.bool_], I64]:
    """Rows of eight bools -> whether any is set, and the index of the first (0 for none).

    A row read as a little-endian word has byte i at bits 8i..8i+7, so the first set byte is
    the lowest set bit, isolated by `x & -x`; a power of two converts to float64 exactly, and
    its exponent over 8 is the byte's index (about ten times faster than `np.packbits`).
    """
    x = np.ascontiguousarray(hit).view(np.dtype("<u8"))[:, 0]
    with np.errstate(over="ignore"):
        low = x & (~x + _ONE)
    exponent = (low.astype(np.float64).view(np.int64) >> 52) - 1023
    return x != 0, (exponent >> 3) & 7


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

    `shingles` (unique, sorted, the low 32 bits of each shingle hash) gives exact containment
    and Jaccard similarity, which a signature only estimates; `scheme` says how the signature
    was made, so signatures of different schemes are never compared.
    """

    signature: U32
    shingles: U32
    lead: U32 = field(
        default_factory=lambda: _NO_LEAD
    )  # first distinct shingles in text order (empty: unknown)
    scheme: int = SCHEME

    @property
    def size(self) -> int:
        """Number of distinct shingles."""
        return int(self.shingles.size)

    def to_bytes(self) -> bytes:
        """A head, signature, lead, then shingles; all little-endian uint32.

        The head is the signature length, plus the lead length times 2**16, plus the scheme
        times 2**28: bytes written before sketches had a scheme (scheme 0, lead under 4096)
        or a lead (head = signature length) still read back as what they are.
        """
        if self.signature.size >= 1 << 16 or self.lead.size >= 1 << 12:
            raise ValueError("signature must be shorter than 65536 values, lead than 4096")
        if not 0 <= self.scheme < 16:
            raise ValueError(f"scheme must be in 0..15, got {self.scheme}")
        head = self.signature.size | self.lead.size << 16 | self.scheme << 28
        return (
            np.array([head], dtype=_LE_U32).tobytes()
            + to_bytes(self.signature)
            + to_bytes(self.lead)
            + to_bytes(self.shingles)
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Sketch:
        """A sketch back from `Sketch.to_bytes` output."""
        values = from_bytes(data)
        head = int(values[0]) if values.size else 0
        n, m, scheme = head & 0xFFFF, (head >> 16) & 0xFFF, head >> 28
        if values.size == 0 or values.size < 1 + n + m:
            raise ValueError("truncated sketch bytes")
        lead = values[1 + n : 1 + n + m].copy() if m else _NO_LEAD
        return cls(values[1 : 1 + n].copy(), values[1 + n + m :].copy(), lead, scheme)


@dataclass(frozen=True, slots=True, eq=False)
class SketchBatch:
    """Sketches of several texts in flat arrays, what batch matching reads: no object per text.

    Row i's shingles are `shingles[bounds[i]:bounds[i + 1]]` and its lead
    `lead[lead_bounds[i]:lead_bounds[i + 1]]`; both bounds start at 0.
    """

    signatures: U32  # (texts, num_perm)
    shingles: U32
    bounds: I64
    lead: U32
    lead_bounds: I64
    scheme: int = SCHEME

    def __len__(self) -> int:
        return int(self.signatures.shape[0])

    def __getitem__(self, i: int) -> Sketch:
        b, lb = self.bounds, self.lead_bounds
        return Sketch(
            self.signatures[i],
            self.shingles[b[i] : b[i + 1]],
            self.lead[lb[i] : lb[i + 1]] if lb[i + 1] > lb[i] else _NO_LEAD,
            self.scheme,
        )

    def sketches(self) -> list[Sketch]:
        """One `Sketch` per row (views of these arrays, not copies)."""
        sigs, values, lead, scheme = self.signatures, self.shingles, self.lead, self.scheme
        b, lb = self.bounds.tolist(), self.lead_bounds.tolist()
        return [
            Sketch(sigs[i], values[b[i] : b[i + 1]], lead[lb[i] : lb[i + 1]], scheme)
            for i in range(len(b) - 1)
        ]

    @classmethod
    def of(cls, sketches: Sequence[Sketch], num_perm: int) -> SketchBatch:
        """Sketches of one scheme, each `num_perm` values long, gathered into flat arrays."""
        n = len(sketches)
        scheme = sketches[0].scheme if n else SCHEME
        if any(sk.scheme != scheme for sk in sketches):
            raise ValueError("sketches of different schemes")
        sizes = np.fromiter((sk.shingles.size for sk in sketches), np.int64, n)
        lead_sizes = np.fromiter((sk.lead.size for sk in sketches), np.int64, n)
        return cls(
            np.stack([sk.signature for sk in sketches]).astype(np.uint32, copy=False)
            if n
            else np.zeros((0, num_perm), np.uint32),
            np.concatenate([*(sk.shingles for sk in sketches), _NO_LEAD]).astype(np.uint32),
            np.concatenate(([0], np.cumsum(sizes))).astype(np.int64),
            np.concatenate([*(sk.lead for sk in sketches), _NO_LEAD]).astype(np.uint32),
            np.concatenate(([0], np.cumsum(lead_sizes))).astype(np.int64),
            scheme,
        )

    @classmethod
    def join(cls, parts: Sequence[SketchBatch]) -> SketchBatch:
        """Batches of one scheme, one after another, as one batch."""
        if len(parts) == 1:
            return parts[0]
        offsets = np.cumsum([0, *(int(p.bounds[-1]) for p in parts[:-1])])
        lead_offsets = np.cumsum([0, *(int(p.lead_bounds[-1]) for p in parts[:-1])])
        return cls(
            np.concatenate([p.signatures for p in parts]),
            np.concatenate([p.shingles for p in parts]),
            np.concatenate(
                [[0], *(p.bounds[1:] + o for p, o in zip(parts, offsets, strict=True))]
            ).astype(np.int64),
            np.concatenate([p.lead for p in parts]),
            np.concatenate(
                [[0], *(p.lead_bounds[1:] + o for p, o in zip(parts, lead_offsets, strict=True))]
            ).astype(np.int64),
            parts[0].scheme if parts else SCHEME,
        )


class MinHasher:
    """Word-shingle one-permutation MinHash: same text, same signature, everywhere."""

    scheme = SCHEME

    def __init__(
        self, num_perm: int = 128, shingle_size: int = 3, seed: int = 1, lead_size: int = 8
    ) -> None:
        if num_perm < 1 or shingle_size < 1 or lead_size < 0 or seed < 0:
            raise ValueError(
                "num_perm and shingle_size must be at least 1, lead_size and seed at least 0"
            )
        if num_perm >= 1 << 16 or lead_size >= 1 << 12:
            raise ValueError("num_perm must be under 65536 and lead_size under 4096")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self.lead_size = lead_size
        # probe t of empty bin b looks at bin probes[b, t]: the same order for every text
        self._probes, self._first_probes = _probe_tables(num_perm, seed)
        # the columns of each probing step (8, 32, 128, ... probes) as contiguous tables
        self._probe_steps = _probe_steps(self._probes)

    def __repr__(self) -> str:
        return (
            f"MinHasher(num_perm={self.num_perm}, shingle_size={self.shingle_size}, "
            f"seed={self.seed}, lead_size={self.lead_size})"
        )

    # -- shingles ----------------------------------------------------------------------------

    @staticmethod
    def _power_tables(n: int) -> tuple[U64, U64]:
        """P**i and P**-i for i < n (wrapping uint64): the tables of a block's size, shared by
        every hasher of the process; a longer lone text gets tables of its own."""
        powers, inverse = _powers(_CHARS) if n <= _CHARS else _powers.__wrapped__(n)
        return powers[:n], inverse[:n]

    def _word_hashes(self, texts: Sequence[str], ends: I64) -> tuple[U64, I64]:
        """Hash of every word of every text, and the number of words per text (`ends`: where
        each text ends in the texts joined by one separator each, the separator included).

        All texts are joined with a space and processed as one code-point array, so the cost
        per text is a few array operations rather than a Python loop over its words.
        """
        joined = " ".join(texts)
        units = joined.encode("utf-16-le", "surrogatepass")
        codes: U64
        if len(units) == 2 * len(joined):  # every character in the BMP: one unit each
            codes = np.take(_code_lut_bmp(), np.frombuffer(units, _LE_U16))
        else:
            cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), _LE_U32)
            codes = np.take(_code_lut(), cps).astype(np.uint64)
        is_word = codes != 0
        # a word starts where a word character follows a non-word one
        starts = np.flatnonzero(is_word[1:] > is_word[:-1])
        starts += 1
        if is_word.size and is_word[0]:
            starts = np.concatenate(([0], starts))
        if starts.size == 0:
            return np.zeros(0, np.uint64), np.zeros(len(texts), np.int64)
        n = codes.size
        powers, inverse = self._power_tables(n)
        # running sums, in place (characters between words add zero): a word's sum is the
        # difference between the sums just before its start and just before the next word's
        with np.errstate(over="ignore"):
            np.multiply(codes, powers, out=codes)
            sums = codes.view(np.int64)  # the same bits wrap the same way; NumPy's int64
            np.cumsum(sums, out=sums)  # running sum is faster than its uint64 one
            edges = np.take(codes, np.append(starts, n) - 1)  # the sum before position s
            if starts[0] == 0:
                edges[0] = 0  # nothing before the first character (-1 read the last sum)
            words = edges[1:] - edges[:-1]
            words *= np.take(inverse, starts)
        words = _mix(words)
        # words per text: how many start before each text's end (the separators' places)
        counts = np.diff(np.searchsorted(starts, ends), prepend=0).astype(np.int64)
        return words, counts

    def _shingle_hashes(self, words: U64, counts: I64) -> tuple[U32, I64]:
        """Shingle hashes (low 32 bits) of all texts, text by text in text order, and how many
        each text has; a text shorter than `shingle_size` words has one shingle of them all."""
        k, n = self.shingle_size, words.size
        per_text = np.where(counts >= k, counts - (k - 1), np.minimum(counts, 1))
        chains = [words]  # chains[i][j]: the hash of words j..j+i
        with np.errstate(over="ignore"):
            for i in range(1, k):
                link = chains[-1][:-1] * _CHAIN
                link += words[i:]
                chains.append(_mix(link))
        full = chains[-1]
        if k == 1 or n < k:
            out = full.astype(np.uint32) if k == 1 else np.zeros(0, np.uint32)
        else:
            # full shingles start at every word but a text's last k-1: mark where they stop
            ends = np.cumsum(counts)
            valid = np.ones(full.size + k - 1, bool)
            for d in range(1, k):
                at = ends - d
                valid[at[at >= ends - counts]] = False
            out = full[valid[: full.size]].astype(np.uint32)
        short = np.flatnonzero((counts > 0) & (counts < k))
        if short.size:  # short texts: one shingle of their c words, placed in text order
            starts = np.cumsum(counts) - counts
            values = np.empty(short.size, np.uint64)
            for c in range(1, k):
                pick = counts[short] == c
                values[pick] = chains[c - 1][starts[short[pick]]]
            place = (np.cumsum(per_text) - per_text)[short]
            out = np.insert(out, place - np.arange(short.size), values.astype(np.uint32))
        return out, per_text.astype(np.int64)

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
        """Signature, distinct shingles and lead of every text, computed together in blocks."""
        return self.sketch_batch(texts).sketches()

    def sketch_batch(self, texts: Sequence[str]) -> SketchBatch:
        """The sketches of many texts as flat arrays (`sketches` without an object per text)."""
        if isinstance(texts, str):  # a sequence of characters, each sketched as a text
            raise TypeError("texts is a sequence of texts; for one text, use [text]")
        ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1)
        parts = [
            self._sketch_block(texts[lo:hi], ends[lo:hi] - (ends[lo - 1] if lo else 0))
            for lo, hi in self._blocks(ends)
        ]
        if not parts:
            return SketchBatch.of([], self.num_perm)
        return SketchBatch.join(parts)

    def resketch(self, sketches: Sequence[Sketch]) -> list[Sketch]:
        """The same sketches with this scheme's signature, derived from their exact shingles
        (stored sketches of an older scheme are brought up to date without their texts)."""
        if not sketches:
            return []
        counts = np.fromiter((sk.shingles.size for sk in sketches), np.int64, len(sketches))
        flat = np.concatenate([*(sk.shingles for sk in sketches), _NO_LEAD])
        values, bounds = _distinct(flat.astype(np.uint32), counts)
        sigs = self._one_permutation(values, bounds)
        return [
            Sketch(sigs[i], values[bounds[i] : bounds[i + 1]], sk.lead, self.scheme)
            for i, sk in enumerate(sketches)
        ]

    @staticmethod
    def _blocks(ends: I64) -> Iterator[tuple[int, int]]:
        """Runs of whole texts of at most `_CHARS` characters joined (a longer text is a run
        alone), from where each text ends in the texts joined by one separator each."""
        lo, n = 0, ends.size
        while lo < n:
            base = int(ends[lo - 1]) if lo else 0
            hi = max(int(np.searchsorted(ends, base + _CHARS + 1, side="right")), lo + 1)
            yield lo, hi
            lo = hi

    def _sketch_block(self, texts: Sequence[str], ends: I64) -> SketchBatch:
        words, counts = self._word_hashes(texts, ends)
        x32, per_text = self._shingle_hashes(words, counts)
        values, bounds = _distinct(x32, per_text)
        sigs = self._one_permutation(values, bounds)
        lead, lead_bounds = self._leads(x32, per_text)
        return SketchBatch(sigs, values, bounds, lead, lead_bounds, self.scheme)

    def _one_permutation(self, values: U32, bounds: I64) -> U32:
        """Row i: per bin, the smallest of text i's distinct shingles (sorted in `values`,
        text by text) that fall in it; empty bins densified; all EMPTY for a wordless text."""
        k = self.num_perm
        n = bounds.size - 1
        sigs = np.full((n, k), EMPTY, np.uint32)
        if not values.size:
            return sigs
        bins: npt.NDArray[np.integer[Any]]
        if k & (k - 1) or k == 1:
            bins = ((values.astype(np.uint64) * np.uint64(k)) >> _U32).astype(np.int64)
        else:  # a power of two: the top bits
            bins = values >> np.uint32(32 - (k.bit_length() - 1))
        # values are sorted per text, so bins are too: a bin's first value is its smallest
        sizes = np.diff(bounds)
        first = np.empty(values.size, bool)
        first[0] = True
        np.not_equal(bins[1:], bins[:-1], out=first[1:])
        first[bounds[:-1][sizes > 0]] = True
        at = np.flatnonzero(first)
        cell = np.repeat(np.arange(0, n * k, k, dtype=np.int64), sizes)[at]
        cell += bins[at]
        flat = sigs.reshape(-1)
        flat[cell] = values[at]
        filled = np.zeros(n * k, bool)
        filled[cell] = True
        # empty cells (flat: row * k + bin) of texts with words, densified by probing
        empty = np.flatnonzero(~filled.reshape(n, k) & (sizes > 0)[:, None])
        if self._first_probes.size and empty.size:
            empty = self._densify_few(flat, cell, empty)
        bins = empty % k
        base = empty - bins
        for probes in self._probe_steps:  # 8 probes, then 32, 128, ...: rows gathered whole
            if not empty.size:
                break
            width = probes.shape[1]
            src = np.add(np.take(probes, bins, axis=0), base[:, None], dtype=np.int64)
            hit = np.take(filled, src)
            if width == 8:  # the first hit of eight probes: the lowest byte set in a word
                got, pick = _first_of_eight(hit)
            else:
                got, pick = np.asarray(hit.any(axis=1)), hit.argmax(axis=1)
            pick += np.arange(0, empty.size * width, width)
            take = np.take(src, pick)
            flat[empty[got]] = flat[take[got]]
            empty, bins, base = empty[~got], bins[~got], base[~got]
        for d in range(1, k):  # left after every probe (almost never): next filled bin
            if not empty.size:
                break
            src = base + (bins + d) % k
            got = filled[src]
            flat[empty[got]] = flat[src[got]]
            empty, bins, base = empty[~got], bins[~got], base[~got]
        return sigs

    def _densify_few(self, flat: U32, cell: I64, empty: I64) -> I64:
        """Fill the empty cells of texts with at most `_FEW_FILLED` filled bins, exactly as
        probing would, and return the other empty cells.

        Probing stops at the first probe of bin b that names a filled bin: the filled bin c
        with the least `_first_probes[b, c]`, or, when none appears in `_PROBES` probes, the
        next filled bin after b (the cyclic fallback). A text with few filled bins needs many
        probes (about num_perm / filled each), but has few candidates to compare.
        """
        k = self.num_perm
        # filled bins per text, up to the last with an empty cell: `cell` is sorted (one entry
        # per filled bin, text by text), so where each text's cells start says how many
        rows = int(empty[-1]) // k + 1
        per_text = np.diff(np.searchsorted(cell, np.arange(0, (rows + 1) * k, k)))
        few = (per_text <= _FEW_FILLED)[empty // k]
        mine, rest = empty[few], empty[~few]
        if not mine.size:
            return rest
        row = mine // k
        lo = np.searchsorted(cell, row * k)
        which, at = expand(lo, lo + per_text[row])  # each empty cell against its text's filled
        b_of = mine % k
        b, c = b_of[which], cell[at] % k
        first = self._first_probes[b, c].astype(np.int64)
        starts = np.cumsum(per_text[row]) - per_text[row]
        best = np.minimum.reduceat(first * k + c, starts)  # a bin first appears once a row
        src = best % k
        never = best // k >= _PROBES
        if never.any():  # the cyclic fallback: the least step forward to a filled bin
            ahead = np.minimum.reduceat((c - b) % k, starts)
            src[never] = (b_of[never] + ahead[never]) % k
        flat[mine] = flat[row * k + src]
        return rest

    def _leads(self, x32: U32, per_text: I64) -> tuple[U32, I64]:
        """Every text's first `lead_size` distinct shingles in text order (flat) and bounds.

        Looked for among a text's first few shingles at once (a window); a text whose window
        repeats itself too much to fill its lead is done alone.
        """
        n, size = per_text.size, self.lead_size
        zero = np.zeros(n + 1, np.int64)
        if size == 0 or not x32.size:
            return _NO_LEAD, zero
        width = min(size * _LEAD_WINDOW, int(per_text.max()))
        offsets = np.cumsum(per_text) - per_text
        col = np.arange(width)
        valid = col < per_text[:, None]
        at = np.minimum(offsets[:, None] + col, x32.size - 1)
        win = np.where(valid, x32[at], 0)
        # a repeat within a window is rare: only windows whose sorted values have two equal
        # neighbours (short texts' zero padding included) are compared value by value
        ordered = np.sort(win, axis=1)
        odd = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
        repeat = np.zeros(win.shape, bool)
        if odd.size:
            earlier = np.tril(np.ones((width, width), bool), -1)
            w = win[odd]
            repeat[odd] = ((w[:, :, None] == w[:, None, :]) & earlier).any(axis=2)
        firsts = valid & ~repeat
        rank = np.cumsum(firsts, axis=1)
        take = firsts & (rank <= size)
        lengths = np.minimum(rank[:, -1], size).astype(np.int64)
        lead = win[take].astype(np.uint32)
        short = np.flatnonzero((lengths < size) & (per_text > width))
        if short.size:  # rare: rebuild those texts' leads one by one
            parts: list[U32] = []
            bounds = np.concatenate(([0], np.cumsum(lengths)))
            done = 0
            for i in short.tolist():
                parts.append(lead[bounds[done] : bounds[i]])
                own = x32[offsets[i] : offsets[i] + per_text[i]].tolist()
                parts.append(np.array(list(dict.fromkeys(own))[:size], np.uint32))
                lengths[i] = parts[-1].size
                done = i + 1
            parts.append(lead[bounds[done] :])
            lead = np.concatenate(parts)
        return lead, np.concatenate(([0], np.cumsum(lengths)))


def _distinct(x32: U32, per_text: I64) -> tuple[U32, I64]:
    """Distinct values of every text (given text by text), sorted text by text, and where each
    text's run starts. Texts are sorted one by one: small sorts are several times faster than
    one sort of (text, value) keys."""
    values = x32.copy()
    ends = np.cumsum(per_text)
    at = ends - per_text
    for lo, hi in zip(at.tolist(), ends.tolist(), strict=True):
        if hi - lo > 1:
            values[lo:hi].sort()
    first = np.ones(values.size, bool)
    first[1:] = values[1:] != values[:-1]
    first[at[per_text > 0]] = True
    running = np.concatenate(([0], np.cumsum(first)))
    bounds = np.concatenate(([0], running[ends]))
    return values[first], bounds


def jaccard(a: U32, b: U32) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal positions."""
    if a.shape != b.shape:
        raise ValueError(f"signatures differ in length: {a.shape} vs {b.shape}")
    return float(np.count_nonzero(a == b)) / a.size if a.size else 0.0
