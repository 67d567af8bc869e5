"""Copy detection: which articles carry substantially the same text, grouped, in a stream.

Each new article is sketched (MinHash signature + distinct shingle hashes), its candidates
among earlier articles are verified, and verified pairs are joined with union-find. A pair is a
copy when the Jaccard similarity of the two shingle sets is high, or when most of the shorter
text's shingles are in the longer one (containment) and the shorter is not a mere fragment of
it: a trimmed copy is found, a one-paragraph item quoted in a long round-up is not. Jaccard
and containment are exact (counted on the stored shingles); the signature's estimate only
decides which pairs are worth counting (those within a few standard errors of a threshold).

Every copy keeps the longer text's *lead* (its first `lead_size` distinct shingles): a
containment copy at least `min_lead` of it, a Jaccard copy at least `min_lead_jaccard` (two
of 16 shingles). News is trimmed from the bottom, so a trimmed copy keeps the lead, while a
release that sits inside a combined release or a round-up does not; and two articles that
share a long template body under different openings (execution notices, royal-decree
announcements of different appointments, two outlets' rewrites of one release) are not the
same text. A 16-shingle lead tolerates a news-agency dateline ("CITY DATE ... واس") in front
of one copy. The shorter text must be at least a lead long for containment: a bare dateline
stub is contained in every agency item. Leads are also indexed (shingle -> articles), a second
route to candidates: a short trimmed copy has a low Jaccard similarity that banding misses;
the new article's lead is looked up, and an earlier article whose lead shares at least
`min_lead` of its shingles with it (or all of a shorter lead) becomes a candidate.

On the dev split (streaming, defaults): pairwise F1 0.930 (P 0.931, R 0.930, BCubed 0.957),
up from 0.920 (estimated Jaccard, no lead on the Jaccard route). The lead share for the
Jaccard route was checked by cross-validation over stories (5 folds x 4 repeats, thresholds
fixed, exact pair features): held-out pairwise F1 0.936 with it vs 0.929 without; tuning
all three thresholds per fold did worse on the held-out folds (0.927), so the others stay.

Not solved: template statements whose opening is also shared (two Interior Ministry notices
that open with the same sentence differ only in names, dates and places); a streaming
document-frequency weighting was tried before (shingle weights log(N/df) over earlier
articles) with no gain on dev, and number mismatches are no cleaner a signal (true copies add
dates and times as often). On dev, such template pairs differ in a few long runs of shingles,
lightly edited true copies mostly in many short ones: of the links with containment under 0.8
and Jaccard under 0.6, 28 of the 29 between different events have fewer than 3 runs of at most
5 missing shingles per 100 shingles of the shorter text, and 6 of the 145 between gold copies.
Refusing those links raised dev's pair F1 from 0.932 to 0.938, but a cut of 2.5 per 100
lowered it to 0.926, and the story and event figures did not move (the clusterer joins those
statements by their wording anyway): too fragile a rule to keep. Nor do groups chain less
usefully than they seem to: merging two existing groups only through a Jaccard copy (a new
article joining its closest match's group, further containment links not merging theirs)
shrinks SaudiNewsNet's largest groups (102 and 59 articles to 76 and 55) but costs dev's recall
(pair F1 0.932 -> 0.923): on dev such bridges are mostly trims of one wire text.

What does keep round-ups apart is asking whether the parts share text. A round-up of two
reports (the king's audience, then his cable) is a copy of each, and each report joined the
round-up's group, or the round-up both reports' groups: one copy group, and one story, of
unrelated news. Now a new article that copies a longer one whose group holds others joins it
only when it shares text with one of them (a trimmed wire text shares it with the wire's other
copies; the second report of a round-up shares only the royal formula with the first), and a
new article that copies articles of two groups joins the second only when that article shares
text with the first group (`_PART_SHARE` of the shorter's shingles). SaudiNewsNet's largest
group falls from 102 to 79 articles; dev's copy pair F1 goes from 0.9343 to 0.9347 (P 0.930
-> 0.932, R 0.938 -> 0.937); dev's stories and events do not move.

Groups are deterministic: the group id is the id of the group's earliest added article, and
the same articles in the same order give the same groups on every run and machine.

Everything kept per article is in flat NumPy arrays (signatures, shingles, leads, the large
ones on memory maps that grow without copying; the LSH and lead indexes as sorted runs behind a
bitmap, searched through fences), not Python objects. `add_batch` (flat sketches
from `MinHasher.sketch_batch`, what `fit` uses), `add_sketches` and `add_sketch` match a whole
batch with array operations: its keys are looked up among the earlier batches, and pairs
within the batch come from its own sorted keys, each article with the ones before it only, so
the matches are exactly those of `add_sketch` one at a time. Verification counts exact
intersections only for pairs that can pass, in a hash set of the batch's (article, shingle)
keys. Sketches of an older signature scheme (read back from a store) are re-signed from their
shingles as they are added, never compared with new ones. An article whose text changed is
`forget`-ten (no candidate any more) and may be added again.
"""

from __future__ import annotations

import itertools
import math
import mmap
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from akhbar.dedup.lsh import (
    Bitmap,
    LSHIndex,
    distinct,
    expand,
    fences,
    group_end,
    radix_order,
    search,
)
from akhbar.dedup.minhash import MinHasher, Sketch, SketchBatch

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
_U32 = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)
_NONE32 = np.zeros(0, np.uint32)
_PIECES = 1 << 20  # shingles looked up at once in verification
_MAPPED = 1 << 20  # arrays of this many bytes and more grow on a memory map (see `_grow`)

__all__ = ["FIT_BATCH", "CopyDetector", "CopyLink", "CopyMatch", "CopySettings"]

