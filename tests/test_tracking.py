"""Copy groups and stories kept up to date by ingest: seeds, samples, restarts, export."""

from __future__ import annotations

import dataclasses
import gc
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from akhbar._gc import GC_YOUNG
from akhbar.cli import app
from akhbar.dedup import shared_passages
from akhbar.errors import ConfigError
from akhbar.evaluate import load_gold, score_clustering
from akhbar.model import Origin, RawArticle
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore
from akhbar.store.sqlite import StoredAssignment
from akhbar.tracking import Tracker, TrackReport, recluster

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _ingest(db: Path, *inputs: Path, workers: int = 1) -> None:
    settings = Settings.load()
    with SqliteStore(db, settings.store) as store:
        Ingestor(store, settings, workers=workers).ingest_inputs(list(inputs), settings.read)


def _by_source(db: Path) -> dict[str, dict[str, str]]:
    with SqliteStore(db) as store:
        sources = {a.raw.id: a.raw.source for a in store.articles()}
        return {
            sources[a.article_id]: {"story": a.story, "event": a.event, "copy": a.copy}
            for a in store.assignments()
        }


def _feed_articles(settings: Settings) -> list[RawArticle]:
    """The sample feed's articles, read as ingest reads them."""
    from akhbar.io import read

    items = read([REPO / "samples" / "feed.jsonl"], settings.read)
    return [a for a in items if isinstance(a, RawArticle)]


def _untracked(settings: Settings) -> Settings:
    """The same settings with clustering off (articles stored, placed by a later ingest)."""
    return dataclasses.replace(
        settings, tracking=dataclasses.replace(settings.tracking, enabled=False)
    )


def test_a_store_refuses_copy_sketches_made_otherwise(tmp_path: Path) -> None:
    """Sketches of another shingle size or bin count never match the stored ones: a later
    ingest with such [copies] settings stops before writing, and the store stays usable."""
    db = tmp_path / "a.db"
    settings = Settings.load()
    articles = _feed_articles(settings)
    with SqliteStore(db) as store:
        Ingestor(store, settings).ingest(articles[:3])
    other = dataclasses.replace(
        settings, copies=dataclasses.replace(settings.copies, shingle_size=2)
    )
    with SqliteStore(db) as store, pytest.raises(ConfigError, match="shingle_size = 3"):
        Ingestor(store, other)
    with SqliteStore(db) as store:
        assert len(store.assignments()) == 3
        report = Ingestor(store, settings).ingest(articles[3:])
        assert report.tracked is not None
        assert report.tracked.clustered == len(articles) - 3


