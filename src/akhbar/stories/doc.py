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

    def __post_init__(self) -> None:
        """Fields of the wrong type fail here, naming the article, not deep in clustering
        (a string of paragraphs would be read letter by letter)."""
        wrong = None
        if not isinstance(self.id, str):
            wrong = f"id is a str, not {type(self.id).__name__}"
        elif self.published is not None and not isinstance(self.published, datetime):
            wrong = (
                f"published is a datetime or None, not {type(self.published).__name__} "
                "(an ISO string: use parse_time)"
            )
        elif not isinstance(self.title, str):
            wrong = f"title is a str, not {type(self.title).__name__}"
        elif not isinstance(self.paragraphs, tuple) or not all(
            isinstance(p, str) for p in self.paragraphs
        ):
            wrong = f"paragraphs is a tuple of str, not {type(self.paragraphs).__name__}"
        elif self.outlet is not None and not isinstance(self.outlet, str):
            wrong = f"outlet is a str or None, not {type(self.outlet).__name__}"
        elif self.copy_of is not None and not isinstance(self.copy_of, str):
            wrong = f"copy_of is an article id (str) or None, not {type(self.copy_of).__name__}"
        if wrong is not None:
            raise TypeError(f"StoryDoc {self.id!r}: {wrong}")


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