# texts sketched and matched together by `fit`: larger batches spread each batch's fixed
# cost (a few hundred NumPy calls) over more texts; over SaudiNewsNet 2048 took about 12%
# less time than 512 (median of five runs), for a verification hash set of about 32 MB
FIT_BATCH = 2048
# a lead shingle shared by this many articles is boilerplate (an agency dateline, a share-bar
# line), not a lead: it stops being indexed or queried, which bounds the route's work
_COMMON_LEAD = 32
# a pair is counted exactly unless its estimated Jaccard similarity is this many standard
# errors short of every threshold it could pass
_SIGMAS = 4.0
# a new article found inside a longer one is one part of it, not a copy of the whole, when it
# shares under this share of its shingles (or the other's, if fewer) with each member of the
# longer one's group checked (the first this many, earliest first)
_PART_SHARE = 0.3
_WHOLE = 0.8  # a text this share of the longer one's length, or more, is no part of it
_PARTS_CHECKED = 32


@dataclass(frozen=True, slots=True)
class CopySettings:
    """Sketching, banding and verification thresholds of copy detection."""

    num_perm: int = 128
    shingle_size: int = 3
    seed: int = 1
    bands: int = 16
    rows: int = 2
    min_jaccard: float = 0.45
    min_containment: float = 0.7
    min_length_ratio: float = 0.15
    lead_size: int = 16  # first distinct shingles kept as a text's lead
    min_lead: float = 0.25  # containment copy: this share of the longer's lead in the shorter
    min_lead_jaccard: float = 0.1  # Jaccard copy: this share of the longer's lead in the shorter
    lead_free_jaccard: float = 0.8  # a Jaccard copy this close needs no share of the lead
    min_shingles: int = 16  # a Jaccard copy has this many shingles: a stub body copies nothing

    def __post_init__(self) -> None:
        """Out-of-range values fail here, naming the setting, not deep inside matching."""
        if not 1 <= self.num_perm < 1 << 16:
            raise ValueError(f"num_perm must be between 1 and 65535, not {self.num_perm}")
        if self.min_shingles < 1:
            raise ValueError(f"min_shingles must be at least 1, not {self.min_shingles}")
        if self.shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1, not {self.shingle_size}")
        if not 0 <= self.lead_size < 1 << 12:
            raise ValueError(f"lead_size must be between 0 and 4095, not {self.lead_size}")
        if self.seed < 0:
            raise ValueError(f"seed must be 0 or more, not {self.seed}")
        if self.bands > 255:
            raise ValueError(f"bands must be at most 255, not {self.bands}")
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"bands ({self.bands}) x rows ({self.rows}) must be at least 1 and at most "
                f"num_perm ({self.num_perm})"
            )
        for name in ("min_jaccard", "min_containment", "min_length_ratio", "min_lead",
                     "min_lead_jaccard", "lead_free_jaccard"):  # fmt: skip
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} is a share: between 0 and 1, not {value}")


@dataclass(frozen=True, slots=True)
class CopyLink:
    """An earlier article that a new one copies, and how closely."""

    article_id: str
    jaccard: float
    containment: float


@dataclass(frozen=True, slots=True)
class CopyMatch:
    """What `CopyDetector.add` found: the copied earlier articles and the copy group."""

    article_id: str
    group_id: str
    copies: tuple[CopyLink, ...] = ()
    candidates: int = 0  # LSH candidates verified: how much work the match took

    @property
    def is_copy(self) -> bool:
        """Whether the article copies at least one earlier article."""
        return bool(self.copies)


