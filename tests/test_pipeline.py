"""Ingest: batches, interruption, outlet boilerplate learnt across a source's articles."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from akhbar._gc import GC_YOUNG
from akhbar.model import Origin, RawArticle, Skipped, make_article_id
from akhbar.pipeline import (
    _FIRST_CHUNKS,
    _INGEST_CHUNK,
    _WORKER_NICENESS,
    Ingestor,
    _Workers,
)
from akhbar.settings import Settings, StoreSettings
from akhbar.store import SqliteStore

FOOTER = "نتمنى لكم قراءة ممتعة مع فريق التحرير في صحيفتكم المفضلة"
BODIES = [
    "أعلنت وزارة الصحة افتتاح مستشفى جديد في مدينة جدة بطاقة ثلاثمئة سرير.",
    "ارتفعت أسعار النفط في ختام تعاملات اليوم بنسبة اثنين في المئة.",
    "فاز الفريق الأول لنادي الاتحاد على ضيفه بثلاثة أهداف مقابل هدف.",
    "توقعت هيئة الأرصاد هطول أمطار رعدية على المرتفعات الجنوبية غدا.",
    "وقعت المملكة اتفاقية تعاون مع اليابان في مجال الطاقة المتجددة.",
    "افتتح أمير المنطقة معرض الكتاب الدولي بمشاركة خمسمئة دار نشر.",
    "أطلقت الجامعة برنامجا جديدا لتدريب الخريجين على البرمجة والذكاء الاصطناعي.",
    "أكد المتحدث باسم الدفاع المدني السيطرة على حريق في مستودع بالرياض.",
]


def _raw(body: str, source: str, n: int) -> RawArticle:
    text = f"{body}\nوأضاف المسؤول أن العمل سيستمر خلال الأيام المقبلة رقم {n}.\n{FOOTER}\n"
    aid = make_article_id(None, source=source, url=None, title=None, text=text)
    return RawArticle(
        id=aid,
        text=text,
        origin=Origin(f"{source}-{n}.txt"),
        source=source,
        outlet=source,
        title=f"خبر رقم {n} من {source}",
        language="ar",
    )


def test_lines_recurring_across_an_outlet_are_learnt_and_removed_everywhere(
    tmp_path: Path,
) -> None:
    settings = Settings.load()
    with SqliteStore(tmp_path / "n.db") as store:
        items = [_raw(b, "okaz", i) for i, b in enumerate(BODIES)]
        items.append(_raw(BODIES[0], "alyaum", 99))
        report = Ingestor(store, settings).ingest(items)
        assert report.new == 9
        for stored in store.articles(source="okaz"):
            assert FOOTER not in stored.clean.text
            assert any(
                r.reason == "outlet-boilerplate" and FOOTER in r.text for r in stored.clean.removed
            )
        (other,) = list(store.articles(source="alyaum"))
        assert FOOTER in other.clean.text  # one article of another outlet: nothing learnt


def test_boilerplate_learnt_in_a_later_run_is_removed_from_earlier_runs_articles(
    tmp_path: Path,
) -> None:
    """An outlet's first articles, ingested before its footer was known, kept the footer for
    good (in their text, sketches and story terms), unlike the same articles ingested in one
    run; `recluster` did not help. A later run that learns it cleans them again."""
    settings = Settings.load()
    items = [_raw(b, "okaz", i) for i, b in enumerate(BODIES)]
    with SqliteStore(tmp_path / "one.db") as one:
        Ingestor(one, settings).ingest(items)
        expected = {a.raw.id: a.clean for a in one.articles()}
    with SqliteStore(tmp_path / "two.db") as two:
        Ingestor(two, settings).ingest(items[:3])
        assert all(FOOTER in a.clean.text for a in two.articles())  # too few to tell yet
        report = Ingestor(two, settings).ingest(items[3:])
        assert report.recleaned >= 3
        assert {a.raw.id: a.clean for a in two.articles()} == expected
        again = Ingestor(two, settings).ingest(items)  # nothing changed: nothing cleaned
        assert (again.duplicate, again.recleaned) == (len(items), 0)


def test_boilerplate_counted_by_an_interrupted_run_is_removed_when_it_runs_again(
    tmp_path: Path,
) -> None:
    """An ingest interrupted after some batches were committed (their counts with them) and
    then run again kept the footer in its first articles for good: the counts it started
    from already made the footer boilerplate, so nothing looked changed."""
    settings = Settings(store=StoreSettings(batch_size=3))
    items = [_raw(BODIES[i % len(BODIES)], "okaz", i) for i in range(10)]
    with SqliteStore(tmp_path / "one.db", settings.store) as one:
        Ingestor(one, settings, workers=1).ingest(items)
        expected = {a.raw.id: a.clean for a in one.articles()}
    seen: list[object] = []

    def stop(item: object) -> None:
        seen.append(item)
        if len(seen) == 8:
            raise KeyboardInterrupt

    with SqliteStore(tmp_path / "two.db", settings.store) as two:
        with pytest.raises(KeyboardInterrupt):
            Ingestor(two, settings, workers=1).ingest(items, on_item=stop)
        assert 0 < len(two) < len(items)
        assert two.unfinished_sources() == {"okaz"}
        report = Ingestor(two, settings, workers=1).ingest(items)
        assert report.recleaned >= 1
        assert {a.raw.id: a.clean for a in two.articles()} == expected
        assert two.unfinished_sources() == set()


def _many(n: int, start: int = 0) -> Iterator[RawArticle]:
    for i in range(start, n):
        yield _raw(f"{BODIES[i % len(BODIES)]} الخبر رقم {i}.", f"outlet{i % 3}", i)


def test_a_failure_mid_batch_keeps_committed_batches_and_no_half_article(tmp_path: Path) -> None:
    settings = Settings(store=StoreSettings(batch_size=50))

    read = sum(_FIRST_CHUNKS)  # the chunks read whole before the one interrupted

    def items() -> Iterator[RawArticle | Skipped]:
        yield from _many(read + 10)
        raise KeyboardInterrupt

    with SqliteStore(tmp_path / "n.db", settings.store) as store:
        with pytest.raises(KeyboardInterrupt):
            Ingestor(store, settings, workers=1).ingest(items())
        # the first chunks were cleaned and stored before the interruption: their full
        # batches of 50 committed, the open batch rolled back
        committed = read // 50 * 50
        assert 0 < committed < read
        assert len(store) == committed
    con = sqlite3.connect(tmp_path / "n.db")
    assert con.execute("SELECT count(*) FROM cleaned").fetchone()[0] == committed
    counted = con.execute("SELECT sum(articles) FROM outlet_counts").fetchone()[0]
    assert counted == committed


def test_worker_processes_give_the_same_store_as_one_process(tmp_path: Path) -> None:
    settings = Settings.load()
    views = []
    for workers in (1, 2):
        with SqliteStore(tmp_path / f"w{workers}.db") as store:
            report = Ingestor(store, settings, workers=workers).ingest(_many(300))
            assert report.new == 300
            views.append([(a.raw.id, a.clean) for a in store.articles()])
    assert views[0] == views[1]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_version_given_back_later_in_the_feed_is_the_one_stored(
    tmp_path: Path, workers: int
) -> None:
    """An article updated, then given its stored text back later in the same feed, ends
    with that text, as one article at a time would leave it: whether an item is stored as
    it is can only be told when it is written, not when its chunk is read (the chunk of
    the update may not be stored yet, or the two may share a chunk)."""
    settings = Settings.load()
    first = _raw(BODIES[0], "okaz", 9000)
    second = dataclasses.replace(first, text=first.text + "تحديث للخبر.\n")
    feeds = {
        "apart": [second, *_many(300), first],  # `first` read while `second` is in flight
        "together": [second, first, *_many(5)],
    }
    for name, items in feeds.items():
        with SqliteStore(tmp_path / f"{name}.db") as store:
            Ingestor(store, settings, workers=1).ingest([first])
            with Ingestor(store, settings, workers=workers) as ingestor:
                report = ingestor.ingest(items)
            assert (report.updated, report.duplicate) == (2, 0), name
            assert store.get(first.id).raw.text == first.text, name


def test_a_small_ingest_does_not_start_the_workers(tmp_path: Path) -> None:
    """Starting worker processes costs more than cleaning one full chunk in this process
    (extraction off: articles cleaned again at the end are extracted in workers when many)."""
    settings = Settings.load()
    settings = dataclasses.replace(
        settings, extract=dataclasses.replace(settings.extract, enabled=False)
    )
    with SqliteStore(tmp_path / "n.db") as store, Ingestor(store, settings, workers=2) as ing:
        articles = list(_many(2 * _INGEST_CHUNK + 2))
        ing.ingest(articles[:_INGEST_CHUNK])
        assert not ing._workers.running
        ing.ingest(articles[: _INGEST_CHUNK + 1])  # stored already but one: nothing to start
        assert not ing._workers.running
        ing.ingest(articles[_INGEST_CHUNK + 1 :])  # more than a chunk to clean
        assert ing._workers.running


def test_skipped_items_are_counted_and_stored(tmp_path: Path) -> None:
    settings = Settings.load()
    bad = Skipped(Origin("feed.jsonl", record=7), "invalid JSON: Expecting value")
    with SqliteStore(tmp_path / "n.db") as store:
        report = Ingestor(store, settings).ingest([bad, _raw(BODIES[1], "okaz", 1)])
        assert report.new == 1
        assert report.skipped == [bad]
        assert store.skipped() == [("feed.jsonl (line 7)", "invalid JSON: Expecting value")]


def _write_jsonl(path: Path, articles: list[RawArticle]) -> None:
    rows = [
        {"id": a.id, "outlet": a.outlet, "title": a.title, "text": a.text, "lang": "ar"}
        for a in articles
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")


def test_reading_files_in_worker_processes_gives_the_same_store(tmp_path: Path) -> None:
    articles = list(_many(240))
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        _write_jsonl(folder / f"part{n}.jsonl", articles[n::4])
    (folder / "broken.jsonl").write_text('{"id": "x", "text": \n', "utf-8")
    settings = Settings.load()
    results = []
    for workers in (1, 2):
        with SqliteStore(tmp_path / f"w{workers}.db") as store:
            report = Ingestor(store, settings, workers=workers).ingest_inputs(
                [folder], settings.read
            )
            assert (report.new, len(report.skipped)) == (240, 1)
            assert "broken.jsonl (line 1)" in str(report.skipped[0].origin)
            results.append(sorted((a.raw.id, a.clean) for a in store.articles()))
            again = Ingestor(store, settings, workers=workers).ingest_inputs(
                [folder], settings.read
            )
            assert (again.new, again.duplicate) == (0, 240)
    assert results[0] == results[1]


def test_the_version_in_the_file_listed_last_is_kept_whatever_finishes_first(
    tmp_path: Path,
) -> None:
    """A correction in a small file listed after a big one: the small file finishes first
    when files are read in parallel; the big file's older version must not replace it."""
    articles = list(_many(400))
    corrected = dataclasses.replace(articles[-1], text=articles[-1].text + " تصحيح: الرقم 42.")
    _write_jsonl(tmp_path / "day1.jsonl", articles)
    _write_jsonl(tmp_path / "day2.jsonl", [corrected])
    settings = Settings.load()
    for workers in (1, 2):
        with SqliteStore(tmp_path / f"w{workers}.db") as store:
            report = Ingestor(store, settings, workers=workers).ingest_inputs(
                [tmp_path / "day1.jsonl", tmp_path / "day2.jsonl"], settings.read
            )
            assert store.get(corrected.id).raw.text == corrected.text, workers
            # serially the old version is stored, then updated; in parallel it may come
            # second: counted the same, with a warning naming the file kept, never skipped
            assert (report.new, report.updated, report.skipped) == (400, 1, []), workers
            assert store.skipped() == []
            assert any("day2.jsonl" in w for w in report.warnings)


