"""Shaping store objects into what the API returns and the pages show (no decisions made here)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from akhbar import __version__
from akhbar.dedup import shared_passages
from akhbar.digest import story_digest
from akhbar.errors import NotFoundError
from akhbar.extract.entities import LinkedMentions, StoredQuote, speaker_entity_of
from akhbar.extract.model import CitedSource, Quote
from akhbar.store.sqlite import (
    ArticleBrief,
    SearchHit,
    SqliteStore,
    StoredArticle,
    StoredEntity,
    StorySummary,
)
from akhbar.stories.doc import parse_time
from akhbar.text.normalize import normalize
from akhbar.web.schemas import (
    ArticleOut,
    BlockOut,
    CitedSourceOut,
    DateOut,
    EntityBriefOut,
    EntityOut,
    EntityQuoteOut,
    MentionOut,
    QuoteOut,
    RemovalOut,
    SearchHitOut,
    StoryArticleOut,
    StoryDigestOut,
    StoryOut,
)

__all__ = [
    "DIGEST_BUILDER",
    "ArticleExtras",
    "CompareView",
    "DigestCache",
    "DigestSections",
    "EntityChip",
    "MentionChip",
    "Segment",
    "StoryFilter",
    "article_extras",
    "article_out",
    "compare_view",
    "digest_sections",
    "entity_brief_out",
    "entity_chips",
    "entity_not_found",
    "entity_out",
    "entity_quotes",
    "entity_stories",
    "filtered_stories",
    "resolve_entity",
    "search_hit_out",
    "snippet_segments",
    "story_json",
    "story_out",
    "story_pending",
    "story_summary",
]

_SCAN_PAGE = 500  # stories read at a time when a filter must look past one page


def _builder() -> str:
    """What builds a story's JSON: the akhbar version and a hash of the package's source (the
    digest reads the store through the digest, extract, stories and text modules; a stored
    digest is reused only by the same code, and unreadable source counts as changed)."""
    h = hashlib.blake2b(__version__.encode(), digest_size=12)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(os.urandom(8))
    return f"story-json:{h.hexdigest()}"


DIGEST_BUILDER = _builder()


def story_out(s: StorySummary) -> StoryOut:
    """A listed story as the API returns it."""
    return StoryOut(
        id=s.story, headline=s.headline, articles=s.articles, events=s.events,
        outlets=list(s.outlets), first=s.first, last=s.last,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Filters of the story list; all None lists every story (`entity` is an entity id)."""

    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    entity: str | None = None

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any(f is not None for f in (self.outlet, self.since, self.until, self.entity))

    def keeps(self, s: StorySummary) -> bool:
        """Whether the story passes the outlet and date filters (date filters need a dated
        story); the entity filter chooses the candidates instead (`entity_stories`)."""
        if self.outlet is not None and self.outlet not in s.outlets:
            return False
        if self.since is not None and (s.last is None or s.last[:10] < self.since.isoformat()):
            return False
        return not (
            self.until is not None and (s.first is None or s.first[:10] > self.until.isoformat())
        )


def _day_of(published: str) -> dt.date:
    """The UTC day of a stored publication time (a date not read as one: its own text's)."""
    when = parse_time(published)
    if when is not None:
        return when.astimezone(dt.UTC).date()
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return dt.date.max  # unknown: never the reason to stop


def _scan(store: SqliteStore, since: dt.date | None) -> Iterator[StorySummary]:
    """Every story newest first, stopping once stories are older than `since` by more than
    any time zone moves a day: the list is by instant, the filter by the day as written
    (01:00+05:00 on the 2nd comes after 22:00Z on the 1st)."""
    stop = None if since is None else since - dt.timedelta(days=2)
    offset = 0
    while True:
        page = store.stories(limit=_SCAN_PAGE, offset=offset)
        for s in page:
            if stop is not None and (s.last is None or _day_of(s.last) < stop):
                return  # newest first, undated last: nothing further can match
            yield s
        if len(page) < _SCAN_PAGE:
            return
        offset += _SCAN_PAGE


