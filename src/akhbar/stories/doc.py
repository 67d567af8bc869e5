"""The clusterer's input: one article reduced to what story matching needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from akhbar.model import CleanArticle, RawArticle
from akhbar.text.normalize import normalize

__all__ = ["StoryDoc", "parse_time", "story_doc"]


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """An article as the story clusterer sees it: normalised title and body paragraphs.

    `shingles`, when known, are the distinct shingle hashes of its copy-detection sketch
    (`Sketch.shingles`): passages it shares with a story's articles are then evidence that it
    belongs there (see `Vectorizer.transform`); without them that evidence reads as none."""

    id: str
    published: datetime | None
    title: str
    paragraphs: tuple[str, ...]
    outlet: str | None = None
    copy_of: str | None = None
    shingles: npt.NDArray[np.uint32] | None = field(default=None, compare=False, hash=False)


def parse_time(value: str | None) -> datetime | None:
    """An ISO date/time as an aware datetime (naive read as UTC); None when absent or bad."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def story_doc(
    raw: RawArticle,
    cleaned: CleanArticle,
    copy_of: str | None = None,
    shingles: npt.NDArray[np.uint32] | None = None,
) -> StoryDoc:
    """Build the clusterer's input from a read and cleaned article (headings left out);
    `shingles` are its sketch's (`Sketch.shingles`), when known."""
    paragraphs = tuple(p for p in (normalize(b.text) for b in cleaned.paragraphs) if p)
    return StoryDoc(
        id=raw.id,
        published=parse_time(raw.published),
        title=cleaned.normalized_title,
        paragraphs=paragraphs,
        outlet=raw.outlet,
        copy_of=copy_of,
        shingles=shingles,
    )