def test_the_same_article_in_two_files_is_a_duplicate_whatever_finishes_first(
    tmp_path: Path,
) -> None:
    """Listed in a big file and again in a small one read in parallel (the small one
    finishes first): as in a serial run, the second is a duplicate, not a skipped record."""
    articles = list(_many(400))
    _write_jsonl(tmp_path / "day1.jsonl", articles)
    _write_jsonl(tmp_path / "day2.jsonl", [articles[-1]])
    settings = Settings.load()
    for workers in (1, 2):
        with SqliteStore(tmp_path / f"w{workers}.db") as store:
            report = Ingestor(store, settings, workers=workers).ingest_inputs(
                [tmp_path / "day1.jsonl", tmp_path / "day2.jsonl"], settings.read
            )
            assert (report.new, report.duplicate, report.skipped) == (400, 1, []), workers
            assert store.skipped() == []


def test_real_corpus_ingest_loses_nothing(shared: Path, tmp_path: Path) -> None:
    """dev.jsonl and one SaudiNewsNet zip: every record stored or skipped with a reason."""
    dev = shared / "eval" / "dev.jsonl"
    archive = shared / "data" / "saudinewsnet" / "2015-07-27.zip"
    with zipfile.ZipFile(archive) as zf, zf.open(zf.namelist()[0]) as fh:
        expected_zip = len(json.load(fh))
    expected_dev = sum(1 for line in dev.open(encoding="utf-8") if line.strip())
    settings = Settings.load()
    with SqliteStore(tmp_path / "real.db") as store:
        report = Ingestor(store, settings).ingest_inputs([dev, archive], settings.read)
        assert report.articles + len(report.skipped) == expected_dev + expected_zip
        assert len(store) == report.new
        assert all(s.reason for s in report.skipped)
        assert len(store.skipped()) == len(report.skipped)
        assert store.search("وزارة الصحة")


