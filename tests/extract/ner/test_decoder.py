"""The NumPy CRF decoder against a plain Viterbi: pruning of sure O tokens never changes a path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.extract.ner import EntityTagger
from akhbar.extract.ner.decoder import CrfWeights


@pytest.fixture(scope="module")
def weights() -> CrfWeights:
    return EntityTagger.load()._weights


def plain_viterbi(emissions: np.ndarray, trans: np.ndarray) -> list[int]:
    """Textbook Viterbi over one sentence."""
    score = emissions[0].copy()
    back = []
    for row in emissions[1:]:
        cand = score[:, None] + trans
        back.append(cand.argmax(0))
        score = cand.max(0) + row
    path = [int(score.argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    return path[::-1]


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    lengths=st.lists(st.integers(1, 40), min_size=1, max_size=8),
    lead=st.floats(0.0, 12.0),
)
def test_decode_equals_plain_viterbi(
    weights: CrfWeights, seed: int, lengths: list[int], lead: float
) -> None:
    # Emissions where O leads by `lead` on most tokens, with name-like tokens here and there.
    rng = np.random.default_rng(seed)
    n = sum(lengths)
    size = len(weights.labels)
    emissions = rng.normal(0.0, 3.0, (n, size))
    emissions[:, weights.outside] += lead * (rng.random(n) < 0.8)
    sentence = np.repeat(np.arange(len(lengths)), lengths)
    got = weights.decode(emissions, sentence).tolist()
    expected: list[int] = []
    for s in range(len(lengths)):
        expected += plain_viterbi(emissions[sentence == s], weights._transitions)
    assert got == expected