class CopyDetector:
    """Streaming near-duplicate detection over normalised article bodies.

    Parameters are kept as given; everything learnt from articles ends in `_` and appears on
    the first `add`/`fit` (`fit` starts afresh, `add` continues).
    """

    hasher_: MinHasher
    index_: LSHIndex[int]

    def __init__(self, settings: CopySettings | None = None) -> None:
        self.settings = settings

    # -- state -------------------------------------------------------------------------------

    @property
    def _s(self) -> CopySettings:
        return self.settings or CopySettings()

    def _reset(self) -> None:
        s = self._s
        self.hasher_ = MinHasher(s.num_perm, s.shingle_size, s.seed, s.lead_size)
        self.index_ = LSHIndex(s.num_perm, s.bands, s.rows)
        self._lead_min = max(1, math.ceil(s.min_lead * s.lead_size - 1e-9))
        self.ids_: list[str] = []
        self.slot_of_: dict[str, int] = {}
        self.parent_: list[int] = []
        self._n = 0  # slots in use
        self._sigs: npt.NDArray[np.uint32] = np.zeros((64, s.num_perm), np.uint32)
        self._offsets: I64 = np.zeros(65, np.int64)
        self._shingles: npt.NDArray[np.uint32] = np.zeros(1 << 14, np.uint32)
        self._lead: npt.NDArray[np.uint32] = np.zeros((64, max(1, s.lead_size)), np.uint32)
        self._lead_n: I64 = np.zeros(64, np.int64)
        self._indexed: I64 = np.zeros(64, np.int64)  # LSH insertion number -> slot
        # lead shingle -> slots whose lead has it (the containment route to candidates):
        # sorted runs of (shingle << 32 | slot), and a bitmap of the shingles (sized to them)
        # that turns most lookups away before any search
        self._lead_runs: list[U64] = []
        self._lead_fences: list[U64] = []  # `fences` of each run
        self._lead_bits = Bitmap()
        self._lead_entries = 0
        self._gone: set[int] = set()  # slots of forgotten sketches (texts since changed)
        self._lead_gone: set[int] = set()  # of those, the ones still in the lead index
        self._alias: dict[int, int] = {}  # forgotten root -> its group's earliest member left
        self._members: dict[int, list[int]] = {}  # root -> slots, for groups of two or more

    def _started(self) -> bool:
        return hasattr(self, "hasher_")

    def __len__(self) -> int:
        return len(self.slot_of_) if self._started() else 0

    # -- union-find --------------------------------------------------------------------------

    def _find(self, slot: int) -> int:
        parent = self.parent_
        root = slot
        while parent[root] != root:
            root = parent[root]
        while parent[slot] != root:  # path compression
            parent[slot], slot = root, parent[slot]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:  # the earlier article stays the root: group id = earliest article id
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent_[hi] = lo
            members = self._members
            members[lo] = members.pop(lo, [lo]) + members.pop(hi, [hi])
            if lo in self._gone:  # named after the earliest member left of either group
                left = [x for x in (self._alias.get(lo), self._first_left(hi)) if x is not None]
                if left:
                    self._alias[lo] = min(left)
            self._alias.pop(hi, None)

    def _first_left(self, root: int) -> int | None:
        """The earliest member not forgotten of the group with this root (None: none left)."""
        return root if root not in self._gone else self._alias.get(root)

    def _name(self, root: int) -> str:
        """A group's id: its earliest article's, or its earliest left when that one was
        forgotten."""
        return self.ids_[self._alias.get(root, root)]

    def group_of(self, article_id: str) -> str:
        """The copy group id of an added article (the id of its group's earliest article)."""
        return self._name(self._find(self.slot_of_[article_id]))

    def groups(self) -> dict[str, str]:
        """Every added article id -> its copy group id, as of now."""
        if not self._started():
            return {}
        gone = self._gone
        return {aid: self._name(self._find(i)) for i, aid in enumerate(self.ids_) if i not in gone}

    def forget(self, article_id: str) -> bool:
        """Drop an article's sketch because its text changed: it is no candidate any more and
        can be added again (as a new article). The copies it linked stay linked to each other;
        its group is then named after its earliest member left. False when not added."""
        slot = self.slot_of_.pop(article_id, None) if self._started() else None
        if slot is None:
            return False
        self._gone.add(slot)
        if slot in self.index_:
            self.index_.remove(slot)
        if self._s.lead_size:
            self._lead_gone.add(slot)  # out of the lead index before its next lookup
        root = self._find(slot)
        if root == slot or self._alias.get(root) == slot:
            left = (
                i for i in range(root, self._n) if i not in self._gone and self._find(i) == root
            )
            first = next(left, None)
            if first is None:
                self._alias.pop(root, None)
            else:
                self._alias[root] = first
        return True

    # -- storage -----------------------------------------------------------------------------

    def _reserve(self, slots: int, shingles: int) -> None:
        """Room for `slots` more articles and `shingles` more shingles (twice as much each
        time, see `_grow`)."""
        n, need = self._n, self._n + slots
        if need > self._sigs.shape[0]:
            cap = max(2 * self._sigs.shape[0], need)
            for name in ("_sigs", "_lead", "_lead_n"):
                _grow(self, name, cap, n)
            _grow(self, "_offsets", cap + 1, n + 1)
        end = int(self._offsets[n]) + shingles
        if end > self._shingles.size:
            cap = max(2 * self._shingles.size, end)
            _grow(self, "_shingles", cap, end - shingles)

    def _store(self, batch: SketchBatch) -> None:
        """Append a batch's sketches to the flat arrays (signatures, shingles, leads)."""
        n, first = len(batch), self._n
        sizes = np.diff(batch.bounds)
        self._reserve(n, int(batch.bounds[-1]))
        self._sigs[first : first + n] = batch.signatures
        lb = batch.lead_bounds
        n_lead = np.minimum(np.diff(lb), self._lead.shape[1])
        rows, at = expand(lb[:-1], lb[:-1] + n_lead)
        self._lead[first + rows, at - lb[rows]] = batch.lead[at]
        self._lead_n[first : first + n] = n_lead
        start = int(self._offsets[first])
        ends = start + np.cumsum(sizes)
        if ends.size and ends[-1] > start:
            self._shingles[start : ends[-1]] = batch.shingles[: batch.bounds[-1]]
        self._offsets[first + 1 : first + n + 1] = ends
        self._n = first + n

    def _index_leads(self, run: U64) -> None:
        """Add new (shingle << 32 | slot) lead entries, sorted and distinct, to the lead index."""
        if not run.size:
            return
        self._lead_entries += run.size
        if self._lead_bits.full(self._lead_entries):
            self._lead_bits = self._lead_bits.larger(self._lead_entries)
            for old in self._lead_runs:
                self._lead_bits.add(old >> _U32)
        self._lead_bits.add(run >> _U32)
        self._lead_runs.append(run)
        runs = self._lead_runs
        while len(runs) > 1 and runs[-2].size <= 2 * runs[-1].size:
            b, a = runs.pop(), runs.pop()
            runs.append(np.sort(np.concatenate([a, b]), kind="stable"))
        self._lead_fences[len(runs) - 1 :] = [fences(runs[-1])]

    def _unindex_leads(self) -> None:
        """Take forgotten articles' leads out of the lead index: a shingle counts as
        boilerplate by the leads of the articles still there (an article edited again and
        again would otherwise make its own lead common). One pass over the index for all
        those forgotten since the last lookup."""
        gone = np.fromiter(self._lead_gone, np.uint64, len(self._lead_gone))
        self._lead_gone.clear()
        runs: list[U64] = []
        for run in self._lead_runs:
            kept = run[~np.isin(run & _LOW, gone)]
            self._lead_entries -= run.size - kept.size
            if kept.size:  # (an empty run would be searched past its end)
                runs.append(kept)
        self._lead_runs = runs
        self._lead_fences = [fences(r) for r in runs]

    def mapped_bytes(self) -> int:
        """Bytes of storage on memory maps (see `_grow`): memory that tracemalloc, which
        counts heap allocations only, does not see."""
        if not self._started():
            return 0
        grown = (self._sigs, self._shingles, self._lead, self._lead_n, self._offsets, self._indexed)
        maps = (_map_of(a) for a in grown)
        return sum(len(mm) for mm in maps if mm is not None)

    def sketch(self, slot_or_id: int | str) -> Sketch:
        """The stored sketch of an added article (to keep in a database, say)."""
        slot = self.slot_of_[slot_or_id] if isinstance(slot_or_id, str) else slot_or_id
        if not 0 <= slot < self._n:
            raise IndexError(f"no article in slot {slot}")
        lo, hi = int(self._offsets[slot]), int(self._offsets[slot + 1])
        lead = self._lead[slot, : self._lead_n[slot]].copy()
        return Sketch(self._sigs[slot].copy(), self._shingles[lo:hi].copy(), lead)

    # -- candidates --------------------------------------------------------------------------

    def _lead_pairs(self, query: I64) -> tuple[I64, I64]:
        """(new slot, earlier slot) pairs by the lead route, for the new slots `query`, which
        are then added to the lead index.

        An earlier article is a candidate when at least `min(need, its lead length)` of its
        lead shingles are in the new text's lead (a copy starts where its original starts; 16
        lookups per article, not one per shingle); a shingle in the leads of `_COMMON_LEAD`
        or more earlier articles is boilerplate and does not count. Earlier batches are
        searched in the index (behind its bitmap, which the new leads are not in yet); the
        new slots' own entries, sorted, give the pairs within the batch.
        """
        empty = np.zeros(0, np.int64)
        if self._lead_gone:
            self._unindex_leads()
        which, col = expand(np.zeros(query.size, np.int64), self._lead_n[query])
        # the new entries, sorted by shingle then slot: the run this batch adds to the index;
        # they come slot by slot, so a stable sort of the 32-bit shingles alone orders them
        shingle = self._lead[query[which], col].astype(np.uint64)
        order = radix_order(shingle)
        entries = (shingle[order] << _U32) | query[which[order]].astype(np.uint64)
        if not entries.size:
            return empty, empty
        entries = entries[np.concatenate(([True], entries[1:] != entries[:-1]))]
        values = entries >> _U32
        new = (entries & _LOW).astype(np.int64)
        # within the batch: the entries before each one with the same shingle
        head = np.ones(entries.size, bool)
        head[1:] = values[1:] != values[:-1]
        gstart = np.maximum.accumulate(np.where(head, np.arange(entries.size), 0))
        held = np.arange(entries.size) - gstart
        got: list[U64] = []
        maybe = np.flatnonzero(self._lead_bits.has(values)) if self._lead_runs else empty
        bounds = []
        if maybe.size:
            low = values[maybe] << _U32
            # the end is searched only where the shingle is there
            for run, fence in zip(self._lead_runs, self._lead_fences, strict=True):
                lo = search(run, fence, low)
                hi = lo.copy()
                there = np.flatnonzero(run[np.minimum(lo, run.size - 1)] >> _U32 == values[maybe])
                hi[there] = group_end(run, fence, values[maybe[there]], lo[there], 32)
                held[maybe] += hi - lo
                bounds.append((run, lo, hi))
        use = (held > 0) & (held < _COMMON_LEAD)
        for run, lo, hi in bounds:
            q = np.flatnonzero(use[maybe] & (hi > lo))
            if q.size:
                r, i = expand(lo[q], hi[q])
                got.append((new[maybe[q[r]]].astype(np.uint64) << _U32) | (run[i] & _LOW))
        mine = np.flatnonzero(use & ~head)
        if mine.size:
            r, i = expand(gstart[mine], mine)
            got.append((new[mine[r]].astype(np.uint64) << _U32) | new[i].astype(np.uint64))
        self._index_leads(entries)
        if not got:
            return empty, empty
        pair, count = distinct(np.concatenate(got), counts=True)
        old = (pair & _LOW).astype(np.int64)
        enough = count >= np.minimum(self._lead_min, self._lead_n[old])
        return (pair[enough] >> _U32).astype(np.int64), old[enough]

    def _candidates(self, first: int, n: int) -> tuple[I64, I64, I64]:
        """Candidate (new slot, earlier slot) pairs of the new slots first..first+n-1, sorted,
        and the number of candidates of each new slot."""
        sizes = self._offsets[first + 1 : first + n + 1] - self._offsets[first : first + n]
        query = first + np.flatnonzero(sizes > 0)
        pos0 = self.index_.inserted  # not len(): forgotten articles keep their positions
        if self._indexed.size < pos0 + query.size:
            _grow(self, "_indexed", max(2 * self._indexed.size, pos0 + query.size), pos0)
        self._indexed[pos0 : pos0 + query.size] = query
        # each new article against the ones indexed before it, as if added one at a time
        row, pos = self.index_.add_query(query.tolist(), self._sigs[query])
        parts = [(query[row].astype(np.uint64) << _U32) | self._indexed[pos].astype(np.uint64)]
        if self._s.lead_size:
            new, old = self._lead_pairs(query)
            parts.append((new.astype(np.uint64) << _U32) | old.astype(np.uint64))
        pair, _ = distinct(np.concatenate(parts))
        if self._gone:  # forgotten sketches are matched no more
            gone = np.fromiter(self._gone, np.uint64, len(self._gone))
            pair = pair[~np.isin(pair & _LOW, gone)]
        new_slot = (pair >> _U32).astype(np.int64)
        counts = np.bincount(new_slot - first, minlength=n)
        return new_slot, (pair & _LOW).astype(np.int64), counts

    # -- verification ------------------------------------------------------------------------

    def _keys_of(self, rows: I64, slots: I64) -> U64:
        """`row << 32 | shingle` for every stored shingle of each slot, slot after slot (the
        keys of a hash set of several texts' shingles)."""
        lo, size = self._offsets[slots], self._offsets[slots + 1] - self._offsets[slots]
        keys = np.repeat(rows.astype(np.uint64) << _U32, size)
        starts = np.cumsum(size) - size
        at = np.repeat(lo - starts, size)  # each key's place in `_shingles`, less its index
        at += np.arange(keys.size, dtype=np.int64)
        keys |= np.take(self._shingles, at)
        return keys

    def _verify(
        self, first: int, n: int, batch: SketchBatch, new: I64, old: I64
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Which candidate pairs pass, with their Jaccard similarity and containment.

        A pair passes with a high Jaccard similarity, or a high containment of the shorter
        text's shingles in the longer's when the shorter is not a fragment or a stub, keeping
        enough of the longer's lead either way (a Jaccard similarity of `lead_free_jaccard`
        needs none: most of the text is the same). Both are counted exactly, but only for pairs
        whose signature estimate leaves them within reach of a threshold (the rest keep the
        estimate and fail); all pairs of a batch at once, looked up in the (row, shingle) keys
        of the batch's articles that have such pairs.
        """
        s = self._s
        equal = np.take(self._sigs, old, axis=0) == np.take(self._sigs, new, axis=0)
        jac = _row_counts(equal) / s.num_perm
        off = self._offsets
        sizes, qsize = off[old + 1] - off[old], off[new + 1] - off[new]
        smaller, larger = np.minimum(sizes, qsize), np.maximum(sizes, qsize)
        ratio = np.where(larger > 0, smaller / np.maximum(larger, 1), 0.0)
        passes = (ratio >= s.min_length_ratio) & (smaller >= s.lead_size)
        # exact counts only where a threshold can be met: the estimate's upper bound (a few
        # standard errors, counting at most one bin per shingle of the smaller text) decides
        k_eff = np.minimum(s.num_perm, np.maximum(smaller, 1))
        p = np.maximum(jac, 1.0 / k_eff)
        hi = np.minimum(jac + _SIGMAS * np.sqrt(p * (1 - p) / k_eff), 1.0)
        contain_hi = hi * (sizes + qsize) / (1 + hi) / np.maximum(smaller, 1)
        maybe_j = hi >= s.min_jaccard
        maybe_c = passes & (contain_hi >= s.min_containment)
        j = new - first
        # the (row << 32 | shingle) keys of the batch's articles with such pairs, and leads
        rows, _ = distinct(j[maybe_j | maybe_c])
        mine = _KeySet(self._keys_of(rows, first + rows))
        lead_len = np.diff(batch.lead_bounds)
        lead_keys = (np.repeat(np.arange(n, dtype=np.uint64), lead_len) << _U32) | batch.lead[
            : batch.lead_bounds[-1]
        ].astype(np.uint64)
        # a text's lead is among its shingles: the slots of `mine` that hold a lead shingle
        in_my_lead = mine.marks(lead_keys)
        # the earlier text's lead in the new one, where the earlier one is not shorter
        new_longer = sizes < qsize
        share = np.ones(new.size)
        known = np.flatnonzero((maybe_j | maybe_c) & ~new_longer & (self._lead_n[old] > 0))
        if known.size:
            keys = (j[known].astype(np.uint64)[:, None] << _U32) | self._lead[old[known]]
            valid = np.arange(self._lead.shape[1]) < self._lead_n[old[known]][:, None]
            found = _row_counts(mine.has(keys) & valid)
            share[known] = found / self._lead_n[old[known]]
        need = np.flatnonzero(
            (maybe_j & ((share >= s.min_lead_jaccard) | (hi >= s.lead_free_jaccard)))
            | (maybe_c & (new_longer | (share >= s.min_lead)))
        )
        nl = np.flatnonzero(new_longer & (lead_len[j] > 0))
        lead_pair = np.zeros(new.size, bool)  # pairs whose new lead is counted in the old
        lead_pair[nl] = True
        inter = np.zeros(new.size, np.int64)
        in_lead = np.zeros(new.size, np.int64)
        # in chunks of at most _PIECES shingles, so a burst of candidates stays small in memory
        work = np.cumsum(sizes[need])
        bounds = [0]
        while bounds[-1] < need.size:
            at_most = (int(work[bounds[-1] - 1]) if bounds[-1] else 0) + _PIECES
            bounds.append(max(int(np.searchsorted(work, at_most, "right")), bounds[-1] + 1))
        for lo, hi in itertools.pairwise(bounds):
            part = need[lo:hi]
            hit, slot = mine.lookup(self._keys_of(j[part], old[part]))
            starts = np.cumsum(sizes[part]) - sizes[part]
            inter[part] = np.add.reduceat(hit.view(np.uint8), starts, dtype=np.int64)
            hit &= np.repeat(lead_pair[part], sizes[part])
            h = np.flatnonzero(hit)
            h = h[in_my_lead[slot[h]]]
            which = np.searchsorted(starts, h, side="right") - 1
            in_lead[part] = np.bincount(which, minlength=part.size)
        share[nl] = in_lead[nl] / lead_len[j[nl]]
        contain = np.where(smaller > 0, inter / np.maximum(smaller, 1), 0.0)
        union = sizes + qsize - inter
        counted = np.zeros(new.size, bool)
        counted[need] = True
        jac = np.where(counted & (union > 0), inter / np.maximum(union, 1), jac)
        ok = counted & (
            (
                (jac >= s.min_jaccard)
                & ((share >= s.min_lead_jaccard) | (jac >= s.lead_free_jaccard))
                & (smaller >= s.min_shingles)
            )
            | ((contain >= s.min_containment) & passes & (share >= s.min_lead))
        )
        return ok, jac, contain

    # -- public ------------------------------------------------------------------------------

    def add_sketch(self, article_id: str, sketch: Sketch) -> CopyMatch:
        """Add an article by its stored sketch: matched without re-reading its text."""
        return self.add_sketches([(article_id, sketch)])[0]

    def add_sketches(self, items: Sequence[tuple[str, Sketch]]) -> list[CopyMatch]:
        """Add articles by their sketches, in order: the same as `add_sketch` one at a time
        (each is matched against the articles before it only), done for all at once."""
        if not self._started():
            self._reset()
        items = self._current(items)
        ids = [article_id for article_id, _ in items]
        num_perm = self._s.num_perm
        good, bad = self._check_ids(ids)
        for i in range(good):
            size = items[i][1].signature.size
            if size != num_perm:
                good, bad = i, ValueError(f"sketch has {size} values, not {num_perm}")
                break
        matches = (
            self._add_all(ids[:good], SketchBatch.of([sk for _, sk in items[:good]], num_perm))
            if good
            else []
        )
        if bad is not None:
            raise bad
        return matches

    def add_batch(self, ids: Sequence[str], batch: SketchBatch) -> list[CopyMatch]:
        """Add articles by their sketches in flat arrays (`MinHasher.sketch_batch`), in order:
        the same as `add_sketches`, without an object per sketch."""
        if len(ids) != len(batch):
            raise ValueError(f"{len(ids)} ids for {len(batch)} sketches")
        if not self._started():
            self._reset()
        if batch.signatures.shape[1] != self._s.num_perm or batch.scheme != self.hasher_.scheme:
            return self.add_sketches(list(zip(ids, batch.sketches(), strict=True)))
        good, bad = self._check_ids(ids)
        if good < len(ids):
            batch = SketchBatch.of(batch.sketches()[:good], self._s.num_perm)
        matches = self._add_all(ids[:good], batch) if good else []
        if bad is not None:
            raise bad
        return matches

    def _check_ids(self, ids: Sequence[str]) -> tuple[int, Exception | None]:
        """How many of the ids come before the first one already added (or repeated, or not
        a string), and the error for that one."""
        if (
            len(set(ids)) == len(ids)
            and self.slot_of_.keys().isdisjoint(ids)
            and all(type(i) is str for i in ids)
        ):
            return len(ids), None  # the usual case, in C; the loop below finds the culprit
        seen: set[str] = set()
        for i, article_id in enumerate(ids):
            if not isinstance(article_id, str):
                return i, TypeError(f"an article id is a str, not {type(article_id).__name__}: "
                                    f"{article_id!r}")  # fmt: skip
            if article_id in self.slot_of_ or article_id in seen:
                return i, ValueError(f"article already added: {article_id!r}")
            seen.add(article_id)
        return len(ids), None

    def _current(self, items: Sequence[tuple[str, Sketch]]) -> Sequence[tuple[str, Sketch]]:
        """The items with sketches of an older signature scheme re-signed from their exact
        shingles, so signatures of two schemes are never compared."""
        old = [i for i, (_, sk) in enumerate(items) if sk.scheme != self.hasher_.scheme]
        if not old:
            return items
        fresh = self.hasher_.resketch([items[i][1] for i in old])
        out = list(items)
        for i, sk in zip(old, fresh, strict=True):
            out[i] = (out[i][0], sk)
        return out

    def _add_all(self, article_ids: Sequence[str], batch: SketchBatch) -> list[CopyMatch]:
        first, n = self._n, len(article_ids)
        self._store(batch)
        self.ids_.extend(article_ids)
        self.slot_of_.update(zip(article_ids, range(first, first + n), strict=True))
        self.parent_.extend(range(first, first + n))
        new, old, counts = self._candidates(first, n)
        ok, jac, contain = self._verify(first, n, batch, new, old)
        good = np.flatnonzero(ok)
        good = good[np.lexsort((old[good], -contain[good], -jac[good], new[good]))]
        bounds = np.searchsorted(new[good], np.arange(first, first + n + 1))
        copying = np.flatnonzero(bounds[1:] > bounds[:-1]).tolist()
        ids, g_old = self.ids_, old[good].tolist()
        new_ids = ids[first:]
        # every link and every match built by `map` (in C); most articles copy nothing, and
        # nothing has joined their group yet: they keep their match, the others get theirs
        # after their unions, in order (a group's name may change with each)
        links = list(map(CopyLink, [ids[o] for o in g_old], jac[good].tolist(),
                         contain[good].tolist()))  # fmt: skip
        seen = counts.tolist()
        matches = list(map(CopyMatch, new_ids, new_ids, itertools.repeat((), n), seen))
        ends = bounds.tolist()
        off, g_new = self._offsets, new[good]
        # links whose new article is much shorter than the old one: maybe one part of it
        shorter = (off[g_new + 1] - off[g_new]) < _WHOLE * (off[old[good] + 1] - off[old[good]])
        part_like = shorter.tolist()
        members = self._members
        for i in copying:
            slot, lo, hi = first + i, ends[i], ends[i + 1]
            if hi - lo == 1 and not part_like[lo]:  # the usual case: one link, no part
                self._union(slot, g_old[lo])
                matches[i] = CopyMatch(new_ids[i], self._name(self._find(slot)), (links[lo],),
                                       seen[i])  # fmt: skip
                continue
            kept: list[int] = []
            for k in range(lo, hi):
                maybe_part = part_like[k] and self._find(g_old[k]) in members
                if maybe_part and self._one_part_of(slot, g_old[k]):
                    continue
                if kept and not self._bridges(slot, g_old[k]):
                    continue
                kept.append(k)
                self._union(slot, g_old[k])
            if not kept:
                continue
            copied = tuple(links[lo:hi]) if len(kept) == hi - lo else tuple(links[k] for k in kept)
            matches[i] = CopyMatch(new_ids[i], self._name(self._find(slot)), copied, seen[i])
        return matches

    def _bridges(self, slot: int, old: int) -> bool:
        """Whether the new article at `slot`, in a group already, may join `old`'s group too:
        when `old` shares text with a member of its group, or is in it already. A round-up
        holding two reports would otherwise join their two groups, which share nothing."""
        root = self._find(slot)
        if self._find(old) == root:
            return True
        return self._shares_with_members(old, root, skip=(slot,))

    def _one_part_of(self, slot: int, old: int) -> bool:
        """Whether the new article at `slot`, copying the longer `old`, is only one part of
        it, beside the other parts its group was joined by: a round-up of several reports
        (the king's audiences, then his cables) holds each report, and each report joining
        the round-up's group made one copy group, and one story, of unrelated news. It is
        when `old`'s group has other members and the new article shares little with any of
        them (checked up to `_PARTS_CHECKED`)."""
        off = self._offsets
        if off[slot + 1] - off[slot] >= _WHOLE * (off[old + 1] - off[old]):
            return False  # about as long as the old one, or longer: not a part of it
        root = self._find(old)
        others = any(m not in (old, slot) for m in self._members.get(root, ()))
        return others and not self._shares_with_members(slot, root, skip=(old,))

    def _shares_with_members(self, slot: int, root: int, skip: tuple[int, ...]) -> bool:
        """Whether the text at `slot` shares `_PART_SHARE` of its shingles (or of the other's,
        if fewer) with a member of the group at `root` (its first `_PARTS_CHECKED` members
        but `skip` and itself; forgotten ones left out); True when there is none to check."""
        off = self._offsets
        mine = self._shingles[off[slot] : off[slot + 1]]
        checked = 0
        for member in self._members.get(root, [root]):
            if member == slot or member in skip or member in self._gone:
                continue
            theirs = self._shingles[off[member] : off[member + 1]]
            if not theirs.size:
                continue
            at = np.minimum(np.searchsorted(theirs, mine), theirs.size - 1)  # both sorted
            shared = int(np.count_nonzero(theirs[at] == mine))
            if shared >= _PART_SHARE * min(mine.size, theirs.size):
                return True
            checked += 1
            if checked >= _PARTS_CHECKED:
                break
        return checked == 0

    def sketch_texts(self, texts: Sequence[str]) -> list[Sketch]:
        """Sketches of several texts at once (the fast path), ready for `add_sketch`."""
        if not self._started():
            self._reset()
        return self.hasher_.sketches(texts)

    def sketch_batch(self, texts: Sequence[str]) -> SketchBatch:
        """Sketches of several texts in flat arrays, ready for `add_batch`."""
        if not self._started():
            self._reset()
        return self.hasher_.sketch_batch(texts)

    def add(self, article_id: str, normalized_text: str) -> CopyMatch:
        """Add one article (its normalised body) and say which earlier articles it copies."""
        if not isinstance(normalized_text, str):
            raise TypeError(
                f"article {article_id!r}: the text is a str, not {type(normalized_text).__name__}"
            )
        if not self._started():
            self._reset()
        return self.add_sketch(article_id, self.hasher_.sketches([normalized_text])[0])

    def fit(self, items: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Start afresh, add `(article_id, normalized_text)` pairs in order; id -> group id.

        Texts are sketched and matched in batches (the fast path); each article is matched
        against the articles before it only, exactly as `add` one at a time, so batch and
        streaming give the same groups. The next batch is sketched on a helper thread while
        this one is matched: sketching is mostly NumPy, which lets the thread run beside the
        matching (over SaudiNewsNet about a quarter less wall time on two cores).
        """
        self._reset()
        with ThreadPoolExecutor(1, thread_name_prefix="akhbar-sketch") as helper:
            pending: tuple[list[str], Future[SketchBatch]] | None = None
            rest = iter(items)
            done = 0
            for batch in iter(lambda: list(itertools.islice(rest, FIT_BATCH)), []):
                bad = _bad_pair(batch, done)
                if bad is not None:  # what comes before it is added, as for a repeated id
                    if pending is not None:
                        self.add_batch(pending[0], pending[1].result())
                    good = batch[: bad.index]
                    if good:
                        texts = [text for _, text in good]
                        self.add_batch([aid for aid, _ in good], self.hasher_.sketch_batch(texts))
                    raise bad.error
                done += len(batch)
                ahead = helper.submit(self.hasher_.sketch_batch, [text for _, text in batch])
                if pending is not None:
                    self.add_batch(pending[0], pending[1].result())
                pending = ([aid for aid, _ in batch], ahead)
            if pending is not None:
                self.add_batch(pending[0], pending[1].result())
        return self.groups()


@dataclass(frozen=True, slots=True)
class _BadPair:
    """The first item of a batch that is not an id and a text, and the error naming it."""

    index: int
    error: TypeError


def _bad_pair(items: Sequence[object], before: int) -> _BadPair | None:
    """The first item that is not an `(article_id, normalized_text)` pair of strings, named
    by its place among all items (a dict or a list of strings would otherwise be unpacked
    letter by letter); None when every item is one."""
    if all(type(x) is tuple and len(x) == 2 and type(x[0]) is type(x[1]) is str for x in items):
        return None  # the usual case; the loop below finds the culprit
    for i, item in enumerate(items):
        if not (
            isinstance(item, tuple | list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], str)
        ):
            return _BadPair(i, TypeError(
                f"item {before + i} is not an (article_id, normalized_text) pair of strings: "
                f"{item!r:.80}"
            ))  # fmt: skip
    return None