def test_a_record_with_a_lone_surrogate_is_not_fatal(tmp_path: Path) -> None:
    bad = json.dumps(
        {
            "id": "bad",
            "outlet": "okaz",
            "lang": "ar",
            "title": "عنوان",
            "text": "نص فيه محرف مكسور \\ud800 في وسطه.",
        }
    )
    good = json.dumps(
        {
            "id": "good",
            "outlet": "okaz",
            "lang": "ar",
            "title": "عنوان",
            "text": "أعلنت الوزارة نتائج القبول في الجامعات اليوم.",
        },
        ensure_ascii=False,
    )
    path = tmp_path / "in.jsonl"
    path.write_text(bad + "\n" + good + "\n", "utf-8")
    settings = Settings.load()
    with SqliteStore(tmp_path / "n.db") as store:
        report = Ingestor(store, settings, workers=1).ingest_inputs([path], settings.read)
        assert "good" in store
        # the broken record is stored as read, or skipped with its reason: never fatal, never lost
        assert report.new + len(report.skipped) == 2
        assert ("bad" in store) != bool(store.skipped())


def test_one_article_that_cannot_be_stored_is_skipped_alone(tmp_path: Path) -> None:
    """New articles are written together; when that fails, one by one, as before."""
    settings = Settings.load()
    items = list(_many(9))
    bad = dataclasses.replace(items[4], text=items[4].text + "\ud800")
    items[4] = bad
    with SqliteStore(tmp_path / "n.db") as store:
        report = Ingestor(store, settings, workers=1).ingest(items)
        assert report.new == 8
        assert [s.origin for s in report.skipped] == [bad.origin]
        assert "cannot store" in report.skipped[0].reason
        assert bad.id not in store
        assert len(store) == 8
        assert store.search("الخبر رقم 5")
    con = sqlite3.connect(tmp_path / "n.db")
    assert con.execute("SELECT sum(articles) FROM outlet_counts").fetchone()[0] == 8
    con.execute("INSERT INTO search(search) VALUES ('integrity-check')")


