"""Entities and quotes across the whole store: linking every stored mention, quotes by speaker."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from akhbar.extract.link import EntityLinker, core_tokens, name_key, names_match
from akhbar.extract.model import Mention, Quote
from akhbar.extract.roles import heads_a_body
from akhbar.store.sqlite import SqliteStore, StoredEntity
from akhbar.text.normalize import normalize

__all__ = [
    "LinkedMentions",
    "StoredQuote",
    "link_entities",
    "speaker_entity_of",
    "stored_quotes",
]


_FULL_LINK_SHARE = 0.05  # more pending articles than this share of the store: link all again
_FULL_LINK_MIN = 500


def link_entities(store: SqliteStore, *, full: bool = False) -> int:
    """Link the mentions of newly extracted articles into entities; returns how many entities
    the store holds.

    A large change (or `full`, or articles whose linked mentions were dropped) links every
    stored article again; a small one (a few posted articles) only links the new mentions: a
    spelling already known joins its entity, the rest are linked among themselves. The next
    large ingest links everything again, so small links never drift far.
    """
    pending = store.link_pending_ids()
    if not full and not pending and not store.entities_stale():
        return len(store.entities())
    existing = store.entities()
    limit = max(_FULL_LINK_MIN, int(_FULL_LINK_SHARE * len(store)))
    if full or not existing or store.entities_stale() or len(pending) > limit:
        return _link_all(store)
    return _link_some(store, pending, existing)


def _link_all(store: SqliteStore) -> int:
    """Link every stored mention (stories give bare family names their context)."""
    linker = EntityLinker()
    for article_id, story, extraction in store.extractions():
        linker.add_all(extraction.entities, article_id, story)
    linked = linker.entities()
    mentions: list[tuple[str, int, int, str]] = []
    for article_id, _, extraction in store.extractions():
        for m in extraction.entities:
            entity = linker.entity_id(article_id, m)
            if entity is not None:
                mentions.append((article_id, m.start, m.end, entity))
    store.replace_entities(
        (
            StoredEntity(e.id, e.type, e.name, e.variants, e.roles, e.mentions, len(e.articles))
            for e in linked
        ),
        mentions,
    )
    return len(linked)


@dataclass
class _Growing:
    """An entity gaining mentions in an incremental link."""

    entity: StoredEntity
    variants: list[str]
    roles: list[str]
    mentions: int
    articles: set[str]

    def add(self, mention: Mention, article_id: str) -> None:
        if mention.text not in self.variants:
            self.variants.append(mention.text)
        if mention.role and mention.role not in self.roles:
            self.roles.append(mention.role)
        self.mentions += 1
        self.articles.add(article_id)

    def stored(self) -> StoredEntity:
        e = self.entity
        return StoredEntity(
            e.id,
            e.type,
            e.name,
            tuple(self.variants),
            tuple(self.roles),
            self.mentions,
            e.articles + len(self.articles),
        )


def _spelled_like(
    mention: Mention, blocks: dict[tuple[str, str], list[StoredEntity]]
) -> str | None:
    """The one known entity whose every full-name spelling matches this full name, if any
    (`أنطونيو غوتيريش` for a stored `أنطونيو جوتيريش`)."""
    tokens = core_tokens(mention.text)
    if len(tokens) < 2:
        return None
    found = [
        e
        for e in blocks.get((mention.type, name_key(tokens[-1])), ())
        if all(
            names_match(mention.text, v) for v in (e.name, *e.variants) if len(core_tokens(v)) >= 2
        )
    ]
    return found[0].id if len(found) == 1 else None


def _link_some(store: SqliteStore, pending: list[str], existing: list[StoredEntity]) -> int:
    """Link only the pending articles' mentions, against the spellings already known."""
    index: dict[tuple[str, str], str | None] = {}
    for e in existing:
        for spelling in {normalize(v) for v in (e.name, *e.variants)}:
            key = (e.type, spelling)
            index[key] = e.id if index.get(key, e.id) == e.id else None  # ambiguous: None
    by_id = {e.id: e for e in existing}
    blocks: dict[tuple[str, str], list[StoredEntity]] = defaultdict(list)
    for e in existing:
        tokens = core_tokens(e.name)
        if len(tokens) >= 2:
            blocks[(e.type, name_key(tokens[-1]))].append(e)
    growing: dict[str, _Growing] = {}
    mentions: list[tuple[str, int, int, str]] = []
    rest = EntityLinker()
    unlinked: list[tuple[str, Mention]] = []
    for article_id, story, extraction in store.extractions(pending):
        for m in extraction.entities:
            found = index.get((m.type, normalize(m.text))) or index.get((m.type, m.key))
            if found is None:
                found = _spelled_like(m, blocks)
                if found is not None:  # a new spelling of a known name: later mentions too
                    index[(m.type, normalize(m.text))] = index[(m.type, m.key)] = found
            if found is None:
                rest.add(m, article_id, story)
                unlinked.append((article_id, m))
                continue
            if found not in growing:
                e = by_id[found]
                growing[found] = _Growing(e, list(e.variants), list(e.roles), e.mentions, set())
            growing[found].add(m, article_id)
            mentions.append((article_id, m.start, m.end, found))
    new: list[StoredEntity] = []
    renamed: dict[str, str] = {}
    known = set(by_id)
    for le in rest.entities():
        if le.id in known and (le.type != "PER" or len(core_tokens(by_id[le.id].name)) < 2):
            # a new spelling of a known place or body (the alias table), or a bare family name
            # seen again without the full name that would place it: one entity, not one more
            renamed[le.id] = le.id
            continue
        entity_id, n = le.id, 1
        while entity_id in by_id:  # the same name as a different person already stored
            n += 1
            entity_id = f"{le.id}-{n}"
        renamed[le.id] = entity_id
        by_id[entity_id] = StoredEntity(entity_id, le.type, le.name, (), (), 0, 0)
        new.append(
            StoredEntity(
                entity_id, le.type, le.name, le.variants, le.roles, le.mentions, len(le.articles)
            )
        )
    for article_id, m in unlinked:
        linked = rest.entity_id(article_id, m)
        if linked is None:
            continue
        target = renamed[linked]
        if target in known:
            if target not in growing:
                e = by_id[target]
                growing[target] = _Growing(e, list(e.variants), list(e.roles), e.mentions, set())
            growing[target].add(m, article_id)
        mentions.append((article_id, m.start, m.end, target))
    store.add_entities([*(g.stored() for g in growing.values()), *new], mentions, pending)
    return len(existing) + len(new)


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """A quote of a stored article, with the linked entity of its speaker when known."""

    speaker: str | None
    speaker_entity: str | None
    text: str
    kind: str
    cue: str
    article: str
    start: int
    end: int


