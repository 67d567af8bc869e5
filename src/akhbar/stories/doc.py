"""The clusterer's input: one article reduced to what story matching needs."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from akhbar.dedup import CopySettings, MinHasher
from akhbar.model import CleanArticle, RawArticle
from akhbar.text.normalize import normalize

__all__ = ["StoryDoc", "parse_time", "story_doc"]


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """An article as the story clusterer sees it: normalised title and body paragraphs.

    `shingles`, when known, are the distinct shingle hashes of its copy-detection sketch
    (`Sketch.shingles`; `story_doc` computes them when not given): passages it shares with a
    story's articles are then evidence that it belongs there (see `Vectorizer.transform`).
    Without them that evidence reads as none, and stories split more often (dev story B3 /
    pair F1 0.883 / 0.806 against 0.902 / 0.853)."""

    id: str
    published: datetime | None
    title: str
    paragraphs: tuple[str, ...]
    outlet: str | None = None
    copy_of: str | None = None
    shingles: npt.NDArray[np.uint32] | None = field(default=None, compare=False, hash=False)


@functools.lru_cache(maxsize=1)
def _hasher() -> MinHasher:
    """Shingle hashes as copy detection makes them under its default settings."""
    return MinHasher(shingle_size=CopySettings().shingle_size)


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
    `shingles` are its sketch's (`Sketch.shingles`): when not given, they are computed from
    the cleaned text under the default copy settings' shingle size (pass the sketch's, where
    copy detection made one, rather than making them twice)."""
    paragraphs = tuple(p for p in (normalize(b.text) for b in cleaned.paragraphs) if p)
    if shingles is None:
        shingles = _hasher().shingles(cleaned.normalized_text)
    return StoryDoc(
        id=raw.id,
        published=parse_time(raw.published),
        title=cleaned.normalized_title,
        paragraphs=paragraphs,
        outlet=raw.outlet,
        copy_of=copy_of,
        shingles=shingles,
    )
