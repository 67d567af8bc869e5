"""Labelled articles grouped by their gold story, as digests read them: for evaluations that
judge digests apart from clustering (the stories and copy groups are the labels', not ours)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from akhbar.digest.model import DigestArticle
from akhbar.evaluate import load_gold
from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.settings import Settings
from akhbar.text.clean import clean

if TYPE_CHECKING:
    from akhbar.extract.extractor import Extractor

__all__ = ["labelled_stories"]


def labelled_stories(
    articles: Path,
    gold: Path,
    settings: Settings | None = None,
    extractor: Extractor | None = None,
) -> dict[str, list[DigestArticle]]:
    """The articles of `articles` that `gold` labels, cleaned (and extracted, with an
    `extractor`, as ingest stores them), grouped by gold story in input order; an article's
    copy group is its gold copy set (None for a `single-` label, an article with no copy)."""
    labels = load_gold(gold)
    story_of, copy_of = labels["story"], labels["copy"]
    settings = settings or Settings.load()
    stories: dict[str, list[DigestArticle]] = defaultdict(list)
    for record in read([articles], settings.read):
        if not isinstance(record, RawArticle) or record.id not in story_of:
            continue
        view = clean(record, settings.clean)
        copy = copy_of.get(record.id)
        stories[story_of[record.id]].append(
            DigestArticle(
                record.id,
                record.outlet or "?",
                record.published,
                view.title,
                view.text,
                None if copy is None or copy.startswith("single-") else copy,
                extractor.extract(view.text, record.published) if extractor is not None else None,
            )
        )
    return dict(stories)