def _row_counts(flags: npt.NDArray[np.bool_]) -> I64:
    """True values per row of a 2-D bool array: bytes summed in uint8 under 256 columns
    (several times faster than `count_nonzero(axis=1)`), else `count_nonzero`."""
    out: I64
    if flags.shape[1] < 256:
        out = flags.view(np.uint8).sum(axis=1, dtype=np.uint8).astype(np.int64)
    else:
        out = np.asarray(np.count_nonzero(flags, axis=1), np.int64)
    return out


def _grow(owner: object, name: str, size: int, used: int) -> None:
    """Give the array `owner.name` `size` rows, keeping its first `used`, the rest zero.

    A large array lives on an anonymous memory map, which grows by remapping its pages
    (mremap): nothing is copied, and pages never written are never resident. Copying into
    fresh memory instead (doubling each time) touched each stored row's pages again, about
    0.1 s of the corpus run; `ndarray.resize` copied as often as not too (glibc moves a heap
    block it cannot extend). Where the map cannot be resized (something still views it, or no
    mremap on this system) the used rows are copied into a new map.
    """
    a = getattr(owner, name)
    shape, dtype = (size, *a.shape[1:]), a.dtype
    nbytes = math.prod(shape) * dtype.itemsize
    mm = _map_of(a)
    if mm is not None:
        old_shape = a.shape
        del a
        delattr(owner, name)  # the map's only view gone, it can be resized
        try:
            mm.resize(max(nbytes, mmap.PAGESIZE))
        except (BufferError, OSError, SystemError, ValueError):
            a = _on_map(mm, dtype, old_shape)  # still viewed elsewhere: copied below
        else:
            setattr(owner, name, _on_map(mm, dtype, shape))
            return
    fresh = _new_map(nbytes) if nbytes >= _MAPPED else None
    out = np.zeros(shape, dtype) if fresh is None else _on_map(fresh, dtype, shape)
    out[:used] = a[:used]
    setattr(owner, name, out)