def test_an_id_that_cannot_be_stored_costs_its_article_alone(tmp_path: Path) -> None:
    """An id with a lone surrogate (made by a caller, not a reader) cannot even be looked up:
    the article is skipped with its reason, the rest stored, and the skip recorded."""
    settings = Settings.load()
    items = list(_many(9))
    bad = dataclasses.replace(items[3], id="made\ud800by-hand")
    items[3] = bad
    with SqliteStore(tmp_path / "i.db") as store:
        report = Ingestor(store, settings, workers=1).ingest(items)
        assert report.new == 8
        assert [s.origin for s in report.skipped] == [bad.origin]
        assert report.skipped[0].reason.startswith("id ")
        assert "surrogate" in report.skipped[0].reason
        assert len(store) == 8
    con = sqlite3.connect(tmp_path / "i.db")
    assert con.execute("SELECT count(*) FROM skipped").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"text": None}, "text is of type NoneType"),
        ({"id": None}, "id is of type NoneType"),
        ({"id": "  "}, "id is blank"),
        ({"source": None}, "source is of type NoneType"),
        ({"url": 5}, "url is of type int"),
        ({"published": 20240101}, "published is of type int"),
        ({"metadata": ["a"]}, "metadata is of type list"),
        ({"source": "okaz\ud800"}, "source 'okaz\\ud800' cannot be stored"),
        ({"metadata": {("a", 1): "v"}}, "cannot store: keys must be str"),
    ],
)
def test_an_article_made_wrong_through_the_api_is_skipped_alone(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    """A field of the wrong type, or a source that cannot be stored, costs its article only:
    skipped with a reason naming the field, the others stored."""
    items = list(_many(5))
    bad = dataclasses.replace(items[2], **change)  # type: ignore[arg-type]
    items[2] = bad
    with SqliteStore(tmp_path / "t.db") as store:
        report = Ingestor(store, Settings.load(), workers=1).ingest(items)
        assert report.new == 4
        assert [s.origin for s in report.skipped] == [bad.origin]
        assert reason in report.skipped[0].reason
        assert len(store) == 4
        assert len(store.skipped()) == 1


@pytest.mark.parametrize(
    ("given", "kept", "warned"),
    [
        ("2015-07-21 09:30:00", "2015-07-21T09:30:00", False),
        ("20150721T093000+0300", "2015-07-21T09:30:00+03:00", False),
        ("Tue, 21 Jul 2015 09:30:00 +0300", "2015-07-21T09:30:00+03:00", False),
        ("21/07/2015", None, True),
        ("2999-01-01", None, True),
    ],
)
def test_a_date_given_through_the_api_is_kept_as_the_readers_keep_dates(
    tmp_path: Path, given: str, kept: str | None, warned: bool
) -> None:
    """An article made in Python with a date in another form is stored in ISO 8601, which
    SQLite orders by and the clusterer reads; one that is no date, or lies centuries ahead,
    is stored undated with a warning naming the article and the value, as a reader would."""
    items = list(_many(3))
    items[1] = dataclasses.replace(items[1], published=given)
    with SqliteStore(tmp_path / "d.db") as store:
        report = Ingestor(store, Settings.load(), workers=1).ingest(items)
        assert report.new == 3
        assert store.get(items[1].id).raw.published == kept
        about = [w for w in report.warnings if repr(given) in w]
        assert len(about) == int(warned)
        if warned:
            assert about[0].startswith(f"{items[1].origin}: article {items[1].id!r}:")
            assert "left empty" in about[0]
    con = sqlite3.connect(tmp_path / "d.db")
    day = "SELECT julianday(published) FROM articles WHERE id = ?"
    assert (con.execute(day, (items[1].id,)).fetchone()[0] is None) == (kept is None)


def test_a_date_just_inside_the_limit_when_read_is_kept_by_a_slow_source(tmp_path: Path) -> None:
    """A source slow to give its next article (a feed, a large file) dates it against its own
    clock; ingest's check of the same limit must not use an earlier one."""

    def slow() -> Iterator[RawArticle]:
        yield from _many(2)
        time.sleep(1.5)
        limit = datetime.now(UTC) + timedelta(days=Settings.load().read.max_future_days)
        yield dataclasses.replace(next(_many(3, 2)), published=limit.isoformat(timespec="seconds"))

    with SqliteStore(tmp_path / "s.db") as store:
        report = Ingestor(store, Settings.load(), workers=1).ingest(slow())
        assert report.new == 3
        assert not any("future" in w for w in report.warnings)
        assert all(store.get(a.id).raw.published for a in _many(3, 2))


def test_files_read_under_their_own_settings_keep_the_dates_those_allow(tmp_path: Path) -> None:
    """The dates of files read by `ingest_inputs` were checked by the readers, under the read
    settings given there: ingest does not check them again under its own."""
    ahead = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).isoformat()
    paths = []
    for i in range(2):
        record = {"id": f"f{i}", "title": "خبر", "text": BODIES[i], "date": ahead}
        paths.append(tmp_path / f"f{i}.jsonl")
        paths[-1].write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    settings = Settings.load()
    read = dataclasses.replace(settings.read, max_future_days=365)
    with SqliteStore(tmp_path / "f.db") as store:
        report = Ingestor(store, settings, workers=1).ingest_inputs(paths, read)
        assert report.new == 2
        assert [store.get(f"f{i}").raw.published for i in range(2)] == [ahead, ahead]
        assert not any("future" in w for w in report.warnings)


