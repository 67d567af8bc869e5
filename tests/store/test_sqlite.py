"""The SQLite store: migrations, idempotent and transactional writes, normalised search."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.errors import NotFoundError, StoreError
from akhbar.model import Block, CleanArticle, Origin, RawArticle, Removal, Skipped, make_article_id
from akhbar.settings import StoreSettings
from akhbar.store import SqliteStore
from akhbar.store.schema import MIGRATIONS, SCHEMA_VERSION
from akhbar.store.sqlite import StoredAssignment, _dumps
from akhbar.text import normalize


def _article(text: str, *, source: str = "okaz", title: str | None = "عنوان") -> RawArticle:
    aid = make_article_id(None, source=source, url=None, title=title, text=text)
    return RawArticle(
        id=aid,
        text=text,
        origin=Origin("mem.txt"),
        source=source,
        title=title,
        outlet=source,
        published="2026-02-09",
        language="ar",
    )


def _view(raw: RawArticle) -> CleanArticle:
    body = raw.text.strip()
    return CleanArticle(
        article_id=raw.id,
        title=raw.title,
        title_source="given",
        text=body,
        blocks=(Block("paragraph", body, 0, len(body)),),
        removed=(Removal("زيارة مصدر الخبر", "boilerplate"),),
        normalized_title=normalize(raw.title or ""),
        normalized_text=normalize(body),
    )


def _add(store: SqliteStore, raw: RawArticle) -> str:
    return store.add(raw, _view(raw))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "news.db")
    yield s
    s.close()


def test_new_database_is_migrated_to_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "news.db"
    with SqliteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "cleaned", "skipped", "search"} <= tables


def test_reopening_keeps_articles_and_does_not_migrate_again(tmp_path: Path) -> None:
    raw = _article("قدمت روسيا مقترحاتها.")
    with SqliteStore(tmp_path / "a.db") as store:
        assert _add(store, raw) == "new"
    with SqliteStore(tmp_path / "a.db") as store:
        assert len(store) == 1
        assert store.get(raw.id).raw.text == raw.text


def test_a_database_from_a_newer_akhbar_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    SqliteStore(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        SqliteStore(path)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite at all " * 100)
    with pytest.raises(StoreError, match=r"notes\.db"):
        SqliteStore(path)


def test_ingesting_the_same_article_twice_changes_nothing(store: SqliteStore) -> None:
    raw = _article("الاتصالات بين وزارتي الخارجية متواصلة.")
    assert _add(store, raw) == "new"
    before = store.get(raw.id)
    assert _add(store, raw) == "duplicate"
    assert len(store) == 1
    assert store.get(raw.id) == before


def test_same_id_with_new_content_is_an_update(store: SqliteStore) -> None:
    raw = _article("نص أول.")
    _add(store, raw)
    changed = RawArticle(**{**{f: getattr(raw, f) for f in raw.__slots__}, "text": "نص ثان."})
    assert _add(store, changed) == "updated"
    assert store.get(raw.id).raw.text == "نص ثان."
    assert len(store) == 1
    assert [h.id for h in store.search("ثان")] == [raw.id]
    assert store.search("أول") == []


def test_have_same_tells_each_version_of_an_id_apart(store: SqliteStore) -> None:
    """One query for a chunk, the answer per article: the stored version of an id is the
    same, another version of it (even in the same chunk) is not, an unknown id is not."""
    raw = _article("نص أول.")
    _add(store, raw)
    changed = dataclasses.replace(raw, text="نص ثان.")
    other = _article("خبر آخر.")
    chunk = [changed, raw, other, raw]
    assert store.have_same(chunk) == [False, True, False, True]
    assert store.have_same(chunk) == [store.has_same(a) for a in chunk]
    assert store.have_same([]) == []


def test_stored_article_round_trips_blocks_and_removals(store: SqliteStore) -> None:
    raw = _article("فقرة أولى من الخبر.")
    _add(store, raw)
    got = store.get(raw.id)
    assert got.clean == _view(raw)
    assert got.raw.source == "okaz"
    assert got.clean.text[got.clean.blocks[0].start : got.clean.blocks[0].end] == raw.text


def test_an_interrupted_transaction_leaves_no_half_written_article(store: SqliteStore) -> None:
    kept = _article("خبر محفوظ.")
    _add(store, kept)
    lost = _article("خبر لم يكتمل.")

    def interrupted() -> None:
        with store.transaction():
            _add(store, lost)
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        interrupted()
    assert lost.id not in store
    assert kept.id in store
    con = sqlite3.connect(store.path)
    orphans = con.execute(
        "SELECT count(*) FROM cleaned WHERE article_rowid NOT IN (SELECT rowid FROM articles)"
    ).fetchone()[0]
    missing = con.execute(
        "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article_rowid FROM cleaned)"
    ).fetchone()[0]
    assert (orphans, missing) == (0, 0)


@pytest.mark.parametrize(
    ("stored_text", "query"),
    [
        ("وقال في المؤتمر إن الاتصالات مستمرة.", "فى"),
        ("وقال فى المؤتمر إن الاتصالات مستمرة.", "في"),
        ("وأوضح أن روسيا قدمت مقترحاتها.", "قدّمت"),
        ("وأوضح أن روسيا قدّمت مقترحاتها.", "قدمت"),
        ("بين وزارتى الخارجية", "وزارتي"),
        ("الاتصـــالات متواصلة", "الاتصالات"),
        ("في عام ٢٠٢٥ جرى حوار", "2025"),
    ],
)
def test_search_matches_spelling_variants(store: SqliteStore, stored_text: str, query: str) -> None:
    raw = _article(stored_text)
    _add(store, raw)
    _add(store, _article("خبر آخر عن الطقس والأمطار."))
    hits = store.search(query)
    assert [h.id for h in hits] == [raw.id]


def test_search_marks_point_at_the_matches_in_the_original_spelling(store: SqliteStore) -> None:
    """Matches come as offsets into the snippet, never as markup in it: an article's own
    brackets stay text, and every mark covers one matched word as written."""
    raw = _article(
        "قال المتحدث إن الجدول [ المرفق] يوضح أن الصادرات فى الربع\n\nالثاني ارتفعت في العام."
    )
    _add(store, raw)
    (hit,) = store.search("في")
    assert "[ المرفق]" in hit.snippet
    assert "\n" not in hit.snippet  # whitespace between words shown as one space
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["فى", "في"]


def test_search_with_no_words_or_no_match_returns_nothing(store: SqliteStore) -> None:
    _add(store, _article("خبر عن الطقس."))
    assert store.search("!!! ،،") == []
    assert store.search("كرة") == []
    assert store.search('"') == []


def test_unknown_id_raises_not_found_naming_it(store: SqliteStore) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        store.get("nope")


def test_skipped_records_are_kept_once_per_reason(store: SqliteStore) -> None:
    s = Skipped(Origin("x.jsonl", record=3), "invalid JSON")
    store.record_skipped(s)
    store.record_skipped(s)
    store.record_skipped(Skipped(Origin("x.jsonl", record=4), "empty text"))
    assert store.skipped() == [
        ("x.jsonl (line 3)", "invalid JSON"),
        ("x.jsonl (line 4)", "empty text"),
    ]


def test_a_skip_is_recorded_whatever_its_origin_and_reason_hold(store: SqliteStore) -> None:
    """A record skipped because of a lone surrogate may carry one in its origin or reason:
    it is recorded with the surrogate escaped, not lost with an encoding error."""
    store.record_skipped(Skipped(Origin("odd\udce3.txt"), "reading failed: \ud800"))
    assert store.skipped() == [("odd\\udce3.txt", "reading failed: \\ud800")]


def test_line_counts_accumulate_per_source(store: SqliteStore) -> None:
    store.count_lines("okaz", {1: 1, 2: 1})
    store.count_lines("okaz", {2: 1, 3: 1})
    store.count_lines("alyaum", {2: 1})
    total, counts = store.line_counts("okaz")
    assert total == 2
    assert counts == {2: 2}


def test_story_document_frequencies_are_kept_and_replaced_whole(store: SqliteStore) -> None:
    from akhbar.store.sqlite import StoredCounts

    assert store.story_counts() is None
    store.save_story_counts(StoredCounts("b1", 3, ["زلزال", "تركيا", "2023"], [2, 1, 3]))
    assert store.story_counts() == StoredCounts("b1", 3, ["زلزال", "تركيا", "2023"], [2, 1, 3])
    store.save_story_counts(StoredCounts("b2", 0, [], []))
    assert store.story_counts() == StoredCounts("b2", 0, [], [])
    with pytest.raises(ValueError, match="line breaks"):
        store.save_story_counts(StoredCounts("b3", 1, ["سطر\nآخر"], [1]))


def test_changes_of_the_story_counts_add_up_until_they_are_kept_whole(
    store: SqliteStore,
) -> None:
    from akhbar.store.sqlite import StoredCounts

    store.save_story_counts(StoredCounts("b1", 3, ["زلزال", "تركيا"], [2, 1]))
    store.mark_story_counts_stale()
    assert store.story_counts() is None  # placed since: not until the change is kept
    store.add_story_count_change(StoredCounts("b1", 2, ["تركيا", "اغاثه"], [1, 2]))
    store.add_story_count_change(StoredCounts("b1", -1, ["زلزال", "اغاثه", "2023"], [-1, 1, 1]))
    assert store.story_count_changes() == 2
    assert store.story_counts() == StoredCounts(
        "b1", 4, ["زلزال", "تركيا", "اغاثه", "2023"], [1, 2, 3, 1]
    )
    store.add_story_count_change(StoredCounts("b1", 0, [], []))  # nothing moved: no row
    assert store.story_count_changes() == 2
    store.save_story_counts(StoredCounts("b1", 4, ["زلزال"], [1]))  # whole: changes dropped
    assert store.story_count_changes() == 0
    assert store.story_counts() == StoredCounts("b1", 4, ["زلزال"], [1])
    store.add_story_count_change(StoredCounts("other", 1, ["زلزال"], [1]))
    assert store.story_counts() is None  # counted under other parameters: not added up
    with pytest.raises(ValueError, match="line breaks"):
        store.add_story_count_change(StoredCounts("b1", 1, ["سطر\nآخر"], [1]))
    store.clear_clusters()
    assert store.story_count_changes() == 0


def test_a_failed_nested_write_is_undone_alone(store: SqliteStore) -> None:
    kept = _article("خبر يبقى.")
    lost = _article("خبر يضيع.")

    def nested_failure() -> None:
        with store.transaction():
            _add(store, lost)
            raise RuntimeError("one article failed")

    with store.transaction():
        _add(store, kept)
        with pytest.raises(RuntimeError):
            nested_failure()
    assert kept.id in store
    assert lost.id not in store


def _search_index_is_sound(store: SqliteStore) -> bool:
    """FTS5's own check that the search index matches the cleaned rows exactly."""
    con = sqlite3.connect(store.path)
    try:
        con.execute("INSERT INTO search(search) VALUES ('integrity-check')")
    except sqlite3.DatabaseError:
        return False
    finally:
        con.close()
    return True


