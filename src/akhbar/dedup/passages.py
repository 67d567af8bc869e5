"""Shared passages between two articles that are not copies (quoted speech, a reused paragraph).

Both texts are tokenised (`akhbar.text.tokenize`: normalised words with offsets into the
original text). Runs of identical normalised words are grown from `seed`-word matches along
their diagonal, runs on the same diagonal separated by a few differing words (a changed
particle, an inserted name) are merged, and merged passages of at least `min_words` matching
words are returned with character offsets into each original text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from akhbar.text.tokenize import Token, tokenize

__all__ = ["PassagePair", "shared_passages"]


@dataclass(frozen=True, slots=True)
class PassagePair:
    """A passage found in both texts: `a_text[a_start:a_end]` and `b_text[b_start:b_end]`."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int  # matching words inside the passage (gaps not counted)


@dataclass(slots=True)
class _Run:
    i: int  # first token in a
    j: int  # first token in b
    n: int  # tokens in a covered (end exclusive: i + n)
    m: int  # tokens in b covered
    words: int


# a seed found this many times in b starts no run: on repetitive text (a word or a line
# repeated thousands of times) every pair of positions matched, quadratic in the length; a
# passage through such a seed still grows from its next seed
_COMMON_SEED = 32


def _runs(a: list[str], b: list[str], seed: int) -> list[_Run]:
    """Maximal runs of equal words, each found once, grown from `seed`-word matches."""
    where: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(b) - seed + 1):
        where[tuple(b[j : j + seed])].append(j)
    runs: list[_Run] = []
    covered: dict[int, int] = {}  # diagonal i - j -> end (in a) of the last run on it
    for i in range(len(a) - seed + 1):
        found = where.get(tuple(a[i : i + seed]), ())
        if len(found) > _COMMON_SEED:
            continue  # a phrase b repeats this often (a table's, a list's) seeds no passage
        for j in found:
            if covered.get(i - j, -1) > i:
                continue  # inside a run already grown on this diagonal
            n = seed
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            # back over words a common seed could not start from (`وقال` before a phrase
            # the other text repeats), not into a run already grown on this diagonal
            back = 0
            floor = covered.get(i - j, -1)
            while i - back > max(floor, 0) and j - back > 0 and a[i - back - 1] == b[j - back - 1]:
                back += 1
            covered[i - j] = i + n
            runs.append(_Run(i - back, j - back, n + back, n + back, n + back))
    return runs


def _merge(runs: list[_Run], max_gap: int) -> list[_Run]:
    """Join runs that follow each other in both texts with at most `max_gap` words between."""
    merged: list[_Run] = []
    for run in sorted(runs, key=lambda r: (r.i, r.j)):
        for prev in reversed(merged[-4:]):
            gap_a = run.i - (prev.i + prev.n)
            gap_b = run.j - (prev.j + prev.m)
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                prev.n = run.i + run.n - prev.i
                prev.m = run.j + run.m - prev.j
                prev.words += run.words
                break
        else:
            merged.append(_Run(run.i, run.j, run.n, run.m, run.words))
    return merged


def _select(runs: list[_Run]) -> list[_Run]:
    """Longest passages first, none overlapping another in either text (repeats pick once)."""
    taken_a: list[tuple[int, int]] = []
    taken_b: list[tuple[int, int]] = []
    out: list[_Run] = []
    for run in sorted(runs, key=lambda r: (-r.words, r.i, r.j)):
        a_span, b_span = (run.i, run.i + run.n), (run.j, run.j + run.m)
        if any(s < a_span[1] and a_span[0] < e for s, e in taken_a):
            continue
        if any(s < b_span[1] and b_span[0] < e for s, e in taken_b):
            continue
        taken_a.append(a_span)
        taken_b.append(b_span)
        out.append(run)
    return sorted(out, key=lambda r: (r.i, r.j))


def _pair(run: _Run, ta: list[Token], tb: list[Token]) -> PassagePair:
    return PassagePair(
        ta[run.i].start, ta[run.i + run.n - 1].end, tb[run.j].start, tb[run.j + run.m - 1].end,
        run.words,
    )  # fmt: skip


def shared_passages(
    a_text: str, b_text: str, min_words: int = 8, *, max_gap: int = 3, seed: int = 4
) -> list[PassagePair]:
    """Passages of at least `min_words` matching words that occur in both texts, in a's order.

    `max_gap` differing words may sit inside a passage; `seed` is the shortest exact run that
    starts one (shorter runs are common phrases, not shared text).
    """
    ta, tb = tokenize(a_text), tokenize(b_text)
    seed = max(1, min(seed, min_words))
    runs = _runs([t.norm for t in ta], [t.norm for t in tb], seed)
    passages = _select(_merge(runs, max_gap))
    return [_pair(r, ta, tb) for r in passages if r.words >= min_words]
