"""Cleaning all 704 real articles of the dev split: nothing lost, offsets valid."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from akhbar.model import Origin, RawArticle
from akhbar.settings import Settings
from akhbar.text.clean import BoilerplateDetector, clean
from akhbar.text.normalize import normalize
from tests.text.helpers import lost_words, offsets_ok


@pytest.fixture(scope="module")
def dev_articles(shared: Path) -> list[RawArticle]:
    """The dev split as RawArticles (JSON parsed here; readers are tested elsewhere)."""
    path = shared / "eval" / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} missing")
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            row = json.loads(line)
            out.append(
                RawArticle(
                    row["id"],
                    row["text"],
                    Origin(str(path), record=n),
                    "dev",
                    title=row.get("title"),
                    outlet=row.get("outlet"),
                )
            )
    return out


@pytest.mark.shared
def test_dev_nothing_lost_and_offsets_valid(dev_articles: list[RawArticle]) -> None:
    settings = Settings.load().clean
    detector = BoilerplateDetector(
        settings.boilerplate_min_articles,
        settings.boilerplate_min_share,
        settings.boilerplate_max_words,
    ).fit(dev_articles)
    reasons: Counter[str] = Counter()
    assert len(dev_articles) == 704
    for raw in dev_articles:
        view = clean(raw, settings, detector.lines_for(raw.outlet))
        assert offsets_ok(view), raw.id
        assert lost_words(raw, view) == [], raw.id
        assert view.normalized_text == normalize(view.text), raw.id
        assert view.blocks, raw.id
        reasons.update(r.reason for r in view.removed)
    # The trailing `رابط الخبر بصحيفة الوئام: ...` of every alweeam article is cut.
    alweeam = [a for a in dev_articles if a.outlet == "alweeam"]
    assert all("رابط الخبر" not in clean(a, settings).text for a in alweeam)
    # Conservative on real data: inserted headlines are rare in this corpus.
    n_inserted = reasons["inserted-headline-on-topic"] + reasons["inserted-headline-off-topic"]
    assert n_inserted <= 10


def test_clean_with_lines_gives_the_same_keys_as_candidate_lines(
    dev_articles: list[RawArticle],
) -> None:
    from akhbar.text.clean import candidate_lines, clean_with_lines

    settings = Settings.load().clean
    for article in dev_articles[:300]:
        view, keys, norms = clean_with_lines(article, settings)
        assert keys == candidate_lines(article, max_words=settings.boilerplate_max_words)
        assert view == clean(article, settings)
        assert norms == tuple(normalize(b.text) for b in view.blocks)