@pytest.mark.parametrize("odd", [None, {"id": "x", "text": "نص"}])
def test_an_item_that_is_not_an_article_is_skipped_not_counted_a_duplicate(
    tmp_path: Path, odd: object
) -> None:
    items: list[object] = list(_many(3))
    items.insert(1, odd)
    with SqliteStore(tmp_path / "o.db") as store:
        report = Ingestor(store, Settings.load(), workers=1).ingest(items)  # type: ignore[arg-type]
        assert (report.new, report.duplicate) == (3, 0)
        assert len(report.skipped) == 1
        assert "not an article" in report.skipped[0].reason
        assert len(store.skipped()) == 1


def test_a_body_removed_whole_is_a_warning_not_silent(tmp_path: Path) -> None:
    """Six articles of one outlet with the same short body: it is learnt as the outlet's
    boilerplate and every copy of it loses its body; a body that is only a link line goes by a
    packaged pattern. Each such article is named in a warning, once, and kept."""
    settings = Settings.load()
    notice = "مواقيت الصلاة حسب توقيت مدينة الرياض"
    same = [
        RawArticle(f"n{i}", notice, Origin(f"n{i}.txt"), "sabq", outlet="sabq", title=f"خبر {i}")
        for i in range(6)
    ]
    link = RawArticle(
        "link", "رابط الخبر بصحيفة الوئام: بالصور .. رمضان في ليبيا", Origin("l.txt"), "alweeam"
    )
    kept = _raw(BODIES[0], "okaz", 1)
    with SqliteStore(tmp_path / "e.db") as store:
        report = Ingestor(store, settings, workers=1).ingest([*same, link, kept])
        assert report.new == 8
        emptied = [w for w in report.warnings if "every line of its body was removed" in w]
        named = sorted(w.split(":")[0] for w in emptied)
        # the outlet's lines are learnt at its fifth article: the first ones are cleaned again
        assert named == sorted(["link", *(a.id for a in same)])
        assert any("outlet-boilerplate" in w for w in emptied)
        assert any("akhbar show link" in w and "(boilerplate)" in w for w in emptied)
        assert not any(w.startswith(kept.id) for w in report.warnings)
        for a in [*same, link]:
            assert store.get(a.id).clean.text == ""
            assert store.get(a.id).raw.text
        again = Ingestor(store, settings, workers=1).ingest([*same, link])
        assert again.duplicate == 7
        assert not any("every line" in w for w in again.warnings)  # nothing new was emptied