def filtered_stories(
    store: SqliteStore, where: StoryFilter, limit: int, offset: int
) -> tuple[list[StorySummary], bool]:
    """One page of stories passing the filters, and whether more follow.

    Without filters this is one store query; with an entity only the entity's stories are
    read; otherwise the store's newest-first list is scanned (the store has no filtered
    listing yet).
    """
    if not where.active:
        page = store.stories(limit=limit + 1, offset=offset)
        return page[:limit], len(page) > limit
    if where.entity is not None and not replace(where, entity=None).active:
        page, count = store.entity_story_page(where.entity, limit, offset)
        return page, count > offset + limit
    if where.entity is not None:
        found = [s for s in entity_stories(store, where.entity) if where.keeps(s)]
        return found[offset : offset + limit], len(found) > offset + limit
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
    """Story JSON by story and version, least recently used first out, within a byte budget
    (thread-safe)."""

    def __init__(self, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, Hashable], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple[str, Hashable]) -> bytes | None:
        """The JSON kept for `key` (story id, version), if any."""
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

    def discard(self, key: tuple[str, Hashable]) -> None:
        """Drop what is kept for `key`, if anything."""
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if old is not None else 0

    def forget(self, stories: Iterable[str]) -> set[str]:
        """Drop what is kept for stories that just changed; returns those that were kept."""
        drop = set(stories)
        with self._lock:
            keys = [k for k in self._items if k[0] in drop]
            for key in keys:
                self._bytes -= len(self._items.pop(key))
        return {k[0] for k in keys}


def _build(store: SqliteStore, story_id: str, briefs: list[ArticleBrief]) -> StoryDigestOut:
    """A story's articles and its digest, built now the one way the CLI builds it too."""
    digest = story_digest(store, story_id).to_dict()
    summary = story_summary(story_id, briefs)
    return StoryDigestOut(
        id=story_id,
        # the list's headline (its earliest title), as the answer while the digest is built
        # gives it: a story keeps one headline in the list, its page and the API; the
        # digest's choice stays in `digest`
        headline=summary.headline or digest.get("headline"),
        outlets=list(summary.outlets),
        first=summary.first,
        last=summary.last,
        articles=[_story_article(b) for b in briefs],
        digest=digest,
    )


def story_json(
    store: SqliteStore, story_id: str, briefs: list[ArticleBrief] | None = None
) -> bytes:
    """A story with its digest as JSON (`StoryDigestOut`), built now: the one place digests
    come from (the app keeps them in the store, see `WebState.story`)."""
    briefs = store.story(story_id) if briefs is None else briefs
    return _build(store, story_id, briefs).model_dump_json().encode("utf-8")


def story_summary(story_id: str, briefs: list[ArticleBrief]) -> StorySummary:
    """A story's listing from its articles (oldest first), as `SqliteStore.stories` lists it."""
    # oldest first by instant (not by the text of the date), as the store orders them
    dates = [b.published for b in briefs if parse_time(b.published) is not None]
    return StorySummary(
        story=story_id,
        articles=len(briefs),
        events=len({b.assignment.event for b in briefs}),
        outlets=tuple(sorted({b.source for b in briefs})),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        headline=next((b.title for b in briefs if b.title), None),
    )


def story_pending(story_id: str, briefs: list[ArticleBrief]) -> StoryDigestOut:
    """A story whose digest is still being built: its articles only."""
    summary = story_summary(story_id, briefs)
    return StoryDigestOut(
        id=story_id,
        headline=summary.headline,
        outlets=list(summary.outlets),
        first=summary.first,
        last=summary.last,
        articles=[_story_article(b) for b in briefs],
        digest=None,
        digest_status="building",
    )


def _speaker_entity(q: Quote, linked: LinkedMentions) -> str | None:
    """The entity linked to the quote's speaker (one rule for the CLI, the API and pages)."""
    return speaker_entity_of(q, linked)


