"""Viterbi decoding of the trained CRF in NumPy, over whole articles (or batches of them) at once.

crfsuite converts every feature string of every token on every call; here each distinct word's
feature weights are summed once (its own features, and what it contributes to each neighbour),
so the label scores are a few gathers and sums, and all sentences are decoded in a few batched
Viterbi passes. The result is the labelling crfsuite computes from the same weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pycrfsuite

from akhbar.extract.ner.features import OFFSETS, WordInfo

__all__ = ["CrfWeights"]

Matrix = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]
# Keeps prefix maxima inside one sentence (sentence sums stay far below it), and the slack
# that float rounding of those offsets needs; a token within it of a name is kept open.
_SEGMENTS = 1e6
_TOLERANCE = 1e-3
# The fixed cost of one Viterbi step, in units of the work per stretch and step.
_STEP_COST = 40


_OFFSET_HEADS = {str(off): off for off in OFFSETS}


def _split_offset(attribute: str) -> tuple[int | None, str]:
    """The neighbour offset of a CRF attribute and the feature it names (None: the token's own).

    Own features start with a letter; shown ones with their offset (`-1b=...`, `2sh=A`).
    """
    head = attribute[:2] if attribute[:1] == "-" else attribute[:1]
    offset = _OFFSET_HEADS.get(head)
    if offset is not None:
        return offset, attribute[len(head) :]
    return None, attribute


def _groups(lengths: Indices) -> list[Indices]:
    """Stretches to decode in one batch each: a batch costs a fixed overhead per step of its
    longest stretch plus work per stretch and step, so stretches of similar length (powers of
    two apart) go together, and neighbouring classes merge where one batch costs less."""
    classes = np.frexp(lengths)[1]  # 1 -> 1, 2..3 -> 2, 4..7 -> 3, ...
    order = np.argsort(classes, kind="stable")
    kinds, firsts, counts = np.unique(classes[order], return_index=True, return_counts=True)
    longest = [int(lengths[order[f : f + c]].max()) for f, c in zip(firsts, counts, strict=True)]
    k = len(kinds)
    # best[j]: the cheapest split of classes 0..j-1; cut[j]: where its last batch begins.
    best = [0.0] + [math.inf] * k
    cut = [0] * (k + 1)
    for j in range(1, k + 1):
        rows = 0
        for i in range(j - 1, -1, -1):
            rows += int(counts[i])
            cost = best[i] + longest[j - 1] * (_STEP_COST + rows)
            if cost < best[j]:
                best[j], cut[j] = cost, i
    out: list[Indices] = []
    j = k
    while j > 0:
        i = cut[j]
        out.append(order[firsts[i] : firsts[j - 1] + counts[j - 1]])
        j = i
    return out[::-1]


def _group_sums(table: Matrix, index: dict[str, int], groups: Sequence[Sequence[str]]) -> Matrix:
    """For each group of feature names, the sum of their rows in `table` (row 0: zeros, for
    names the model never weighed)."""
    get = index.get
    found: list[int] = []
    bounds: list[int] = []
    for names in groups:  # every group starts with the zero row, so none is empty
        bounds.append(len(found))
        found.append(0)
        found += [get(name, 0) for name in names]
    sums: Matrix = np.add.reduceat(table[found], bounds)
    return sums


class CrfWeights:
    """State and transition weights of a CRF, and decoding with them."""

    def __init__(self, crf: pycrfsuite.Tagger, edge: WordInfo, o_penalty: float = 0.0) -> None:
        info = crf.info()
        self.labels: tuple[str, ...] = tuple(crf.labels())
        index = {label: i for i, label in enumerate(self.labels)}
        size = len(self.labels)
        # Features of the token itself, and what neighbours show it ("-1b=..." is feature
        # "b=..." of the previous token): one row per feature, one block of six offset rows per
        # shown feature. Row and block 0 are zeros, for features the model never weighed.
        own: dict[str, int] = {}
        shown: dict[str, int] = {}
        for attribute, _ in info.state_features:
            offset, name = _split_offset(attribute)
            if offset is None:
                own.setdefault(attribute, len(own) + 1)
            else:
                shown.setdefault(name, len(shown) + 1)
        self._attributes = own
        self._shown = shown
        self._weights = np.zeros((len(own) + 1, size))
        blocks = np.zeros((len(shown) + 1, len(OFFSETS), size))
        slot = {off: k for k, off in enumerate(OFFSETS)}
        for (attribute, label), weight in info.state_features.items():
            offset, name = _split_offset(attribute)
            if offset is None:
                self._weights[own[attribute], index[label]] += weight
            else:
                blocks[shown[name], slot[offset], index[label]] += weight
        # Per distance: the blocks of offsets -d and +d, and the rows of `rows_of` they fill.
        self._near = [
            (np.ascontiguousarray(blocks[:, [slot[-d], slot[d]]]), [1 + slot[-d], 1 + slot[d]])
            for d in (1, 2, 3)
        ]
        self._transitions = np.zeros((size, size))
        for (source, target), weight in info.transitions.items():
            self._transitions[index[source], index[target]] = weight
        # Subtracted from the O score of every token: the CRF trained on sparse names is
        # conservative (precision well above recall); a small shift towards names balances them.
        self._bias = np.zeros(size)
        self.outside = index.get("O", -1)
        if self.outside >= 0:
            self._bias[self.outside] = -o_penalty
        self.edge = self.rows_of(edge)
        trans = self._transitions
        if self.outside >= 0 and size > 1:  # a model that knows only O names nothing
            o = self.outside
            named = np.delete(trans, o, axis=0)
            stay = trans[o, o]
            self._into_name = np.delete(named.max(0), o) - stay  # best move into each name label
            self._from_outside = np.delete(trans[o], o) - stay
            self._to_outside = float(np.delete(trans[:, o], o).max() - stay)

    def rows_of(self, info: WordInfo) -> Matrix:
        """Rows: the word's own score, then what it adds to the token at each offset."""
        rows: Matrix = self.rows_of_many([info])[0]
        return rows

    def rows_of_many(self, infos: Sequence[WordInfo]) -> Matrix:
        """`rows_of` for several words at once (words x 7 x labels)."""
        count = len(infos)
        rows = np.empty((count, 1 + len(OFFSETS), len(self.labels)))
        rows[:, 0] = _group_sums(self._weights, self._attributes, [info.own for info in infos])
        for distance, (table, slots) in enumerate(self._near):
            shown = [info.shown[distance] for info in infos]
            rows[:, slots] = _group_sums(table, self._shown, shown)
        return rows

    def mark_scores(self, mark: str) -> Matrix:
        """The label scores one gazetteer mark adds."""
        scores: Matrix = self._weights[self._attributes.get(mark, 0)].copy()
        return scores

    def emissions(self, table: Matrix, ids: Indices, position: Indices, length: Indices) -> Matrix:
        """Per-token label scores (n x labels) from the word rows in `table` (row 0: the edge).

        `position` and `length` give each token's place in its sentence and the sentence's
        length; a neighbour outside the sentence counts as the sentence edge, as in training.
        """
        n = len(ids)
        slots = table.shape[1]
        rows = table.reshape(-1, table.shape[2])  # word w's slot j is row w * slots + j
        scores: Matrix = np.take(rows, ids * slots, axis=0)
        positions = np.arange(n)
        for j, offset in enumerate(OFFSETS, start=1):
            at = position + offset
            inside = (at >= 0) & (at < length)
            neighbour = ids[np.clip(positions + offset, 0, max(n - 1, 0))]
            # np.take gathers rows several times faster than fancy indexing does.
            scores += np.take(rows, np.where(inside, neighbour, 0) * slots + j, axis=0)
        scores += self._bias
        return scores

    def decode(self, emissions: Matrix, sentence: Indices) -> Indices:
        """The best label index of every token, each sentence (numbered by `sentence`) on its own.

        Tokens that no name can cover (see `_open`) are O; the stretches between them are
        decoded in a few batches of similar lengths (see `_groups`), a stretch after or before
        an O of its sentence taking that transition.
        """
        n = len(emissions)
        first = np.ones(n, dtype=bool)
        first[1:] = sentence[1:] != sentence[:-1]
        last = np.ones(n, dtype=bool)
        last[:-1] = first[1:]
        o = self.outside
        labels = np.full(n, max(o, 0), dtype=np.intp)
        if len(self.labels) == 1:
            return labels
        open_ = self._open(emissions, first, last) if o >= 0 else np.ones(n, dtype=bool)
        if not open_.any():
            return labels
        before = np.zeros(n, dtype=bool)
        before[1:] = open_[:-1]
        after = np.zeros(n, dtype=bool)
        after[:-1] = open_[1:]
        starts = np.flatnonzero(open_ & (first | ~before))
        ends = np.flatnonzero(open_ & (last | ~after)) + 1
        for group in _groups(ends - starts):
            self._viterbi(
                emissions, starts[group], ends[group], first=first, last=last, labels=labels
            )
        return labels

    def _viterbi(
        self,
        emissions: Matrix,
        starts: Indices,
        ends: Indices,
        *,
        first: Bools,
        last: Bools,
        labels: Indices,
    ) -> None:
        """Decode the stretches starts..ends into `labels`, right-aligned in one padded batch
        (steps x labels x stretches: each step's maximum runs over contiguous rows)."""
        o = self.outside
        count = len(starts)
        lengths = ends - starts
        longest = int(lengths.max())
        size = len(self.labels)
        steps = np.arange(longest)
        pad = longest - lengths
        real = steps[None, :] >= pad[:, None]  # stretches x steps
        positions = np.where(real, starts[:, None] + steps[None, :] - pad[:, None], 0)
        batch = emissions[positions]
        if o >= 0:
            entered = np.flatnonzero(~first[starts])
            batch[entered, pad[entered]] += self._transitions[o]
            batch[~last[ends - 1], -1] += self._transitions[:, o]
        by_step = np.ascontiguousarray(batch.transpose(1, 2, 0))
        trans = self._transitions[:, :, None]
        # The stretches whose first token is at each step: their earlier steps are padding.
        opening: dict[int, list[int]] = {}
        for stretch, step in enumerate(pad.tolist()):
            if step:
                opening.setdefault(step, []).append(stretch)
        delta = by_step[0]
        pointers = np.empty((longest, size, count), dtype=np.intp)
        for t in range(1, longest):
            cand = delta[:, None, :] + trans  # from x to x stretches
            cand.argmax(0, out=pointers[t])
            delta = cand.max(0)
            starting = opening.get(t)
            if starting is not None:
                delta[:, starting] = 0.0
            delta += by_step[t]
        current = delta.argmax(0)
        paths = np.empty((count, longest), dtype=np.intp)
        paths[:, -1] = current
        rows = np.arange(count)
        for t in range(longest - 1, 0, -1):
            current = pointers[t, current, rows]
            paths[:, t - 1] = current
        labels[positions[real]] = paths[real]

    def _open(self, emissions: Matrix, first: Bools, last: Bools) -> Bools:
        """Tokens that a name could cover in a best labelling; every other token is O.

        A best labelling's run of non-O labels must score at least as well as O throughout
        (else O there would be better). Bounding each token's gain over O, with the best
        transition into its label, bounds the gain of the best run through each token; where
        that bound is negative, no run passes.
        """
        o = self.outside
        gains = np.delete(emissions, o, axis=1) - emissions[:, [o]]
        inner = (gains + self._into_name).max(1)
        opening = np.where(first, gains.max(1), (gains + self._from_outside).max(1))
        closing = np.where(last, 0.0, self._to_outside)
        # Within each sentence: best run start up to t, best run end from t (prefix sums).
        total = np.cumsum(inner)
        sentence = np.cumsum(first)
        total -= (total - inner)[first][sentence - 1]  # sums restart at each sentence
        spread = _SEGMENTS * sentence
        ahead = np.maximum.accumulate(opening - total + spread) - spread + total
        behind = np.maximum.accumulate((total + closing - spread)[::-1])[::-1] + spread - total
        reach: Bools = ahead + behind >= -_TOLERANCE
        return reach
