"""What extraction finds in one article: spans with character offsets into the cleaned text.

Every span type carries ``start``/``end`` such that ``text[start:end] == span.text`` for the
article text it was extracted from (the cleaned text, ``CleanArticle.text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CitedSource",
    "DateRef",
    "EntityType",
    "Extraction",
    "Mention",
    "Quote",
    "QuoteKind",
    "SourceKind",
]

EntityType = Literal["PER", "LOC", "ORG", "MISC"]
QuoteKind = Literal["direct", "indirect"]
SourceKind = Literal["agency", "platform", "media", "statement", "outlet", "official"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One named-entity mention; ``key`` is its clitic-stripped normalised form used for linking."""

    start: int
    end: int
    text: str
    type: EntityType
    key: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or reported quote with the cue that introduces it and who said it, if known."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class CitedSource:
    """A source the outlet says its information came from (agency, platform, media, statement)."""

    start: int
    end: int
    text: str
    kind: SourceKind
    name: str


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date expression resolved, where possible, to ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

    start: int
    end: int
    text: str
    kind: Literal["relative", "gregorian", "hijri", "year", "weekday"]
    value: str | None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article."""

    entities: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    sources: tuple[CitedSource, ...] = ()
    dates: tuple[DateRef, ...] = ()
