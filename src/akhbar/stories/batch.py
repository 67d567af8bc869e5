"""Batch story clustering: the streaming clusterer run over the corpus in time order.

Learning document frequencies from the whole corpus first (and freezing them) was tried and
scored lower under cross-validation (story pairwise F1 0.795 vs 0.837): the decisions are
learned on streaming statistics, so batch mode uses the same ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from akhbar.stories.doc import StoryDoc
from akhbar.stories.params import StoryParams
from akhbar.stories.stream import Assignment, StoryClusterer

__all__ = ["cluster", "time_order"]


def time_order(docs: Iterable[StoryDoc]) -> list[StoryDoc]:
    """Docs in time order as a store clusters them: undated first (their stories have no
    clock and stay open for the dated ones), then by time; ties by id (a store takes them
    file by file), so that the input order does not matter."""
    return sorted(
        docs,
        key=lambda d: (
            d.published is not None,
            d.published.timestamp() if d.published else 0.0,
            d.id,
        ),
    )


def cluster(docs: Iterable[StoryDoc], params: StoryParams | None = None) -> dict[str, Assignment]:
    """Cluster a whole corpus: a time-ordered streaming pass (input order does not matter)."""
    return StoryClusterer(params).add_many(time_order(docs))