def test_articles_added_together_are_stored_and_searchable_as_one_by_one(
    store: SqliteStore, tmp_path: Path
) -> None:
    raws = [_article(f"خبر رقم {n} عن افتتاح مستشفى في جدة.") for n in range(5)]
    store.add_new([(r, _view(r), b"sketch", '{"t":1}') for r in raws])
    with SqliteStore(tmp_path / "one.db") as other:
        for r in raws:
            other.add(r, _view(r), sketch=b"sketch", terms='{"t":1}')
        assert [a.clean for a in store.articles()] == [a.clean for a in other.articles()]
    assert store.stored_ids([r.id for r in raws] + ["nope"]) == {r.id for r in raws}
    assert dict(store.sketches([raws[2].id])) == {raws[2].id: b"sketch"}
    assert len(store.search("مستشفى جدة")) == 5
    assert _search_index_is_sound(store)


def test_articles_added_together_all_fail_when_one_cannot_be_stored(store: SqliteStore) -> None:
    good = _article("خبر سليم.")
    bad = dataclasses.replace(_article("نص مكسور."), text="نص فيه محرف \ud800 مكسور.")
    with store.transaction():
        with pytest.raises(UnicodeError):
            store.add_new([(good, _view(good), None, None), (bad, _view(bad), None, None)])
        store.add_new([(good, _view(good), None, None)])
    assert [a.raw.id for a in store.articles()] == [good.id]
    assert _search_index_is_sound(store)