def article_out(store: SqliteStore, article_id: str) -> ArticleOut:
    """A stored article as the API returns it, with its story and its linked extraction."""
    stored = store.get(article_id)
    raw, view = stored.raw, stored.clean
    placed = store.assignments_of([article_id]).get(article_id)
    out = ArticleOut(
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
        story=placed.story if placed is not None else None,
    )  # fmt: skip
    try:
        found = store.extraction(article_id)
    except NotFoundError:
        return out
    linked = LinkedMentions(store.mention_entities(article_id))
    out.extracted = True
    out.entities = [
        MentionOut(start=m.start, end=m.end, text=m.text, type=m.type, role=m.role,
                   entity=linked.get((m.start, m.end)))
        for m in found.entities
    ]  # fmt: skip
    out.quotes = [
        QuoteOut(
            start=q.start, end=q.end, text=q.text, kind=q.kind, cue=q.cue, speaker=q.speaker,
            speaker_start=q.speaker_start, speaker_end=q.speaker_end,
            speaker_entity=_speaker_entity(q, linked),
        )
        for q in found.quotes
    ]  # fmt: skip
    out.cited_sources = [
        CitedSourceOut(start=c.start, end=c.end, text=c.text, kind=c.kind, name=c.name)
        for c in found.sources
    ]
    out.dates = [
        DateOut(start=d.start, end=d.end, text=d.text, kind=d.kind, value=d.value)
        for d in found.dates
    ]
    return out


