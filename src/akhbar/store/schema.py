"""The SQLite schema as an ordered list of migrations; `PRAGMA user_version` is the version."""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

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
    INSERT OR IGNORE INTO quote_speakers (article_rowid, start_pos, end_pos)
    SELECT x.article_rowid, json_extract(q.value, '$.speaker_start'),
           json_extract(q.value, '$.speaker_end')
    FROM extractions x, json_each(x.data, '$.quotes') q
    WHERE json_extract(q.value, '$.speaker_start') IS NOT NULL
      AND json_extract(q.value, '$.speaker_end') IS NOT NULL;
    CREATE TRIGGER extractions_speakers_ai AFTER INSERT ON extractions BEGIN
        INSERT OR IGNORE INTO quote_speakers (article_rowid, start_pos, end_pos)
        SELECT new.article_rowid, json_extract(q.value, '$.speaker_start'),
               json_extract(q.value, '$.speaker_end')
        FROM json_each(new.data, '$.quotes') q
        WHERE json_extract(q.value, '$.speaker_start') IS NOT NULL
          AND json_extract(q.value, '$.speaker_end') IS NOT NULL;
    END;
    CREATE TRIGGER extractions_speakers_ad AFTER DELETE ON extractions BEGIN
        DELETE FROM quote_speakers WHERE article_rowid = old.article_rowid;
    END;
    CREATE TRIGGER extractions_speakers_au AFTER UPDATE ON extractions BEGIN
        DELETE FROM quote_speakers WHERE article_rowid = old.article_rowid;
        INSERT OR IGNORE INTO quote_speakers (article_rowid, start_pos, end_pos)
        SELECT new.article_rowid, json_extract(q.value, '$.speaker_start'),
               json_extract(q.value, '$.speaker_end')
        FROM json_each(new.data, '$.quotes') q
        WHERE json_extract(q.value, '$.speaker_start') IS NOT NULL
          AND json_extract(q.value, '$.speaker_end') IS NOT NULL;
    END;

    CREATE TABLE digests (
        story TEXT PRIMARY KEY,
        version INTEGER NOT NULL DEFAULT 0,
        builder TEXT,
        body BLOB
    );
    CREATE TRIGGER assignments_digest_bi BEFORE INSERT ON assignments BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = new.article_rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER assignments_digest_ai AFTER INSERT ON assignments BEGIN
        INSERT INTO digests (story, version) VALUES (new.story, 1)
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER assignments_digest_ad AFTER DELETE ON assignments BEGIN
        INSERT INTO digests (story, version) VALUES (old.story, 1)
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER assignments_digest_au AFTER UPDATE ON assignments BEGIN
        INSERT INTO digests (story, version) VALUES (old.story, 1)
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
        INSERT INTO digests (story, version) VALUES (new.story, 1)
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER articles_digest_au AFTER UPDATE ON articles BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = new.rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER cleaned_digest_ai AFTER INSERT ON cleaned BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = new.article_rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER cleaned_digest_ad AFTER DELETE ON cleaned BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = old.article_rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER cleaned_digest_au AFTER UPDATE ON cleaned BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = new.article_rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER extractions_digest_ai AFTER INSERT ON extractions BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = new.article_rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER extractions_digest_ad AFTER DELETE ON extractions BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = old.article_rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    CREATE TRIGGER extractions_digest_au AFTER UPDATE ON extractions BEGIN
        INSERT INTO digests (story, version)
        SELECT story, 1 FROM assignments WHERE article_rowid = new.article_rowid
        ON CONFLICT (story) DO UPDATE SET version = version + 1, body = NULL;
    END;
    """,
    # 6: each story's latest publication (what the story list is ordered by), kept by triggers
    #    (filled here for the stories stored before), so a page of the list, or of an entity's
    #    stories, is read in that order without summarising every story first. A new member
    #    can only raise it; one that leaves, or changes its date, has it computed again.
    """
    CREATE TABLE story_last (
        story TEXT PRIMARY KEY,
        last TEXT
    ) WITHOUT ROWID;
    CREATE INDEX story_last_order ON story_last(last IS NULL, last DESC, story);
    INSERT INTO story_last (story, last)
    SELECT s.story, max(a.published) FROM assignments s
    JOIN articles a ON a.rowid = s.article_rowid GROUP BY s.story;
    CREATE TRIGGER assignments_last_ai AFTER INSERT ON assignments BEGIN
        INSERT INTO story_last (story, last)
        VALUES (new.story, (SELECT published FROM articles WHERE rowid = new.article_rowid))
        ON CONFLICT (story) DO UPDATE SET last = CASE
            WHEN excluded.last IS NULL THEN last
            WHEN last IS NULL OR excluded.last > last THEN excluded.last
            ELSE last END;
    END;
    CREATE TRIGGER assignments_last_ad AFTER DELETE ON assignments BEGIN
        DELETE FROM story_last WHERE story = old.story;
        INSERT INTO story_last (story, last)
        SELECT s.story, max(a.published) FROM assignments s
        JOIN articles a ON a.rowid = s.article_rowid WHERE s.story = old.story GROUP BY s.story;
    END;
    CREATE TRIGGER assignments_last_au AFTER UPDATE OF story ON assignments
    WHEN old.story IS NOT new.story BEGIN
        DELETE FROM story_last WHERE story = old.story;
        INSERT INTO story_last (story, last)
        SELECT s.story, max(a.published) FROM assignments s
        JOIN articles a ON a.rowid = s.article_rowid WHERE s.story = old.story GROUP BY s.story;
        INSERT INTO story_last (story, last)
        VALUES (new.story, (SELECT published FROM articles WHERE rowid = new.article_rowid))
        ON CONFLICT (story) DO UPDATE SET last = CASE
            WHEN excluded.last IS NULL THEN last
            WHEN last IS NULL OR excluded.last > last THEN excluded.last
            ELSE last END;
    END;
    CREATE TRIGGER articles_last_au AFTER UPDATE OF published ON articles
    WHEN old.published IS NOT new.published BEGIN
        DELETE FROM story_last
        WHERE story = (SELECT story FROM assignments WHERE article_rowid = new.rowid);
        INSERT INTO story_last (story, last)
        SELECT s.story, max(a.published) FROM assignments s
        JOIN articles a ON a.rowid = s.article_rowid
        WHERE s.story = (SELECT story FROM assignments WHERE article_rowid = new.rowid)
        GROUP BY s.story;
    END;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
