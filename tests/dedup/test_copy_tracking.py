"""Copies kept by ingest: updated texts, publication order across time zones, re-cleaning."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from akhbar.dedup import CopyDetector
from akhbar.model import Block, CleanArticle, Origin, RawArticle
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore
from akhbar.text.normalize import normalize

from .conftest import EDITED, LONG_ROUNDUP_TAIL, SAME_TOPIC, WIRE


def _raw(aid: str, text: str, published: str | None, source: str = "okaz") -> RawArticle:
    return RawArticle(
        id=aid,
        text=text,
        origin=Origin(f"{aid}.txt"),
        source=source,
        title=None,
        outlet=source,
        published=published,
        language="ar",
    )


def _copies(store: SqliteStore) -> dict[str, tuple[str, str | None]]:
    return {a.article_id: (a.copy, a.copy_of) for a in store.assignments()}


def test_an_updated_text_is_matched_on_its_new_sketch_only(tmp_path: Path) -> None:
    settings = Settings.load()
    with (
        SqliteStore(tmp_path / "n.db", settings.store) as store,
        Ingestor(store, settings, workers=1) as ingestor,
    ):
        ingestor.ingest([_raw("x", WIRE, "2020-01-01T08:00:00+00:00", "a")])
        # the same article again, its text now another story altogether
        ingestor.ingest([_raw("x", SAME_TOPIC, "2020-01-01T08:00:00+00:00", "a")])
        ingestor.ingest(
            [
                _raw("old", EDITED, "2020-01-01T09:00:00+00:00", "b"),  # copies x's old text
                _raw("new", SAME_TOPIC + " تحديث.", "2020-01-01T10:00:00+00:00", "c"),
            ]
        )
        got = _copies(store)
    assert got["old"][1] is None
    assert got["old"][0] != got["x"][0]
    assert got["new"][1] == "x"
    assert got["new"][0] == got["x"][0]


def test_copies_are_ordered_by_instant_not_by_date_text(tmp_path: Path) -> None:
    # 09:00 at +03:00 is 06:00 UTC: before 08:00 UTC, though its text sorts after it
    settings = Settings.load()
    early = _raw("early", WIRE, "2020-01-01T09:00:00+03:00", "a")
    late = _raw("late", EDITED, "2020-01-01T08:00:00+00:00", "b")
    with (
        SqliteStore(tmp_path / "n.db", settings.store) as store,
        Ingestor(store, settings, workers=1) as ingestor,
    ):
        ingestor.ingest([late, early])
        assert store.unclustered_ids() == []
        got = _copies(store)
        assert store.ids() == ["early", "late"]
    assert got["late"][1] == "early"
    assert got["early"][1] is None


def test_unclustered_ids_in_publication_instant_order(tmp_path: Path) -> None:
    settings = Settings.load()
    with SqliteStore(tmp_path / "n.db", settings.store) as store:
        dates = {
            "z": "2020-01-02",  # a date alone: midnight UTC
            "a": "2020-01-01T23:30:00-02:00",  # 01:30 UTC on the 2nd
            "b": "2020-01-02T01:00:00Z",
            "c": None,
            "d": "2020-01-01T12:00:00",  # no zone: read as UTC
        }
        for aid, published in dates.items():
            raw = _raw(aid, f"{WIRE} {aid}", published)
            store.add(raw, _view(raw))
        assert store.unclustered_ids() == ["c", "d", "z", "b", "a"]
        assert store.ids() == ["d", "z", "b", "a", "c"]


def test_a_copy_of_an_article_dated_far_in_the_future_links_as_if_it_had_no_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which of two copies is the original follows their dates; a date no real article has is
    none, to copies as to stories: the same links as with an undated article. (Ingest now
    leaves such a date empty; a store written before it did may hold one.)"""
    monkeypatch.setattr("akhbar.pipeline._dated", lambda item, *_: item)
    settings = Settings.load()
    links = []
    for published in ("2106-08-01T10:00:00+03:00", None):
        dated = _raw("d", WIRE, "2020-01-01T10:00:00+00:00")
        other = _raw("f", WIRE + " المصدر: واس", published, source="sabq")
        with SqliteStore(tmp_path / f"{published is None}.db", settings.store) as store:
            Ingestor(store, settings, workers=1).ingest([dated, other])
            links.append({a.article_id: (a.copy, a.copy_of) for a in store.assignments()})
    assert links[0]["d"][0] == links[0]["f"][0]  # one copy group
    assert links[0] == links[1]