def test_search_index_follows_updates_and_rollbacks_within_a_batch(store: SqliteStore) -> None:
    first = _article("خبر أول عن الأمطار.")
    _add(store, first)
    fresh = _article("خبر جديد عن الزلزال.")
    changed = RawArticle(
        id=first.id,
        text="خبر معدل عن البركان.",
        origin=first.origin,
        source=first.source,
        title=first.title,
        outlet=first.outlet,
        published=first.published,
        language="ar",
    )

    def undone_update() -> None:
        with store.transaction():
            assert _add(store, changed) == "updated"
            raise RuntimeError("undone")

    with store.transaction():
        _add(store, fresh)  # not indexed yet when the update below is undone
        with pytest.raises(RuntimeError):
            undone_update()
        assert [h.id for h in store.search("الزلزال")] == [fresh.id]
    assert [h.id for h in store.search("الامطار")] == [first.id]
    assert store.search("البركان") == []
    assert _search_index_is_sound(store)
    with store.transaction():
        other = _article("خبر آخر عن الرياح.")
        _add(store, other)
        assert _add(store, changed) == "updated"
        assert _add(store, dataclasses.replace(changed, text="خبر عن الثلوج.")) == ("updated")
    assert [h.id for h in store.search("الثلوج")] == [first.id]
    assert store.search("البركان") == []
    assert [h.id for h in store.search("الرياح")] == [other.id]
    assert _search_index_is_sound(store)


def test_rows_indexed_in_background_are_found_and_undone_with_their_savepoint(
    store: SqliteStore,
) -> None:
    """Indexing on the helper thread is the same statement in the same transaction: a
    savepoint rolled back undoes it, and the rows are indexed again with the batch."""
    kept = _article("خبر عن افتتاح المتحف الوطني.")
    late = _article("خبر عن افتتاح الجسر البحري.")
    with store.transaction():
        store.add_new([(kept, _view(kept), None, None)])
        store.index_in_background()
        assert [h.id for h in store.search("المتحف")] == [kept.id]  # waits for it
        store.add_new([(late, _view(late), None, None)])

        def undone() -> None:
            with store.transaction():
                store.index_in_background()
                store.save_sketch(late.id, b"sketch")  # the store's next use, in it
                raise RuntimeError("undone")

        with pytest.raises(RuntimeError):
            undone()
    assert [h.id for h in store.search("الجسر")] == [late.id]
    assert _search_index_is_sound(store)


