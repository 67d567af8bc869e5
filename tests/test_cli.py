"""The command line, end to end, on the seeds and on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from akhbar.cli import app
from akhbar.errors import AkhbarError, InputError
from akhbar.store import SqliteStore

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
TITLE_001 = "موسكو: الاتصالات بين وزارتي الخارجية الروسية والأمريكية متواصلة بشكل نشط ولم تتوقف قط"


def _akhbar(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess (exit codes as a user sees them)."""
    return subprocess.run(
        [sys.executable, "-m", "akhbar.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )


def test_output_cut_short_by_its_reader_ends_quietly_with_the_sigpipe_code(
    tmp_path: Path,
) -> None:
    """`akhbar clean FILE | head -1`: a reader that stops early is not 'records skipped'
    (exit code 1) and gets no traceback."""
    text = tmp_path / "long.txt"
    text.write_text(
        "\n\n".join(
            f"قالت الوزارة في بيانها رقم {i} إن العمل مستمر في المشروع." for i in range(4000)
        ),
        encoding="utf-8",
    )  # far more than a pipe buffers, so the writer meets the closed pipe
    proc = subprocess.Popen(
        [sys.executable, "-m", "akhbar.cli", "clean", str(text)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.readline()  # the reader takes one line, then goes away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_clean_json_prints_exactly_one_object_for_seed_001(seed_paths: dict[str, Path]) -> None:
    result = runner.invoke(app, ["clean", str(seed_paths["001"]), "--json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert set(obj) == {
        "id", "origin", "title", "published", "language", "outlet", "paragraphs", "removed",
        "warnings",
    }  # fmt: skip
    assert obj["origin"] == str(seed_paths["001"])
    assert obj["warnings"] == []
    assert obj["title"] == TITLE_001
    assert obj["published"] == "2026-02-09"
    assert obj["language"] == "ar"
    paragraphs = [p for p in obj["paragraphs"] if p["kind"] == "paragraph"]
    assert len(paragraphs) == 7
    assert paragraphs[0]["text"].startswith("صرّح ألكسندر غوساروف")
    assert len({p["text"] for p in paragraphs}) == 7
    assert "date 2026-02-09" not in " ".join(p["text"] for p in paragraphs)


def test_clean_json_of_seed_000_lists_what_was_removed(seed_paths: dict[str, Path]) -> None:
    result = runner.invoke(app, ["clean", str(seed_paths["000"]), "--json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["language"] == "ar"
    assert obj["published"] is None
    removed = {r["text"]: r["reason"] for r in obj["removed"]}
    assert any("زيارة مصدر الخبر" in t for t in removed)
    assert any("أبوظبي" in t for t in removed)
    body = " ".join(p["text"] for p in obj["paragraphs"])
    assert "أبوظبي" not in body
    headings = [p["text"] for p in obj["paragraphs"] if p["kind"] == "heading"]
    assert "اتصالات أمريكية روسية" in headings


def test_ingest_show_search_and_reingest(seed_paths: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    folder = seed_paths["000"].parent
    first = runner.invoke(
        app, ["ingest", str(seed_paths["000"]), str(seed_paths["001"]), "--db", str(db), "--json"]
    )
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["new"], summary["duplicate"], summary["skipped"]) == (2, 0, [])

    again = runner.invoke(
        app, ["ingest", str(seed_paths["000"]), str(seed_paths["001"]), "--db", str(db), "--json"]
    )
    assert json.loads(again.stdout)["duplicate"] == 2
    assert json.loads(again.stdout)["new"] == 0

    hits = runner.invoke(app, ["search", "الأطلسى", "--db", str(db), "--json"])
    found = {h["source"] for h in json.loads(hits.stdout)}
    assert found == {seed_paths["000"].name, seed_paths["001"].name}
    hits = runner.invoke(app, ["search", "قدّمت", "--db", str(db), "--json"])
    assert {h["source"] for h in json.loads(hits.stdout)} == found

    shown = runner.invoke(app, ["show", "--all", "--db", str(db), "--json"])
    articles = json.loads(shown.stdout)
    assert len(articles) == 2
    by_source = {a["source"]: a for a in articles}
    raw_001 = by_source[seed_paths["001"].name]["raw_text"]
    assert raw_001.count(TITLE_001) == 2  # the raw text is kept verbatim
    assert folder.is_dir()


def test_text_output_of_show_names_removed_reasons(
    seed_paths: dict[str, Path], tmp_path: Path
) -> None:
    db = tmp_path / "n.db"
    runner.invoke(app, ["ingest", str(seed_paths["000"]), "--db", str(db)])
    ids = json.loads(runner.invoke(app, ["show", "--all", "--db", str(db), "--json"]).stdout)
    result = runner.invoke(app, ["show", ids[0]["id"], "--db", str(db)])
    assert result.exit_code == 0
    assert "boilerplate" in result.stdout
    assert "inserted-headline" in result.stdout


def test_bad_records_are_skipped_listed_and_exit_code_is_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.jsonl").write_text(
        json.dumps(
            {
                "id": "a1",
                "outlet": "okaz",
                "title": "عنوان",
                "text": "قال المتحدث إن الاجتماع انتهى.",
                "lang": "ar",
            },
            ensure_ascii=False,
        )
        + '\n{"id": "a2", "text": "مقطوع\n',
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["new"] == 1
    origins = " ".join(s["origin"] for s in summary["skipped"])
    assert "good.jsonl (line 2)" in origins
    assert "empty.txt" in origins
    assert "image.txt" in origins
    listed = json.loads(runner.invoke(app, ["skipped", "--db", str(db), "--json"]).stdout)
    assert len(listed) == len(summary["skipped"]) == 3
    # the cut line fixed and the folder ingested again: its skip is no longer listed
    good = folder / "good.jsonl"
    good.write_text(good.read_text("utf-8").replace("مقطوع\n", 'مكتمل الآن"}\n'), "utf-8")
    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert json.loads(again.stdout)["new"] == 1
    listed = json.loads(runner.invoke(app, ["skipped", "--db", str(db), "--json"]).stdout)
    assert sorted(Path(s["origin"]).name for s in listed) == ["empty.txt", "image.txt"]


def test_a_line_fixed_and_read_by_another_path_is_no_longer_listed_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records were kept under the path as typed: a file ingested as `in/f.jsonl`, fixed, and
    ingested again as an absolute path stayed listed as skipped (and a line still bad was
    listed once per spelling of its path)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    good = {"id": "a1", "outlet": "okaz", "text": "قال المتحدث إن الاجتماع انتهى.", "lang": "ar"}
    path = tmp_path / "in" / "f.jsonl"
    path.write_text(
        json.dumps(good, ensure_ascii=False) + '\n{"id": "a2", "text": "مقطوع\n', "utf-8"
    )
    db = str(tmp_path / "n.db")
    runner.invoke(app, ["ingest", "in/f.jsonl", "--db", db])
    runner.invoke(app, ["ingest", "./in/f.jsonl", "--db", db])  # still bad: listed once
    listed = json.loads(runner.invoke(app, ["skipped", "--db", db, "--json"]).stdout)
    assert [s["origin"] for s in listed] == [f"{path} (line 2)"]
    fixed = dict(good, id="a2", text="قال المتحدث إن الاجتماع المقبل سيعقد غدا.")
    path.write_text(
        f"{json.dumps(good, ensure_ascii=False)}\n{json.dumps(fixed, ensure_ascii=False)}\n",
        "utf-8",
    )
    again = runner.invoke(app, ["ingest", str(path), "--db", db, "--json"])
    assert json.loads(again.stdout)["new"] == 1
    assert json.loads(runner.invoke(app, ["skipped", "--db", db, "--json"]).stdout) == []


def test_an_empty_folder_is_skipped_with_its_reason_until_it_holds_an_article(
    tmp_path: Path,
) -> None:
    """A folder with nothing to read was passed over in silence (0 read, exit 0): a mistyped
    export folder looked like a successful ingest."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "README.md").write_text("about this folder", "utf-8")
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 1
    (skipped,) = json.loads(result.stdout)["skipped"]
    assert (skipped["origin"], skipped["reason"].split(":")[0]) == (str(folder), "empty folder")
    row = {"id": "a1", "outlet": "okaz", "text": "قال المتحدث إن الاجتماع انتهى.", "lang": "ar"}
    (folder / "sub" / "a.jsonl").write_text(json.dumps(row, ensure_ascii=False), "utf-8")
    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert (again.exit_code, json.loads(again.stdout)["new"]) == (0, 1)
    listed = json.loads(runner.invoke(app, ["skipped", "--db", str(db), "--json"]).stdout)
    assert listed == []
    other = tmp_path / "other"
    other.mkdir()
    runner.invoke(app, ["ingest", str(other), "--db", str(db)])
    (other / "bad.jsonl").write_text('{"id": "b1", "text": \n', "utf-8")  # only a bad record
    runner.invoke(app, ["ingest", str(other), "--db", str(db)])
    listed = json.loads(runner.invoke(app, ["skipped", "--db", str(db), "--json"]).stdout)
    assert [Path(s["origin"].split(" (")[0]).name for s in listed] == ["bad.jsonl"]


def test_fatal_errors_exit_2_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    SqliteStore(db).close()
    missing = _akhbar("show", "no-such-id", "--db", str(db))
    assert missing.returncode == 2
    assert "no-such-id" in missing.stderr
    usage = _akhbar("frobnicate")
    assert usage.returncode == 2
    notdb = tmp_path / "x.db"
    notdb.write_bytes(b"garbage" * 500)
    broken = _akhbar("search", "خبر", "--db", str(notdb))
    assert broken.returncode == 2
    assert "x.db" in broken.stderr


def test_db_defaults_to_the_akhbar_db_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("AKHBAR_DB", str(db))
    text = tmp_path / "a.txt"
    text.write_text(
        "date 2026-01-05 ar\nعنوان الخبر هنا\nقال المسؤول إن العمل مستمر في المشروع.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", str(text)])
    assert result.exit_code == 0, result.output
    assert db.is_file()


def test_search_shows_original_spelling_and_bracket_text_safely(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    text = tmp_path / "a.txt"
    text.write_text(
        "عنوان عن الهاتف الجديد\n"
        "أعلنت وزارة الاتصالات في بيان [رسمي] أن هاتف galaxy الجديد سيطرح قريبا في الأسواق.\n",
        encoding="utf-8",
    )
    runner.invoke(app, ["ingest", str(text), "--db", str(db)])
    found = json.loads(runner.invoke(app, ["search", "وزاره", "--db", str(db), "--json"]).stdout)
    assert len(found) == 1
    snippet, marks = found[0]["snippet"], found[0]["marks"]
    # the original spelling, not the normalised one; the text's own brackets are text
    assert [snippet[a:b] for a, b in marks] == ["وزارة"]
    assert "[رسمي]" in snippet
    shown = runner.invoke(app, ["search", "GALAXY", "--db", str(db)])
    assert shown.exit_code == 0
    assert "galaxy" in shown.stdout
    article = json.loads(runner.invoke(app, ["show", "--all", "--db", str(db), "--json"]).stdout)
    plain = runner.invoke(app, ["show", article[0]["id"], "--db", str(db)])
    assert "[رسمي]" in plain.stdout


def test_read_only_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "news.db"
    result = _akhbar("stories", "--db", str(missing))
    assert result.returncode == 2
    assert "no database" in result.stderr
    assert not missing.parent.exists()


def test_empty_listings_say_so_instead_of_printing_nothing(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    text = tmp_path / "a.txt"
    text.write_text("خبر عن افتتاح معرض الكتاب في الرياض اليوم بمشاركة دور نشر.", "utf-8")
    assert runner.invoke(app, ["ingest", str(text), "--db", str(db)]).exit_code == 0
    for command, said in (("copies", "no copy groups in"), ("skipped", "no skipped records in")):
        result = runner.invoke(app, [command, "--db", str(db)])
        assert result.exit_code == 0
        assert result.stdout == ""
        assert f"{said} {db}" in " ".join(result.stderr.split())
        assert json.loads(runner.invoke(app, [command, "--db", str(db), "--json"]).stdout) == []


def test_story_ids_are_printed_whole_in_narrow_terminals(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    runner.invoke(app, ["ingest", str(REPO / "samples"), "--db", str(db)])
    listed = json.loads(runner.invoke(app, ["stories", "--db", str(db), "--json"]).stdout)
    table = runner.invoke(app, ["stories", "--db", str(db)], env={"COLUMNS": "80"}).stdout
    for story in listed:
        assert story["story"] in table


def test_export_to_a_path_that_cannot_be_written_is_a_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert runner.invoke(app, ["ingest", str(REPO / "samples"), "--db", str(db)]).exit_code == 0
    for out in (tmp_path, tmp_path / "missing" / "rows.jsonl"):
        result = _akhbar("export", "assignments", "--db", str(db), "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"error: cannot write {out}")
        assert "Traceback" not in result.stderr


def test_stories_and_export_say_when_stored_articles_wait_to_be_clustered(tmp_path: Path) -> None:
    """An ingest with clustering off (or stopped before it) leaves articles in no story:
    the listing says so instead of looking complete."""
    db = tmp_path / "s.db"
    config = tmp_path / "off.toml"
    config.write_text("[tracking]\nenabled = false\n", "utf-8")
    feed = str(REPO / "samples" / "feed.jsonl")
    ingest = runner.invoke(app, ["ingest", feed, "--db", str(db), "--config", str(config)])
    assert ingest.exit_code == 0, ingest.output
    for command in (["stories"], ["export", "assignments"]):
        result = runner.invoke(app, [*command, "--db", str(db), "--config", str(config)])
        assert result.exit_code == 0
        assert "4 stored article(s) are in no story yet: clustering is off" in result.stderr
        # without the settings it was stored with: either cause, and both ways out, named
        result = runner.invoke(app, [*command, "--db", str(db)])
        assert "4 stored article(s) are in no story yet: an ingest stopped" in result.stderr
        assert "or ran with clustering off" in " ".join(result.stderr.split())
        assert "akhbar recluster" in " ".join(result.stderr.split())
    result = runner.invoke(app, ["recluster", "--db", str(db), "--json"])
    assert result.exit_code == 0
    # stories opened, before merges: named so, not taken for how many the list shows
    assert set(json.loads(result.stdout)) == {
        "clustered", "copies", "stories_opened", "merged", "seconds"
    }  # fmt: skip
    assert "no story yet" not in runner.invoke(app, ["stories", "--db", str(db)]).stderr


def test_eval_finds_the_labels_beside_a_compressed_articles_file(tmp_path: Path) -> None:
    import gzip

    feed = (REPO / "samples" / "feed.jsonl").read_bytes()
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(feed))
    rows = [json.loads(line) for line in feed.decode("utf-8").splitlines()]
    gold = [{"id": r["id"], "story": "s", "event": r["id"], "copy": r["id"]} for r in rows]
    (tmp_path / "feed-gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), "utf-8")
    result = runner.invoke(app, ["eval", "clusters", str(tmp_path / "feed.jsonl.gz")])
    assert result.exit_code == 0, result.output
    assert f"{len(rows)} articles clustered" in result.stdout


def test_eval_says_how_many_labelled_articles_were_not_scored(tmp_path: Path) -> None:
    """Labels for articles the file lacks: scored on the rest, and the table says so; the
    labels come from a sibling -gold file when the articles file holds none."""
    rows = [json.loads(line) for line in (REPO / "samples" / "feed.jsonl").open(encoding="utf-8")]
    articles = tmp_path / "some.jsonl"
    articles.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:3]), "utf-8"
    )
    gold = [{"id": r["id"], "story": "s", "event": r["id"], "copy": r["id"]} for r in rows]
    (tmp_path / "some-gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), "utf-8")
    result = runner.invoke(app, ["eval", "clusters", str(articles)])
    assert result.exit_code == 0, result.output
    assert f"{len(rows) - 3} labelled article(s) not clustered" in result.stdout


def test_eval_says_which_articles_and_levels_have_no_label(tmp_path: Path) -> None:
    """Labels of stories only, for some of the articles: the unlabelled articles are counted
    as not scored, and the unlabelled levels read "not labelled", not a score of 0."""
    feed = REPO / "samples" / "feed.jsonl"
    rows = [json.loads(line) for line in feed.open(encoding="utf-8")]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": r["id"], "story": "s"}) + "\n" for r in rows[2:]))
    result = runner.invoke(app, ["eval", "clusters", str(feed), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "2 clustered article(s) have no label, not scored" in out
    assert "event │ not labelled" in out
    assert "copy │ not labelled" in out
    shown = runner.invoke(app, ["eval", "clusters", str(feed), "--gold", str(gold), "--json"])
    scores = json.loads(shown.stdout)
    assert scores["event"] is None  # no score, not zeros
    assert scores["copy"] is None
    assert scores["story"]["n"] == len(rows) - 2


def _feed_with_gold(tmp_path: Path, *, bad_records: int = 0) -> tuple[Path, list[str]]:
    """The sample feed (with `bad_records` unreadable lines after it) and a sibling -gold
    file labelling its articles; returns the articles file and the labelled ids."""
    lines = (REPO / "samples" / "feed.jsonl").read_text("utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    articles = tmp_path / "feed.jsonl"
    articles.write_text("\n".join(lines + ["{not json"] * bad_records) + "\n", "utf-8")
    gold = [{"id": i, "story": "s", "event": i, "copy": i} for i in ids]
    (tmp_path / "feed-gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), "utf-8")
    return articles, ids


def test_eval_with_skipped_records_exits_1_and_lists_them_in_json(tmp_path: Path) -> None:
    articles, ids = _feed_with_gold(tmp_path, bad_records=2)
    result = runner.invoke(app, ["eval", "clusters", str(articles), "--json"])
    assert result.exit_code == 1, result.output
    out = json.loads(result.stdout)
    assert out["story"]["n"] == len(ids)
    assert len(out["skipped"]) == 2
    assert all("feed.jsonl" in s["origin"] for s in out["skipped"])


def test_eval_refuses_labels_that_name_none_of_the_articles(tmp_path: Path) -> None:
    articles, _ = _feed_with_gold(tmp_path)
    other = tmp_path / "other-gold.jsonl"
    other.write_text('{"id": "nowhere", "story": "s", "event": "e", "copy": "c"}\n', "utf-8")
    result = _akhbar("eval", "clusters", str(articles), "--gold", str(other))
    assert result.returncode == 2
    assert "none of its 1 labelled id(s)" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_story_list_shows_each_story_s_date_range() -> None:
    from akhbar.cli import _date_range

    assert _date_range("2015-08-01T08:00:00+03:00", "2015-08-03T10:00:00+03:00") == (
        "2015-08-01 – 2015-08-03"
    )
    assert _date_range("2015-08-01T08:00:00", "2015-08-01T23:00:00") == "2015-08-01"
    assert _date_range(None, None) == "—"


def test_an_outlet_given_in_bytes_that_are_not_utf8_is_refused_up_front(tmp_path: Path) -> None:
    """`--outlet` in a legacy encoding would cost every article it names: a usage error."""
    page = tmp_path / "a.txt"
    page.write_text("أعلنت وزارة الصحة افتتاح مستشفى جديد في مدينة جدة.", encoding="utf-8")
    db = tmp_path / "o.db"
    result = runner.invoke(app, ["ingest", str(page), "--db", str(db), "--outlet", "عكاظ\udcff"])
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.output
    assert not db.exists()
    ok = runner.invoke(app, ["ingest", str(page), "--db", str(db), "--outlet", "عكاظ"])
    assert ok.exit_code == 0, ok.output


def test_a_huge_offset_and_a_folder_given_as_labels_are_usage_errors(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    SqliteStore(db).close()
    result = runner.invoke(app, ["stories", "--db", str(db), "--offset", str(2**63)])
    assert result.exit_code == 2
    assert "--offset" in result.output
    assert (
        runner.invoke(app, ["stories", "--db", str(db), "--offset", str(2**63 - 1)]).exit_code == 0
    )
    with pytest.raises(InputError, match="a folder, not the JSONL file"):
        runner.invoke(app, ["eval", "clusters", str(tmp_path)], catch_exceptions=False)


def _one_feed_store(tmp_path: Path, rows: list[dict[str, Any]], *extra: str) -> Path:
    """A store holding `rows` (JSONL input rows), ingested with the CLI."""
    feed = tmp_path / "rows.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    db = tmp_path / "rows.db"
    result = runner.invoke(app, ["ingest", str(feed), "--db", str(db), *extra])
    assert result.exit_code == 0, result.output
    return db


def test_ids_and_paths_are_shown_as_written_not_as_markup(tmp_path: Path) -> None:
    """`[b]` in an article id styled or dropped what followed, and `[/b]` crashed the
    listing with a Rich MarkupError after the work was done."""
    rows = [json.loads(line) for line in (REPO / "samples" / "feed.jsonl").open(encoding="utf-8")]
    rows[0]["id"] = "x[/b]"
    rows[1]["id"] = "y[bold]z"
    db = _one_feed_store(tmp_path, rows[:2])
    listed = runner.invoke(app, ["stories", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    out = "".join(listed.stdout.split())
    named = json.loads(runner.invoke(app, ["stories", "--db", str(db), "--json"]).stdout)
    assert {s["story"] for s in named} & {"story-x[/b]", "story-y[bold]z"}
    for story in named:
        assert story["story"] in out
    shown = runner.invoke(app, ["story", "story-x[/b]", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "story story-x[/b]:" in shown.stdout


def test_copies_and_story_warn_of_articles_not_clustered_yet(tmp_path: Path) -> None:
    """With clustering off at ingest, `copies` said no article copies another (recluster
    then found copies); the warning keeps its `[tracking]` text."""
    off = tmp_path / "off.toml"
    off.write_text("[tracking]\nenabled = false\n", "utf-8")
    rows = [json.loads(line) for line in (REPO / "samples" / "feed.jsonl").open(encoding="utf-8")]
    db = _one_feed_store(tmp_path, rows, "--config", str(off))
    for command in (["copies"], ["story", "nothing"]):
        result = runner.invoke(app, [*command, "--db", str(db), "--config", str(off)])
        assert f"{len(rows)} stored article(s) are in no story yet" in result.stderr
        assert "([tracking] enabled = false)" in result.stderr
        assert "no article copies another" not in result.stderr


def test_a_story_date_range_runs_forwards_across_time_zones(tmp_path: Path) -> None:
    """01:00+05:00 on the 12th is before 23:00+00:00 on the 11th: shown as written, the
    range read 2015-08-12 – 2015-08-11."""
    rows = [json.loads(line) for line in (REPO / "samples" / "feed.jsonl").open(encoding="utf-8")]
    first = dict(rows[0], id="east", published="2015-08-12T01:00:00+05:00", outlet="o1")
    second = dict(rows[0], id="west", published="2015-08-11T23:00:00+00:00", outlet="o2")
    db = _one_feed_store(tmp_path, [first, second])
    listed = runner.invoke(app, ["stories", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    shown = "".join(listed.stdout.split())  # (the table may wrap the range)
    assert "2015-08-11" not in shown  # the 12th in the first's zone, and one day shown once
    assert shown.count("2015-08-12") == 1


def test_export_refuses_to_write_over_its_database_and_takes_dash_for_stdout(
    tmp_path: Path,
) -> None:
    rows = [json.loads(line) for line in (REPO / "samples" / "feed.jsonl").open(encoding="utf-8")]
    db = _one_feed_store(tmp_path, rows)
    before = db.read_bytes()
    over = runner.invoke(app, ["export", "assignments", "--db", str(db), "--out", str(db)])
    assert isinstance(over.exception, AkhbarError)  # one line, exit 2, from main()
    assert "is the database read" in str(over.exception)
    assert db.read_bytes() == before
    dash = runner.invoke(app, ["export", "assignments", "--db", str(db), "--out", "-"])
    assert dash.exit_code == 0, dash.output
    assert len(dash.stdout.splitlines()) == len(rows)
    assert not (Path.cwd() / "-").exists()


def test_clean_json_of_many_articles_is_one_object_per_line(tmp_path: Path) -> None:
    rows = [
        {"id": f"a{i}", "title": f"عنوان الخبر رقم {i}", "text": f"نص الخبر رقم {i} كاملا."}
        for i in range(3)
    ]
    path = tmp_path / "three.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = runner.invoke(app, ["clean", str(path), "--json"])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["title"] for o in objects] == [r["title"] for r in rows]


def test_serve_help_names_the_schema_and_the_extra_as_they_are() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    text = " ".join(result.stdout.split())
    assert "/openapi.json" in text  # the /docs page is off (it loads scripts from a CDN)
    assert 'pip install "akhbar[web]"' in text  # not eaten as Rich markup


def test_story_marks_both_copies_when_the_original_came_later(tmp_path: Path) -> None:
    """A copy ingested before its original names none (the original was not stored), and the
    original names none (its copy is later): the copies column marks them as one group."""
    body = (
        "أعلنت وزارة الصحة تسجيل ثلاث إصابات جديدة بفيروس كورونا في الرياض وجدة خلال الساعات "
        "الماضية، مؤكدة أن الحالات مستقرة وأن فرق الرصد تتابع المخالطين في المنطقتين."
    )

    def row(aid: str, when: str, outlet: str) -> str:
        record = {"id": aid, "outlet": outlet, "published": when, "title": "إصابات", "text": body}
        return json.dumps(record, ensure_ascii=False) + "\n"

    db = tmp_path / "c.db"
    (tmp_path / "copy.jsonl").write_text(row("later", "2015-08-02T10:00:00", "okaz"), "utf-8")
    (tmp_path / "orig.jsonl").write_text(row("first", "2015-08-02T08:00:00", "spa"), "utf-8")
    for name in ("copy.jsonl", "orig.jsonl"):
        assert runner.invoke(app, ["ingest", str(tmp_path / name), "--db", str(db)]).exit_code == 0
    (story,) = json.loads(runner.invoke(app, ["stories", "--db", str(db), "--json"]).stdout)
    table = runner.invoke(app, ["story", story["story"], "--db", str(db)], env={"COLUMNS": "200"})
    cells = {
        parts[0]: parts
        for line in table.stdout.splitlines()
        if len(parts := [p.strip() for p in line.strip("│ ").split("│")]) > 5
    }
    assert cells["first"][4] == cells["later"][4] == "1", table.stdout


def test_clean_says_what_it_read_and_what_it_warned_of(tmp_path: Path) -> None:
    """`clean --json` named no article and dropped the reader's warnings: an unreadable date
    became null with exit 0 and nothing said."""
    path = tmp_path / "one.jsonl"
    record = {"id": "x1", "published": "yesterday", "text": "نص خبر تجريبي عن المطر في جدة اليوم."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    result = runner.invoke(app, ["clean", str(path), "--json"])
    obj = json.loads(result.stdout)
    assert (obj["id"], obj["published"]) == ("x1", None)
    assert obj["origin"] == f"{path} (line 1)"
    assert any("yesterday" in w for w in obj["warnings"])
    assert "yesterday" in result.stderr
    shown = runner.invoke(app, ["clean", str(path)])
    assert shown.stdout.count("yesterday") == 1  # the view's own warning line, once
    assert "yesterday" not in shown.stderr
