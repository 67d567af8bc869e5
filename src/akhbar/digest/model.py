"""The digest's data types: what `build_digest` takes and returns, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from akhbar.extract.model import Extraction, QuoteKind

__all__ = [
    "Claim",
    "Conflict",
    "ConflictValue",
    "DateRange",
    "Digest",
    "DigestArticle",
    "EntityRow",
    "OnlyItem",
    "OutletRow",
    "QuoteRow",
    "SourceRow",
    "Support",
    "TimelineEntry",
]

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class DigestArticle:
    """One article of a story as the digest needs it; `text` is the cleaned text, `copy` its
    copy-group id (articles sharing one are syndicated copies: one voice)."""

    id: str
    outlet: str
    published: str | None
    title: str | None
    text: str
    copy: str | None
    extraction: Extraction | None = None


@dataclass(frozen=True, slots=True)
class Support:
    """Where an article says something: `article.text[start:end] == text`."""

    article: str
    outlet: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "article": self.article,
            "outlet": self.outlet,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of the story with its best wording and every clause that states it."""

    id: str
    text: str
    outlets: tuple[str, ...]
    voices: int
    support: tuple[Support, ...]
    position: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "text": self.text,
            "outlets": list(self.outlets),
            "voices": self.voices,
            "position": round(self.position, 4),
            "support": [s.to_dict() for s in self.support],
        }


@dataclass(frozen=True, slots=True)
class OnlyItem:
    """What one voice alone reports: a whole claim, or words it adds inside a shared claim."""

    kind: Literal["claim", "addition"]
    claim: str
    text: str
    outlets: tuple[str, ...]
    support: tuple[Support, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "kind": self.kind,
            "claim": self.claim,
            "text": self.text,
            "outlets": list(self.outlets),
            "support": [s.to_dict() for s in self.support],
        }


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One quote, once however many outlets carry it."""

    speaker: str | None
    text: str
    kind: QuoteKind
    outlets: tuple[str, ...]
    support: tuple[Support, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "speaker": self.speaker,
            "text": self.text,
            "kind": self.kind,
            "outlets": list(self.outlets),
            "support": [s.to_dict() for s in self.support],
        }


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One real entity with every spelling the story's articles use for it."""

    name: str
    type: str
    role: str | None
    variants: tuple[str, ...]
    outlets: tuple[str, ...]
    mentions: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name,
            "type": self.type,
            "role": self.role,
            "variants": list(self.variants),
            "outlets": list(self.outlets),
            "mentions": self.mentions,
        }


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source an outlet says its information came from."""

    name: str
    kind: str
    text: str
    articles: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name,
            "kind": self.kind,
            "text": self.text,
            "articles": list(self.articles),
        }


@dataclass(frozen=True, slots=True)
class ConflictValue:
    """One of the disagreeing values and who gives it."""

    value: str
    outlets: tuple[str, ...]
    support: tuple[Support, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "value": self.value,
            "outlets": list(self.outlets),
            "support": [s.to_dict() for s in self.support],
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Numbers about the same thing (`about`) that disagree between outlets in one claim."""

    claim: str
    about: str
    values: tuple[ConflictValue, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "claim": self.claim,
            "about": self.about,
            "values": [v.to_dict() for v in self.values],
        }


@dataclass(frozen=True, slots=True)
class DateRange:
    """When the story happened: first and last day, and the dates that set them."""

    first: str | None
    last: str | None
    published: tuple[str, ...]
    mentioned: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "first": self.first,
            "last": self.last,
            "published": list(self.published),
            "mentioned": list(self.mentioned),
        }


@dataclass(frozen=True, slots=True)
class OutletRow:
    """An outlet of the story: its articles and how many independent voices they make."""

    name: str
    articles: tuple[str, ...]
    voices: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "articles": list(self.articles), "voices": self.voices}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """An article (or a dated event one reports) on the story's timeline."""

    kind: Literal["article", "event"]
    date: str | None
    article: str
    outlet: str
    title: str | None
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "kind": self.kind,
            "date": self.date,
            "article": self.article,
            "outlet": self.outlet,
            "title": self.title,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything the story's articles say, each line traceable to the outlets that say it."""

    story: str
    headline: str | None
    dates: DateRange
    outlets: tuple[OutletRow, ...]
    claims: tuple[Claim, ...]
    only: tuple[tuple[str, tuple[OnlyItem, ...]], ...]
    quotes: tuple[QuoteRow, ...]
    entities: tuple[EntityRow, ...]
    cited_sources: tuple[tuple[str, tuple[SourceRow, ...]], ...]
    conflicts: tuple[Conflict, ...]
    timeline: tuple[TimelineEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (docs/digest.md)."""
        return {
            "schema": SCHEMA_VERSION,
            "story": self.story,
            "headline": self.headline,
            "dates": self.dates.to_dict(),
            "outlets": [o.to_dict() for o in self.outlets],
            "claims": [c.to_dict() for c in self.claims],
            "only": {name: [i.to_dict() for i in items] for name, items in self.only},
            "quotes": [q.to_dict() for q in self.quotes],
            "entities": [e.to_dict() for e in self.entities],
            "cited_sources": {
                name: [s.to_dict() for s in rows] for name, rows in self.cited_sources
            },
            "conflicts": [c.to_dict() for c in self.conflicts],
            "timeline": [t.to_dict() for t in self.timeline],
        }