def test_seeds_form_one_story_and_are_not_copies(
    seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    db = tmp_path / "n.db"
    _ingest(db, seed_paths["000"], seed_paths["001"])
    got = _by_source(db)
    a, b = got[seed_paths["000"].name], got[seed_paths["001"].name]
    assert a["story"] == b["story"]
    assert a["copy"] != b["copy"]


def test_seeds_ingested_in_two_runs_still_join(seed_paths: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _ingest(db, seed_paths["001"])
    _ingest(db, seed_paths["000"])  # a new Ingestor: state restored from the store
    got = _by_source(db)
    assert got[seed_paths["000"].name]["story"] == got[seed_paths["001"].name]["story"]


def test_seed_passages_shared_but_not_copies(seed_paths: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _ingest(db, seed_paths["000"], seed_paths["001"])
    with SqliteStore(db) as store:
        texts = [a.clean.text for a in store.articles()]
    pairs = shared_passages(texts[0], texts[1])
    assert pairs
    assert any("الرحلات الجوية المباشرة" in texts[0][p.a_start : p.a_end] for p in pairs)
    for p in pairs:
        assert texts[0][p.a_start : p.a_end].split()[0] in texts[1]


def test_sample_near_copy_is_in_the_same_copy_group_and_story(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _ingest(db, REPO / "samples")
    with SqliteStore(db) as store:
        rows = {a.article_id: a for a in store.assignments()}
    assert rows["sample-feed-002"].copy == rows["sample-feed-001"].copy
    assert rows["sample-feed-002"].story == rows["sample-feed-001"].story
    assert rows["sample-feed-002"].copy_of == "sample-feed-001"
    assert rows["sample-feed-003"].copy != rows["sample-feed-001"].copy


def test_cli_stories_story_copies_and_export(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["ingest", str(REPO / "samples"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    stories = json.loads(runner.invoke(app, ["stories", "--db", str(db), "--json"]).stdout)
    assert stories
    lasts = [s["last"] for s in stories if s["last"]]
    assert lasts == sorted(lasts, reverse=True)  # newest first
    assert sum(s["articles"] for s in stories) == 9
    biggest = max(stories, key=lambda s: s["articles"])
    members = json.loads(
        runner.invoke(app, ["story", biggest["story"], "--db", str(db), "--json"]).stdout
    )
    assert len(members) == biggest["articles"]
    assert {m["outlet"] for m in members} == set(biggest["outlets"])
    groups = json.loads(runner.invoke(app, ["copies", "--db", str(db), "--json"]).stdout)
    assert any({m["id"] for m in g} >= {"sample-feed-001", "sample-feed-002"} for g in groups)
    out = tmp_path / "assignments.jsonl"
    runner.invoke(app, ["export", "assignments", "--db", str(db), "--out", str(out)])
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 9
    assert all(set(r) == {"id", "story", "event", "copy"} for r in rows)
    story_of_event: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        story_of_event[r["event"]].add(r["story"])
    assert all(len(s) == 1 for s in story_of_event.values())  # events nest in stories
    missing = runner.invoke(app, ["story", "no-such-story", "--db", str(db)])
    assert missing.exit_code != 0


@pytest.mark.slow
def test_seeds_join_among_thousands_of_real_articles(
    seed_paths: dict[str, Path], shared: Path, tmp_path: Path
) -> None:
    db = tmp_path / "n.db"
    zips = sorted((shared / "data" / "saudinewsnet").glob("*.zip"))[:2]
    _ingest(db, *zips, seed_paths["000"], seed_paths["001"], workers=2)
    got = _by_source(db)
    a, b = got[seed_paths["000"].name], got[seed_paths["001"].name]
    assert a["story"] == b["story"]
    assert a["copy"] != b["copy"]
    with SqliteStore(db) as store:
        members = store.story(a["story"])
    assert {m.source for m in members} == {seed_paths["000"].name, seed_paths["001"].name}


def test_an_undated_article_joins_its_story_whatever_came_after(tmp_path: Path) -> None:
    """The undated desalination sample meets its dated twin although later stories exist."""
    db = tmp_path / "n.db"
    _ingest(db, REPO / "samples")
    got = _by_source(db)
    assert got["desalination_almarsad.txt"]["story"] == got["desalination_alsahil.txt"]["story"]
    assert got["desalination_almarsad.txt"]["copy"] != got["desalination_alsahil.txt"]["copy"]


def test_in_order_feed_clustered_as_it_comes_matches_clustering_at_the_end(
    shared: Path, tmp_path: Path
) -> None:
    """A feed in time order: placing each chunk as it is stored gives (nearly) the same result.

    Not exactly: at the end of an ingest, articles cleaned before their outlet's boilerplate
    was learnt are cleaned again before clustering; placed as they come, they are not.
    """
    from akhbar.io import read

    settings = Settings.load()
    articles = sorted(
        (
            a
            for a in read([shared / "eval" / "dev.jsonl"], settings.read)
            if isinstance(a, RawArticle)
        ),
        key=lambda a: a.published or "",
    )
    results = []
    for in_order in (False, True):
        with SqliteStore(tmp_path / f"{in_order}.db") as store:
            ingestor = Ingestor(store, settings, workers=2, in_order=in_order)
            report = ingestor.ingest(articles)
            assert report.tracked is not None
            assert report.tracked.clustered == 704
            results.append({a.article_id: (a.story, a.event, a.copy) for a in store.assignments()})
    same = sum(results[0][k] == results[1][k] for k in results[0])
    assert same >= 0.97 * len(results[0])
    gold = load_gold(shared / "eval" / "dev-gold.jsonl")
    at_end, as_it_comes = (
        score_clustering(gold["story"], {k: v[0] for k, v in r.items()}) for r in results
    )
    assert abs(at_end.b3_f1 - as_it_comes.b3_f1) < 0.01


@pytest.mark.shared
def test_merges_in_an_in_order_feed_rename_the_articles_placed_before_them(
    shared: Path, tmp_path: Path
) -> None:
    """Stories and copy groups merged while a chunk is placed rename its articles placed
    earlier too, stored or not yet: events still nest in stories, and a copy group lies in
    one story and one event."""
    from akhbar.io import read

    settings = Settings.load()
    articles = sorted(
        (
            a
            for a in read([shared / "eval" / "dev.jsonl"], settings.read)
            if isinstance(a, RawArticle)
        ),
        key=lambda a: a.published or "",
    )
    with SqliteStore(tmp_path / "n.db") as store:
        report = Ingestor(store, settings, in_order=True).ingest(articles)
        assert report.tracked is not None
        assert report.tracked.merged > 0  # the check below is about merges
        rows = store.assignments()
    assert len(rows) == len(articles)
    story_of_event: dict[str, set[str]] = defaultdict(set)
    placed_of_copy: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a in rows:
        story_of_event[a.event].add(a.story)
        placed_of_copy[a.copy].add((a.story, a.event))
    assert all(len(s) == 1 for s in story_of_event.values())
    assert all(len(s) == 1 for s in placed_of_copy.values())


@pytest.mark.shared
@pytest.mark.parametrize("half", [137, 300, 352])
def test_a_feed_ingested_in_two_runs_clusters_as_in_one(
    shared: Path, tmp_path: Path, half: int
) -> None:
    """A restarted tracker weighs terms by every article clustered before, not only by the
    days it replays (dev spans three weeks, each half of it more than `restore_days`), keeps
    apart the stories the running one merged by name only (at 137: one merge), and ranks
    candidate stories tied on query weight as the running one did, though their ids differ
    (at 300: two stories tie for the last candidate place)."""
    lines = (shared / "eval" / "dev.jsonl").read_text("utf-8").splitlines(keepends=True)
    parts = [tmp_path / "first.jsonl", tmp_path / "second.jsonl", tmp_path / "all.jsonl"]
    for path, chunk in zip(parts, (lines[:half], lines[half:], lines), strict=True):
        path.write_text("".join(chunk), "utf-8")
    _ingest(tmp_path / "two.db", parts[0])
    _ingest(tmp_path / "two.db", parts[1])
    _ingest(tmp_path / "one.db", parts[2])
    placed = []
    for name in ("two", "one"):
        with SqliteStore(tmp_path / f"{name}.db") as store:
            placed.append({a.article_id: (a.story, a.event, a.copy) for a in store.assignments()})
    assert len(placed[1]) == len(lines)
    assert placed[0] == placed[1]


@pytest.mark.shared
def test_articles_of_one_day_from_two_files_are_replayed_as_they_were_clustered(
    shared: Path, tmp_path: Path
) -> None:
    """Date-only times (many articles of one instant), each day dealt into two files given
    as z then a: an ingest stores z's articles first but clusters a's first (by file name),
    and a restarted tracker replays them in that order, so two runs give one run's events."""
    rows = [json.loads(line) for line in (shared / "eval" / "dev.jsonl").open(encoding="utf-8")]
    rows.sort(key=lambda r: r["published"])
    for r in rows:
        r["published"] = r["published"][:10]
    file_of = {r["id"]: ("z", "a")[k % 2] for k, r in enumerate(rows)}  # the same in every run

    def files(part: list[dict[str, str]], tag: str) -> list[Path]:
        (tmp_path / tag).mkdir()
        paths = [tmp_path / tag / f"{name}.jsonl" for name in ("z", "a")]
        for path in paths:
            mine = (r for r in part if file_of[r["id"]] == path.stem)
            dealt = [json.dumps(r, ensure_ascii=False) for r in mine]
            path.write_text("\n".join(dealt) + "\n", "utf-8")
        return paths

    settings = Settings.load()
    cut = "2015-08-01"
    placed = []
    for name, runs in (
        ("one", [files(rows, "all")]),
        ("two", [files([r for r in rows if r["published"] < cut], "before"),
                 files([r for r in rows if r["published"] >= cut], "after")]),
    ):  # fmt: skip
        with SqliteStore(tmp_path / f"{name}.db") as store:
            for paths in runs:
                Ingestor(store, settings, workers=1).ingest_inputs(paths, settings.read)
            placed.append(_placements(store))
    assert len(placed[0]) == len(rows)
    assert placed[1] == placed[0]


def _placements(store: SqliteStore) -> dict[str, tuple[str, str, str, str | None]]:
    return {a.article_id: (a.story, a.event, a.copy, a.copy_of) for a in store.assignments()}


def test_an_archive_added_after_newer_news_is_warned_and_reclustered(tmp_path: Path) -> None:
    """The sample feed's first days ingested after an article dated a month later: they are
    late (the copy is not: it still joins its original), the ingest says so and names the
    way out, and `akhbar recluster` gives the store what one run over everything gives."""
    settings = Settings.load()
    feed = _feed_articles(settings)
    news = dataclasses.replace(feed[3], published="2026-05-07T23:10:00+03:00")
    with SqliteStore(tmp_path / "late.db") as store:
        Ingestor(store, settings, workers=1).ingest([news])
        report = Ingestor(store, settings, workers=1).ingest(feed[:3])
    assert report.tracked is not None
    assert report.tracked.late == 2
    assert any("2 article(s)" in w and "akhbar recluster" in w for w in report.warnings)
    with SqliteStore(tmp_path / "one.db") as store:
        one = Ingestor(store, settings, workers=1).ingest([*feed[:3], news])
        expected = _placements(store)
    assert one.tracked is not None
    assert one.tracked.late == 0
    assert not any("recluster" in w for w in one.warnings)
    with SqliteStore(tmp_path / "late.db") as store:
        versions = {a.story: store.kept_digest(a.story, "test")[0] for a in store.assignments()}
    off = tmp_path / "off.toml"
    off.write_text("[tracking]\nenabled = false\n", "utf-8")
    refused = runner.invoke(
        app, ["recluster", "--db", str(tmp_path / "late.db"), "--config", str(off)]
    )
    assert isinstance(refused.exception, ConfigError)  # `main` makes it a line and exit 2
    assert "clustering is off" in str(refused.exception)
    done = runner.invoke(app, ["recluster", "--db", str(tmp_path / "late.db"), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["clustered"] == 4
    with SqliteStore(tmp_path / "late.db") as store:
        assert _placements(store) == expected
        for story, version in versions.items():  # a digest built before is never taken as new
            assert store.kept_digest(story, "test")[0] > version
        later = Ingestor(store, settings, workers=1).ingest([feed[2]])  # a tracker restored
        assert later.duplicate == 1
        assert store.story_counts() is not None  # kept again by the recluster


def test_recluster_runs_the_collector_less_often_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.load()
    with SqliteStore(tmp_path / "r.db") as store:
        Ingestor(store, settings, workers=1).ingest(_feed_articles(settings)[:3])
        seen: list[tuple[int, int, int]] = []
        update = Tracker.update

        def recording(self: Tracker) -> TrackReport:
            seen.append(gc.get_threshold())
            return update(self)

        monkeypatch.setattr(Tracker, "update", recording)
        before = gc.get_threshold()
        gc.set_threshold(700, *before[1:])
        try:
            assert recluster(store, settings).clustered == 3
            assert seen == [(GC_YOUNG, *before[1:])]
            assert gc.get_threshold() == (700, *before[1:])
        finally:
            gc.set_threshold(*before)


@pytest.mark.shared
def _dev_parts_runner(
    shared: Path, tmp_path: Path, settings: Settings, parts: dict[str, tuple[int, int | None]]
) -> Callable[[Ingestor, str], None]:
    """dev in time order, cut into the named slices (written as JSONL files), and a function
    that has an ingestor ingest one of them by name."""
    rows = (shared / "eval" / "dev.jsonl").read_text("utf-8").splitlines(keepends=True)
    rows.sort(key=lambda line: json.loads(line)["published"])
    for name, (lo, hi) in parts.items():
        (tmp_path / f"{name}.jsonl").write_text("".join(rows[lo:hi]), "utf-8")

    def run(ingestor: Ingestor, name: str) -> None:
        ingestor.ingest_inputs([tmp_path / f"{name}.jsonl"], settings.read)

    return run


def test_recluster_after_an_archive_gives_the_one_run_stories_of_dev(
    shared: Path, tmp_path: Path
) -> None:
    """dev's days 352-600 ingested first, then its earliest 352 articles: stories split (the
    earlier ones are late). `recluster`, from another connection (as the CLI while `akhbar
    serve` runs), gives exactly the assignments of one run; the ingestor that was open all
    along then places the rest as one run does, not by the stories it remembered."""
    settings = Settings.load()
    run = _dev_parts_runner(
        shared, tmp_path, settings,
        {"early": (0, 352), "late": (352, 600), "both": (0, 600), "rest": (600, None)},
    )  # fmt: skip

    with SqliteStore(tmp_path / "one.db") as store:
        run(Ingestor(store, settings, workers=1), "both")
        one_run = _placements(store)
        run(Ingestor(store, settings, workers=1), "rest")
        expected = _placements(store)
    with SqliteStore(tmp_path / "two.db") as store:
        live = Ingestor(store, settings, workers=1)
        run(live, "late")
        run(live, "early")
        assert _placements(store) != one_run
        with SqliteStore(tmp_path / "two.db") as other:
            report = recluster(other, settings)
            assert report.clustered == 600
        assert _placements(store) == one_run
        run(live, "rest")
        assert _placements(store) == expected


def test_ingests_taking_turns_on_two_connections_place_as_one_run(
    shared: Path, tmp_path: Path
) -> None:
    """Two ingestors open on one store (`akhbar serve` and a CLI ingest) take turns: each
    starts again from the store when the other placed articles since its own last write, so
    a copy of what the other stored is found and joins its story, as in one run."""
    settings = Settings.load()
    run = _dev_parts_runner(
        shared, tmp_path, settings, {"a": (0, 300), "b": (300, 500), "c": (500, None)}
    )

    with SqliteStore(tmp_path / "one.db") as store:
        run(Ingestor(store, settings, workers=1), "a")
        run(Ingestor(store, settings, workers=1), "b")
        run(Ingestor(store, settings, workers=1), "c")
        expected = _placements(store)
    with SqliteStore(tmp_path / "two.db") as first, SqliteStore(tmp_path / "two.db") as second:
        one, two = Ingestor(first, settings, workers=1), Ingestor(second, settings, workers=1)
        run(one, "a")
        run(two, "b")
        run(one, "c")
        assert _placements(first) == expected


def test_a_copy_weeks_after_its_original_is_found_in_a_later_run(tmp_path: Path) -> None:
    """Copy matching does not depend on how articles were split into runs: every stored
    sketch is restored, not only the recent days' (the story window)."""
    body = (
        "تراجعت أسعار النفط اليوم بعدما أظهرت بيانات هبوط صادرات الخام السعودية لأدنى "
        "مستوياتها في خمسة أشهر رغم ارتفاع الإنتاج إلى مستوى قياسي، بينما فقدت أنشطة الحفر "
        "في أمريكا القوة التي اكتسبتها في وقت سابق من هذا الشهر وفق بيانات شركات الخدمات."
    )
    other = (
        "أعلنت وزارة التعليم أن موعد بدء العام الدراسي الجديد لم يتغير، ونفت ما يتداول عن "
        "تأجيل الدراسة إلى ما بعد الحج، مؤكدة جاهزية المدارس لاستقبال الطلاب والطالبات."
    )
    rows = [
        {"id": "original", "outlet": "alweeam", "published": "2015-07-01T10:00:00", "text": body},
        {"id": "newer", "outlet": "okaz", "published": "2015-07-12T09:00:00", "text": other},
        {"id": "late-copy", "outlet": "sabq", "published": "2015-07-12T10:00:00", "text": body},
    ]
    for i, row in enumerate(rows):
        (tmp_path / f"run{i}.jsonl").write_text(json.dumps(row, ensure_ascii=False), "utf-8")
        _ingest(tmp_path / "runs.db", tmp_path / f"run{i}.jsonl")
    with SqliteStore(tmp_path / "runs.db") as store:
        placed = {a.article_id: a for a in store.assignments()}
    assert placed["late-copy"].copy == placed["original"].copy
    assert placed["late-copy"].copy_of == "original"


_OIL = (
    "تراجعت أسعار النفط اليوم بعدما أظهرت بيانات هبوط صادرات الخام السعودية لأدنى مستوياتها "
    "في خمسة أشهر رغم ارتفاع الإنتاج إلى مستوى قياسي، بينما فقدت أنشطة الحفر في أمريكا القوة "
    "التي اكتسبتها في وقت سابق من هذا الشهر وفق بيانات شركات الخدمات النفطية."
)
_SCHOOL = (
    "أعلنت وزارة التعليم أن موعد بدء العام الدراسي الجديد لم يتغير، ونفت ما يتداول عن تأجيل "
    "الدراسة إلى ما بعد الحج، مؤكدة جاهزية المدارس لاستقبال الطلاب والطالبات في موعدها."
)


def _copy_links(
    tmp_path: Path,
    original_again: tuple[str, str],
    published: str = "2015-07-21T02:00:00",
    *,
    untracked: bool = False,
) -> dict[str, tuple[str | None, bool]]:
    """Ingest an original and its copy, then the original again with (title, text) and
    `published` (with clustering off when `untracked`, then clustered by the next ingest):
    each article's copy_of, and whether it has a copy score."""
    from akhbar.model import Origin, RawArticle

    def article(aid: str, title: str, text: str, published: str) -> RawArticle:
        return RawArticle(aid, text, Origin("mem"), aid, title=title, published=published)

    db = tmp_path / "c.db"
    first = [
        article("original", "تراجع أسعار النفط", _OIL, "2015-07-21T02:00:00"),
        article("copy", "النفط ينخفض", _OIL, "2015-07-21T10:00:00"),
    ]
    settings = Settings.load()
    runs = [(first, settings), ([article("original", *original_again, published)], settings)]
    if untracked:  # stored by a run that does not cluster; placed by the next one
        runs[1] = (runs[1][0], _untracked(settings))
        runs.append((first[1:], settings))
    for batch, run_settings in runs:
        with SqliteStore(db, settings.store) as store:
            Ingestor(store, run_settings, workers=1).ingest(batch)
    with SqliteStore(db) as store:
        return {a.article_id: (a.copy_of, a.copy_score is not None) for a in store.assignments()}


def test_an_original_corrected_in_its_title_stays_the_original(tmp_path: Path) -> None:
    """Its copy was stored before its new version: it is still the copy's original, not a
    copy of its own later copy."""
    assert _copy_links(tmp_path, ("تراجع أسعار النفط (محدث)", _OIL)) == {
        "original": (None, False),
        "copy": ("original", True),
    }


def test_copies_of_an_original_whose_text_changed_no_longer_name_it(tmp_path: Path) -> None:
    assert _copy_links(tmp_path, ("قرار وزارة التعليم", _SCHOOL)) == {
        "original": (None, False),
        "copy": (None, False),
    }


def test_copies_let_go_of_an_original_changed_in_a_run_that_did_not_cluster(
    tmp_path: Path,
) -> None:
    """The store remembers that the original's text changed: the run that places it drops
    the old copies' links, whichever process stored it."""
    assert _copy_links(tmp_path, ("قرار وزارة التعليم", _SCHOOL), untracked=True) == {
        "original": (None, False),
        "copy": (None, False),
    }


def test_a_copy_does_not_name_an_original_redated_after_it(tmp_path: Path) -> None:
    assert _copy_links(tmp_path, ("تراجع أسعار النفط", _OIL), "2015-07-21T12:00:00") == {
        "original": ("copy", True),
        "copy": (None, False),
    }


def test_an_article_updated_in_a_later_run_keeps_the_counts(tmp_path: Path) -> None:
    """Its old version was counted, as one run would count it; its new one is counted too."""
    from akhbar.tracking import Tracker

    settings = Settings.load()
    feed = _feed_articles(settings)
    updated = dataclasses.replace(feed[0], title=f"{feed[0].title} (محدث)")
    db = tmp_path / "u.db"
    for batch in (feed, [updated]):
        with SqliteStore(db, settings.store) as store:
            Ingestor(store, settings, workers=1).ingest(batch)
    with SqliteStore(db, settings.store) as store:
        kept = store.story_counts()
        assert kept is not None
        assert kept.documents == len(feed) + 1
        tracker = Tracker(store, settings)
        tracker.place([])
        assert tracker.stories_.vectorizer_.n_docs_ == len(feed) + 1


def test_small_ingests_keep_only_what_changed_and_a_restart_counts_as_the_run_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ingest of one article keeps the few counts it moved, not the whole vocabulary
    again; a tracker started later (replaying only its last day) adds them up to exactly the
    running tracker's counts, and goes on keeping changes."""
    from akhbar import tracking
    from akhbar.tracking import Tracker

    # the sample feed's vocabulary is small: one article moves more than the usual share
    monkeypatch.setattr(tracking, "_CHANGE_SHARE", 1)
    settings = Settings.load()
    settings = dataclasses.replace(
        settings, tracking=dataclasses.replace(settings.tracking, restore_days=1.0)
    )
    feed = sorted(_feed_articles(settings), key=lambda a: a.published or "")
    db = tmp_path / "c.db"
    with SqliteStore(db, settings.store) as store:
        ingestor = Ingestor(store, settings, workers=1)
        for article in feed:  # one at a time, as posted to the API
            ingestor.ingest([article])
        assert store.story_count_changes() == len(feed) - 1  # the first kept them whole
        tracker = ingestor.tracker
        assert tracker is not None
        running = tracker.stories_.vectorizer_
        expected = dict(zip(*running.document_frequencies(), strict=True))
    with SqliteStore(db, settings.store) as store:
        restarted = Tracker(store, settings)
        restarted.place([])
        vectorizer = restarted.stories_.vectorizer_
        assert vectorizer.n_docs_ == len(feed)  # not the last day's replay alone
        got = dict(zip(*vectorizer.document_frequencies(), strict=True))
        assert {t: d for t, d in got.items() if d} == {t: d for t, d in expected.items() if d}
        later = dataclasses.replace(
            feed[-1], id="sample-feed-later", text=feed[-1].text + " وتأجلت المباراة المقبلة."
        )
        Ingestor(store, settings, workers=1).ingest([later])
        assert store.story_count_changes() == len(feed)  # one more change, not all again


@pytest.mark.parametrize("meanwhile", ["another tracker kept its counts", "recluster"])
def test_changes_are_kept_only_on_the_counts_they_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    """A tracker placed an article and, before it kept its counts, another connection kept
    counts that already hold that article (a tracker started anew, or a recluster): adding
    its change on top would count the article twice."""
    from akhbar import tracking
    from akhbar.tracking import Tracker

    monkeypatch.setattr(tracking, "_CHANGE_SHARE", 1)
    settings = Settings.load()
    feed = sorted(_feed_articles(settings), key=lambda a: a.published or "")
    db = tmp_path / "w.db"
    with SqliteStore(db, settings.store) as one, SqliteStore(db, settings.store) as other:
        ingestor = Ingestor(one, settings, workers=1)
        ingestor.ingest(feed[:-1])
        Ingestor(one, _untracked(settings), workers=1).ingest(feed[-1:])
        tracker = ingestor.tracker
        assert tracker is not None
        tracker.place([(one.get(feed[-1].id), None, None)])  # placed, counts not kept yet
        if meanwhile == "recluster":
            recluster(other, settings)
        else:
            started = Tracker(other, settings)
            started.place([])  # the counts are marked: it counts its replay, all of the feed
            started.update()  # and keeps them whole
        tracker.update()  # nothing left to place; keeps its counts
        kept = one.story_counts()
        assert kept is not None
        assert kept.documents == len(feed)
    with SqliteStore(db, settings.store) as store:
        restarted = Tracker(store, settings)
        restarted.place([])
        assert restarted.stories_.vectorizer_.n_docs_ == len(feed)


def test_counts_kept_before_articles_were_placed_are_not_used(tmp_path: Path) -> None:
    """A run that placed articles and stopped before keeping its counts leaves them
    marked: the next tracker counts its replay instead."""
    from akhbar.tracking import Tracker

    settings = Settings.load()
    feed = _feed_articles(settings)
    db = tmp_path / "m.db"
    with SqliteStore(db, settings.store) as store:
        Ingestor(store, settings, workers=1).ingest(feed[:2])
        assert store.story_counts() is not None
        stopped = Tracker(store, settings)
        with store.transaction():
            Ingestor(store, _untracked(settings), workers=1).ingest(feed[2:])
            stored = [store.get(a.id) for a in feed[2:]]
            stopped.place([(a, None, None) for a in stored])  # and no update: no counts kept
        assert store.story_counts() is None
        fresh = Tracker(store, settings)
        fresh.place([])
        assert fresh.stories_.vectorizer_.n_docs_ == len(feed)  # the replay's own count


def test_kept_counts_that_do_not_count_the_store_are_left_for_the_replay(tmp_path: Path) -> None:
    """Counts kept by a run that did not finish (or under other term parameters) are not
    used: the replay counts anew, and the next update keeps the counts again."""
    from akhbar.store.sqlite import StoredCounts
    from akhbar.tracking import Tracker

    settings = Settings.load()
    db = tmp_path / "k.db"
    _ingest(db, REPO / "samples" / "feed.jsonl")
    with SqliteStore(db, settings.store) as store:
        clustered = len(store.assignments())
        kept = store.story_counts()
        assert kept is not None
        assert kept.documents == clustered
        store.save_story_counts(StoredCounts("stale", clustered + 5, ["مختلق"], [clustered + 5]))
        tracker = Tracker(store, settings)
        tracker.place([])  # restores
        tracker.update()  # keeps the counts
        vectorizer = tracker.stories_.vectorizer_
        assert vectorizer.n_docs_ == clustered  # the replay's own count, not the stale one
        assert vectorizer.df("مختلق") == 0
        again = store.story_counts()
        assert again is not None
        assert again.documents == clustered
        assert "مختلق" not in again.terms


def test_an_updated_article_leaves_its_old_clusters_to_their_other_members(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    feed = REPO / "samples" / "feed.jsonl"
    _ingest(db, feed)
    rows = [json.loads(line) for line in feed.read_text("utf-8").splitlines()]
    rewritten = {**rows[0], "title": "عنوان آخر تماما", "text": rows[2]["text"] + " تحديث."}
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(rewritten, ensure_ascii=False) + "\n", "utf-8")
    _ingest(db, changed)
    with SqliteStore(db) as store:
        got = {a.article_id: a for a in store.assignments()}
    assert got["sample-feed-001"].copy != got["sample-feed-002"].copy
    assert got["sample-feed-001"].story != got["sample-feed-002"].story


def test_the_same_id_twice_in_an_in_order_feed_keeps_the_last(tmp_path: Path) -> None:
    from akhbar.io import read

    settings = Settings.load()
    items = list(read([REPO / "samples" / "feed.jsonl"], settings.read))
    first = next(a for a in items if isinstance(a, RawArticle))
    again = dataclasses.replace(first, text=first.text + " تحديث أخير.")
    with SqliteStore(tmp_path / "n.db") as store:
        report = Ingestor(store, settings, in_order=True).ingest([*items, again])
        assert report.updated == 1
        assert store.get(first.id).raw.text.endswith("تحديث أخير.")
        assert len(store.assignments()) == len(items)


def test_a_restored_tracker_replays_undated_first_then_by_instant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the articles were clustered: 09:00+03:00 is before 08:00+00:00 (not as text)."""
    from akhbar.model import Origin, RawArticle
    from akhbar.tracking import Tracker

    settings = Settings.load()
    texts = {
        "late": ("2015-08-01T08:00:00+00:00", "أعلنت وزارة الصحة تسجيل حالات جديدة في الرياض."),
        "early": ("2015-08-01T09:00:00+03:00", "افتتح أمير المنطقة معرض الكتاب الدولي في جدة."),
        "undated": (None, "وقع حادث مروري على طريق الملك فهد دون إصابات."),
    }
    items = [RawArticle(i, t, Origin("mem"), "feed", published=p) for i, (p, t) in texts.items()]
    with SqliteStore(tmp_path / "s.db", settings.store) as store:
        Ingestor(store, settings, workers=1).ingest(items)
        tracker = Tracker(store, settings)
        replayed: list[str] = []
        prepare = tracker.stories_.prepare

        def recording(doc: object, *rest: object) -> object:
            replayed.append(doc.id)  # type: ignore[attr-defined]
            return prepare(doc, *rest)  # type: ignore[arg-type]

        monkeypatch.setattr(tracker.stories_, "prepare", recording)
        tracker.place([])
    assert replayed == ["undated", "early", "late"]


def test_story_terms_round_trip_exactly_also_from_stdlib_json() -> None:
    from akhbar.model import Origin, RawArticle
    from akhbar.stories import StoryParams, doc_terms, story_doc
    from akhbar.text.clean import clean
    from akhbar.tracking import terms_from_json, terms_to_json

    settings = Settings.load()
    raw = RawArticle(
        id="t1",
        title="أمير منطقة الرياض يدشن مشروع توسعة مستشفى الملك فهد بتكلفة 250 مليون ريال",
        text="دشن أمير منطقة الرياض اليوم مشروع توسعة مستشفى الملك فهد بتكلفة 250 مليون ريال.\n\n"
        "وقال مدير المستشفى إن التوسعة تضيف 120 سريرا وتخدم أكثر من 1.5 مليون نسمة.",
        origin=Origin("test.txt"),
        source="test",
    )
    terms = doc_terms(story_doc(raw, clean(raw, settings.clean)), StoryParams.load())
    assert terms.terms
    assert terms.numbers
    assert terms.entities
    text = terms_to_json(terms)
    assert terms_from_json(text) == terms
    # rows written by earlier versions (the standard library's encoder) read back the same
    data = json.loads(text)
    assert terms_from_json(json.dumps(data, ensure_ascii=False)) == terms
    assert json.loads(text)["raw"] == list(terms.raw)  # floats exact in both directions


def test_a_live_tracker_does_not_reuse_the_story_name_of_an_updated_article(
    tmp_path: Path,
) -> None:
    """The old version's story lives on in a long-running tracker (a later article can still
    join it): the new version must open a story under another name, or unrelated articles
    would share one stored story."""
    from akhbar.model import Origin, RawArticle

    rows = [json.loads(line) for line in (REPO / "samples" / "feed.jsonl").open(encoding="utf-8")]

    def art(aid: str, row: dict[str, str], published: str) -> RawArticle:
        return RawArticle(
            id=aid, text=row["text"], origin=Origin("mem"), source="feed", title=row["title"],
            outlet=row["outlet"], published=published,
        )  # fmt: skip

    first = art("A", rows[0], "2026-04-05T09:30:00+03:00")
    rewritten = art("A", rows[2], "2026-04-05T10:00:00+03:00")  # same id, another topic
    follow_up = art("B", rows[1], "2026-04-05T11:05:00+03:00")  # on the first version's topic
    settings = Settings.load()
    with SqliteStore(tmp_path / "n.db") as store:
        ingestor = Ingestor(store, settings, workers=1)
        for batch in ([first], [rewritten], [follow_up]):
            ingestor.ingest(batch)
        got = {a.article_id: a for a in store.assignments()}
    assert got["A"].story != got["B"].story
    assert got["A"].event != got["B"].event


def test_an_interrupted_in_order_ingest_leaves_the_tracker_as_the_store(tmp_path: Path) -> None:
    """The store rolls the open batch back; the tracker must forget the articles it placed in
    it too, or ingesting them again would miss their copies ("seen before")."""
    import random
    from collections.abc import Iterator

    from akhbar.io import read
    from akhbar.model import Origin, RawArticle
    from akhbar.pipeline import _INGEST_CHUNK

    settings = Settings.load()
    feed = list(read([REPO / "samples" / "feed.jsonl"], settings.read))
    articles = [a for a in feed if isinstance(a, RawArticle)]
    rng = random.Random(0)
    words = [
        "حكومة",
        "وزارة",
        "مشروع",
        "مدينة",
        "شركة",
        "مجلس",
        "تقرير",
        "سوق",
        "نفط",
        "مدرسة",
        "جامعة",
        "مستشفى",
    ]
    filler = [
        RawArticle(
            id=f"f{i}",
            text=" ".join(rng.choice(words) for _ in range(60)) + f" رقم {i}.",
            origin=Origin("mem"),
            source="filler",
            title=f"عنوان {i}",
            published=f"2026-04-0{1 + i % 5}T10:00:00+03:00",
        )
        for i in range(_INGEST_CHUNK)
    ]
    items = [*articles, *filler]  # the feed's articles are in the first chunk, placed at once

    def interrupted() -> Iterator[RawArticle]:
        yield from items[:_INGEST_CHUNK]
        raise KeyboardInterrupt

    with SqliteStore(tmp_path / "n.db") as store:
        ingestor = Ingestor(store, settings, workers=1, in_order=True)
        with pytest.raises(KeyboardInterrupt):
            ingestor.ingest(interrupted())
        assert not store.assignments()
        ingestor.ingest(items)
        again = {a.article_id: a.copy_of for a in store.assignments()}
    with SqliteStore(tmp_path / "fresh.db") as store:
        Ingestor(store, settings, workers=1, in_order=True).ingest(items)
        fresh = {a.article_id: a.copy_of for a in store.assignments()}
    assert any(fresh.values())  # the sample feed holds a copy
    assert again == fresh


def _keep_any_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let ingest store an article's date as given, so that a store holds one far in the
    future, as a store written before ingest checked dates may."""
    monkeypatch.setattr("akhbar.pipeline._dated", lambda item, *_: item)


@pytest.mark.shared
def test_an_article_dated_far_in_the_future_does_not_become_the_clock(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held by a store (readers and ingest now refuse such dates; an earlier version, or a
    caller of the store, kept them), it would expire every open story at once; to the
    clusterer it is undated, and the restore horizon ignores it."""
    _keep_any_date(monkeypatch)
    from akhbar.io import read
    from akhbar.model import Origin, RawArticle

    settings = Settings.load()
    dev = list(read([shared / "eval" / "dev.jsonl"], settings.read))
    items = [a for a in dev if isinstance(a, RawArticle)][:240]
    first, rest = items[:120], items[120:]
    typo = RawArticle(
        id="typo", text="وقع حادث مروري على طريق الملك فهد دون إصابات بحسب الدفاع المدني.",
        origin=Origin("mem"), source="feed", published="2106-08-01T10:00:00+03:00",
    )  # fmt: skip

    def stories(db: Path, extra: list[RawArticle], restart: bool) -> list[list[str]]:
        with SqliteStore(db) as store:
            ingestor = Ingestor(store, settings, workers=1)
            ingestor.ingest(first + extra)
            if restart:
                ingestor = Ingestor(store, settings, workers=1)
            ingestor.ingest(rest)
            groups: dict[str, list[str]] = defaultdict(list)
            for a in store.assignments():
                if a.article_id != "typo":
                    groups[a.story].append(a.article_id)
        return sorted(sorted(g) for g in groups.values())

    undated = dataclasses.replace(typo, published=None)  # what the clusterer must see
    for restart in (False, True):
        expected = stories(tmp_path / f"undated{restart}.db", [undated], restart)
        joined = {a for g in expected if len(g) > 1 for a in g}
        assert joined & {a.id for a in rest}  # later articles join stories: something to lose
        assert stories(tmp_path / f"typo{restart}.db", [typo], restart) == expected


def test_a_restarted_tracker_replays_a_far_future_article_where_the_run_placed_it(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run places an article dated far in the future with the undated ones, first (after
    those with no date at all); the replay of a restarted tracker must too, or the stories it
    rebuilds count terms in another order than the run did."""
    _keep_any_date(monkeypatch)
    from akhbar.io import read
    from akhbar.model import Origin
    from akhbar.stories import StoryClusterer, StoryDoc

    settings = Settings.load()
    dev = list(read([shared / "eval" / "dev.jsonl"], settings.read))
    items = [a for a in dev if isinstance(a, RawArticle)][:61]
    typo = RawArticle(
        id="typo", text="وقع حادث مروري على طريق الملك فهد دون إصابات بحسب الدفاع المدني.",
        origin=Origin("mem"), source="feed", published="2106-08-01T10:00:00+03:00",
    )  # fmt: skip
    undated = dataclasses.replace(typo, id="und", text=items[0].text, published=None)
    seen: list[str] = []
    prepare = StoryClusterer.prepare

    def recording(self: StoryClusterer, doc: StoryDoc, *args: object, **kw: object) -> object:
        seen.append(doc.id)
        return prepare(self, doc, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(StoryClusterer, "prepare", recording)
    with SqliteStore(tmp_path / "s.db") as store:
        Ingestor(store, settings, workers=1).ingest([*items[:60], typo, undated])
        run, seen[:] = list(seen), []
        Ingestor(store, settings, workers=1).ingest(items[60:])  # restores, then places it
        replay = seen[:-1]
    assert seen[-1] == items[60].id
    assert run[:2] == ["und", "typo"]  # the undated first, then the one dated far ahead
    assert replay  # the restore replayed something
    assert replay == [i for i in run if i in set(replay)]


def test_in_order_copy_keeps_its_group_when_its_original_is_updated_later(tmp_path: Path) -> None:
    """In feed order the copy met the original's old text: an update of the original later in
    the same ingest must not take the copy out of that text's group (its old text is
    forgotten only after the articles before it are placed); the original, gone to another
    group with its new text, is no longer named as what the copy copies."""
    from akhbar.model import Origin

    settings = Settings.load()
    feed = _feed_articles(settings)
    x, other = feed[0], feed[-1]
    copy = dataclasses.replace(x, id="copy-of-x", origin=Origin("copy.txt"), source="other")
    updated = dataclasses.replace(x, text=other.text + "\nتحديث")
    for calls in ([[x], [copy, updated]], [[x, copy, updated]]):  # also all in one ingest
        with SqliteStore(tmp_path / f"s{len(calls)}.db") as store:
            ingestor = Ingestor(store, settings, workers=1, in_order=True)
            for items in calls:
                ingestor.ingest(items)
            placed = {a.article_id: a for a in store.assignments()}
        assert placed["copy-of-x"].copy == f"copy-{x.id}"
        assert placed[x.id].copy != placed["copy-of-x"].copy
        assert placed["copy-of-x"].copy_of is None


def test_stories_an_article_links_merge_only_within_a_story_span(tmp_path: Path) -> None:
    """An article that matches two live stories merges them, unless the one story would then
    run for longer than `max_span_days`: a chain of stories, each linked to the next by an
    article, does not become one story of weeks."""
    settings = Settings.load()
    day = datetime(2015, 8, 1, tzinfo=UTC)
    with SqliteStore(tmp_path / "t.db") as store:
        tracker = Tracker(store, settings)
        assert tracker.stories_.params_.max_span_days == 7.0
        at = {d: (day + timedelta(days=d)).timestamp() for d in range(-3, 7)}
        tracker._spans.extent_ = {
            "story-a": (at[0], at[2]),
            "story-b": (at[4], at[6]),
            "story-c": (at[-3], at[-1]),
        }
        tracker._story_of = {"s1": "story-b", "s2": "story-c"}
        report = TrackReport()
        tracker._merge_stories("story-a", ["s1", "s2"], day + timedelta(days=6), report)
        # a and b run for six days together; c as well would make nine
        assert report.merged == 1
        assert tracker._renames == [("story", "story-b", "story-a")]
        assert tracker._spans.extent_["story-a"] == (at[0], at[6])
        assert "story-b" not in tracker._spans.extent_


def test_a_restored_story_begins_where_the_running_stream_began_it(tmp_path: Path) -> None:
    """Replayed stories count their span from their first article, unless the running stream
    had let them go (idle for longer than the window, or past their span) and a copy of one
    of their articles opened them again: then from that copy."""
    day = datetime(2015, 8, 1, tzinfo=UTC)
    rows = [  # (placed story, day)
        ("story-a", 0), ("story-a", 1), ("story-a", 2), ("story-a", 9), ("story-a", 9.5),
        ("story-b", 0), ("story-b", 2), ("story-b", 4), ("story-b", 6), ("story-b", 7.5),
        ("story-c", 3),
    ]  # fmt: skip
    timed = [
        (day + timedelta(days=d), day + timedelta(days=d), StoredAssignment(f"x{i}", s, "e", "c"))
        for i, (s, d) in enumerate(sorted(rows, key=lambda r: r[1]))
    ]
    with SqliteStore(tmp_path / "t.db") as store:
        began = Tracker(store, Settings.load())._began(timed)
    assert began == {
        "story-a": day + timedelta(days=9),  # idle for seven days: opened again on day 9
        "story-b": day + timedelta(days=7.5),  # past its week on day 7.5: a copy reopened it
        "story-c": day + timedelta(days=3),
    }


def test_a_restarted_tracker_meets_the_stored_sketches_in_the_order_they_were_placed(
    tmp_path: Path,
) -> None:
    """Sketches were replayed by publication time: a report placed after a round-up but
    published before it made the restored copy detector group them otherwise than the
    running one had, and a later copy of it then merged the round-up's other report into
    its group. Three runs now give what one long-lived ingestor gives."""
    from tests.dedup.test_copies import AUDIENCE, CABLE

    def raw(aid: str, hour: int, text: str) -> RawArticle:
        when = f"2015-07-21T{hour:02d}:00:00+03:00"
        return RawArticle(aid, text, Origin(f"{aid}.txt"), aid, outlet=aid, published=when)

    runs = [
        [raw("R", 10, AUDIENCE + "\n" + CABLE), raw("A", 11, AUDIENCE)],
        [raw("C", 9, CABLE)],  # an archive: published before the round-up, placed after it
        [raw("D", 12, CABLE)],
    ]
    settings = Settings.load()
    groups = []
    for name, restart in (("one", False), ("three", True)):
        with SqliteStore(tmp_path / f"{name}.db") as store:
            ingestor = Ingestor(store, settings, workers=1)
            for run in runs:
                if restart:
                    ingestor = Ingestor(store, settings, workers=1)
                ingestor.ingest(run)
            copy = {a.article_id: a.copy for a in store.assignments()}
            groups.append(copy)
    assert groups[0] == groups[1]
    assert groups[1]["A"] != groups[1]["C"]  # the two reports of the round-up stay apart
