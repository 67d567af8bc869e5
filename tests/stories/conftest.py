"""Fixtures for story clustering tests: dev articles as StoryDocs, and their gold labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.evaluate import load_gold
from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.settings import Settings
from akhbar.stories import StoryDoc, story_doc
from akhbar.text.clean import clean


def load_docs(paths: list[Path]) -> list[StoryDoc]:
    """Read and clean `paths` into StoryDocs, in input order."""
    settings = Settings.load()
    return [
        story_doc(r, clean(r, settings.clean))
        for r in read(paths, settings.read)
        if isinstance(r, RawArticle)
    ]


@pytest.fixture(scope="session")
def dev_docs(shared: Path) -> list[StoryDoc]:
    """The 704 dev articles, time-ordered as shipped."""
    return load_docs([shared / "eval" / "dev.jsonl"])


@pytest.fixture(scope="session")
def dev_gold(shared: Path) -> dict[str, dict[str, str]]:
    """Gold story/event/copy labels of dev."""
    return load_gold(shared / "eval" / "dev-gold.jsonl")
