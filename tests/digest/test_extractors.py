"""The seed digest with the project's own quote, source and date extractors (entity mentions
still hand-built: the tagger's model may not be built yet)."""

from __future__ import annotations

from datetime import date

import pytest

from akhbar.digest import DigestArticle, build_digest
from akhbar.extract.model import Extraction
from akhbar.text.normalize import normalize
from tests.digest.conftest import OUTLETS

quotes = pytest.importorskip("akhbar.extract.quotes")
sources = pytest.importorskip("akhbar.extract.sources")
dates = pytest.importorskip("akhbar.extract.dates")


def test_seed_digest_with_extractors(seed_articles: dict[str, DigestArticle]) -> None:
    """Quotes go to Gusarov (one name for both spellings) and Zelensky; the quote both seeds
    carry is one row; both cited sources; the story's day is 2026-02-09."""
    articles = []
    for a in seed_articles.values():
        assert a.extraction is not None
        mentions = a.extraction.entities
        published = date.fromisoformat(a.published[:10]) if a.published else None
        extraction = Extraction(
            mentions,
            quotes.find_quotes(a.text, mentions),
            sources.find_sources(a.text),
            dates.find_dates(a.text, published),
        )
        articles.append(
            DigestArticle(a.id, a.outlet, a.published, a.title, a.text, None, extraction)
        )
    digest = build_digest("seed-story", articles)
    speakers = {q.speaker for q in digest.quotes}
    assert speakers <= {"ألكسندر جوساروف", "فولوديمير زيلينسكي"}, speakers
    london = [q for q in digest.quotes if normalize("سياسة لندن") in normalize(q.text)]
    assert [q.speaker for q in london] == ["ألكسندر جوساروف"]
    target = [q for q in digest.quotes if normalize("نستهدف الأسلحة") in normalize(q.text)]
    assert [q.speaker for q in target] == ["فولوديمير زيلينسكي"]
    both = [q for q in digest.quotes if q.outlets == (OUTLETS["000"], OUTLETS["001"])]
    assert both, "no quote row carried by both outlets"
    cited = dict(digest.cited_sources)
    assert any(normalize("سبوتنيك") in normalize(r.name) for r in cited[OUTLETS["000"]])
    assert cited[OUTLETS["001"]]
    assert digest.dates.first == digest.dates.last == "2026-02-09"
