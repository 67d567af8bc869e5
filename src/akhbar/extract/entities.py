"""Entities and quotes across the whole store: linking every stored mention, quotes by speaker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from akhbar.extract.link import EntityLinker
from akhbar.store.sqlite import SqliteStore, StoredEntity

__all__ = ["StoredQuote", "link_entities", "stored_quotes"]


def link_entities(store: SqliteStore) -> int:
    """Link the mentions of every stored article into entities (stories give bare family
    names their context) and store them; returns the number of entities."""
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


def stored_quotes(store: SqliteStore, entity: str | None = None) -> Iterator[StoredQuote]:
    """Every stored quote, or only those whose speaker is linked to `entity` (an id)."""
    ids = store.entity_article_ids(entity) if entity is not None else None
    for article_id, _, extraction in store.extractions(ids):
        if not extraction.quotes:
            continue
        linked = store.mention_entities(article_id)
        for q in extraction.quotes:
            speaker_entity = None
            if q.speaker_start is not None and q.speaker_end is not None:
                speaker_entity = linked.get((q.speaker_start, q.speaker_end))
                if speaker_entity is None:  # a speaker phrase that holds the mention
                    speaker_entity = next(
                        (
                            e
                            for (s, t), e in linked.items()
                            if s >= q.speaker_start and t <= q.speaker_end
                        ),
                        None,
                    )
            if entity is not None and speaker_entity != entity:
                continue
            yield StoredQuote(
                q.speaker, speaker_entity, q.text, q.kind, q.cue, article_id, q.start, q.end
            )