def test_an_empty_body_is_warned_only_if_it_is_still_empty_at_the_end(tmp_path: Path) -> None:
    """Warned on the body each article ends the run with: not for one a later version
    gives back, nor for one the end-of-run cleaning gives back (six copies of a notice are
    the outlet's boilerplate until thirty more of its articles raise the bar past six); once
    for an article emptied in two versions."""
    settings = Settings.load()
    notice = "مواقيت الصلاة حسب توقيت مدينة الرياض"
    same = [
        RawArticle(f"n{i}", notice, Origin(f"n{i}.txt"), "sabq", outlet="sabq", title=f"خبر {i}")
        for i in range(6)
    ]
    more = [_raw(f"{BODIES[i % len(BODIES)]} الخبر رقم {i}.", "sabq", i) for i in range(30)]
    link = "رابط الخبر بصحيفة الوئام: بالصور .. رمضان في ليبيا"
    versions = [
        RawArticle("x", link, Origin("x1.txt"), "alweeam"),
        RawArticle("x", BODIES[1], Origin("x2.txt"), "alweeam"),
        RawArticle("y", link, Origin("y1.txt"), "alweeam"),
        RawArticle("y", link.replace("ليبيا", "تونس"), Origin("y2.txt"), "alweeam"),
    ]
    with SqliteStore(tmp_path / "e.db") as store:
        report = Ingestor(store, settings, workers=1).ingest([*same, *more, *versions])
        assert report.recleaned >= 1
        emptied = [w.split(":")[0] for w in report.warnings if "every line of its body" in w]
        assert emptied == ["y"]
        assert store.get("n5").clean.text == notice
        assert store.get("x").clean.text
        assert store.get("y").clean.text == ""


def test_articles_written_together_learn_boilerplate_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same store whether a chunk's new articles are written together or one by one."""
    settings = Settings(store=StoreSettings(batch_size=7))
    items = [*_many(150), *[_raw(b, "okaz", 500 + i) for i, b in enumerate(BODIES)]]
    items.insert(40, dataclasses.replace(items[3], text=items[3].text + " تحديث"))  # an update
    rows = []
    for name, one_by_one in (("together", False), ("one", True)):
        with SqliteStore(tmp_path / f"{name}.db", settings.store) as store:
            if one_by_one:  # as a store that cannot write several articles at once
                monkeypatch.setattr(store, "add_new", _fail)
            report = Ingestor(store, settings, workers=1).ingest(items)
            assert (report.new, report.updated, report.skipped) == (158, 1, [])
            rows.append(
                (
                    [(a.raw.id, a.clean) for a in store.articles()],
                    store.line_counts("okaz"),
                    store.line_counts("outlet1"),
                )
            )
    assert rows[0] == rows[1]


def _fail(*args: object) -> None:
    raise sqlite3.OperationalError("cannot write several articles at once")


def test_an_extractor_failure_costs_one_article_its_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import akhbar.pipeline as pipeline_module

    class Failing:
        def extract(self, text: str, published: object = None) -> object:
            if "انفجار" in text:
                raise OverflowError("date value out of range")
            return pipeline_module.Extraction()

        def extract_many(self, texts: list[str], published: list[object]) -> list[object]:
            return [self.extract(t, p) for t, p in zip(texts, published, strict=True)]

    monkeypatch.setattr(pipeline_module, "_extractor", Failing)
    settings = Settings.load()
    texts = {"ok": "افتتح الوزير المعرض الدولي للكتاب في الرياض.", "bad": "وقع انفجار في الميناء."}
    items = [RawArticle(i, t, Origin("mem"), "feed") for i, t in texts.items()]
    with SqliteStore(tmp_path / "s.db", settings.store) as store:
        report = Ingestor(store, settings, workers=1).ingest(items)
        assert report.new == 2
        assert any("bad: extraction failed" in w for w in report.warnings)
        assert store.extraction("bad").entities == ()
        assert store.unextracted_ids() == []


