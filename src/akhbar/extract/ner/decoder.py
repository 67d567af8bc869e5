"""Viterbi decoding of the trained CRF in NumPy, with per-word score vectors cached.

crfsuite converts every feature string of every token on every call; here each distinct word's
feature weights are summed once (its own features, and what it contributes to each neighbour),
so tagging an article is a few array additions and one batched Viterbi pass over its sentences.
The result is the same labelling crfsuite computes from the same weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pycrfsuite

from akhbar.extract.ner.features import OFFSETS, WordInfo

__all__ = ["CrfWeights"]

_CACHE_LIMIT = 200_000
Matrix = npt.NDArray[np.float64]


class CrfWeights:
    """State and transition weights of a CRF, and the cached score vectors of words."""

    def __init__(self, crf: pycrfsuite.Tagger, edge: WordInfo, o_penalty: float = 0.0) -> None:
        info = crf.info()
        self.labels: tuple[str, ...] = tuple(crf.labels())
        index = {label: i for i, label in enumerate(self.labels)}
        size = len(self.labels)
        self._state: dict[str, Matrix] = {}
        for (attribute, label), weight in info.state_features.items():
            vec = self._state.get(attribute)
            if vec is None:
                vec = self._state[attribute] = np.zeros(size)
            vec[index[label]] += weight
        self._transitions = np.zeros((size, size))
        for (source, target), weight in info.transitions.items():
            self._transitions[index[source], index[target]] = weight
        self._zero = np.zeros(size)
        # Subtracted from the O score of every token: the CRF trained on sparse names is
        # conservative (precision well above recall); a small shift towards names balances them.
        self._bias = np.zeros(size)
        if "O" in index:
            self._bias[index["O"]] = -o_penalty
        self._cache: dict[str, Matrix] = {}
        self._edge = self._word(edge)

    def _sum(self, features: Sequence[str]) -> Matrix:
        """Sum of the weight vectors of the features (unknown features weigh nothing)."""
        state = self._state
        total = self._zero.copy()
        for feature in features:
            vec = state.get(feature)
            if vec is not None:
                total += vec
        return total

    def _word(self, info: WordInfo) -> Matrix:
        """Rows: the word's own score, then what it adds to the token at each offset."""
        return np.stack([self._sum(info.own), *(self._sum(near) for near in info.near)])

    def word_scores(self, key: str, info: WordInfo) -> Matrix:
        """The cached score rows of one surface form."""
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            hit = self._cache[key] = self._word(info)
        return hit

    def emissions(self, rows: list[Matrix], marks: Sequence[str | None]) -> Matrix:
        """Per-token label scores of one sentence from its words' score rows."""
        return self.article_emissions(rows, [len(rows)], marks)

    def article_emissions(
        self, rows: list[Matrix], lengths: Sequence[int], marks: Sequence[str | None]
    ) -> Matrix:
        """Per-token label scores of consecutive sentences (`lengths` tokens each), in one pass.

        A neighbour in another sentence counts as the sentence edge, as in training.
        """
        n = len(rows)
        stacked = np.stack(rows)  # n x 7 x labels
        sentence = np.repeat(np.arange(len(lengths)), lengths)
        edge = self._edge
        out = stacked[:, 0] + self._bias
        for k, off in enumerate(OFFSETS, start=1):
            shifted = np.broadcast_to(edge[k], out.shape).copy()
            if off < 0:
                a = -off
                same = sentence[a:] == sentence[: max(n - a, 0)]
                shifted[a:][same] = stacked[: max(n - a, 0), k][same]
            else:
                same = sentence[: max(n - off, 0)] == sentence[off:]
                shifted[: max(n - off, 0)][same] = stacked[off:, k][same]
            out += shifted
        for i, mark in enumerate(marks):
            if mark is not None:
                out[i] += self._sum((mark,))
        return out

    def viterbi(self, emissions: list[Matrix]) -> list[list[str]]:
        """Best label sequence of every sentence, decoded together in one padded batch."""
        if not emissions:
            return []
        lengths = [len(e) for e in emissions]
        longest = max(lengths)
        size = len(self.labels)
        batch = np.zeros((len(emissions), longest, size))
        for s, e in enumerate(emissions):
            batch[s, : len(e)] = e
        trans = self._transitions[None, :, :]
        delta = batch[:, 0]
        history = np.empty((longest, len(emissions), size))
        history[0] = delta
        pointers = np.empty((longest, len(emissions), size), dtype=np.intp)
        for t in range(1, longest):
            cand = delta[:, :, None] + trans
            pointers[t] = cand.argmax(1)
            delta = cand.max(1) + batch[:, t]
            history[t] = delta
        last = np.array(lengths) - 1
        rows = np.arange(len(emissions))
        current = history[last, rows].argmax(1)
        paths = np.empty((len(emissions), longest), dtype=np.intp)
        paths[rows, last] = current
        for t in range(longest - 1, 0, -1):
            inside = last >= t
            current = np.where(inside, pointers[t, rows, current], current)
            paths[inside, t - 1] = current[inside]
        labels = self.labels
        return [
            [labels[i] for i in path[:n]] for path, n in zip(paths.tolist(), lengths, strict=True)
        ]