def test_a_failure_on_the_helper_thread_is_raised_at_the_next_use(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the background statements raised is not lost: the store's next use raises it,
    naming the file, and the batch rolls back whole."""
    raw = _article("خبر عن موسم الحج.")
    broken = [("INSERT INTO no_such_table VALUES (?)", [1])]
    monkeypatch.setattr(store, "_indexing", lambda: broken)

    def batch(fail: bool, nested: bool = False) -> None:
        with store.transaction():
            store.add_new([(raw, _view(raw), None, None)])
            store.index_in_background()
            if fail:
                raise RuntimeError("the caller's own failure")
            if nested:  # the next use is a savepoint (as placements are written)
                with store.transaction():
                    store.stored_ids([raw.id])
            store.stored_ids([raw.id])

    with pytest.raises(StoreError, match=r"news\.db: indexing articles for search failed"):
        batch(fail=False)
    # failing while the caller fails too: the batch is still rolled back, the store usable
    with pytest.raises(StoreError, match="indexing articles for search failed"):
        batch(fail=True)
    with pytest.raises(StoreError, match="indexing articles for search failed"):
        batch(fail=False, nested=True)
    assert store._savepoints == 0  # the savepoint that was never opened is not counted
    monkeypatch.undo()
    assert len(store) == 0
    with store.transaction():
        store.add_new([(raw, _view(raw), None, None)])
    assert [h.id for h in store.search("الحج")] == [raw.id]
    assert _search_index_is_sound(store)


def test_an_interrupted_batch_leaves_the_search_index_sound(store: SqliteStore) -> None:

    def interrupted() -> None:
        with store.transaction():
            _add(store, _article("خبر لن يبقى."))
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    kept = _article("خبر يبقى بعد الانقطاع.")
    _add(store, kept)
    assert [h.id for h in store.search("يبقى")] == [kept.id]
    assert _search_index_is_sound(store)


def _old_database(
    path: Path, version: int, *, rowid: int, text: str, story: str | None = None
) -> sqlite3.Connection:
    """A database at an earlier schema version, holding one article `old` with `text` (in
    `story`, event 'e', copy group 'c', when given)."""
    con = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:version]:
        con.executescript(script)
    con.execute(f"PRAGMA user_version = {version}")
    con.execute(
        "INSERT INTO articles (rowid, id, content_hash, source, raw_text, origin, ingested_at) "
        "VALUES (?, 'old', 'x', 'okaz', ?, 'mem', '2026-01-01')",
        (rowid, text),
    )
    if story is not None:
        con.execute(
            "INSERT INTO assignments (article_rowid, story, event, copy) VALUES (?, ?, 'e', 'c')",
            (rowid, story),
        )
    return con


def _old_cleaned(con: sqlite3.Connection, rowid: int, text: str) -> None:
    """The cleaned row of an old database's article `rowid`: its body `text`, no title."""
    con.execute(
        "INSERT INTO cleaned (article_rowid, body, blocks, removed, edits, norm_title, norm_body) "
        "VALUES (?, ?, '[]', '[]', '[]', '', ?)",
        (rowid, text, normalize(text)),
    )


def _migrated_finds_old_and_new(path: Path) -> None:
    """The old database at `path`, opened (so migrated), finds its old article ("old") and a
    new one by a word they share, with a sound search index."""
    with SqliteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        new = _article("خبر جديد عن النخيل.")
        _add(store, new)
        assert sorted(h.id for h in store.search("النخيل")) == sorted(["old", new.id])
        assert _search_index_is_sound(store)


def test_a_version_2_database_is_migrated_and_its_search_index_kept(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    con = _old_database(path, 2, rowid=1, text="خبر قديم عن النخيل.")
    _old_cleaned(con, 1, "خبر قديم عن النخيل.")  # indexed by version 2's insert trigger
    con.close()
    _migrated_finds_old_and_new(path)


# -- built digests --------------------------------------------------------------------------


def _clustered(store: SqliteStore, text: str, story: str) -> RawArticle:
    raw = _article(text)
    _add(store, raw)
    store.save_assignment(StoredAssignment(raw.id, story, f"e-{raw.id}", f"c-{raw.id}"))
    return raw


def test_a_digest_is_kept_for_its_builder_until_the_story_changes(store: SqliteStore) -> None:
    _clustered(store, "خبر أول عن المطر في جدة.", "s1")
    assert store.kept_digest("s1", "b") == (1, None)
    assert store.kept_digest("nope", "b") == (0, None)
    version, _ = store.kept_digest("s1", "b")
    assert store.save_digest("s1", version, "b", b"{1}")
    assert store.kept_digest("s1", "b") == (version, b"{1}")
    assert store.kept_digest("s1", "other code")[1] is None  # built by other code: not reused
    assert store.digest_count("b") == 1
    assert store.digested(["s1", "s2"]) == ["s1"]
    _clustered(store, "خبر ثان عن المطر في جدة.", "s1")
    later, body = store.kept_digest("s1", "b")
    assert later > version
    assert body is None
    assert store.digest_count("b") == 0
    assert store.digested(["s1"]) == ["s1"]  # built once: worth building again


def test_a_digest_built_before_a_change_is_not_saved(store: SqliteStore) -> None:
    _clustered(store, "خبر أول عن المطر في جدة.", "s1")
    version, _ = store.kept_digest("s1", "b")
    _clustered(store, "خبر ثان عن المطر في جدة.", "s1")  # while the digest was being built
    assert not store.save_digest("s1", version, "b", b"{old}")
    assert store.kept_digest("s1", "b")[1] is None
    fresh, _ = store.kept_digest("s1", "b")
    assert store.save_digest("s1", fresh, "b", b"{new}")
    assert store.kept_digest("s1", "b")[1] == b"{new}"


def test_a_story_never_changed_since_migration_keeps_a_digest(store: SqliteStore) -> None:
    """Stories of a migrated store have no version row yet: version 0 until they change."""
    raw = _clustered(store, "خبر عن المطر في جدة.", "s1")
    store._db.execute("DELETE FROM digests")  # as a store migrated from v4 holds
    assert store.kept_digest("s1", "b") == (0, None)
    assert store.save_digest("s1", 0, "b", b"{0}")
    assert store.kept_digest("s1", "b") == (0, b"{0}")
    store.save_extraction(raw.id, '{"entities":[],"quotes":[],"cited_sources":[],"dates":[]}')
    assert store.kept_digest("s1", "b")[1] is None


def _kept_after(store: SqliteStore, stories: list[str], change: Any) -> list[bool]:
    """Save a digest of each story, make the change, say which digests are still kept."""
    for story in stories:
        version, _ = store.kept_digest(story, "b")
        assert store.save_digest(story, version, "b", b"{}")
    change()
    return [store.kept_digest(story, "b")[1] is not None for story in stories]


def _story_last_is_sound(store: SqliteStore) -> bool:
    """Whether the kept latest publication of every story is what its articles say."""
    kept = store._db.execute("SELECT story, last FROM story_last ORDER BY story").fetchall()
    computed = store._db.execute(
        "SELECT s.story, max(julianday(a.published)) FROM assignments s "
        "JOIN articles a ON a.rowid = s.article_rowid GROUP BY s.story ORDER BY s.story"
    ).fetchall()
    return [tuple(r) for r in kept] == [tuple(r) for r in computed]


@settings(max_examples=60, deadline=None)
@given(
    dates=st.lists(
        st.sampled_from([None, "2026-01-01", "2026-01-02", "2026-01-03"]), min_size=6, max_size=6
    ),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["move", "rename", "delete", "redate"]),
            st.integers(0, 5),
            st.sampled_from(["s1", "s2", "s3"]),
            st.sampled_from([None, "2026-01-01", "2026-01-04"]),
        ),
        max_size=12,
    ),
)
def test_each_story_keeps_its_latest_publication_through_any_changes(
    tmp_path_factory: pytest.TempPathFactory,
    dates: list[str | None],
    steps: list[tuple[str, int, str, str | None]],
) -> None:
    with SqliteStore(tmp_path_factory.mktemp("last") / "news.db") as store:
        raws = [
            dataclasses.replace(_article(f"خبر رقم {i} عن المطر."), published=d)
            for i, d in enumerate(dates)
        ]
        for i, raw in enumerate(raws):
            _add(store, raw)
            store.save_assignment(StoredAssignment(raw.id, f"s{1 + i % 3}", "e", "c"))
        assert _story_last_is_sound(store)
        for action, i, story, date in steps:
            raw = raws[i]
            if action == "move":
                store.save_assignment(StoredAssignment(raw.id, story, "e", "c"))
            elif action == "rename":
                store.rename_cluster("story", f"s{1 + i % 3}", story)
            elif action == "delete":
                store._db.execute(
                    "DELETE FROM assignments WHERE article_rowid = "
                    "(SELECT rowid FROM articles WHERE id = ?)",
                    (raw.id,),
                )
            else:
                store._db.execute("UPDATE articles SET published = ? WHERE id = ?", (date, raw.id))
            assert _story_last_is_sound(store), (action, i, story, date)


