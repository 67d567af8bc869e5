"""The article model: what a reader yields, and the cleaned view of it.

Data types are small frozen dataclasses; blocks carry character offsets into the cleaned text
(`article.text[block.start:block.end] == block.text`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any, Literal

__all__ = [
    "Block",
    "BlockKind",
    "CleanArticle",
    "Edit",
    "Origin",
    "RawArticle",
    "Removal",
    "Skipped",
    "make_article_id",
]

BlockKind = Literal["paragraph", "heading"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: a file or URL, an archive member, a line or item number."""

    path: str
    member: str | None = None
    record: int | None = None
    record_kind: str = "line"

    def __str__(self) -> str:
        where = self.path if self.member is None else f"{self.path}!{self.member}"
        return where if self.record is None else f"{where} ({self.record_kind} {self.record})"


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read, before cleaning; `text` is kept verbatim."""

    id: str
    text: str
    origin: Origin
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    language_detected: bool = False
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record (or whole input) that could not be turned into an article, and why."""

    origin: Origin
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a sub-heading of the cleaned body, with offsets into the cleaned text."""

    kind: BlockKind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the raw text that cleaning left out, and the rule that removed it."""

    text: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Edit:
    """A change that keeps the words but reshapes the text (e.g. a glued heading split off)."""

    rule: str
    before: str
    after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """The cleaned view of a raw article; the raw text stays in `RawArticle.text`."""

    article_id: str
    title: str | None
    title_source: str | None
    text: str
    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...] = ()
    edits: tuple[Edit, ...] = ()
    normalized_title: str = ""
    normalized_text: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle blocks as (kind, start, end) when their texts are slices of `text` (as
        cleaning makes them): ingest workers send every cleaned view to the main process,
        where unpickling a Block object per paragraph cost more than the rest of the view."""
        values = tuple(getattr(self, f.name) for f in fields(self))
        text, blocks = self.text, self.blocks
        if (
            isinstance(text, str)
            and isinstance(blocks, tuple)
            and all(isinstance(b, Block) and text[b.start : b.end] == b.text for b in blocks)
        ):
            spans = tuple((b.kind, b.start, b.end) for b in blocks)
            cut = (*values[:_BLOCKS], spans, *values[_BLOCKS + 1 :])
            return (_clean_article, (type(self), cut))
        return (type(self), values)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """Body paragraphs only, without sub-headings."""
        return tuple(b for b in self.blocks if b.kind == "paragraph")

    @property
    def headings(self) -> tuple[Block, ...]:
        """The article's own sub-headings."""
        return tuple(b for b in self.blocks if b.kind == "heading")


def _clean_article(cls: type[CleanArticle], values: tuple[Any, ...]) -> CleanArticle:
    """A CleanArticle (of class `cls`) back from `CleanArticle.__reduce__`: its fields in
    order, the blocks as (kind, start, end), cut again from the text."""
    text, given = values[_TEXT], list(values)
    given[_BLOCKS] = tuple(Block(kind, text[s:e], s, e) for kind, s, e in values[_BLOCKS])
    return cls(*given)


_FIELDS = [f.name for f in fields(CleanArticle)]
_TEXT, _BLOCKS = _FIELDS.index("text"), _FIELDS.index("blocks")


def make_article_id(
    given: str | None,
    *,
    source: str,
    url: str | None,
    title: str | None,
    text: str,
    key: str | None = None,
) -> str:
    """The given id when there is one, else a stable 16-hex-digit hash: of the source and
    `key` when there is one (a feed item's guid or link, so that the item fetched again after
    an edit is an update of the article, not a second one), else of the content."""
    if given is not None and str(given).strip():
        return str(given).strip()
    h = hashlib.blake2b(digest_size=8)
    if key is not None and key.strip():
        parts: tuple[str, ...] = ("\x1ekey", source, key.strip())
    else:
        parts = (source, url or "", title or "", text)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))  # a lone surrogate is hashed, not fatal
        h.update(b"\x1f")
    return h.hexdigest()
