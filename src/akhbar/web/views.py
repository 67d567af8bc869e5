"""Shaping store objects into what the API returns and the pages show (no decisions made here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from akhbar.dedup import shared_passages
from akhbar.errors import NotFoundError
from akhbar.store.sqlite import ArticleBrief, SearchHit, SqliteStore, StoredArticle, StorySummary
from akhbar.web.schemas import (
    ArticleOut,
    BlockOut,
    RemovalOut,
    SearchHitOut,
    StoryArticleOut,
    StoryDigestOut,
    StoryOut,
)

__all__ = [
    "CompareView",
    "Segment",
    "StoryFilter",
    "article_out",
    "compare_view",
    "entity_unavailable",
    "filtered_stories",
    "search_hit_out",
    "snippet_segments",
    "story_digest",
    "story_out",
]

_SCAN_PAGE = 500  # stories read at a time when a filter must look past one page


def story_out(s: StorySummary) -> StoryOut:
    """A listed story as the API returns it."""
    return StoryOut(
        id=s.story, headline=s.headline, articles=s.articles, events=s.events,
        outlets=list(s.outlets), first=s.first, last=s.last,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Filters of the story list; all None lists every story."""

    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return self.outlet is not None or self.since is not None or self.until is not None

    def keeps(self, s: StorySummary) -> bool:
        """Whether the story passes every filter (date filters need a dated story)."""
        if self.outlet is not None and self.outlet not in s.outlets:
            return False
        if self.since is not None and (s.last is None or s.last[:10] < self.since.isoformat()):
            return False
        return not (
            self.until is not None and (s.first is None or s.first[:10] > self.until.isoformat())
        )


def _scan(store: SqliteStore, since: dt.date | None) -> Iterator[StorySummary]:
    """Every story newest first, stopping once stories are older than `since`."""
    offset = 0
    while True:
        page = store.stories(limit=_SCAN_PAGE, offset=offset)
        for s in page:
            if since is not None and (s.last is None or s.last[:10] < since.isoformat()):
                return  # newest first, undated last: nothing further can match
            yield s
        if len(page) < _SCAN_PAGE:
            return
        offset += _SCAN_PAGE


def filtered_stories(
    store: SqliteStore, where: StoryFilter, limit: int, offset: int
) -> tuple[list[StorySummary], bool]:
    """One page of stories passing the filters, and whether more follow.

    Without filters this is one store query; with them the store's newest-first list is
    scanned (the store has no filtered listing yet).
    """
    if not where.active:
        page = store.stories(limit=limit + 1, offset=offset)
        return page[:limit], len(page) > limit
    kept: list[StorySummary] = []
    for s in _scan(store, where.since):
        if where.keeps(s):
            kept.append(s)
            if len(kept) > offset + limit:
                break
    return kept[offset : offset + limit], len(kept) > offset + limit


def _story_article(b: ArticleBrief) -> StoryArticleOut:
    a = b.assignment
    return StoryArticleOut(
        id=b.id, outlet=b.source, published=b.published, title=b.title, event=a.event,
        copy_of=a.copy_of,
    )  # fmt: skip


def story_digest(store: SqliteStore, story_id: str) -> StoryDigestOut:
    """A story's page data: its articles, and the digest once `akhbar.digest` provides one.

    This is the one place the story page gets its digest from.
    """
    briefs = store.story(story_id)
    dates = [b.published for b in briefs if b.published]
    headline = next((b.title for b in briefs if b.title), None)
    return StoryDigestOut(
        id=story_id,
        headline=headline,
        outlets=sorted({b.source for b in briefs}),
        first=min(dates, default=None),
        last=max(dates, default=None),
        articles=[_story_article(b) for b in briefs],
        digest=None,
    )


def article_out(stored: StoredArticle) -> ArticleOut:
    """A stored article as the API returns it."""
    raw, view = stored.raw, stored.clean
    return ArticleOut(
        id=raw.id,
        title=view.title,
        outlet=raw.outlet or raw.source,
        source=raw.source,
        url=raw.url,
        published=raw.published,
        language=raw.language,
        ingested_at=stored.ingested_at,
        text=view.text,
        paragraphs=[BlockOut(kind=b.kind, text=b.text, start=b.start, end=b.end)
                    for b in view.blocks],
        removed=[RemovalOut(text=r.text, reason=r.reason) for r in view.removed],
        raw_text=raw.text,
    )  # fmt: skip


def search_hit_out(h: SearchHit) -> SearchHitOut:
    """A search hit as the API returns it."""
    return SearchHitOut(
        id=h.id, title=h.title, outlet=h.source, published=h.published, snippet=h.snippet
    )


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text to show; `mark` is the shared passage it belongs to (or -1)."""

    text: str
    mark: int = -1


def snippet_segments(snippet: str) -> list[Segment]:
    """A search snippet split at its [bracketed] matches, so the page can highlight them."""
    out: list[Segment] = []
    rest = snippet
    while "[" in rest and "]" in rest[rest.index("[") :]:
        start = rest.index("[")
        end = rest.index("]", start)
        if start:
            out.append(Segment(rest[:start]))
        out.append(Segment(rest[start + 1 : end], 0))
        rest = rest[end + 1 :]
    if rest:
        out.append(Segment(rest))
    return out


@dataclass(frozen=True, slots=True)
class CompareView:
    """Two articles side by side, each cut into segments; shared passages carry their number."""

    a: StoredArticle
    b: StoredArticle
    a_segments: list[Segment]
    b_segments: list[Segment]
    passages: int
    shared_words: int


def _segments(text: str, spans: list[tuple[int, int, int]]) -> list[Segment]:
    """The text cut at the (start, end, passage) spans, in order of position."""
    out: list[Segment] = []
    pos = 0
    for start, end, mark in sorted(spans):
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], mark))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def compare_view(store: SqliteStore, a_id: str, b_id: str, min_words: int = 8) -> CompareView:
    """Two stored articles with the passages they share (`akhbar.dedup` alignment)."""
    a, b = store.get(a_id), store.get(b_id)
    pairs = shared_passages(a.clean.text, b.clean.text, min_words=min_words)
    return CompareView(
        a=a,
        b=b,
        a_segments=_segments(a.clean.text, [(p.a_start, p.a_end, n) for n, p in enumerate(pairs)]),
        b_segments=_segments(b.clean.text, [(p.b_start, p.b_end, n) for n, p in enumerate(pairs)]),
        passages=len(pairs),
        shared_words=sum(p.words for p in pairs),
    )


def entity_unavailable(entity_id: str) -> NotFoundError:
    """The error for entity routes while the store keeps no entities."""
    return NotFoundError(
        f"no entity with id {entity_id!r}: this store keeps no entities yet "
        "(entity storage is not available in this version)"
    )
