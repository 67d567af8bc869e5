"""Labelled articles grouped by gold story: grouping, copy sets and unlabelled articles."""

from __future__ import annotations

import json
from pathlib import Path

from akhbar.digest.labelled import labelled_stories

_BODY = (
    "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في منطقة الرياض، وقالت إن الفرق الطبية "
    "تتابع الوضع عن كثب.\n\nوأضافت الوزارة أن المستشفيات جاهزة لاستقبال الحالات."
)


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_groups_by_gold_story_with_copy_sets(tmp_path: Path) -> None:
    articles = _write(
        tmp_path / "a.jsonl",
        [
            {"id": "a1", "outlet": "sabq", "published": "2015-08-01T08:00:00",
             "title": "الصحة: حالات جديدة", "text": _BODY},
            {"id": "a2", "outlet": "okaz", "published": "2015-08-01T09:00:00",
             "title": "حالات جديدة في الرياض", "text": _BODY},
            {"id": "a3", "outlet": "alyaum", "published": "2015-08-02T09:00:00",
             "title": "المستشفيات جاهزة", "text": "المستشفيات جاهزة لاستقبال الحالات الجديدة."},
            {"id": "a4", "outlet": "alyaum", "title": "بلا تسمية", "text": "نص لا تسمية له."},
        ],
    )  # fmt: skip
    gold = _write(
        tmp_path / "g.jsonl",
        [
            {"id": "a1", "story": "s1", "event": "e1", "copy": "c1"},
            {"id": "a2", "story": "s1", "event": "e1", "copy": "c1"},
            {"id": "a3", "story": "s2", "event": "e2", "copy": "single-a3"},
        ],
    )
    stories = labelled_stories(articles, gold)
    assert sorted(stories) == ["s1", "s2"]  # a4 has no label: left out
    assert [a.id for a in stories["s1"]] == ["a1", "a2"]  # input order
    assert [a.copy for a in stories["s1"]] == ["c1", "c1"]
    assert stories["s2"][0].copy is None  # a `single-` label: no copy
    first = stories["s1"][0]
    assert first.outlet == "sabq"
    assert first.title == "الصحة: حالات جديدة"
    assert "وزارة الصحة" in first.text
    assert first.extraction is None