def test_unclustered_ids_put_a_date_past_latest_with_the_undated(tmp_path: Path) -> None:
    """A date no real article has (made by a caller: readers refuse it) is no date to the
    clusterer, so it is placed where an undated article would be, not last."""
    settings = Settings.load()
    with SqliteStore(tmp_path / "n.db", settings.store) as store:
        dates = {"old": "2020-01-01", "typo": "2106-08-01T10:00:00+03:00", "new": "2020-01-03"}
        for aid, published in dates.items():
            raw = _raw(aid, f"{WIRE} {aid}", published)
            store.add(raw, _view(raw))
        assert store.unclustered_ids() == ["old", "new", "typo"]
        latest = datetime(2030, 1, 1, tzinfo=UTC).timestamp()
        assert store.unclustered_ids(latest=latest) == ["typo", "old", "new"]
        later = datetime(2107, 1, 1, tzinfo=UTC).timestamp()
        assert store.unclustered_ids(latest=later) == ["old", "new", "typo"]


def test_forgotten_article_is_no_candidate_and_can_come_back() -> None:
    det = CopyDetector()
    det.add("wire", normalize(WIRE))
    det.add("edited", normalize(EDITED))
    assert det.group_of("edited") == "wire"
    assert det.forget("wire")
    assert not det.forget("wire")
    assert "wire" not in det.groups()
    assert det.group_of("edited") == "edited"  # named after its earliest remaining member
    det.add("wire", normalize(SAME_TOPIC))  # back with another text
    match = det.add("again", normalize(WIRE))
    assert [link.article_id for link in match.copies] == ["edited"]
    assert det.groups()["wire"] == "wire"
    assert det.group_of("again") == match.group_id == "edited"
    assert len(det) == 3


def _view(raw: RawArticle) -> CleanArticle:
    body = raw.text.strip()
    return CleanArticle(
        article_id=raw.id,
        title=raw.title,
        title_source="given",
        text=body,
        blocks=(Block("paragraph", body, 0, len(body)),),
        removed=(),
        normalized_title="",
        normalized_text=normalize(body),
    )


def test_parallel_and_serial_ingest_give_the_same_copies(tmp_path: Path) -> None:
    settings = Settings.load()
    texts = [WIRE, EDITED, SAME_TOPIC, WIRE + LONG_ROUNDUP_TAIL, EDITED]
    raws = [
        _raw(f"r{i}", text, "2020-01-01T08:00:00+00:00", f"s{i % 3}")
        for i, text in enumerate(texts * 60)
    ]
    raws = [dataclasses.replace(r, text=f"{r.text} {i % 7}") for i, r in enumerate(raws)]
    got = []
    for workers in (1, 2):
        with (
            SqliteStore(tmp_path / f"{workers}.db", settings.store) as store,
            Ingestor(store, settings, workers=workers) as ingestor,
        ):
            ingestor.ingest(raws)
            got.append(_copies(store))
    assert got[0] == got[1]