def search_hit_out(h: SearchHit) -> SearchHitOut:
    """A search hit as the API returns it."""
    return SearchHitOut(
        id=h.id, title=h.title, outlet=h.source, published=h.published, snippet=h.snippet,
        marks=list(h.marks),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text to show; `mark` is the shared passage it belongs to (or -1)."""

    text: str
    mark: int = -1


def snippet_segments(snippet: str, marks: Sequence[tuple[int, int]]) -> list[Segment]:
    """A search snippet cut at its matches (`marks`: offsets), so the page can highlight them."""
    out: list[Segment] = []
    pos = 0
    for start, end in sorted(marks):
        if start < pos or end > len(snippet):
            continue  # overlapping or out of range: shown as plain text
        if start > pos:
            out.append(Segment(snippet[pos:start]))
        out.append(Segment(snippet[start:end], 0))
        pos = end
    if pos < len(snippet):
        out.append(Segment(snippet[pos:]))
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


def entity_not_found(wanted: str, spelling: bool = True) -> NotFoundError:
    """The error for an entity id (or spelling) that names no stored entity."""
    what = "id or spelling" if spelling else "id"
    return NotFoundError(
        f"no entity with {what} {wanted!r} in this store "
        "(entities are linked as articles are ingested; list them: GET /api/entities)"
    )


def resolve_entity(store: SqliteStore, wanted: str) -> StoredEntity | None:
    """The entity with this id, else the most mentioned one spelled like this (one spelled
    exactly so first), else None."""
    try:
        return store.entity(wanted)
    except NotFoundError:
        pass
    key = normalize(wanted)
    if not key.strip():
        return None  # blank: every spelling holds it
    found = store.entities(name=wanted)
    exact = (e for e in found if any(normalize(v) == key for v in (e.name, *e.variants)))
    return next(exact, found[0] if found else None)


def entity_stories(store: SqliteStore, entity_id: str) -> list[StorySummary]:
    """The stories with an article mentioning the entity, newest activity first (the order
    of the story list), summarised by the store in one query."""
    return store.entity_stories(entity_id)


def entity_brief_out(e: StoredEntity) -> EntityBriefOut:
    """A listed entity as the API returns it."""
    return EntityBriefOut(
        id=e.id, type=e.type, name=e.name, variants=list(e.variants), roles=list(e.roles),
        mentions=e.mentions, articles=e.articles,
    )  # fmt: skip


def entity_quotes(store: SqliteStore, entity_id: str) -> list[StoredQuote]:
    """Every quote whose speaker is linked to the entity (as `stored_quotes` finds them),
    newest article first, reading only the articles where one of its mentions lies inside a
    speaker phrase."""
    ids = store.entity_speaker_article_ids(entity_id)
    extracted = {article_id: x for article_id, _, x in store.extractions(ids)}
    out = []
    for article_id in ids:
        linked = LinkedMentions(store.mention_entities(article_id))
        out += [
            StoredQuote(q.speaker, entity_id, q.text, q.kind, q.cue, article_id, q.start, q.end)
            for q in extracted[article_id].quotes
            if speaker_entity_of(q, linked) == entity_id
        ]
    return out


def entity_out(store: SqliteStore, entity: StoredEntity, limit: int, offset: int) -> EntityOut:
    """An entity with one page of its stories and every quote its speaker mentions carry."""
    stories, count = store.entity_story_page(entity.id, limit, offset)
    found = entity_quotes(store, entity.id)
    outlet_of = store.outlets({q.article for q in found})
    quotes = [
        EntityQuoteOut(
            speaker=q.speaker, text=q.text, kind=q.kind, cue=q.cue, article=q.article,
            outlet=outlet_of.get(q.article), start=q.start, end=q.end,
        )
        for q in found
    ]  # fmt: skip
    return EntityOut(
        id=entity.id,
        type=entity.type,
        name=entity.name,
        variants=list(entity.variants),
        roles=list(entity.roles),
        mentions=entity.mentions,
        articles=entity.articles,
        story_count=count,
        stories=[story_out(s) for s in stories],
        next_offset=offset + limit if count > offset + limit else None,
        quotes=quotes,
    )


@dataclass(frozen=True, slots=True)
class EntityChip:
    """A story's entity as the story page links it: by stored id where known, else by name."""

    name: str
    href: str
    variants: tuple[str, ...]


def entity_chips(
    store: SqliteStore, entities: list[dict[str, Any]], article_ids: list[str]
) -> list[EntityChip]:
    """The digest's entities with their entity-page links: the digest's entity id where the
    store has it, else the stored entity the story's mentions in the chip's spellings were
    linked to (the commonest), else the name (which the entity page resolves)."""
    linked_as: dict[str, Counter[str]] = defaultdict(Counter)
    if any(not e.get("id") for e in entities):
        for article_id, _, extraction in store.extractions(article_ids):
            spans = store.mention_entities(article_id)
            for m in extraction.entities:
                found = spans.get((m.start, m.end))
                if found is not None:
                    linked_as[m.text][found] += 1
    out = []
    for e in entities:
        name = str(e["name"])
        variants = tuple(str(v) for v in e.get("variants", ()))
        target = None
        if e.get("id"):
            with contextlib.suppress(NotFoundError):
                target = store.entity(str(e["id"])).id
        if target is None:
            votes = sum((linked_as[v] for v in {name, *variants}), Counter[str]())
            target = votes.most_common(1)[0][0] if votes else name
        out.append(EntityChip(name, target, variants))
    return out


@dataclass(frozen=True, slots=True)
class MentionChip:
    """An entity named in an article: its linked entity id (None if unlinked) and spelling."""

    entity: str | None
    text: str
    type: str
    role: str | None


@dataclass(frozen=True, slots=True)
class ArticleExtras:
    """What the article page shows beside the text: its story, names, quotes, sources."""

    story: StorySummary | None
    extracted: bool
    entities: list[MentionChip]
    quotes: list[tuple[Quote, str | None]]
    sources: list[CitedSource]


def article_extras(store: SqliteStore, article_id: str) -> ArticleExtras:
    """An article's story and what was extracted from it, each name once (its first
    spelling), each quote with its speaker's entity id where the speaker is a linked mention."""
    story = None
    placed = store.assignments_of([article_id]).get(article_id)
    if placed is not None:
        try:
            story = story_summary(placed.story, store.story(placed.story))
        except NotFoundError:
            story = None
    try:
        found = store.extraction(article_id)
    except NotFoundError:
        return ArticleExtras(story, False, [], [], [])
    linked = LinkedMentions(store.mention_entities(article_id))
    chips: dict[str, MentionChip] = {}
    for m in found.entities:
        entity = linked.get((m.start, m.end))
        chips.setdefault(
            entity or f"{m.type}:{m.text}", MentionChip(entity, m.text, m.type, m.role)
        )
    quotes = [(q, _speaker_entity(q, linked)) for q in found.quotes]
    return ArticleExtras(story, True, list(chips.values()), quotes, list(found.sources))


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
