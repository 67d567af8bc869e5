"""The clusterer's input: one article reduced to what story matching needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from akhbar.model import CleanArticle, RawArticle
from akhbar.text.normalize import normalize

__all__ = ["StoryDoc", "parse_time", "story_doc"]


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """An article as the story clusterer sees it: normalised title and body paragraphs."""

    id: str
    published: datetime | None
    title: str
    paragraphs: tuple[str, ...]
    outlet: str | None = None
    copy_of: str | None = None


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
    *,
    norms: Sequence[str] | None = None,
) -> StoryDoc:
    """Build the clusterer's input from a read and cleaned article (headings left out);
    `norms`, each block's normalised text as cleaning gives it (`CleanedLines.norms`), spares
    normalising the paragraphs again."""
    blocks = cleaned.blocks
    if norms is None:
        found = (normalize(b.text) for b in blocks if b.kind == "paragraph")
    elif len(norms) != len(blocks):
        raise ValueError(
            f"{raw.id}: {len(norms)} normalised texts for {len(blocks)} blocks; pass one per "
            "block, as `clean_with_lines` gives them"
        )
    else:
        found = (n for b, n in zip(blocks, norms, strict=True) if b.kind == "paragraph")
    paragraphs = tuple(p for p in found if p)
    return StoryDoc(
        id=raw.id,
        published=parse_time(raw.published),
        title=cleaned.normalized_title,
        paragraphs=paragraphs,
        outlet=raw.outlet,
        copy_of=copy_of,
    )
