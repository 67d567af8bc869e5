"""Batch story clustering: the streaming clusterer, given the whole corpus's statistics first."""

from __future__ import annotations

from collections.abc import Iterable

from akhbar.stories.doc import StoryDoc
from akhbar.stories.params import StoryParams
from akhbar.stories.stream import Assignment, StoryClusterer

__all__ = ["cluster", "time_order"]


def time_order(docs: Iterable[StoryDoc]) -> list[StoryDoc]:
    """Docs sorted by time (stable); an undated doc keeps the time of the dated doc before it."""
    keyed: list[tuple[float, int, StoryDoc]] = []
    last = float("-inf")
    for i, doc in enumerate(docs):
        if doc.published is not None:
            last = doc.published.timestamp()
        keyed.append((last, i, doc))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [doc for _, _, doc in keyed]


def cluster(docs: Iterable[StoryDoc], params: StoryParams | None = None) -> dict[str, Assignment]:
    """Cluster a whole corpus: document frequencies from all of it, then a time-ordered pass."""
    ordered = time_order(docs)
    clusterer = StoryClusterer(params)
    for doc in ordered:
        clusterer.vectorizer_.learn(doc)
    clusterer.vectorizer_.freeze()
    return clusterer.add_many(ordered)
