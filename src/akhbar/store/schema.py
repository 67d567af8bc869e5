"""The SQLite schema as an ordered list of migrations; `PRAGMA user_version` is the version."""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]


# SQL statements the triggers of migrations 5 and 6 repeat, written once. Each takes SQL
# expressions (`new.story`, `old.article_rowid`, ...) and gives one statement.
def _speakers(rowid: str, data: str, tables: str = "") -> str:
    """Keep the speaker spans of the quotes in extraction JSON `data` of article `rowid`."""
    return f"""
    INSERT OR IGNORE INTO quote_speakers (article_rowid, start_pos, end_pos)
    SELECT {rowid}, json_extract(q.value, '$.speaker_start'),
           json_extract(q.value, '$.speaker_end')
    FROM {tables}json_each({data}, '$.quotes') q
    WHERE json_extract(q.value, '$.speaker_start') IS NOT NULL
      AND json_extract(q.value, '$.speaker_end') IS NOT NULL;"""


_STORY_OF_NEW = "(SELECT story FROM assignments WHERE article_rowid = new.rowid)"
_RAISED = "ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;"


def _raise_digest(story: str) -> str:
    """Raise the digest version of `story`, dropping its kept body."""
    return f"INSERT INTO digests (story, version) VALUES ({story}, 1) {_RAISED}"


def _raise_digest_of(rowid: str) -> str:
    """Raise the digest version of the story article `rowid` belongs to, if any."""
    return (
        "INSERT INTO digests (story, version) "
        f"SELECT story, 1 FROM assignments WHERE article_rowid = {rowid} {_RAISED}"
    )


def _raise_last(story: str, rowid: str, when: str) -> str:
    """A new member `rowid` of `story` (its publication: `when`) can only raise the story's
    latest publication."""
    return f"""
    INSERT INTO story_last (story, last)
    VALUES ({story}, (SELECT {when} FROM articles WHERE rowid = {rowid}))
    ON CONFLICT (story) DO UPDATE SET last = CASE
        WHEN excluded.last IS NULL THEN last
        WHEN last IS NULL OR excluded.last > last THEN excluded.last
        ELSE last END;"""


def _recompute_last(story: str, a_when: str) -> str:
    """Compute the latest publication (`a_when`) of `story` again from its members (none:
    no row)."""
    return f"""
    DELETE FROM story_last WHERE story = {story};
    INSERT INTO story_last (story, last)
    SELECT s.story, max({a_when}) FROM assignments s
    JOIN articles a ON a.rowid = s.article_rowid WHERE s.story = {story} GROUP BY s.story;"""


def _may_lower_last(rowid: str, story: str) -> str:
    """Whether article `rowid` leaving `story` may change the story's latest publication: not
    when it was published before that (a later member keeps it). Without this test, renaming a
    story of k articles computed its latest publication again k times, over k members each."""
    return (
        f"NOT coalesce((SELECT julianday(published) FROM articles WHERE rowid = {rowid}) "
        f"< (SELECT last FROM story_last WHERE story = {story}), 0)"
    )


def _story_last(kind: str, when: str, a_when: str) -> str:
    """The `story_last` table of migration 6 (and of 7 again), filled for the stories stored
    before, with the triggers that keep it: `when` is the article's publication as the list
    orders it (`a_when` the same on alias `a`), of SQL type `kind`."""
    return f"""
    CREATE TABLE story_last (
        story TEXT PRIMARY KEY,
        last {kind}
    ) WITHOUT ROWID;
    CREATE INDEX story_last_order ON story_last(last IS NULL, last DESC, story);
    INSERT INTO story_last (story, last)
    SELECT s.story, max({a_when}) FROM assignments s
    JOIN articles a ON a.rowid = s.article_rowid GROUP BY s.story;
    CREATE TRIGGER assignments_last_ai AFTER INSERT ON assignments BEGIN
        {_raise_last("new.story", "new.article_rowid", when)}
    END;
    CREATE TRIGGER assignments_last_ad AFTER DELETE ON assignments BEGIN
        {_recompute_last("old.story", a_when)}
    END;
    CREATE TRIGGER assignments_last_au AFTER UPDATE OF story ON assignments
    WHEN old.story IS NOT new.story BEGIN
        {_recompute_last("old.story", a_when)}
        {_raise_last("new.story", "new.article_rowid", when)}
    END;
    CREATE TRIGGER articles_last_au AFTER UPDATE OF published ON articles
    WHEN old.published IS NOT new.published BEGIN
        {_recompute_last(_STORY_OF_NEW, a_when)}
    END;
    """


# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: articles (raw, kept verbatim), their cleaned view, full-text search over the
    #    normalised text, skipped records with their reasons, per-outlet line counts.
    """
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        source TEXT NOT NULL,
        outlet TEXT,
        url TEXT,
        published TEXT,
        language TEXT,
        language_detected INTEGER NOT NULL DEFAULT 0,
        title TEXT,
        raw_text TEXT NOT NULL,
        origin TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        warnings TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_source ON articles(source);

    CREATE TABLE cleaned (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        title TEXT,
        title_source TEXT,
        body TEXT NOT NULL,
        blocks TEXT NOT NULL,
        removed TEXT NOT NULL,
        edits TEXT NOT NULL,
        norm_title TEXT NOT NULL,
        norm_body TEXT NOT NULL
    );

    CREATE VIRTUAL TABLE search USING fts5(
        norm_title, norm_body,
        content='cleaned', content_rowid='article_rowid',
        tokenize='unicode61 remove_diacritics 0', detail=column
    );
    INSERT INTO search(search, rank) VALUES ('automerge', 8);
    CREATE TRIGGER cleaned_ai AFTER INSERT ON cleaned BEGIN
        INSERT INTO search(rowid, norm_title, norm_body)
        VALUES (new.article_rowid, new.norm_title, new.norm_body);
    END;
    CREATE TRIGGER cleaned_ad AFTER DELETE ON cleaned BEGIN
        INSERT INTO search(search, rowid, norm_title, norm_body)
        VALUES ('delete', old.article_rowid, old.norm_title, old.norm_body);
    END;
    CREATE TRIGGER cleaned_au AFTER UPDATE ON cleaned BEGIN
        INSERT INTO search(search, rowid, norm_title, norm_body)
        VALUES ('delete', old.article_rowid, old.norm_title, old.norm_body);
        INSERT INTO search(rowid, norm_title, norm_body)
        VALUES (new.article_rowid, new.norm_title, new.norm_body);
    END;

    CREATE TABLE skipped (
        rowid INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        UNIQUE (origin, reason)
    );

    CREATE TABLE outlet_lines (
        source TEXT NOT NULL,
        line_hash INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (source, line_hash)
    ) WITHOUT ROWID;
    CREATE TABLE outlet_counts (
        source TEXT PRIMARY KEY,
        articles INTEGER NOT NULL
    );
    """,
    # 2: copy-detection sketches (MinHash signature + shingle hashes), the stateless story
    #    terms of each article (JSON), and cluster assignments (story > event, copy group).
    """
    CREATE TABLE signatures (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        sketch BLOB NOT NULL
    );
    CREATE TABLE assignments (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        story TEXT NOT NULL,
        event TEXT NOT NULL,
        copy TEXT NOT NULL,
        copy_of TEXT,
        copy_score REAL,
        story_score REAL
    );
    CREATE INDEX assignments_story ON assignments(story);
    CREATE INDEX assignments_event ON assignments(event);
    CREATE INDEX assignments_copy ON assignments(copy);
    CREATE TABLE story_terms (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        terms TEXT NOT NULL
    );
    """,
    # 3: new cleaned rows are indexed for search by the store in one statement per transaction
    #    (just before it commits) instead of one trigger call per row: the same index, built at
    #    about half the cost. Deletions still go through the trigger.
    """
    DROP TRIGGER cleaned_ai;
    """,
    # 4: what extraction found in each article (JSON: entities, quotes, cited sources, dates),
    #    the entities linked across articles, each mention's entity, and small store state.
    """
    CREATE TABLE extractions (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
        data TEXT NOT NULL
    );
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        norm_name TEXT NOT NULL,
        variants TEXT NOT NULL,
        roles TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE entity_mentions (
        article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
        start_pos INTEGER NOT NULL,
        end_pos INTEGER NOT NULL,
        entity TEXT NOT NULL,
        PRIMARY KEY (article_rowid, start_pos, end_pos)
    ) WITHOUT ROWID;
    CREATE INDEX entity_mentions_entity ON entity_mentions(entity, article_rowid);
    CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE link_pending (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE
    );
    """,
    # 5: each story's built digest (opaque bytes, with what built it), and a version per story
    #    that the triggers below raise, clearing the body, whenever anything a digest reads
    #    changes: the story's members (assignments), an article's row, its cleaned view or its
    #    extraction. Every writer goes through them, so a kept body is never stale; a digest
    #    is saved only while the version it was built at is still current.
    #    INSERT OR REPLACE into assignments deletes the old row without its delete trigger
    #    (recursive_triggers is off), so the story an article leaves is raised before insert.
    #    And the speaker spans of each article's quotes, kept from its extraction by triggers
    #    (filled here for the extractions stored before), so the articles where an entity is
    #    named inside a speaker phrase are found by an indexed join.
    """
    CREATE TABLE quote_speakers (
        article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
        start_pos INTEGER NOT NULL,
        end_pos INTEGER NOT NULL,
        PRIMARY KEY (article_rowid, start_pos, end_pos)
    ) WITHOUT ROWID;
    """
    + _speakers("x.article_rowid", "x.data", "extractions x, ")
    + f"""
    CREATE TRIGGER extractions_speakers_ai AFTER INSERT ON extractions BEGIN
        {_speakers("new.article_rowid", "new.data")}
    END;
    CREATE TRIGGER extractions_speakers_ad AFTER DELETE ON extractions BEGIN
        DELETE FROM quote_speakers WHERE article_rowid = old.article_rowid;
    END;
    CREATE TRIGGER extractions_speakers_au AFTER UPDATE ON extractions BEGIN
        DELETE FROM quote_speakers WHERE article_rowid = old.article_rowid;
        {_speakers("new.article_rowid", "new.data")}
    END;

    CREATE TABLE digests (
        story TEXT PRIMARY KEY,
        version INTEGER NOT NULL DEFAULT 0,
        builder TEXT,
        body BLOB
    );
    CREATE TRIGGER assignments_digest_bi BEFORE INSERT ON assignments BEGIN
        {_raise_digest_of("new.article_rowid")}
    END;
    CREATE TRIGGER assignments_digest_ai AFTER INSERT ON assignments BEGIN
        {_raise_digest("new.story")}
    END;
    CREATE TRIGGER assignments_digest_ad AFTER DELETE ON assignments BEGIN
        {_raise_digest("old.story")}
    END;
    CREATE TRIGGER assignments_digest_au AFTER UPDATE ON assignments BEGIN
        {_raise_digest("old.story")}
        {_raise_digest("new.story")}
    END;
    CREATE TRIGGER articles_digest_au AFTER UPDATE ON articles BEGIN
        {_raise_digest_of("new.rowid")}
    END;
    """
    + "".join(
        f"""
    CREATE TRIGGER {table}_digest_{suffix} AFTER {event} ON {table} BEGIN
        {_raise_digest_of(f"{row}.article_rowid")}
    END;"""
        for table in ("cleaned", "extractions")
        for suffix, event, row in (
            ("ai", "INSERT", "new"),
            ("ad", "DELETE", "old"),
            ("au", "UPDATE", "new"),
        )
    ),
    # 6: each story's latest publication (what the story list is ordered by), kept by triggers
    #    (filled here for the stories stored before), so a page of the list, or of an entity's
    #    stories, is read in that order without summarising every story first. A new member
    #    can only raise it; one that leaves, or changes its date, has it computed again.
    _story_last("TEXT", "published", "a.published"),  # the date's text
    # 7: stories are ordered by the instant of their latest publication (a UTC Julian day),
    #    not by its text: "09:00+03:00" is before "08:00+00:00" though its text sorts after.
    """
    DROP TRIGGER assignments_last_ai;
    DROP TRIGGER assignments_last_ad;
    DROP TRIGGER assignments_last_au;
    DROP TRIGGER articles_last_au;
    DROP TABLE story_last;
    """
    + _story_last("REAL", "julianday(published)", "julianday(a.published)"),
    # 8: the story clusterer's document frequencies (every term, and how many articles held
    #    it: one row, blobs of UTF-8 terms one per line and of little-endian int64 counts),
    #    kept at the end of each ingest with what they count: a tracker started again weighs
    #    terms as the running one did, not by the few days it replays.
    """
    CREATE TABLE story_counts (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        basis TEXT NOT NULL,
        documents INTEGER NOT NULL,
        terms BLOB NOT NULL,
        dfs BLOB NOT NULL
    );
    """,
    # 9: the story and event an article was placed in, by the name they had then (merges
    #    rename `story` and `event`, never these): a tracker started again keeps the stories
    #    that the running one merged by name but clustered apart, apart. NULL: stored before.
    """
    ALTER TABLE assignments ADD COLUMN placed_story TEXT;
    ALTER TABLE assignments ADD COLUMN placed_event TEXT;
    """,
    # 10: articles stored again with new text whose copies may no longer copy them (a tracker
    #     in a later process drops those links when it places them). And the kept counts'
    #     table for a store made while migration 8 kept them one row per term (never
    #     released, but a clone of that day could hold one): those rows go.
    """
    CREATE TABLE copy_pending (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE
    );
    CREATE TABLE IF NOT EXISTS story_counts (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        basis TEXT NOT NULL,
        documents INTEGER NOT NULL,
        terms BLOB NOT NULL,
        dfs BLOB NOT NULL
    );
    DROP TABLE IF EXISTS story_df;
    DELETE FROM state WHERE key IN ('story_df_documents', 'story_df_basis');
    """,
    # 11: the copies that name each original (few articles copy one): an article stored
    #     again with new text finds the copies that name it without reading every assignment.
    """
    CREATE INDEX assignments_copy_of ON assignments(copy_of) WHERE copy_of IS NOT NULL;
    """,
    # 12: an article leaving a story has the story's latest publication computed again only
    #     when it may have been the latest (see `_may_lower_last`); the new story's is raised
    #     by a trigger of its own.
    f"""
    DROP TRIGGER assignments_last_ad;
    DROP TRIGGER assignments_last_au;
    CREATE TRIGGER assignments_last_ad AFTER DELETE ON assignments
    WHEN {_may_lower_last("old.article_rowid", "old.story")} BEGIN
        {_recompute_last("old.story", "julianday(a.published)")}
    END;
    CREATE TRIGGER assignments_last_au AFTER UPDATE OF story ON assignments
    WHEN old.story IS NOT new.story BEGIN
        {_raise_last("new.story", "new.article_rowid", "julianday(published)")}
    END;
    CREATE TRIGGER assignments_last_au_old AFTER UPDATE OF story ON assignments
    WHEN old.story IS NOT new.story
    AND {_may_lower_last("old.article_rowid", "old.story")} BEGIN
        {_recompute_last("old.story", "julianday(a.published)")}
    END;
    """,
    # 13: changes of the kept story counts since they were kept (terms whose counts moved,
    #     by how much, little-endian int64; documents counted since), in order: an ingest of
    #     a few articles keeps these instead of the whole vocabulary's counts again.
    """
    CREATE TABLE story_count_changes (
        seq INTEGER PRIMARY KEY,
        basis TEXT NOT NULL,
        documents INTEGER NOT NULL,
        terms BLOB NOT NULL,
        dfs BLOB NOT NULL
    );
    """,
    # 14: the search index merges its segments 16 at a time, not 8: indexing an article, the
    #     costliest statement of an ingest, takes a fifth less (147-153 -> 110-124 us, all of
    #     SaudiNewsNet ingested in time order) for a little more per search (0.67 -> 0.72 ms
    #     for one word over 25k articles).
    """
    INSERT INTO search(search, rank) VALUES ('automerge', 16);
    """,
    # 15: the order articles were placed in (raised across the store's whole life): a
    #     restarted tracker replays articles of one instant as they were clustered, which is
    #     by file name within an ingest, not always as they were stored. Rows placed before
    #     keep their store order (NULL sorts first: they were placed before any new one).
    """
    ALTER TABLE assignments ADD COLUMN placed_order INTEGER;
    """,
    # 16: the names a story or event had when articles were placed in it, where a merge has
    #     renamed it since: such a name is taken (a restarted tracker groups replayed articles
    #     by it), so a new story never gets it. Only renamed rows are indexed.
    """
    CREATE INDEX assignments_placed_story ON assignments(placed_story)
    WHERE placed_story IS NOT story;
    CREATE INDEX assignments_placed_event ON assignments(placed_event)
    WHERE placed_event IS NOT event;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
