"""The two founding seeds form one story, alone and among many unrelated articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.stories import Assignment, StoryClusterer, StoryDoc, cluster, time_order
from tests.stories.conftest import load_docs


@pytest.fixture(scope="module")
def seeds(seed_paths: dict[str, Path]) -> list[StoryDoc]:
    """Seed 000 (undated) and 001 (2026-02-09), read and cleaned."""
    docs = load_docs([seed_paths["000"], seed_paths["001"]])
    assert len(docs) == 2
    return docs


@pytest.fixture(scope="module")
def crowd(shared: Path) -> list[StoryDoc]:
    """Two days of SaudiNewsNet: thousands of unrelated articles."""
    zips = sorted((shared / "data" / "saudinewsnet").glob("*.zip"))[:2]
    return load_docs(zips)


def _together(assigned: dict[str, Assignment], docs: list[StoryDoc]) -> bool:
    """Whether both seeds got the same story id."""
    a, b = (assigned[d.id] for d in docs)
    return a.story_id == b.story_id


@pytest.mark.shared
def test_seeds_together_streaming_and_batch(seeds: list[StoryDoc]) -> None:
    """Alone, in either order, the seeds share a story."""
    assert _together(StoryClusterer().add_many(seeds), seeds)
    assert _together(StoryClusterer().add_many(seeds[::-1]), seeds)
    assert _together(cluster(seeds), seeds)


@pytest.mark.shared
@pytest.mark.slow
def test_seeds_together_among_many(seeds: list[StoryDoc], crowd: list[StoryDoc]) -> None:
    """Streamed after two days of other news (000 undated takes the latest time), and in
    batch, the seeds still share a story, and no unrelated article joins it."""
    stream = [*time_order(crowd), *seeds]
    assigned = StoryClusterer().add_many(stream)
    assert _together(assigned, seeds)
    story = assigned[seeds[0].id].story_id
    assert sum(a.story_id == story for a in assigned.values()) == 2
    batch = cluster(stream)
    assert _together(batch, seeds)
    story = batch[seeds[0].id].story_id
    assert sum(a.story_id == story for a in batch.values()) == 2
    # listed first, as a folder lists them: 000 (undated) opens its story before all the
    # others, 001 (the newest) comes last; the undated story waits for it
    listed = cluster([*seeds, *crowd])
    assert _together(listed, seeds)
    story = listed[seeds[0].id].story_id
    assert sum(a.story_id == story for a in listed.values()) == 2