def test_every_change_a_digest_reads_drops_it(store: SqliteStore) -> None:
    a = _clustered(store, "خبر أول عن المطر في جدة.", "s1")
    b = _clustered(store, "خبر ثان عن الحر في الرياض.", "s2")
    extraction = '{"entities":[],"quotes":[],"cited_sources":[],"dates":[]}'
    # an article moves from s1 to s2 (INSERT OR REPLACE): both stories change
    moved = StoredAssignment(a.id, "s2", "e", "c")
    assert _kept_after(store, ["s1", "s2"], lambda: store.save_assignment(moved)) == [False, False]
    assert _story_last_is_sound(store)
    # a cluster merged (UPDATE): the story left and the story joined
    rename = lambda: store.rename_cluster("story", "s2", "s3")  # noqa: E731
    assert _kept_after(store, ["s2", "s3"], rename) == [False, False]
    assert _story_last_is_sound(store)
    # an event or copy group renamed inside a story changes it too
    rename = lambda: store.rename_cluster("copy", "c", "c2")  # noqa: E731
    assert _kept_after(store, ["s3"], rename) == [False]
    assert _story_last_is_sound(store)
    # extraction stored or replaced, cleaned view replaced, article updated in place
    assert _kept_after(store, ["s3"], lambda: store.save_extraction(b.id, extraction)) == [False]
    assert _story_last_is_sound(store)
    assert _kept_after(store, ["s3"], lambda: store.save_extraction(b.id, extraction)) == [False]
    assert _story_last_is_sound(store)
    view = dataclasses.replace(_view(b), text="نص آخر.")
    assert _kept_after(store, ["s3"], lambda: store.replace_clean(b.id, view)) == [False]
    assert _story_last_is_sound(store)
    changed = dataclasses.replace(b, text="خبر ثان عن الحر الشديد في الرياض.")
    assert _kept_after(store, ["s3"], lambda: _add(store, changed)) == [False]
    assert _story_last_is_sound(store)
    # the same article again changes nothing
    assert _kept_after(store, ["s3"], lambda: _add(store, changed)) == [True]
    assert _story_last_is_sound(store)
    # an article deleted with its rows (cascade)
    delete = lambda: store._db.execute("DELETE FROM articles WHERE id = ?", (a.id,))  # noqa: E731
    assert _kept_after(store, ["s3"], delete) == [False]
    assert _story_last_is_sound(store)


