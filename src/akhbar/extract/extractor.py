"""One object that runs every extractor over an article's cleaned text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from akhbar.extract.dates import find_dates
from akhbar.extract.folding import Folded, fold
from akhbar.extract.model import Extraction, Mention
from akhbar.extract.ner import EntityTagger
from akhbar.extract.quotes import find_quotes
from akhbar.extract.roles import attach_roles
from akhbar.extract.sources import find_sources

__all__ = ["Extractor", "parse_published"]


def parse_published(published: str | None) -> date | None:
    """The calendar date of an ISO publication time, or None where there is none to read."""
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _with_roles(text: str, mentions: tuple[Mention, ...], folded: Folded) -> tuple[Mention, ...]:
    """Roles of people; places and bodies inside a title (`... في وزارة الخارجية`) are part of
    the role, so only the people are shown to the role finder."""
    people = attach_roles(text, [m for m in mentions if m.type == "PER"], folded=folded)
    roles = {(m.start, m.end): m.role for m in people if m.role}
    if not roles:
        return mentions
    return tuple(
        replace(m, role=roles[(m.start, m.end)]) if (m.start, m.end) in roles else m
        for m in mentions
    )


class Extractor:
    """Entities (with roles), quotes with speakers, cited sources and dates of one article.

    Holds the loaded NER model: build one per process and reuse it.
    """

    def __init__(self, tagger: EntityTagger) -> None:
        self.tagger = tagger

    @classmethod
    def load(cls) -> Extractor:
        """An extractor with the packaged NER model."""
        return cls(EntityTagger.load())

    def extract(self, text: str, published: str | date | None = None) -> Extraction:
        """Everything found in `text` (a cleaned article body); offsets point into `text`."""
        return self.extract_many([text], [published])[0]

    def extract_many(
        self, texts: Sequence[str], published: Sequence[str | date | None]
    ) -> list[Extraction]:
        """`extract` of each text; the tagger decodes them together, cheaper than one by one."""
        if len(texts) != len(published):
            raise ValueError(f"{len(texts)} texts but {len(published)} publication dates")
        return [
            self._finish(text, mentions, day)
            for text, mentions, day in zip(
                texts, self.tagger.tag_many(texts), published, strict=True
            )
        ]

    @staticmethod
    def _finish(
        text: str, mentions: tuple[Mention, ...], published: str | date | None
    ) -> Extraction:
        """The rule-based extractors over one text, given its entity mentions."""
        day = published if isinstance(published, date) else parse_published(published)
        folded = fold(text)  # one fold for every rule-based extractor
        mentions = _with_roles(text, mentions, folded)
        return Extraction(
            entities=mentions,
            quotes=find_quotes(text, mentions, folded=folded),
            sources=find_sources(text, folded=folded),
            dates=find_dates(text, day, folded=folded),
        )
