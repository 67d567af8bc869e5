"""A stored story's digest: the adapter from the store's articles to :func:`build_digest`."""

from __future__ import annotations

from akhbar.digest.build import DigestSettings, build_digest
from akhbar.digest.model import Digest, DigestArticle
from akhbar.extract.model import Extraction
from akhbar.store.sqlite import SqliteStore

__all__ = ["story_articles", "story_digest"]


def story_articles(store: SqliteStore, story_id: str) -> list[DigestArticle]:
    """The story's articles as the digest reads them: cleaned text, copy group, extraction."""
    briefs = store.story(story_id)
    extracted = {a: x for a, _, x in store.extractions(b.id for b in briefs)}
    articles = []
    for b in briefs:
        stored = store.get(b.id)
        articles.append(
            DigestArticle(
                id=b.id,
                outlet=b.source,
                published=b.published,
                title=stored.clean.title,
                text=stored.clean.text,
                copy=b.assignment.copy,
                extraction=extracted.get(b.id, Extraction()),
            )
        )
    return articles


def story_digest(
    store: SqliteStore, story_id: str, settings: DigestSettings | None = None
) -> Digest:
    """The digest of one stored story; an unknown story raises NotFoundError."""
    return build_digest(story_id, story_articles(store, story_id), settings)
