"""The real inputs in ../shared: the seeds, the dev set and a SaudiNewsNet zip."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.io._helpers import NO_LANGID, SETTINGS, read_all


def test_seeds(seed_paths: dict[str, Path]) -> None:
    articles, skipped = read_all([seed_paths["000"], seed_paths["001"]])
    assert skipped == []
    seed0, seed1 = articles
    assert seed1.published == "2026-02-09"
    assert (seed1.language, seed1.language_detected) == ("ar", False)
    assert "date 2026-02-09" not in seed1.text
    assert seed1.metadata["header"].strip() == "date 2026-02-09 عربي"
    assert seed1.text.startswith("موسكو: الاتصالات بين وزارتي الخارجية")
    assert seed0.published is None
    assert (seed0.language, seed0.language_detected) == ("ar", True)
    assert seed0.source == seed_paths["000"].name
    assert seed1.source == seed_paths["001"].name
    assert seed0.source != seed1.source
    assert seed0.title is None
    assert seed1.title is None
    assert seed0.outlet is None


def test_dev_jsonl(shared: Path) -> None:
    path = shared / "eval" / "dev.jsonl"
    with path.open(encoding="utf-8") as f:
        expected_ids = [json.loads(line)["id"] for line in f if line.strip()]
    articles, skipped = read_all([path], SETTINGS)
    assert skipped == []
    assert len(articles) == len(expected_ids) == 704
    assert [a.id for a in articles] == expected_ids
    assert all(a.language == "ar" and not a.language_detected for a in articles)
    assert all(a.outlet for a in articles)
    assert articles[0].published == "2015-07-21T02:16:16"


def test_saudinewsnet_zip(shared: Path) -> None:
    path = shared / "data" / "saudinewsnet" / "2015-07-21.zip"
    with zipfile.ZipFile(path) as zf:
        (name,) = zf.namelist()
        records = json.loads(zf.read(name))
    blank = sum(1 for r in records if not r["content"].strip())
    articles, skipped = read_all([path], NO_LANGID)
    assert len(articles) + len(skipped) == len(records)
    assert len(skipped) == blank
    assert {s.reason for s in skipped} <= {"empty text"}
    assert all(s.origin.member == name and s.origin.record_kind == "item" for s in skipped)
    first = next(r for r in records if r["content"].strip())
    assert articles[0].text == first["content"]
    assert articles[0].outlet == first["source"]
    assert articles[0].url == first["url"]
    assert articles[0].metadata == {"author": first["author"]}
    assert articles[0].published == first["date_extracted"].replace(" ", "T")
