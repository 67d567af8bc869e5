"""The story model's training script: rows along the stream's own placements."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from akhbar.stories import StoryParams
from tests.stories.synth import doc

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_stories.py"


@pytest.fixture(scope="module")
def train_stories() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_stories", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(labels: dict[str, str]) -> dict[str, dict[str, str]]:
    return {"story": labels, "event": labels}


def test_a_candidate_story_is_the_articles_when_most_of_it_is_of_its_gold_story(
    train_stories: ModuleType,
) -> None:
    # four reports in one vocabulary (the stream puts them together), labelled A, B, A, A:
    # the story the third meets is half A, the fourth's two thirds A
    docs = [doc(f"a{i}", 1, hours=i, seed=i) for i in range(4)]
    gold = _gold({"a0": "A", "a1": "B", "a2": "A", "a3": "A"})
    xs, ys = train_stories.replay_own(docs, gold, StoryParams.load())
    assert len(xs) == len(ys) == 3  # one candidate each after the first
    assert ys == [0, 0, 1]


def test_rows_of_stories_of_other_vocabularies_are_not_the_articles(
    train_stories: ModuleType,
) -> None:
    docs = [doc("a0", 1, 0, 0), doc("b0", 2, 1, 1), doc("a1", 1, 2, 2), doc("b1", 2, 3, 3)]
    gold = _gold({"a0": "A", "b0": "B", "a1": "A", "b1": "B"})
    teacher, _ = train_stories.replay(docs, gold, StoryParams.load())
    own = train_stories.replay_own(docs, gold, StoryParams.load())
    # the stream places these as the gold does: its own rows are the teacher-forced ones
    assert own[1] == teacher[1]
    assert sum(own[1]) == 2