def test_files_read_in_parallel_give_the_copies_of_one_by_one(tmp_path: Path) -> None:
    # two copies published at the same instant in two files; the first file is long, so a
    # worker finishes the second one first: the copy direction must not depend on that
    settings = Settings.load()
    when = "2020-01-01T08:00:00+00:00"
    filler = [
        {"id": f"f{i}", "text": f"{SAME_TOPIC} {i} " * 40, "published": when} for i in range(300)
    ]
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    first.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in [{"id": "wire", "text": WIRE,
        "published": when}, *filler]) + "\n", "utf-8"
    )  # fmt: skip
    second.write_text(
        json.dumps({"id": "edited", "text": EDITED, "published": when}, ensure_ascii=False) + "\n",
        "utf-8",
    )
    got = []
    for workers in (1, 2):
        with (
            SqliteStore(tmp_path / f"{workers}.db", settings.store) as store,
            Ingestor(store, settings, workers=workers) as ingestor,
        ):
            ingestor.ingest_inputs([first, second], settings.read)
            got.append({k: v for k, v in _copies(store).items() if k in ("wire", "edited")})
    assert got[0] == got[1]


FOOTER = "نتمنى لكم قراءة ممتعة مع فريق التحرير في صحيفتكم المفضلة"


def _with_footer(i: int, source: str = "okaz") -> RawArticle:
    body = f"{normalize(SAME_TOPIC).split('.')[0]} {i}" if i else WIRE
    text = f"{body}\nوأضاف المسؤول أن العمل سيستمر خلال الأيام المقبلة رقم {i}.\n{FOOTER}\n"
    return _raw(f"{source}-{i}", text, f"2020-01-01T{8 + i:02d}:00:00+00:00", source)


def test_articles_cleaned_again_after_an_in_order_feed_keep_a_sketch(tmp_path: Path) -> None:
    # placed as they came, the first articles are cleaned again once the outlet's footer is
    # learnt: their new view's sketch is kept, so a tracker restored later still matches them
    settings = Settings.load()
    db = tmp_path / "n.db"
    with SqliteStore(db, settings.store) as store:
        report = Ingestor(store, settings, in_order=True).ingest(
            [_with_footer(i) for i in range(8)]
        )
        assert report.recleaned > 0
        clustered = [a.article_id for a in store.assignments()]
        assert len(dict(store.sketches(clustered))) == len(clustered) == 8
    copy = _raw("later", WIRE + " تحديث.", "2020-01-02T08:00:00+00:00", "alyaum")
    with SqliteStore(db, settings.store) as store:
        Ingestor(store, settings).ingest([copy])  # a new tracker, restored from the store
        assert _copies(store)["later"][1] == "okaz-0"


def test_after_a_forget_new_articles_meet_the_right_candidates() -> None:
    # Forgetting takes an article out of the LSH index, whose positions keep counting: new
    # articles must still be matched against the articles at those positions.
    words = [f"w{i}" for i in range(200)]
    other = " ".join(f"z{i}" for i in range(200))
    det = CopyDetector()
    det.add("A", other)
    det.add("B", " ".join(words))
    assert det.forget("A")
    det.add("A", other + " q")  # A updated: added again
    same = det.add("C", " ".join(words) + " tail")
    assert [link.article_id for link in same.copies] == ["B"]
    # a trimmed copy with a new opening, found through the LSH bands only
    trimmed = det.add("D", " ".join([f"n{i}" for i in range(13)] + words[:170]))
    assert trimmed.group_id == "B"
    assert "B" in [link.article_id for link in trimmed.copies]


def test_a_batch_after_many_forgets_is_matched_within_itself() -> None:
    det = CopyDetector()
    texts = [" ".join(f"t{k}x{i}" for i in range(60)) for k in range(60)]
    det.add_sketches(list(zip([f"a{k}" for k in range(60)], det.sketch_texts(texts), strict=True)))
    for k in range(30):
        assert det.forget(f"a{k}")
    same = " ".join(f"s{i}" for i in range(60))
    matches = det.add_sketches(
        [(f"b{k}", sketch) for k, sketch in enumerate(det.sketch_texts([same] * 6))]
    )
    assert [len(m.copies) for m in matches] == [0, 1, 2, 3, 4, 5]
    assert {m.group_id for m in matches} == {"b0"}
