"""The Extractor runs each extractor once per article; sharing one fold changes no result."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from akhbar.extract.dates import find_dates
from akhbar.extract.extractor import Extractor
from akhbar.extract.quotes import find_quotes
from akhbar.extract.roles import attach_roles
from akhbar.extract.sources import find_sources


def test_extract_equals_each_extractor_alone(seed_paths: dict[str, Path]) -> None:
    extractor = Extractor.load()
    day = date(2026, 2, 9)
    for path in seed_paths.values():
        text = path.read_text(encoding="utf-8")
        got = extractor.extract(text, day)
        mentions = extractor.tagger.tag(text)
        people = {
            (m.start, m.end): m.role
            for m in attach_roles(text, [m for m in mentions if m.type == "PER"])
        }
        assert [m.role for m in got.entities] == [people.get((m.start, m.end)) for m in mentions]
        assert got.quotes == find_quotes(text, got.entities)
        assert got.sources == find_sources(text)
        assert got.dates == find_dates(text, day)
        assert got.quotes
        assert got.sources
        assert got.dates
        assert got.entities


def test_extract_many_equals_extract_one_by_one(seed_paths: dict[str, Path]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in seed_paths.values()]
    texts += ["", texts[0][:500]]
    days: list[str | date | None] = [date(2026, 2, 9), "2026-02-10T08:00:00", None, "not a date"]
    expected = [Extractor.load().extract(t, d) for t, d in zip(texts, days, strict=True)]
    assert Extractor.load().extract_many(texts, days) == expected


def test_extract_many_needs_one_date_per_text() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 publication dates"):
        Extractor.load().extract_many(["أ", "ب"], [None])