def _new_map(nbytes: int) -> mmap.mmap | None:
    """A private anonymous memory map (a shared one could not grow: its pages past the first
    size fault), None where the system has no such maps."""
    if not hasattr(mmap, "MAP_PRIVATE") or not hasattr(mmap, "MAP_ANONYMOUS"):
        return None
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    mm = mmap.mmap(-1, max(nbytes, mmap.PAGESIZE), flags=flags)
    if hasattr(mmap, "MADV_HUGEPAGE"):  # as NumPy asks for its large arrays: fewer faults
        mm.madvise(mmap.MADV_HUGEPAGE)
    return mm


def _on_map(mm: mmap.mmap, dtype: np.dtype[Any], shape: tuple[int, ...]) -> npt.NDArray[Any]:
    """An array of this shape on the start of a memory map (zero where never written)."""
    return np.frombuffer(mm, dtype, count=math.prod(shape)).reshape(shape)


def _map_of(a: npt.NDArray[Any]) -> mmap.mmap | None:
    """The memory map an array lies on (through its bases), None for an ordinary array."""
    base: object = a.base
    while base is not None and not isinstance(base, mmap.mmap):
        base = base.obj if isinstance(base, memoryview) else getattr(base, "base", None)
    return base


class _KeySet:
    """An open-addressing hash set of distinct uint64 keys (none all ones), built and probed
    with whole-array operations: a membership test is a multiply, a gather and a compare."""

    _EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
    _GOLD = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, keys: U64) -> None:
        # at least four slots a key: most probes settle at the first slot
        bits = max(4, int(4 * max(keys.size, 1) - 1).bit_length())
        self._shift = np.uint64(64 - bits)
        self._mask = np.int64((1 << bits) - 1)
        self._table = np.full(1 << bits, self._EMPTY, np.uint64)
        pos = self._slot(keys)
        # the table starts empty: every key is written at its first slot, and those that lost
        # it to another key (the last write wins) go on from the next slot
        self._table[pos] = keys
        todo = np.flatnonzero(np.take(self._table, pos) != keys)
        pos = (pos[todo] + 1) & self._mask
        while todo.size:  # place what lands on an empty slot; the rest try the next slot
            free = np.take(self._table, pos) == self._EMPTY
            self._table[pos[free]] = keys[todo[free]]
            placed = np.take(self._table, pos) == keys[todo]
            todo, pos = todo[~placed], (pos[~placed] + 1) & self._mask

    def _slot(self, keys: U64) -> I64:
        with np.errstate(over="ignore"):
            h = keys * self._GOLD
        h >>= self._shift
        return h.view(np.int64)

    def has(self, keys: U64) -> npt.NDArray[np.bool_]:
        """Whether each key is in the set."""
        return self.lookup(keys)[0]

    def find(self, keys: U64) -> I64:
        """The table slot holding each key, -1 for a key not in the set: a slot indexes a
        mark array (`marks`) as well as a test."""
        found, slot = self.lookup(keys)
        slot[~found] = -1
        return slot

    def lookup(self, keys: U64) -> tuple[npt.NDArray[np.bool_], I64]:
        """Whether each key is in the set, and the slot holding it (meaningless where not):
        `find` without marking the misses."""
        flat = keys.ravel()
        slot = self._slot(flat)
        held = np.take(self._table, slot)  # `take`: a random gather faster than `[]`
        found: npt.NDArray[np.bool_] = held == flat  # most keys settle at their first slot
        todo = np.flatnonzero(~found & (held != self._EMPTY))
        pos = (slot[todo] + 1) & self._mask
        while todo.size:
            held = np.take(self._table, pos)
            hit = held == flat[todo]
            found[todo[hit]] = True
            slot[todo[hit]] = pos[hit]
            go = ~hit & (held != self._EMPTY)
            todo, pos = todo[go], (pos[go] + 1) & self._mask
        return found.reshape(keys.shape), slot.reshape(keys.shape)

    def marks(self, keys: U64) -> npt.NDArray[np.bool_]:
        """Slot -> whether it holds one of `keys` (any keys; those not in the set mark
        nothing): a subset looked up by slot, without a set of its own."""
        out = np.zeros(self._table.size, bool)
        slot = self.find(keys)
        out[slot[slot >= 0]] = True
        return out