def test_a_version_4_database_is_migrated_with_its_stories(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    con = _old_database(path, 4, rowid=1, text="خبر قديم.", story="s")
    con.close()
    with SqliteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.kept_digest("s", "b") == (0, None)
        assert store.save_digest("s", 0, "b", b"{}")
        assert store.kept_digest("s", "b") == (0, b"{}")
        assert [s.story for s in store.stories()] == ["s"]
        assert _story_last_is_sound(store)


def _quotes_json(*spans: tuple[int | None, int | None]) -> str:
    quotes = [
        {"start": 0, "end": 5, "text": "نص", "kind": "direct", "cue": "قال", "speaker": "هو",
         "speaker_start": s, "speaker_end": e}
        for s, e in spans
    ]  # fmt: skip
    return json.dumps({"entities": [], "quotes": quotes, "cited_sources": [], "dates": []})


def _speakers(store: SqliteStore) -> list[tuple[int, int, int]]:
    rows = store._db.execute("SELECT * FROM quote_speakers ORDER BY 1, 2, 3").fetchall()
    return [tuple(r) for r in rows]


def test_quote_speaker_spans_follow_the_extraction(store: SqliteStore) -> None:
    raw = _clustered(store, "خبر عن المطر في جدة.", "s1")
    (rowid,) = store._db.execute("SELECT rowid FROM articles WHERE id = ?", (raw.id,)).fetchone()
    store.save_extraction(raw.id, _quotes_json((10, 20), (10, 20), (None, None), (30, 35)))
    assert _speakers(store) == [(rowid, 10, 20), (rowid, 30, 35)]
    store.save_extraction(raw.id, _quotes_json((40, 45)))  # replaced
    assert _speakers(store) == [(rowid, 40, 45)]
    store.replace_clean(raw.id, _view(raw))  # cleaned again: the extraction is dropped
    assert _speakers(store) == []


def test_a_version_4_database_gets_the_speaker_spans_of_its_extractions(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    con = _old_database(path, 4, rowid=7, text="خبر قديم.")
    con.execute("INSERT INTO extractions VALUES (7, ?)", (_quotes_json((3, 9), (None, 2)),))
    con.close()
    with SqliteStore(path) as store:
        assert _speakers(store) == [(7, 3, 9)]


def test_an_assignment_left_by_a_tool_without_foreign_keys_hides_no_article(
    tmp_path: Path,
) -> None:
    """The sqlite3 shell leaves foreign keys off: deleting an article there keeps its
    assignment, and the store must still see a new article as not clustered."""
    path = tmp_path / "news.db"
    a, b = _article("خبر أول عن المطر في جدة."), _article("خبر ثان عن الحر في الرياض.")
    with SqliteStore(path) as store:
        for raw in (a, b):
            _add(store, raw)
            store.save_assignment(StoredAssignment(raw.id, "s", "e", "c"))
        assert store.unclustered_ids() == []
    con = sqlite3.connect(path)
    con.execute("DELETE FROM articles WHERE id = ?", (a.id,))
    con.commit()
    con.close()
    with SqliteStore(path) as store:
        c = _article("خبر ثالث عن الغبار في الدمام.")
        _add(store, c)  # as many assignment rows as articles now, one of them an orphan
        assert store.unclustered_ids() == [c.id]
        store.save_assignment(StoredAssignment(c.id, "s", "e", "c"))
        assert store.unclustered_ids() == []


def test_assignments_saved_together_keep_their_order_and_scores(store: SqliteStore) -> None:
    a, b = _article("خبر أول عن المطر في جدة."), _article("خبر ثان عن الحر في الرياض.")
    _add(store, a)
    _add(store, b)
    first = StoredAssignment(a.id, "s1", "e1", "c1", story_score=0.1 + 0.2)
    moved = dataclasses.replace(first, story="s2", copy_of=b.id, copy_score=1 / 3)
    store.save_assignments([first, StoredAssignment(b.id, "s2", "e2", "c2"), moved])
    kept = store.assignments_of([a.id, b.id])
    assert kept[a.id].story == "s2"  # the last of an id wins
    assert (kept[a.id].copy_of, kept[a.id].copy_score) == (b.id, 1 / 3)  # floats exact
    assert kept[a.id].story_score == 0.1 + 0.2
    assert kept[b.id].story == "s2"
    assert [s.story for s in store.stories()] == ["s2"]
    assert _story_last_is_sound(store)


def test_saving_assignments_for_an_unknown_article_names_it_and_writes_none(
    store: SqliteStore,
) -> None:
    a = _article("خبر أول عن المطر في جدة.")
    _add(store, a)
    with pytest.raises(NotFoundError, match="nope"):
        store.save_assignments(
            [StoredAssignment(a.id, "s1", "e1", "c1"), StoredAssignment("nope", "s", "e", "c")]
        )
    assert store.assignments_of([a.id]) == {}
    store.save_assignments([StoredAssignment(a.id, "s1", "e1", "c1")])  # nothing left over
    assert [x.story for x in store.assignments()] == ["s1"]


def test_the_story_list_order_is_kept_through_moves_and_dates(store: SqliteStore) -> None:
    a = _clustered(store, "خبر أول عن المطر في جدة.", "s1")
    b = _clustered(store, "خبر ثان عن الحر في الرياض.", "s2")
    undated = dataclasses.replace(_article("خبر بلا تاريخ."), published=None)
    _add(store, undated)
    store.save_assignment(StoredAssignment(undated.id, "s3", "e3", "c3"))
    later = dataclasses.replace(_article("خبر لاحق عن المطر."), published="2026-03-01")
    _add(store, later)
    store.save_assignment(StoredAssignment(later.id, "s1", "e1", "c1"))
    assert [s.story for s in store.stories()] == ["s1", "s2", "s3"]  # undated last
    assert _story_last_is_sound(store)
    store.save_assignment(StoredAssignment(later.id, "s2", "e2", "c2"))  # moves: s1 falls back
    assert _story_last_is_sound(store)
    assert [s.story for s in store.stories()] == ["s2", "s1", "s3"]
    assert [s.story for s in store.stories(limit=1, offset=1)] == ["s1"]
    store.rename_cluster("story", "s2", "s1")
    assert [s.story for s in store.stories()] == ["s1", "s3"]
    assert _story_last_is_sound(store)
    store._db.execute("UPDATE articles SET published = '2027-01-01' WHERE id = ?", (undated.id,))
    assert [s.story for s in store.stories()] == ["s3", "s1"]
    assert _story_last_is_sound(store)
    store._db.execute("DELETE FROM articles WHERE id IN (?, ?, ?)", (a.id, b.id, later.id))
    assert [s.story for s in store.stories()] == ["s3"]
    assert _story_last_is_sound(store)


def test_asking_for_a_merged_story_names_the_story_it_joined(store: SqliteStore) -> None:
    for text, story in (("خبر أول عن المطر في جدة.", "s1"), ("خبر ثان عن المطر.", "s2")):
        raw = _article(text)
        _add(store, raw)
        store.save_assignment(StoredAssignment(raw.id, story, "e", "c", placed_story=story))
    store.rename_cluster("story", "s2", "s1")
    assert len(store.story("s1")) == 2
    with pytest.raises(NotFoundError, match="story 's2' was merged into 's1'"):
        store.story("s2")
    with pytest.raises(NotFoundError, match="no story with id 's3'"):
        store.story("s3")


def test_clusters_in_use_answers_each_level_in_one_call(store: SqliteStore) -> None:
    a = _clustered(store, "خبر أول عن المطر في جدة.", "s1")
    asked: list[tuple[Any, str]] = [
        ("story", "s1"),
        ("event", f"e-{a.id}"),
        ("copy", "s1"),  # a story's name, asked at the copy level: not in use there
        ("story", "s2"),
    ]
    assert store.clusters_in_use(asked) == [True, True, False, False]
    assert [store.cluster_in_use(level, name) for level, name in asked] == [
        True,
        True,
        False,
        False,
    ]
    assert store.clusters_in_use([]) == []
    with pytest.raises(ValueError, match="unknown cluster level"):
        store.clusters_in_use([("topic", "s1")])  # type: ignore[list-item]


def test_clusters_used_names_those_in_use_at_one_level(store: SqliteStore) -> None:
    a = _clustered(store, "خبر أول عن المطر في جدة.", "s1")
    assert store.clusters_used("story", ["s1", "s2", f"e-{a.id}"]) == {"s1"}
    assert store.clusters_used("event", ["s1", f"e-{a.id}"]) == {f"e-{a.id}"}
    assert store.clusters_used("copy", []) == set()
    with pytest.raises(ValueError, match="unknown cluster level"):
        store.clusters_used("topic", ["s1"])  # type: ignore[arg-type]


def test_stories_and_their_articles_are_ordered_by_instant_not_by_text(
    store: SqliteStore,
) -> None:
    # 09:00+03:00 is 06:00 UTC: before 08:00+00:00, though its text sorts after
    riyadh = dataclasses.replace(
        _article("خبر من الرياض عن المطر."), published="2026-03-01T09:00:00+03:00"
    )
    london = dataclasses.replace(
        _article("خبر من لندن عن المطر."), published="2026-03-01T08:00:00+00:00"
    )
    other = dataclasses.replace(_article("خبر آخر عن الحر."), published="2026-03-01T07:00:00+00:00")
    for raw, story in ((london, "s1"), (riyadh, "s1"), (other, "s2")):
        _add(store, raw)
        store.save_assignment(StoredAssignment(raw.id, story, f"e-{raw.id}", f"c-{raw.id}"))
    assert [a.id for a in store.story("s1")] == [riyadh.id, london.id]
    summary = {s.story: s for s in store.stories()}
    assert (summary["s1"].first, summary["s1"].last) == (riyadh.published, london.published)
    # s1's latest article moves to 06:30 UTC: s1 (06:30 UTC) is now older than s2 (07:00
    # UTC), though the text of s1's latest date ("09:00+03:00") still sorts after s2's
    store._db.execute(
        "UPDATE articles SET published = '2026-03-01T06:30:00+00:00' WHERE id = ?", (london.id,)
    )
    assert [s.story for s in store.stories()] == ["s2", "s1"]  # text order would say s1 first
    assert _story_last_is_sound(store)


def test_a_version_6_database_orders_its_stories_by_instant_after_migration(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v6.db"
    con = _old_database(path, 6, rowid=1, text="خبر قديم.")
    con.execute(
        "INSERT INTO articles (rowid, id, content_hash, source, raw_text, origin, ingested_at, "
        "published) VALUES (2, 'new', 'y', 'okaz', 'خبر آخر.', 'mem', '2026-01-01', "
        "'2026-03-01T09:00:00+03:00')"
    )
    con.execute("UPDATE articles SET published = '2026-03-01T08:00:00+00:00' WHERE rowid = 1")
    con.execute(
        "INSERT INTO assignments (article_rowid, story, event, copy) VALUES (1, 'a', 'e', 'c')"
    )
    con.execute(
        "INSERT INTO assignments (article_rowid, story, event, copy) VALUES (2, 'b', 'f', 'd')"
    )
    assert [r[0] for r in con.execute("SELECT story FROM story_last ORDER BY last DESC")] == [
        "b",
        "a",
    ]  # version 6 kept the text
    con.close()
    with SqliteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [s.story for s in store.stories()] == ["a", "b"]
        assert _story_last_is_sound(store)


def test_a_version_7_database_keeps_its_assignments_with_no_placed_names(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    con = _old_database(path, 7, rowid=1, text="خبر قديم.", story="a")
    con.close()
    with SqliteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [old] = store.assignments()
        assert (old.story, old.placed_story, old.placed_event) == ("a", None, None)
        assert store.story_counts() is None  # none kept yet: a tracker counts its replay
        store.save_assignment(dataclasses.replace(old, story="b", placed_story="a"))
        [again] = store.assignments()
        assert (again.story, again.placed_story) == ("b", "a")


def test_a_store_of_the_first_kept_counts_layout_is_migrated(tmp_path: Path) -> None:
    """Migration 8 once kept the counts one row per term (a clone of that day can hold
    such a store at version 9): migration 10 gives it the table of one row."""
    from akhbar.store.sqlite import StoredCounts

    path = tmp_path / "v9.db"
    con = _old_database(path, 7, rowid=1, text="خبر قديم.")
    con.executescript(
        "CREATE TABLE story_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;"
        "ALTER TABLE assignments ADD COLUMN placed_story TEXT;"
        "ALTER TABLE assignments ADD COLUMN placed_event TEXT;"
        "INSERT INTO state (key, value) VALUES ('story_df_documents', '1');"
        "PRAGMA user_version = 9;"
    )
    con.close()
    with SqliteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.story_counts() is None
        store.save_story_counts(StoredCounts("b", 1, ["قديم"], [1]))
        assert store.story_counts() == StoredCounts("b", 1, ["قديم"], [1])


def test_the_copies_naming_an_original_are_found_by_index_after_migration(
    tmp_path: Path,
) -> None:
    """An article stored again looks up the copies that name it (migration 11): the links
    are dropped as before, without reading every assignment."""
    path = tmp_path / "v10.db"
    con = _old_database(path, 10, rowid=1, text="خبر قديم.", story="a")
    con.execute(
        "INSERT INTO articles (rowid, id, content_hash, source, raw_text, origin, ingested_at) "
        "VALUES (2, 'copy', 'y', 'okaz', 'خبر قديم.', 'mem', '2026-01-01')"
    )
    con.execute(
        "INSERT INTO assignments (article_rowid, story, event, copy, copy_of, copy_score) "
        "VALUES (2, 'a', 'e', 'c2', 'old', 0.9)"
    )
    con.close()
    with SqliteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        plan = " ".join(
            str(row[3])
            for row in store._db.execute(
                "EXPLAIN QUERY PLAN SELECT article_rowid FROM assignments WHERE copy_of = ?",
                ("old",),
            )
        )
        assert "assignments_copy_of" in plan
        store.drop_copy_links("old", "c")  # the copy is in another group now
        copy = next(a for a in store.assignments() if a.article_id == "copy")
        assert (copy.copy_of, copy.copy_score) == (None, None)


def test_an_outlet_name_with_a_comma_is_listed_whole(store: SqliteStore) -> None:
    a = dataclasses.replace(_article("خبر عن المطر في جدة."), outlet="Sky News, Arabia")
    b = dataclasses.replace(_article("خبر ثان عن المطر في جدة.", source="okaz"), outlet=None)
    for raw in (a, b):
        _add(store, raw)
        store.save_assignment(StoredAssignment(raw.id, "s1", "e1", f"c-{raw.id}"))
    (summary,) = store.stories()
    assert summary.outlets == ("Sky News, Arabia", "okaz")


def _held(path: Path) -> sqlite3.Connection:
    """Another process's writer, mid-transaction: it holds the store's write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_store_another_process_keeps_writing_to_is_busy_not_damaged(tmp_path: Path) -> None:
    """Past the busy timeout, the writer waiting gets a StoreError saying the store is busy
    and what to do (a raw `database is locked` was a traceback, and a 500 in the API)."""
    path = tmp_path / "busy.db"
    SqliteStore(path).close()
    quick = StoreSettings(busy_timeout_ms=50)
    with SqliteStore(path, quick) as store:
        other = _held(path)
        with (
            pytest.raises(StoreError, match="busy: another process has been writing"),
            store.transaction(),
        ):
            pass
        other.execute("ROLLBACK")
        with store.transaction():  # free again: writes go on
            store.record_skipped(Skipped(Origin("x"), "y"))
    fresh = tmp_path / "fresh.db"
    other = _held(fresh)  # even the first open, which sets the journal mode, waits and says so
    with pytest.raises(StoreError, match="busy"):
        SqliteStore(fresh, quick)
    other.execute("ROLLBACK")


def test_a_sqlite_database_that_is_not_akhbars_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE foo (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match=r"not akhbar's .*foo"):
        SqliteStore(path)
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["foo"]
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("PRAGMA user_version").fetchone()[0] == 0


def test_a_store_that_cannot_be_written_beside_says_so(tmp_path: Path) -> None:
    """A read-only file or folder (a read-only mount, say) is not a damaged store."""
    store = SqliteStore(tmp_path / "r.db")
    store.close()
    error = store._open_error(sqlite3.OperationalError("attempt to write a readonly database"))
    assert "must be writable" in str(error)
    assert "damaged" not in str(error)


def test_a_store_that_opens_but_refuses_writes_says_so_on_each_write(tmp_path: Path) -> None:
    """A file that became read-only after it was opened (its mode, a remount), or a
    connection told to only read: each write is a StoreError that says so, not a bare
    sqlite3 error (which an ingest took for one bad article, recording each as skipped,
    and the CLI showed as a traceback)."""
    store = SqliteStore(tmp_path / "r.db")
    raw = _article("خبر عن المطر في الرياض.")
    store._db.execute("PRAGMA query_only = 1")
    with pytest.raises(StoreError, match="cannot be written"):
        store.add(raw, _view(raw))
    with pytest.raises(StoreError, match="cannot be written"):
        store.record_skipped(Skipped(Origin("a.txt"), "empty text"))
    store._db.execute("PRAGMA query_only = 0")
    assert store.add(raw, _view(raw)) == "new"  # nothing of the refused writes stayed
    store.close()


def test_the_search_index_merges_16_segments_at_a_time_after_migration(tmp_path: Path) -> None:
    """Migration 14 sets the search index's automerge to 16 (8 before); what it held is still
    found, and what comes after too."""
    path = tmp_path / "v13.db"
    con = _old_database(path, 13, rowid=1, text="خبر قديم عن النخيل.")
    _old_cleaned(con, 1, "خبر قديم عن النخيل.")
    con.execute(  # as the store indexes its rows since version 3
        "INSERT INTO search (rowid, norm_title, norm_body) "
        "SELECT article_rowid, norm_title, norm_body FROM cleaned"
    )
    assert con.execute("SELECT v FROM search_config WHERE k = 'automerge'").fetchone() == (8,)
    con.close()
    _migrated_finds_old_and_new(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT v FROM search_config WHERE k = 'automerge'").fetchone() == (16,)
    con.close()


@given(st.lists(st.lists(st.one_of(st.text(), st.integers(-(2**62), 2**62), st.none()))))
def test_json_columns_read_back_as_written(value: list[list[Any]]) -> None:
    """The store's own JSON columns (cleaning's blocks, removals and edits; warnings) read
    back as the values written."""
    assert json.loads(_dumps(value)) == value


def test_a_lone_surrogate_in_a_json_column_is_written_as_before() -> None:
    """A lone surrogate, which orjson refuses, is written as the standard library writes it."""
    value = [["تابعونا \udcff", "boilerplate", None]]
    assert _dumps(value) == json.dumps(value, ensure_ascii=False)
    assert json.loads(_dumps(value)) == value


def test_a_name_merged_away_stays_taken(store: SqliteStore) -> None:
    """A story or event a merge renamed keeps its name in `placed_story` / `placed_event`,
    by which a restarted tracker groups replayed articles: a new story given that name would
    be fused with them (an event then sat in two stories after the next restart)."""
    for text, story, event in (("خبر أول عن المطر في جدة.", "s1", "e1"),
                               ("خبر ثان عن المطر.", "s2", "e2")):  # fmt: skip
        raw = _article(text)
        _add(store, raw)
        store.save_assignment(
            StoredAssignment(raw.id, story, event, "c", placed_story=story, placed_event=event)
        )
    store.rename_cluster("story", "s2", "s1")
    store.rename_cluster("event", "e2", "e1")
    asked: list[tuple[Any, str]] = [("story", "s2"), ("event", "e2"), ("copy", "s2")]
    assert store.clusters_in_use(asked) == [True, True, False]
    assert store.cluster_in_use("story", "s2")
    assert store.clusters_used("story", ["s1", "s2", "s3"]) == {"s1", "s2"}
    assert store.clusters_used("event", ["e2", "e3"]) == {"e2"}


def test_the_article_an_original_now_copies_stops_naming_it(store: SqliteStore) -> None:
    """An original stored again undated copies its own copy now: that copy's link back goes,
    or each would name the other (a loop for anything that follows `copy_of`)."""
    original, copy = _article("خبر عن المطر في جدة."), _article("خبر عن المطر في جدة اليوم.")
    for raw in (original, copy):
        _add(store, raw)
    store.save_assignment(StoredAssignment(original.id, "s", "e", "c"))
    store.save_assignment(StoredAssignment(copy.id, "s", "e", "c", copy_of=original.id))
    store.drop_copy_links(original.id, "c")  # same group, no copy named: the link stays
    assert {a.article_id: a.copy_of for a in store.assignments()}[copy.id] == original.id
    store.drop_copy_links(original.id, "c", copy.id)
    assert {a.article_id: a.copy_of for a in store.assignments()}[copy.id] is None


def test_several_connections_creating_one_new_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Connections that open a new path together (the web server's threads, two ingests)
    each see the schema the first one made: one found the tables made while it waited and
    called the store damaged, or not akhbar's."""
    import threading

    for trial in range(4):
        path = tmp_path / f"new{trial}.db"
        start = threading.Barrier(6)
        failed: list[BaseException] = []

        def open_it(
            path: Path = path,
            start: threading.Barrier = start,
            failed: list[BaseException] = failed,
        ) -> None:
            start.wait()
            try:
                with SqliteStore(path) as store:
                    assert store.schema_version == SCHEMA_VERSION
            except BaseException as exc:  # noqa: BLE001 - reported below
                failed.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failed == []


def test_source_texts_reads_an_outlets_texts_a_page_at_a_time(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "s.db") as store:
        mine = [_article(f"خبر رقم {i} من عكاظ", source="okaz") for i in range(5)]
        other = _article("خبر من اليوم", source="alyaum")
        for raw in (mine[0], other, *mine[1:]):
            store.add(raw, _view(raw))
        read = list(store.source_texts("okaz", page=2))
        assert read == [(raw.id, raw.text) for raw in mine]
        assert list(store.source_texts("nobody")) == []