class LinkedMentions(Mapping[tuple[int, int], str]):
    """An article's linked mentions, (start, end) -> entity id, also in order of start: the
    mentions inside a span are found by bisection (an article with thousands of quotes and
    mentions scanned every mention for each quote: 78 s for one long article's page)."""

    def __init__(self, linked: Mapping[tuple[int, int], str]) -> None:
        """Index `linked` (as `SqliteStore.mention_entities` gives it)."""
        self._linked = dict(linked)
        self._spans = sorted(self._linked)

    def __getitem__(self, key: tuple[int, int]) -> str:
        return self._linked[key]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._linked)

    def __len__(self) -> int:
        return len(self._linked)

    def within(self, start: int, end: int) -> set[str]:
        """The entities of the mentions that lie inside start..end."""
        return {self._linked[span] for span in self.spans_within(start, end)}

    def spans_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The mentions that lie inside start..end, in order of start."""
        spans = self._spans
        found = []
        for k in range(bisect_left(spans, (start, -1)), len(spans)):
            s, t = spans[k]
            if s >= end:
                break
            if t <= end:
                found.append((s, t))
        return found


def speaker_entity_of(quote: Quote, linked: Mapping[tuple[int, int], str]) -> str | None:
    """The linked entity of a quote's speaker: the mention at the speaker's span, else the one
    mention inside the speaker phrase that names who spoke (`وزير الخارجية عادل الجبير`);
    None where no name is, or where the name inside is not the speaker's (see
    `_names_speaker`). Give a `LinkedMentions` where an article has many quotes."""
    start, end = quote.speaker_start, quote.speaker_end
    if start is None or end is None:
        return None
    exact = linked.get((start, end))
    if exact is not None:
        return exact
    if isinstance(linked, LinkedMentions):
        spans = linked.spans_within(start, end)
    else:
        spans = sorted((s, t) for s, t in linked if s >= start and t <= end)
    inside = {linked[span] for span in spans}
    if len(inside) != 1 or quote.speaker is None:
        return None
    entity = inside.pop()
    first = min(s for s, t in spans if linked[s, t] == entity)
    return entity if _names_speaker(quote.speaker[: first - start], entity) else None


# speaker phrases that open with these are the name they hold (`صحيفة نيويورك تايمز`)
_ORG_OPENERS = frozenset({"صحيفة", "صحيفه", "قناة", "قناه", "موقع", "مجلة", "مجله", "وكالة"})


# what a body says through (its statement, its report): the body is the speaker
_VOICE_OF = frozenset(
    normalize(w)
    for w in ("بيان", "البيان", "تقرير", "التقرير", "رسالة", "الرسالة", "تغريدة", "نص", "كلمة",
              "تعميم", "التعميم")
)  # fmt: skip


def _names_speaker(before: str, entity: str) -> bool:
    """Whether the mention of `entity` after the words `before` of a speaker phrase names
    the speaker: a person, unless the phrase opens with a body or a relative (`مكتب رئيس
    الوزراء فلان` spoke, not فلان); a body only when the phrase is that body (institution words
    alone before it: `وزارة الخارجية الروسية`, not `رئيس الاتحاد`; or its statement, its
    report, its spokesman: `بيان الوزارة`, `المتحدث باسم الوزارة`); a place only when it opens
    the phrase (not `بلدية محايل عسير`, nor `حلفاء غربيون لتركيا`)."""
    words = before.split()
    if not words:
        return True
    kind = entity.split("-", 1)[0]
    if kind == "per":
        return not heads_a_body(words[0])
    if kind == "org":
        if normalize(words[0]) in _VOICE_OF or normalize(words[-1]) == "باسم":
            return True  # `بيان الوزارة`, `التقرير السنوي لغرفة`, `المتحدث باسم الوزارة`
        return all(w in _ORG_OPENERS or heads_a_body(w) for w in words)
    return kind != "loc"


def stored_quotes(store: SqliteStore, entity: str | None = None) -> Iterator[StoredQuote]:
    """Every stored quote, or only those whose speaker is linked to `entity` (an id)."""
    ids = store.entity_article_ids(entity) if entity is not None else None
    for article_id, _, extraction in store.extractions(ids):
        if not extraction.quotes:
            continue
        linked = LinkedMentions(store.mention_entities(article_id))
        for q in extraction.quotes:
            speaker_entity = speaker_entity_of(q, linked)
            if entity is not None and speaker_entity != entity:
                continue
            yield StoredQuote(
                q.speaker, speaker_entity, q.text, q.kind, q.cue, article_id, q.start, q.end
            )
