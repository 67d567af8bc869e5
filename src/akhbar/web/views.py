"""Shaping store objects into what the API returns and the pages show (no decisions made here)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from akhbar.dedup import shared_passages
from akhbar.digest import DigestArticle, build_digest
from akhbar.errors import NotFoundError
from akhbar.extract.model import Extraction
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
    "DigestCache",
    "DigestSections",
    "Segment",
    "StoryFilter",
    "article_out",
    "compare_view",
    "digest_sections",
    "entity_unavailable",
    "filtered_stories",
    "search_hit_out",
    "snippet_segments",
    "story_json",
    "story_key",
    "story_out",
    "story_pending",
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


class DigestCache:
    """Story JSON by story and membership, least recently used first out, within a byte budget
    (thread-safe)."""

    def __init__(self, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, Hashable], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple[str, Hashable]) -> bytes | None:
        """The JSON kept for `key` (story id, membership), if any."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, Hashable], body: bytes) -> None:
        """Keep a story's JSON, dropping the least recently used beyond the budget."""
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            self._items[key] = body
            self._bytes += len(body)
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def forget(self, stories: Iterable[str]) -> set[str]:
        """Drop what is kept for stories that just changed; returns those that were kept."""
        drop = set(stories)
        with self._lock:
            keys = [k for k in self._items if k[0] in drop]
            for key in keys:
                self._bytes -= len(self._items.pop(key))
        return {k[0] for k in keys}


def _extraction(store: SqliteStore, article_id: str) -> Extraction | None:
    """The article's stored extraction, where the store keeps extractions."""
    reader = getattr(store, "extraction", None)
    if reader is None:
        return None
    try:
        found = reader(article_id)
    except NotFoundError:
        return None
    return found if isinstance(found, Extraction) else None


def _build(store: SqliteStore, story_id: str, briefs: list[ArticleBrief]) -> StoryDigestOut:
    """A story's articles and its digest (`akhbar.digest`), built now."""
    stored = [store.get(b.id) for b in briefs]
    articles = [
        DigestArticle(
            id=b.id,
            outlet=b.source,
            published=b.published,
            title=s.clean.title,
            text=s.clean.text,
            copy=b.assignment.copy,
            extraction=_extraction(store, b.id),
        )
        for s, b in zip(stored, briefs, strict=True)
    ]
    digest = build_digest(story_id, articles).to_dict()
    dates = [b.published for b in briefs if b.published]
    headline = digest.get("headline") or next((b.title for b in briefs if b.title), None)
    return StoryDigestOut(
        id=story_id,
        headline=headline,
        outlets=sorted({b.source for b in briefs}),
        first=min(dates, default=None),
        last=max(dates, default=None),
        articles=[_story_article(b) for b in briefs],
        digest=digest,
    )


def story_key(story_id: str, briefs: list[ArticleBrief]) -> tuple[str, Hashable]:
    """What a story's digest depends on: its articles, their copy groups, events and titles."""
    return story_id, tuple((b.id, b.assignment.copy, b.assignment.event, b.published, b.title)
                           for b in briefs)  # fmt: skip


def story_json(
    store: SqliteStore,
    story_id: str,
    cache: DigestCache | None = None,
    briefs: list[ArticleBrief] | None = None,
) -> bytes:
    """A story with its digest as JSON (`StoryDigestOut`): the one place digests come from.

    Kept in `cache` under the story's membership (`story_key`); an ingest through the app
    forgets the stories it touched, so an article updated in place by another process keeps
    its old digest until the story changes.
    """
    briefs = store.story(story_id) if briefs is None else briefs
    key = story_key(story_id, briefs)
    found = cache.get(key) if cache is not None else None
    if found is None:
        found = _build(store, story_id, briefs).model_dump_json().encode("utf-8")
        if cache is not None:
            cache.put(key, found)
    return found


def story_pending(story_id: str, briefs: list[ArticleBrief]) -> StoryDigestOut:
    """A story whose digest is still being built: its articles only."""
    dates = [b.published for b in briefs if b.published]
    return StoryDigestOut(
        id=story_id,
        headline=next((b.title for b in briefs if b.title), None),
        outlets=sorted({b.source for b in briefs}),
        first=min(dates, default=None),
        last=max(dates, default=None),
        articles=[_story_article(b) for b in briefs],
        digest=None,
        digest_status="building",
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


@dataclass(frozen=True, slots=True)
class DigestSections:
    """A digest's JSON cut into what the story page shows, in its order."""

    shared: list[dict[str, Any]]
    single: list[dict[str, Any]]
    only: list[tuple[str, list[dict[str, Any]]]]
    quotes: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]


def digest_sections(digest: dict[str, Any] | None) -> DigestSections | None:
    """Claims carried by several outlets, by one, what only one outlet adds, quotes, names."""
    if digest is None:
        return None
    claims: list[dict[str, Any]] = list(digest.get("claims", []))
    return DigestSections(
        shared=sorted(
            (c for c in claims if len(c["outlets"]) > 1), key=lambda c: -len(c["outlets"])
        ),
        single=[c for c in claims if len(c["outlets"]) <= 1],
        only=[(name, items) for name, items in digest.get("only", {}).items() if items],
        quotes=list(digest.get("quotes", [])),
        entities=list(digest.get("entities", [])),
        conflicts=list(digest.get("conflicts", [])),
    )