def test_a_batch_only_extraction_failure_is_reported_and_every_article_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import akhbar.pipeline as pipeline_module

    class BatchFails:
        def extract(self, text: str, published: object = None) -> object:
            return pipeline_module.Extraction()

        def extract_many(self, texts: list[str], published: list[object]) -> list[object]:
            raise MemoryError("batch too large")

    monkeypatch.setattr(pipeline_module, "_extractor", BatchFails)
    settings = Settings.load()
    texts = {"a1": "افتتح الوزير المعرض الدولي للكتاب في الرياض.", "a2": "وقع انفجار في الميناء."}
    items = [RawArticle(i, t, Origin("mem"), "feed") for i, t in texts.items()]
    with SqliteStore(tmp_path / "s.db", settings.store) as store:
        report = Ingestor(store, settings, workers=1).ingest(items)
        assert report.new == 2
        batch = [w for w in report.warnings if "extraction of its batch of 2 failed" in w]
        assert len(batch) == 1
        assert "MemoryError" in batch[0]
        assert store.unextracted_ids() == []


def test_articles_stored_without_extraction_are_extracted_by_the_workers_later(
    tmp_path: Path,
) -> None:
    settings = Settings.load()
    off = dataclasses.replace(
        settings, extract=dataclasses.replace(settings.extract, enabled=False)
    )
    items = [
        RawArticle(
            f"a{n}", f"قال وزير الخارجية إن الوفد سيصل إلى موسكو يوم {n}.", Origin("m"), "feed"
        )
        for n in range(70)
    ]
    with SqliteStore(tmp_path / "s.db", settings.store) as store:
        Ingestor(store, off, workers=1).ingest(items)
        assert len(store.unextracted_ids()) == 70
        with Ingestor(store, settings, workers=2) as ingestor:
            report = ingestor.ingest([])
        assert report.extracted == 70
        assert store.unextracted_ids() == []
        assert store.link_pending_ids() == []
        found = store.extraction("a7")
        assert [m.text for m in found.entities if m.type == "LOC"] == ["موسكو"]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities on this platform")
def test_workers_run_below_the_main_process() -> None:
    """The main process stores and clusters every article in turn: workers yield it the CPU."""
    workers = _Workers(2)
    try:
        pool = workers.pool(start=True)
        assert pool is not None
        assert pool.submit(os.nice, 0).result() == min(os.nice(0) + _WORKER_NICENESS, 19)
        assert pool.submit(gc.get_threshold).result()[0] == GC_YOUNG
    finally:
        workers.close()


@pytest.fixture
def default_gc() -> Iterator[tuple[int, int, int]]:
    """CPython's collector thresholds for the test, whatever they were before."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*before)


def test_the_collector_runs_less_often_while_ingesting_and_as_before_after(
    tmp_path: Path, default_gc: tuple[int, int, int]
) -> None:
    """Clustering keeps most of what it allocates: fewer collections during an ingest, and
    the process's thresholds given back after it, also when it fails."""
    seen: list[tuple[int, int, int]] = []
    articles = list(_many(3))
    with SqliteStore(tmp_path / "g.db") as store, Ingestor(store, Settings.load()) as ing:
        ing.ingest(articles[:2], on_item=lambda _: seen.append(gc.get_threshold()))
        assert seen == [(GC_YOUNG, 10, 10)] * 2
        assert gc.get_threshold() == default_gc

        def fail(_: object) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            ing.ingest(articles[2:], on_item=fail)
        assert gc.get_threshold() == default_gc


def test_the_collector_thresholds_of_the_caller_are_kept(
    tmp_path: Path, default_gc: tuple[int, int, int]
) -> None:
    """A caller that collects more seldom still, or not at all, keeps its own choice."""
    seen: list[tuple[int, int, int]] = []
    with SqliteStore(tmp_path / "g.db") as store, Ingestor(store, Settings.load()) as ing:
        gc.set_threshold(50_000, 5, 5)
        ing.ingest(list(_many(1)), on_item=lambda _: seen.append(gc.get_threshold()))
        assert seen == [(50_000, 5, 5)]
        gc.set_threshold(*default_gc)
        gc.disable()
        try:
            ing.ingest(list(_many(2))[1:], on_item=lambda _: seen.append(gc.get_threshold()))
            assert not gc.isenabled()
        finally:
            gc.enable()
        assert seen[1:] == [default_gc]


@pytest.mark.parametrize("workers", [1, 2])
def test_one_id_twice_in_one_run_is_warned_naming_both_places(tmp_path: Path, workers: int) -> None:
    """The later version replaced the earlier one with no word of it ("new 1, updated 1")."""
    path = tmp_path / "day.jsonl"
    rows = [{"id": "x", "text": BODIES[0]}, {"id": "y", "text": BODIES[1]},
            {"id": "x", "text": BODIES[2]}]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    settings = Settings.load()
    with SqliteStore(tmp_path / "d.db") as store:
        ingestor = Ingestor(store, settings, workers=workers)
        first = ingestor.ingest_inputs([path], settings.read)
        assert (first.new, first.updated) == (2, 1)
        (warned,) = [w for w in first.warnings if "came earlier in this run" in w]
        assert warned.startswith(f"{path} (line 3): article id 'x'")
        assert f"({path} (line 1))" in warned
        assert store.get("x").raw.text == BODIES[2]
        again = ingestor.ingest_inputs([path], settings.read)  # x twice again: one warning
        assert sum("came earlier in this run" in w for w in again.warnings) == 1


