"""Evaluation gate on dev: floors pinned a little below the figures reached (see the model's
`figures`); a drop below them means a regression, not noise."""

from __future__ import annotations

import pytest

from akhbar.evaluate import score_clustering
from akhbar.stories import Assignment, StoryClusterer, StoryDoc, cluster

# (level, metric) -> floor; reached (dev without copy_of, as the fixture gives it): story b3 0.904
# / pair 0.863, event b3 0.940 / pair 0.915 (with the copy detector's copy_of: 0.905 / 0.863,
# 0.943 / 0.920)
STREAM_FLOORS = {
    ("story", "b3_f1"): 0.895,
    ("story", "pair_f1"): 0.85,
    ("event", "b3_f1"): 0.93,
    ("event", "pair_f1"): 0.90,
}
# batch is the streaming pass in time order: the same figures
BATCH_FLOORS = dict(STREAM_FLOORS)


def _check(
    assigned: dict[str, Assignment],
    gold: dict[str, dict[str, str]],
    floors: dict[tuple[str, str], float],
) -> None:
    """Assert every floor holds, naming the figures that fell short."""
    pred = {
        "story": {k: a.story_id for k, a in assigned.items()},
        "event": {k: a.event_id for k, a in assigned.items()},
    }
    low = []
    for (level, metric), floor in floors.items():
        scores = score_clustering(gold[level], pred[level])
        assert scores.missing == 0
        value = getattr(scores, metric)
        if value < floor:
            low.append(f"{level} {metric} {value:.4f} < {floor}")
    assert not low, low


@pytest.mark.shared
def test_streaming_gate(dev_docs: list[StoryDoc], dev_gold: dict[str, dict[str, str]]) -> None:
    """Streaming dev, in the shipped time order, clears the pinned floors."""
    _check(StoryClusterer().add_many(dev_docs), dev_gold, STREAM_FLOORS)


@pytest.mark.shared
def test_batch_gate(dev_docs: list[StoryDoc], dev_gold: dict[str, dict[str, str]]) -> None:
    """Batch mode on dev, given in reverse order (it sorts by time itself), clears its floors."""
    _check(cluster(dev_docs[::-1]), dev_gold, BATCH_FLOORS)
