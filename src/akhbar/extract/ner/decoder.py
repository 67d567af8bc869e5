"""Viterbi decoding of the trained CRF in NumPy, over whole articles at once.

crfsuite converts every feature string of every token on every call; here each distinct word's
feature weights are summed once (its own features, and what it contributes to each neighbour),
so an article's label scores are one gather and a sum, and all its sentences are decoded in one
batched Viterbi pass. The result is the labelling crfsuite computes from the same weights.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pycrfsuite

from akhbar.extract.ner.features import OFFSETS, WordInfo

__all__ = ["CrfWeights"]

Matrix = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]


class CrfWeights:
    """State and transition weights of a CRF, and decoding with them."""

    def __init__(self, crf: pycrfsuite.Tagger, edge: WordInfo, o_penalty: float = 0.0) -> None:
        info = crf.info()
        self.labels: tuple[str, ...] = tuple(crf.labels())
        index = {label: i for i, label in enumerate(self.labels)}
        size = len(self.labels)
        # Row 0 of the weight table is all zeros: the row of every unknown feature.
        self._attributes: dict[str, int] = {}
        for attribute, _ in info.state_features:
            self._attributes.setdefault(attribute, len(self._attributes) + 1)
        self._weights = np.zeros((len(self._attributes) + 1, size))
        for (attribute, label), weight in info.state_features.items():
            self._weights[self._attributes[attribute], index[label]] += weight
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

    def rows_of(self, info: WordInfo) -> Matrix:
        """Rows: the word's own score, then what it adds to the token at each offset."""
        get = self._attributes.get
        found: list[int] = []
        bounds: list[int] = []
        for group in (info.own, *info.near):
            bounds.append(len(found))
            found.append(0)  # the zero row: an empty group sums to zero
            found += [get(feature, 0) for feature in group]
        rows: Matrix = np.add.reduceat(self._weights[found], bounds)
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
        offsets = np.array(OFFSETS, dtype=np.intp)
        at = position[:, None] + offsets[None, :]
        inside = (at >= 0) & (at < length[:, None])
        neighbour = np.clip(np.arange(n)[:, None] + offsets[None, :], 0, max(n - 1, 0))
        chosen = np.empty((n, 1 + len(OFFSETS)), dtype=np.intp)
        chosen[:, 0] = ids
        chosen[:, 1:] = np.where(inside, ids[neighbour], 0)
        scores: Matrix = table[chosen, np.arange(1 + len(OFFSETS))].sum(1)
        scores += self._bias
        return scores

    def decode(self, emissions: Matrix, starts: Indices, lengths: Indices) -> Indices:
        """The best label index of every token, each sentence (`starts`, `lengths`) on its own.

        Sentences are decoded together, right-aligned in one padded batch so that all of them
        end on the last step; a sentence's first step ignores what came before it.
        """
        count = len(starts)
        longest = int(lengths.max())
        size = len(self.labels)
        steps = np.arange(longest)
        pad = longest - lengths
        real = steps[None, :] >= pad[:, None]  # sentences x steps
        positions = np.where(real, starts[:, None] + steps[None, :] - pad[:, None], 0)
        batch = emissions[positions]
        trans = self._transitions[None, :, :]
        # The sentences whose first token is at each step: their earlier steps are padding.
        opening: dict[int, list[int]] = {}
        for sentence, step in enumerate(pad.tolist()):
            if step:
                opening.setdefault(step, []).append(sentence)
        delta = batch[:, 0]
        pointers = np.empty((longest, count, size), dtype=np.intp)
        for t in range(1, longest):
            cand = delta[:, :, None] + trans
            cand.argmax(1, out=pointers[t])
            delta = cand.max(1)
            starting = opening.get(t)
            if starting is not None:
                delta[starting] = 0.0
            delta += batch[:, t]
        current = delta.argmax(1)
        paths = np.empty((count, longest), dtype=np.intp)
        paths[:, -1] = current
        rows = np.arange(count)
        for t in range(longest - 1, 0, -1):
            current = pointers[t, rows, current]
            paths[:, t - 1] = current
        labels = np.empty(len(emissions), dtype=np.intp)
        labels[positions[real]] = paths[real]
        return labels