_CTRL_C = """
import os, signal, sys, time
from pathlib import Path
from tests.test_pipeline import _many
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore

def items():
    for n, raw in enumerate(_many(3000)):
        yield raw
        if n == 1500:  # the workers are running, and idle once their chunks are done
            time.sleep(2.0)
            os.killpg(os.getpgid(0), signal.SIGINT)  # as Ctrl-C: to the whole group
            time.sleep(1.0)

with SqliteStore(Path(sys.argv[1])) as store:
    ingestor = Ingestor(store, Settings.load(), workers=2)
    try:
        ingestor.ingest(items())
    except KeyboardInterrupt:
        ingestor.close()
        sys.exit(130)
sys.exit(3)  # the interruption never came
"""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_ctrl_c_leaves_the_workers_quiet_and_the_exit_to_the_main_process(
    tmp_path: Path,
) -> None:
    """Ctrl-C reaches every process of the terminal's group: the workers printed their own
    KeyboardInterrupt tracebacks over the main process's exit; they leave it to the main."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C, str(tmp_path / "c.db")],
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert done.returncode == 130, done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]


def test_a_skip_record_goes_once_its_file_or_line_is_read_and_stored(tmp_path: Path) -> None:
    """An empty file filled since, and a bad line fixed to an article already stored: no
    longer missing, so no longer listed; a skip of this very run stays."""
    articles = list(_many(3))
    feed, day = tmp_path / "feed.jsonl", tmp_path / "day.jsonl"
    feed.write_text("", "utf-8")
    _write_jsonl(day, articles)
    lines = day.read_text("utf-8").splitlines()
    settings = Settings.load()
    with SqliteStore(tmp_path / "s.db") as store, Ingestor(store, settings, workers=1) as ing:
        ing.ingest_inputs([day], settings.read)
        day.write_text("\n".join([lines[0], '{"id": "z", "text": 5}', lines[2]]) + "\n", "utf-8")
        ing.ingest_inputs([feed, day], settings.read)
        assert sorted(o for o, _ in store.skipped()) == sorted([str(feed), f"{day} (line 2)"])
        _write_jsonl(feed, list(_many(12, start=10)))
        day.write_text("\n".join(lines) + "\n", "utf-8")  # line 2 fixed: a duplicate now
        report = ing.ingest_inputs([feed, day], settings.read)
        assert (report.new, report.duplicate) == (2, 3)
        assert store.skipped() == []
        feed.write_text(lines[0] + "\n" + '{"id": "bad", "text": 5}\n', "utf-8")
        ing.ingest_inputs([feed], settings.read)  # read and stored, and skipped in one run
        assert [o for o, _ in store.skipped()] == [f"{feed} (line 2)"]


@pytest.mark.parametrize("workers", [1, 2])
def test_another_outlets_article_under_a_stored_id_is_refused_not_stored_over(
    tmp_path: Path, workers: int
) -> None:
    """Two outlets' exports that both number their records 1, 2, ...: the second outlet's
    records replaced the first's articles, with no warning; they are skipped, each naming
    the id, the outlet it is stored for and what to do, and the first outlet's stay."""
    settings = Settings.load()
    sabq = [dataclasses.replace(_raw(BODIES[n], "sabq", n), id=str(n + 1)) for n in range(2)]
    okaz = [dataclasses.replace(_raw(BODIES[n + 4], "okaz", n), id=str(n + 1)) for n in range(2)]
    with SqliteStore(tmp_path / "ids.db") as store:
        Ingestor(store, settings, workers=1).ingest(sabq)
        with Ingestor(store, settings, workers=workers) as ingestor:
            report = ingestor.ingest(okaz)
        assert (report.new, report.updated) == (0, 0)
        assert [s.origin for s in report.skipped] == [a.origin for a in okaz]
        assert all("stored already for 'sabq'" in s.reason for s in report.skipped)
        assert [store.get(a.id).raw.text for a in sabq] == [a.text for a in sabq]
        update = dataclasses.replace(sabq[0], text=sabq[0].text + "تحديث.\n")
        assert Ingestor(store, settings, workers=1).ingest([update]).updated == 1
