"""The NumPy CRF decoder against a plain Viterbi: pruning of sure O tokens never changes a path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.extract.ner import EntityTagger
from akhbar.extract.ner.decoder import CrfWeights, _groups


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


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sentences=st.integers(20, 120))
def test_decode_in_groups_equals_plain_viterbi(
    weights: CrfWeights, seed: int, sentences: int
) -> None:
    # Many sentences of very different lengths (as when many articles are decoded together):
    # the stretches are decoded in several batches, and each path is still the plain one.
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 121, sentences)
    n = int(lengths.sum())
    emissions = rng.normal(0.0, 3.0, (n, len(weights.labels)))
    emissions[:, weights.outside] += 6.0 * (rng.random(n) < 0.8)
    sentence = np.repeat(np.arange(sentences), lengths)
    got = weights.decode(emissions, sentence).tolist()
    expected: list[int] = []
    for s in range(sentences):
        expected += plain_viterbi(emissions[sentence == s], weights._transitions)
    assert got == expected


@given(lengths=st.lists(st.integers(1, 200), min_size=1, max_size=300))
def test_groups_split_every_stretch_once(lengths: list[int]) -> None:
    groups = _groups(np.array(lengths))
    flat = np.concatenate(groups)
    assert sorted(flat.tolist()) == list(range(len(lengths)))
    assert all(len(g) for g in groups)
