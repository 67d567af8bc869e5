"""The embedded default store: one SQLite file in WAL mode, migrated on open."""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import orjson

from akhbar.errors import ConfigError, NotFoundError, RecordError, StoreError
from akhbar.extract.codec import extraction_from_json
from akhbar.extract.model import Extraction
from akhbar.model import Block, CleanArticle, Edit, Origin, RawArticle, Removal, Skipped
from akhbar.settings import StoreSettings
from akhbar.store.schema import MIGRATIONS, SCHEMA_VERSION
from akhbar.text.normalize import normalize
from akhbar.text.tokenize import tokenize

__all__ = [
    "MAX_OFFSET",
    "AddResult",
    "ArticleBrief",
    "SearchHit",
    "SqliteStore",
    "StoredArticle",
    "StoredAssignment",
    "StoredCounts",
    "StoredEntity",
    "StorySummary",
    "line_hash",
]

AddResult = Literal["new", "duplicate", "updated"]
MAX_OFFSET = 2**63 - 1  # SQLite's largest integer: no OFFSET beyond it can be bound

_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")
Mark = tuple[int, int]  # (start, end) character offsets


def line_hash(key: str) -> int:
    """A stable signed 64-bit hash of a line key (SQLite integers are signed 64-bit)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _parts(values: Iterable[str]) -> Iterator[list[str]]:
    """The values 500 at a time: SQLite bounds the number of parameters of one statement."""
    wanted = list(values)
    for i in range(0, len(wanted), 500):
        yield wanted[i : i + 500]


def _storable_text(text: str) -> str:
    """The text, with any lone surrogate written as its escape (`\\udcff`): what a skip is
    recorded with must be storable, whatever made the record unreadable."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _same_owner(raw: RawArticle, stored: sqlite3.Row) -> None:
    """Refuse a new version of an article from another outlet (RecordError): ids given in
    the input are the store's ids, so a second outlet's file numbered 1, 2, ... replaced the
    first outlet's articles, with no warning. Outlets are compared where both records name
    one, else their sources (a file's name)."""
    if (raw.outlet is None) != (stored["outlet"] is None):
        return  # one names its outlet, the other does not: no telling them apart
    theirs = stored["outlet"] if stored["outlet"] is not None else stored["source"]
    mine = raw.outlet if raw.outlet is not None else raw.source
    if theirs != mine:
        raise RecordError(
            str(raw.origin),
            f"article id {raw.id!r} is stored already for {theirs!r} (from "
            f"{stored['origin']}); this record of {mine!r} would replace it: ids given in the "
            "input must be unique across outlets (give it another id, or none: one is then "
            "made from its content)",
        )


def content_hash(raw: RawArticle) -> str:
    """Hash of everything a reader read, so a re-ingest of the same article is recognised."""
    h = hashlib.blake2b(digest_size=16)
    for part in (
        raw.source,
        raw.outlet or "",
        raw.url or "",
        raw.published or "",
        raw.language or "",
        raw.title or "",
        raw.text,
    ):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored: the raw record, its cleaned view and when it was ingested."""

    raw: RawArticle
    clean: CleanArticle
    ingested_at: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result."""

    id: str
    title: str | None
    source: str
    published: str | None
    snippet: str
    rank: float
    marks: tuple[Mark, ...] = ()  # the matched words: (start, end) offsets into `snippet`


@dataclass(frozen=True, slots=True)
class StoredCounts:
    """The story clusterer's document frequencies as kept: `documents` articles counted,
    `basis` what the tracker needs to tell whether they still apply."""

    basis: str
    documents: int
    terms: list[str]
    dfs: list[int]


@dataclass(frozen=True, slots=True)
class StoredAssignment:
    """Where an article was clustered: its story, its event in that story, its copy group."""

    article_id: str
    story: str
    event: str
    copy: str
    copy_of: str | None = None
    copy_score: float | None = None
    story_score: float | None = None
    published: str | None = None
    placed_story: str | None = None  # the names the story and event had when the article
    placed_event: str | None = None  # was placed (merges rename `story` and `event` only)


@dataclass(frozen=True, slots=True)
class StorySummary:
    """One story as listed: size, outlets, date range and a headline."""

    story: str
    articles: int
    events: int
    outlets: tuple[str, ...]
    first: str | None
    last: str | None
    headline: str | None


@dataclass(frozen=True, slots=True)
class ArticleBrief:
    """An article as shown in a story listing, with its clustering."""

    id: str
    source: str
    published: str | None
    title: str | None
    assignment: StoredAssignment


@dataclass(frozen=True, slots=True)
class StoredEntity:
    """One entity linked across the stored articles, with every spelling it was written in."""

    id: str
    type: str
    name: str
    variants: tuple[str, ...]
    roles: tuple[str, ...]
    mentions: int
    articles: int


_INSERT_EXTRACTION = "INSERT INTO extractions (article_rowid, data) VALUES (?, ?)"
_INSERT_PENDING = "INSERT OR IGNORE INTO link_pending (article_rowid) VALUES (?)"


_ENTITY_STORY_IDS = (
    "SELECT DISTINCT s2.story FROM entity_mentions m "
    "JOIN assignments s2 ON s2.article_rowid = m.article_rowid WHERE m.entity = ?"
)


def _origin_file(origin: str | None) -> str:
    """The file (or URL) part of a stored origin, without its archive member and record."""
    return _RECORD.sub("", origin or "").split("!", 1)[0]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_ARTICLE_COLUMNS = (
    "content_hash, source, outlet, url, published, language, language_detected, title, "
    "raw_text, origin, metadata, warnings, ingested_at, id"
)
_INSERT_ARTICLE_ROWID = (
    f"INSERT INTO articles ({_ARTICLE_COLUMNS}, rowid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_INSERT_CLEAN = (
    "INSERT INTO cleaned (article_rowid, title, title_source, body, blocks, removed, edits, "
    "norm_title, norm_body) VALUES (?,?,?,?,?,?,?,?,?)"
)
# where articles were placed, on their way into `assignments` (see `save_assignments`)
_PLACING_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS placing (article_id TEXT NOT NULL, story TEXT NOT NULL, "
    "event TEXT NOT NULL, copy TEXT NOT NULL, copy_of TEXT, copy_score REAL, story_score REAL, "
    "placed_story TEXT, placed_event TEXT)"
)
_INSERT_SKETCH = "INSERT INTO signatures (article_rowid, sketch) VALUES (?, ?)"
# publication time as a UTC Julian day, for ordering: stored dates keep their time zone
# ("09:00+03:00" is before "08:00+00:00", though its text sorts after); a date alone is
# midnight, no zone UTC (as the clusterer reads them)
_INSTANT = "julianday(published)"
_RECORD = re.compile(r" \(\w+ \d+\)$")  # the " (line 12)" that `str(Origin)` ends with
_A_INSTANT = "julianday(a.published)"
_INSERT_TERMS = "INSERT INTO story_terms (article_rowid, terms) VALUES (?, ?)"
# whether a name is taken at a level (see `SqliteStore.cluster_in_use`): one parameter for a
# copy group's, two for a story's or an event's (the second for the name a merge renamed)
_IN_USE = {
    "copy": "EXISTS (SELECT 1 FROM assignments WHERE copy = ?)",
    **{
        level: f"(EXISTS (SELECT 1 FROM assignments WHERE {level} = ?) OR EXISTS (SELECT 1 "
        f"FROM assignments WHERE placed_{level} = ? AND placed_{level} IS NOT {level}))"
        for level in ("story", "event")
    },
}


def _dumps(value: list[Any]) -> str:
    """JSON of a list of strings and numbers the store itself made (orjson: several times
    faster than the standard library's, for columns written with every article); a lone
    surrogate, which orjson refuses, is written as the standard library writes it."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False)


def _article_values(raw: RawArticle, now: str) -> tuple[Any, ...]:
    """The `articles` row of a raw article, in `_ARTICLE_COLUMNS` order (content hash first)."""
    return (
        content_hash(raw), raw.source, raw.outlet, raw.url, raw.published, raw.language,
        int(raw.language_detected), raw.title, raw.text, str(raw.origin),
        json.dumps(raw.metadata, ensure_ascii=False, default=str),
        _dumps(list(raw.warnings)), now, raw.id,
    )  # fmt: skip


def _count_blobs(counts: StoredCounts) -> tuple[bytes, bytes]:
    """Kept counts as two blobs: UTF-8 terms one per line, little-endian int64 counts (the
    file reads the same on any machine)."""
    joined = "\n".join(counts.terms)  # a line break inside a term adds one: told in C
    if len(counts.terms) != len(counts.dfs) or joined.count("\n") > max(len(counts.terms) - 1, 0):
        raise ValueError("one count per term, and terms without line breaks")
    dfs = array.array("q", counts.dfs)
    if sys.byteorder == "big":
        dfs.byteswap()
    return joined.encode(), dfs.tobytes()


def _clean_values(rowid: int, clean: CleanArticle) -> tuple[Any, ...]:
    """The `cleaned` row of a cleaned view, in `_INSERT_CLEAN` order."""
    return (
        rowid,
        clean.title,
        clean.title_source,
        clean.text,
        _dumps([[b.kind, b.start, b.end] for b in clean.blocks]),
        _dumps([[r.text, r.reason, r.detail] for r in clean.removed]),
        _dumps([[e.rule, e.before, list(e.after)] for e in clean.edits]),
        clean.normalized_title,
        clean.normalized_text,
    )


class _Connection:
    """The store's SQLite connection, which may run statements on a helper thread while the
    caller works without the store (see `SqliteStore.index_in_background`): any other use
    of it waits for them first, and raises what they raised. So every statement still runs
    in the order the store issued it, inside the same transaction."""

    __slots__ = ("_db", "_error", "_thread", "path")

    def __init__(self, db: sqlite3.Connection, path: str) -> None:
        self._db = db
        self.path = path
        self._thread: threading.Thread | None = None
        self._error: Exception | None = None

    @property
    def row_factory(self) -> Any:
        return self._db.row_factory

    @row_factory.setter
    def row_factory(self, value: Any) -> None:
        self._db.row_factory = value

    def settle(self) -> None:
        """Wait for the statements on the helper thread; a StoreError if they failed (once:
        the caller's rollback then runs)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.join()
        error, self._error = self._error, None
        if error is not None:
            raise StoreError(
                f"{self.path}: indexing articles for search failed ({error}); the open batch "
                "is rolled back: run the ingest again"
            ) from error

    def in_background(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Run `statements` in order on a helper thread (SQLite lets go of the interpreter
        while it works), after those started before."""
        self.settle()
        self._thread = threading.Thread(
            target=self._run, args=(statements,), name="akhbar-store", daemon=False
        )
        self._thread.start()

    def _run(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        try:
            for sql, args in statements:
                self._db.execute(sql, args)
        except Exception as exc:  # noqa: BLE001 (raised in the caller's thread by `settle`)
            self._error = exc

    def execute(self, sql: str, args: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        """`sqlite3.Connection.execute`, once the helper thread is done."""
        if self._thread is not None:
            self.settle()
        return self._db.execute(sql, args)

    def executemany(self, sql: str, args: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        """`sqlite3.Connection.executemany`, once the helper thread is done."""
        if self._thread is not None:
            self.settle()
        return self._db.executemany(sql, args)

    def close(self) -> None:
        """Close, once the helper thread is done (its failure no longer matters: an open
        transaction is rolled back)."""
        with contextlib.suppress(StoreError):
            self.settle()
        self._db.close()


class SqliteStore:
    """Articles, cleaned views, skipped records and search in one SQLite file."""

    def __init__(
        self, path: str | Path, settings: StoreSettings | None = None, *, create: bool = True
    ) -> None:
        """Open (and migrate) the store at `path`; with `create` False a missing file is a
        StoreError, never a new empty store (a server's later connections: a store deleted
        while it runs must not come back empty and take writes no reader sees)."""
        self.path = Path(path)
        self.settings = settings or StoreSettings()
        memory = str(path) == ":memory:"
        try:
            if not create and not memory:
                if not self.path.is_file():
                    raise StoreError(
                        f"{path}: the store is gone (deleted or moved while in use); restore "
                        "it, or start again to make a new one"
                    )
                target, uri = self.path.resolve().as_uri() + "?mode=rw", True
            else:
                if not memory:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                target, uri = str(path), False
            db = sqlite3.connect(
                target,
                timeout=self.settings.busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,  # the helper thread of `index_in_background`
                uri=uri,
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the database: {exc}") from exc
        self._db = _Connection(db, str(path))
        self._db.row_factory = sqlite3.Row
        self._in_tx = False
        self._savepoints = 0
        self._unindexed: dict[int, None] = {}  # cleaned rows not yet in the search index
        self._orphaned: bool | None = None  # assignments of deleted articles seen (see
        # `unclustered_ids`); None: not looked for yet
        self._indexed_in_savepoint: list[int] = []  # rows indexed inside an open savepoint
        try:
            self._check_own()
            self._wal()
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA wal_autocheckpoint=10000")
            self._db.execute("PRAGMA cache_size=-65536")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except StoreError:
            self._db.close()
            raise
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise self._open_error(exc) from exc

    def _wal(self) -> None:
        """Switch to write-ahead logging (once per file; a no-op after). The switch needs the
        file to itself and SQLite does not wait for it as for other locks: a connection
        opening a new store while another migrates it got 'database is locked' at once, so
        it is tried again until the busy timeout."""
        deadline = time.monotonic() + self.settings.busy_timeout_ms / 1000
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    def _check_own(self) -> None:
        """Refuse a SQLite database made by something else: migrating it would write
        akhbar's tables into it (and switch it to WAL)."""
        if self.schema_version:
            return
        names = [r[0] for r in self._db.execute("SELECT name FROM sqlite_master LIMIT 6")]
        if names and not self.schema_version:  # (read again: another connection of akhbar
            # may have created the tables in between, the first migration being committed)
            listed = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            raise StoreError(
                f"{self.path}: a SQLite database that is not akhbar's (it holds {listed}); "
                "use another --db path"
            )

    def _open_error(self, exc: sqlite3.DatabaseError) -> StoreError:
        """Why the store could not be opened, in words that say what to do."""
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError):
            busy = self._busy(exc)
            if busy is not None:
                return busy
        if "readonly" in text or "unable to open" in text:
            return StoreError(
                f"{self.path}: cannot write beside the store ({text}): akhbar keeps SQLite's "
                "-wal and -shm files next to it, so the file and its folder must be "
                "writable; copy it somewhere writable"
            )
        return StoreError(
            f"{self.path}: not an akhbar database or damaged ({text}); use another --db path"
        )

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema v{version} is newer than this akhbar "
                f"(v{SCHEMA_VERSION}); upgrade akhbar"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                if self.schema_version > number:
                    continue  # another connection applied it while this one waited for the lock
                for statement in _split_sql(MIGRATIONS[number]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number + 1}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen together or not at all; a nested call is a savepoint, so
        its failure undoes its own writes only."""
        if self._in_tx:
            name = f"sp{self._savepoints + 1}"
            mark = len(self._indexed_in_savepoint)
            self._db.execute(f"SAVEPOINT {name}")  # (raises what the helper thread raised)
            self._savepoints += 1
            try:
                yield
            except BaseException as exc:
                self._undo(f"ROLLBACK TO {name}", f"RELEASE {name}")
                # rows indexed inside it were un-indexed by the rollback: index them again
                self._unindexed.update(dict.fromkeys(self._indexed_in_savepoint[mark:]))
                del self._indexed_in_savepoint[mark:]
                self._raise_readonly(exc)
                raise
            else:
                self._db.execute(f"RELEASE {name}")
            finally:
                self._savepoints -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self._raise_readonly(exc)
            busy = self._busy(exc)
            if busy is None:
                raise
            raise busy from exc
        self._in_tx = True
        try:
            yield
            self._index_pending()
        except BaseException as exc:
            self._undo("ROLLBACK")
            self._raise_readonly(exc)
            raise
        else:
            try:
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # a checkpoint held past the timeout
                self._db.execute("ROLLBACK")
                busy = self._busy(exc)
                if busy is None:
                    raise
                raise busy from exc
        finally:
            self._in_tx = False
            self._unindexed.clear()
            self._indexed_in_savepoint.clear()

    def _undo(self, *statements: str) -> None:
        """Run rollback statements, also when the helper thread failed: its error is raised
        after them (the caller's own error then being its context)."""
        try:
            self._db.settle()
        finally:
            for sql in statements:
                self._db.execute(sql)

    def _raise_readonly(self, exc: BaseException) -> None:
        """A write refused because the database file is read-only (opened, but not
        writable: its mode, a read-only mount) as a StoreError that says so: it fails every
        write, so an ingest must stop, not record each article as skipped."""
        if isinstance(exc, sqlite3.OperationalError) and (
            getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY")
            or "readonly" in str(exc)
        ):
            raise StoreError(
                f"{self.path}: the store cannot be written ({exc}): the file (and SQLite's "
                "-wal and -shm files beside it) must be writable; copy it somewhere writable"
            ) from exc

    def _busy(self, exc: sqlite3.OperationalError) -> StoreError | None:
        """A store another process keeps writing to (past the busy timeout) as a StoreError
        that says so; None for any other operational error."""
        if "locked" not in str(exc) and "busy" not in str(exc):
            return None
        waited = self.settings.busy_timeout_ms / 1000
        return StoreError(
            f"{self.path}: the store is busy: another process has been writing to it for "
            f"more than {waited:g} s ({exc}); try again when it is done, or raise "
            "store.busy_timeout_ms"
        )

    def _index_pending(self) -> None:
        """Add the cleaned rows written since the last call to the search index, in one
        statement (rows undone by a savepoint since are simply not found)."""
        for sql, part in self._indexing():
            self._db.execute(sql, part)

    def index_in_background(self) -> None:
        """Start indexing the rows written so far for search on a helper thread, for a caller
        about to work a while without the store (the clusterer): indexing, the costliest
        statement of an ingest, then runs beside that work instead of after it. The store's
        next use waits for it, so nothing else changes: the same statements, in the same
        transaction."""
        statements = self._indexing()
        if statements:
            self._db.in_background(statements)

    def _indexing(self) -> list[tuple[str, list[int]]]:
        """The statements that index the cleaned rows written since the last call, which
        then count as indexed."""
        if not self._unindexed:
            return []
        rowids = list(self._unindexed)
        self._unindexed.clear()
        if self._savepoints:
            self._indexed_in_savepoint.extend(rowids)
        return [
            (
                "INSERT INTO search (rowid, norm_title, norm_body) "
                "SELECT article_rowid, norm_title, norm_body FROM cleaned "
                f"WHERE article_rowid IN ({','.join('?' * len(part))})",
                part,
            )
            for part in (rowids[i : i + 500] for i in range(0, len(rowids), 500))
        ]

    # -- writes ----------------------------------------------------------------------------

    def has_same(self, raw: RawArticle) -> bool:
        """Whether exactly this article (same id, same content) is already stored."""
        return self.have_same([raw])[0]

    def have_same(self, raws: Sequence[RawArticle]) -> list[bool]:
        """`has_same` of each article, in one query (per 500 ids) for them all."""
        query = "SELECT id, content_hash FROM articles WHERE id IN ({})"
        stored = {r[0]: r[1] for r in self._select_in(query, {raw.id: None for raw in raws})}
        return [(h := stored.get(raw.id)) is not None and h == content_hash(raw) for raw in raws]

    def add(
        self,
        raw: RawArticle,
        clean: CleanArticle,
        sketch: bytes | None = None,
        terms: str | None = None,
        extraction: str | None = None,
    ) -> AddResult:
        """Store an article, its cleaned view, copy sketch, story terms and extraction (all
        optional, computed ahead by ingest workers); the same article again changes nothing."""
        values = _article_values(raw, _now())
        digest = values[0]
        with self.transaction():
            cur = self._db.execute(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
                values,
            )
            if cur.rowcount == 1:
                rowid = int(cur.lastrowid or 0)
                self._insert_clean(rowid, clean)
                self._insert_features(rowid, sketch, terms, extraction)
                return "new"
            row = self._db.execute(
                "SELECT rowid, content_hash, source, outlet, origin FROM articles WHERE id = ?",
                (raw.id,),
            ).fetchone()
            if row["content_hash"] == digest:
                return "duplicate"
            _same_owner(raw, row)
            rowid = int(row["rowid"])
            self._index_pending()  # the delete trigger below expects indexed rows
            self._db.execute(
                "UPDATE articles SET content_hash=?, source=?, outlet=?, url=?, published=?, "
                "language=?, language_detected=?, title=?, raw_text=?, origin=?, metadata=?, "
                "warnings=?, ingested_at=? WHERE id=?",
                values,
            )
            self._db.execute("DELETE FROM cleaned WHERE article_rowid = ?", (rowid,))
            self._db.execute("DELETE FROM assignments WHERE article_rowid = ?", (rowid,))
            self.mark_changed(raw.id)
            self._db.execute("DELETE FROM signatures WHERE article_rowid = ?", (rowid,))
            self._db.execute("DELETE FROM story_terms WHERE article_rowid = ?", (rowid,))
            self._drop_extraction(rowid)
            self._insert_clean(rowid, clean)
            self._insert_features(rowid, sketch, terms, extraction)
            return "updated"

    def _insert_features(
        self, rowid: int, sketch: bytes | None, terms: str | None, extraction: str | None = None
    ) -> None:
        if sketch is not None:
            self._db.execute(_INSERT_SKETCH, (rowid, sketch))
        if terms is not None:
            self._db.execute(_INSERT_TERMS, (rowid, terms))
        if extraction is not None:
            self._db.execute(_INSERT_EXTRACTION, (rowid, extraction))
            self._db.execute(_INSERT_PENDING, (rowid,))

    def _drop_extraction(self, rowid: int) -> None:
        """Forget what was extracted from an article whose text changed."""
        self._db.execute("DELETE FROM extractions WHERE article_rowid = ?", (rowid,))
        dropped = self._db.execute(
            "DELETE FROM entity_mentions WHERE article_rowid = ?", (rowid,)
        ).rowcount
        if dropped:  # linked mentions gone: entity counts are off until the next full link
            self._set_state("entities_stale", "1")

    def replace_clean(self, article_id: str, clean: CleanArticle) -> None:
        """Store a new cleaned view of an existing article (after boilerplate was learnt);
        what was derived from the old view (sketch, story terms) is dropped with it."""
        with self.transaction():
            rowid = self._rowid(article_id)
            self._index_pending()  # the delete trigger expects indexed rows
            self._db.execute("DELETE FROM cleaned WHERE article_rowid = ?", (rowid,))
            self._db.execute("DELETE FROM signatures WHERE article_rowid = ?", (rowid,))
            self._db.execute("DELETE FROM story_terms WHERE article_rowid = ?", (rowid,))
            self._drop_extraction(rowid)
            self._insert_clean(rowid, clean)

    def add_new(
        self,
        items: Sequence[tuple[RawArticle, CleanArticle, bytes | None, str | None]],
        extractions: Sequence[str | None] | None = None,
    ) -> None:
        """Store articles whose ids are not stored yet (as `add` would), with one statement
        per table for all of them: all are stored, or none when one of them fails."""
        if not items:
            return
        now = _now()
        with self.transaction():
            (last,) = self._db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()
            rowids = range(int(last) + 1, int(last) + 1 + len(items))
            rows = list(zip(rowids, items, strict=True))
            db = self._db
            db.executemany(
                _INSERT_ARTICLE_ROWID, [(*_article_values(a[0], now), n) for n, a in rows]
            )
            db.executemany(_INSERT_CLEAN, [_clean_values(n, a[1]) for n, a in rows])
            db.executemany(_INSERT_SKETCH, [(n, a[2]) for n, a in rows if a[2] is not None])
            db.executemany(_INSERT_TERMS, [(n, a[3]) for n, a in rows if a[3] is not None])
            if extractions is not None:
                found = [(n, x) for n, x in zip(rowids, extractions, strict=True) if x is not None]
                db.executemany(_INSERT_EXTRACTION, found)
                db.executemany(_INSERT_PENDING, [(n,) for n, _ in found])
            self._unindexed.update(dict.fromkeys(rowids))

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored."""
        return {
            r[0] for r in self._select_in("SELECT id FROM articles WHERE id IN ({})", article_ids)
        }

    def _select_in(self, query: str, values: Iterable[str]) -> Iterator[sqlite3.Row]:
        """Rows of `query` whose `{}` is filled with `?` marks for the values, 500 at a time
        (SQLite bounds the number of parameters of one statement)."""
        for part in _parts(values):
            yield from self._db.execute(query.format(",".join("?" * len(part))), part)

    def _insert_clean(self, rowid: int, clean: CleanArticle) -> None:
        self._db.execute(_INSERT_CLEAN, _clean_values(rowid, clean))
        self._unindexed[rowid] = None

    def record_skipped(self, skipped: Skipped) -> None:
        """Remember a record that could not be ingested, with its reason (once per reason)."""
        now = _now()
        # one statement: atomic on its own, no savepoint needed
        try:
            self._db.execute(
                "INSERT INTO skipped (origin, reason, first_seen, last_seen) VALUES (?,?,?,?) "
                "ON CONFLICT (origin, reason) DO UPDATE SET last_seen = excluded.last_seen",
                (_storable_text(str(skipped.origin)), _storable_text(skipped.reason), now, now),
            )
        except sqlite3.OperationalError as exc:
            self._raise_readonly(exc)
            raise

    def forget_skipped(self, origins: Iterable[str]) -> int:
        """Drop the skips of records read and stored since (a line fixed, then ingested
        again), so that `skipped` lists what is still missing; how many were dropped."""
        if self._db.execute("SELECT 1 FROM skipped LIMIT 1").fetchone() is None:
            return 0  # the usual case: nothing was ever skipped
        gone = 0
        for part in _parts(map(_storable_text, origins)):
            query = f"DELETE FROM skipped WHERE origin IN ({','.join('?' * len(part))})"
            gone += self._db.execute(query, part).rowcount
        return gone

    def count_lines(self, source: str, counts: Mapping[int, int], articles: int = 1) -> None:
        """Add `articles` articles of `source`, and for each line hash the articles holding it."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO outlet_counts (source, articles) VALUES (?, ?) "
                "ON CONFLICT (source) DO UPDATE SET articles = articles + excluded.articles",
                (source, articles),
            )
            self._db.executemany(
                "INSERT INTO outlet_lines (source, line_hash, articles) VALUES (?, ?, ?) "
                "ON CONFLICT (source, line_hash) DO UPDATE "
                "SET articles = articles + excluded.articles",
                [(source, h, n) for h, n in counts.items()],
            )

    def save_sketch(self, article_id: str, sketch: bytes) -> None:
        """Keep an article's copy-detection sketch, so it is matched without recomputing."""
        cur = self._db.execute(
            "INSERT OR REPLACE INTO signatures (article_rowid, sketch) "
            "SELECT rowid, ? FROM articles WHERE id = ?",
            (sketch, article_id),
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"no article with id {article_id!r} in {self.path}")

    def rename_cluster(self, level: Literal["story", "event", "copy"], old: str, new: str) -> None:
        """Merge cluster `old` into `new` at one level (an article showed they are one)."""
        if level not in ("story", "event", "copy"):
            raise ValueError(f"unknown cluster level {level!r}")
        self._db.execute(f"UPDATE assignments SET {level} = ? WHERE {level} = ?", (new, old))

    def save_assignment(self, a: StoredAssignment) -> None:
        """Record (or replace) where an article was clustered."""
        self.save_assignments([a])

    def save_assignments(self, placed: Sequence[StoredAssignment]) -> None:
        """Record (or replace) where articles were clustered, in order (the last of an id
        wins). An update, not a replace, so the triggers see the story an article leaves.

        One statement writes them all: each statement inside a transaction journals the
        pages it changes, and the triggers on assignments change many, so one statement per
        article cost about 0.1 ms each in a stream; the rows pass through a temporary table.
        """
        if not placed:
            return
        with self.transaction():
            db = self._db
            db.execute(_PLACING_TABLE)
            db.executemany(
                "INSERT INTO temp.placing (article_id, story, event, copy, copy_of, copy_score, "
                "story_score, placed_story, placed_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.article_id, a.story, a.event, a.copy, a.copy_of, a.copy_score,
                  a.story_score, a.placed_story, a.placed_event) for a in placed],
            )  # fmt: skip
            missing = db.execute(
                "SELECT p.article_id FROM temp.placing p "
                "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = p.article_id) LIMIT 1"
            ).fetchone()
            if missing is not None:  # (the transaction's rollback empties the table)
                raise NotFoundError(f"no article with id {missing[0]!r} in {self.path}")
            # each placement numbered after every earlier one (see `assignments`)
            first = self._count_state("placed_order") + 1
            db.execute(
                "INSERT INTO assignments (article_rowid, story, event, copy, copy_of, "
                "copy_score, story_score, placed_story, placed_event, placed_order) "
                "SELECT a.rowid, p.story, p.event, p.copy, p.copy_of, p.copy_score, "
                "p.story_score, p.placed_story, p.placed_event, "
                "?1 + p.rowid - (SELECT min(rowid) FROM temp.placing) "
                "FROM temp.placing p CROSS JOIN articles a ON a.id = p.article_id "
                "ORDER BY p.rowid "
                "ON CONFLICT (article_rowid) DO UPDATE SET story = excluded.story, "
                "event = excluded.event, copy = excluded.copy, copy_of = excluded.copy_of, "
                "copy_score = excluded.copy_score, story_score = excluded.story_score, "
                "placed_story = excluded.placed_story, placed_event = excluded.placed_event, "
                "placed_order = excluded.placed_order",
                (first,),
            )
            self._set_state("placed_order", str(first + len(placed) - 1))
            db.execute("DELETE FROM temp.placing")

    # -- reads -----------------------------------------------------------------------------

    def line_counts(self, source: str) -> tuple[int, dict[int, int]]:
        """How many articles of `source` were counted, and per line hash in how many."""
        row = self._db.execute(
            "SELECT articles FROM outlet_counts WHERE source = ?", (source,)
        ).fetchone()
        total = int(row[0]) if row else 0
        counts = {
            int(r[0]): int(r[1])
            for r in self._db.execute(
                "SELECT line_hash, articles FROM outlet_lines WHERE source = ? AND articles > 1",
                (source,),
            )
        }
        return total, counts

    def unfinished_sources(self) -> set[str]:
        """The sources whose line counts a run committed, batch by batch, without reaching
        its end (interrupted): their articles of that run may be cleaned with other
        boilerplate than their counts now make (see `Ingestor._reclean_stored`)."""
        row = self._db.execute(
            "SELECT value FROM state WHERE key = 'boilerplate_unfinished'"
        ).fetchone()
        return set(json.loads(row[0])) if row else set()

    def set_unfinished_sources(self, sources: Iterable[str]) -> None:
        """Keep the sources of `unfinished_sources` (none: forget them)."""
        names = sorted(set(sources))
        with self.transaction():
            if names:
                self._set_state("boilerplate_unfinished", json.dumps(names, ensure_ascii=False))
            else:
                self._db.execute("DELETE FROM state WHERE key = 'boilerplate_unfinished'")

    def source_texts(self, source: str, page: int = 512) -> Iterator[tuple[str, str]]:
        """The id and raw text of each article of `source`, in the order they were stored,
        read a page at a time (an outlet's texts are never all held at once, and the caller
        may write between pages)."""
        after = 0
        while True:
            rows = self._db.execute(
                "SELECT rowid, id, raw_text FROM articles WHERE source = ? AND rowid > ? "
                "ORDER BY rowid LIMIT ?",
                (source, after, page),
            ).fetchall()
            for r in rows:
                yield str(r[1]), str(r[2])
            if len(rows) < page:
                return
            after = int(rows[-1][0])

    def _rowid(self, article_id: str) -> int:
        row = self._db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id!r} in {self.path}")
        return int(row[0])

    def __contains__(self, article_id: object) -> bool:
        return (
            isinstance(article_id, str)
            and self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            is not None
        )

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def get(self, article_id: str) -> StoredArticle:
        """The stored article with this id; NotFoundError names the id when there is none."""
        row = self._db.execute(
            "SELECT a.*, c.title AS c_title, c.title_source, c.body, c.blocks, c.removed, "
            "c.edits, c.norm_title, c.norm_body FROM articles a "
            "JOIN cleaned c ON c.article_rowid = a.rowid WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id!r} in {self.path}")
        return _stored_from_row(row)

    def ids(self) -> list[str]:
        """Every article id, oldest publication first."""
        return [
            r[0]
            for r in self._db.execute(
                f"SELECT id FROM articles ORDER BY {_INSTANT} IS NULL, {_INSTANT}, rowid"
            )
        ]

    def articles(self, source: str | None = None) -> Iterator[StoredArticle]:
        """Stored articles (of one source when given), in ingest order."""
        sql = (
            "SELECT a.*, c.title AS c_title, c.title_source, c.body, c.blocks, c.removed, "
            "c.edits, c.norm_title, c.norm_body FROM articles a "
            "JOIN cleaned c ON c.article_rowid = a.rowid"
        )
        params: tuple[Any, ...] = ()
        if source is not None:
            sql += " WHERE a.source = ?"
            params = (source,)
        for row in self._db.execute(sql + " ORDER BY a.rowid", params):
            yield _stored_from_row(row)

    def sketches(self, article_ids: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """Stored sketches of these articles as (article id, bytes)."""
        for article_id, sketch in self._feature("signatures", "sketch", article_ids):
            if not isinstance(sketch, bytes):
                raise StoreError(f"{self.path}: sketch of {article_id!r} is not a BLOB")
            yield article_id, sketch

    def story_terms(self, article_ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        """Stored story terms (JSON) of these articles as (article id, text)."""
        for article_id, terms in self._feature("story_terms", "terms", article_ids):
            yield article_id, str(terms)

    def _feature(
        self, table: Literal["signatures", "story_terms"], column: str, article_ids: Iterable[str]
    ) -> Iterator[tuple[str, object]]:
        """One per-article feature column for many articles, queried 500 ids at a time."""
        for row in self._select_in(
            f"SELECT a.id, f.{column} FROM {table} f "
            "JOIN articles a ON a.rowid = f.article_rowid WHERE a.id IN ({})",
            article_ids,
        ):
            yield row[0], row[1]

    def cluster_in_use(self, level: Literal["story", "event", "copy"], cluster: str) -> bool:
        """Whether any article is assigned to this story, event or copy group, or was placed
        in a story or event of this name that a merge renamed since (a restarted tracker
        groups replayed articles by that name: a new story of it would join them)."""
        return bool(self.clusters_in_use([(level, cluster)])[0])

    def clusters_in_use(
        self, clusters: Sequence[tuple[Literal["story", "event", "copy"], str]]
    ) -> list[bool]:
        """`cluster_in_use` for each (level, cluster), in one statement (one per article
        placed, so the tracker asks once for its new story, event and copy group)."""
        if not clusters:
            return []
        for level, _ in clusters:
            if level not in ("story", "event", "copy"):
                raise ValueError(f"unknown cluster level {level!r}")
        sql = "SELECT " + ", ".join(_IN_USE[level] for level, _ in clusters)
        args = [name for level, name in clusters for _ in range(1 if level == "copy" else 2)]
        row = self._db.execute(sql, args).fetchone()
        return [bool(v) for v in row]

    def clusters_used(
        self, level: Literal["story", "event", "copy"], names: Iterable[str]
    ) -> set[str]:
        """Which of these names some article is assigned to at `level` (a batch of articles'
        candidate names at once: one query where `clusters_in_use` asks once per article)."""
        if level not in ("story", "event", "copy"):
            raise ValueError(f"unknown cluster level {level!r}")
        names = list(names)
        query = f"SELECT DISTINCT {level} FROM assignments WHERE {level} IN ({{}})"
        used = {str(r[0]) for r in self._select_in(query, names)}
        if level != "copy":  # and the names merges renamed (see `cluster_in_use`)
            query = (
                f"SELECT DISTINCT placed_{level} FROM assignments "
                f"WHERE placed_{level} IN ({{}}) AND placed_{level} IS NOT {level}"
            )
            used.update(str(r[0]) for r in self._select_in(query, names))
        return used

    def unclustered_ids(self, latest: float | None = None) -> list[str]:
        """Articles with no assignment yet: undated ones first, then oldest publication first.

        An undated article opens (or joins) a story with no clock, which stays open for the
        dated articles that follow; placed last, it would meet only the newest stories. An
        article published after `latest` (seconds since the epoch: a date no real article
        has, which the clusterer takes for none) comes with the undated ones.
        Articles of the same time come file by file (by name), each file in its own order:
        files read in parallel are stored as they finish, and which article of a tie comes
        first decides which is the copy of which.
        """
        if self._orphaned is None:  # once per connection (see below)
            self._orphaned = (
                self._db.execute(
                    "SELECT 1 FROM assignments s WHERE NOT EXISTS "
                    "(SELECT 1 FROM articles a WHERE a.rowid = s.article_rowid) LIMIT 1"
                ).fetchone()
                is not None
            )
        if not self._orphaned:
            # every assignment names a stored article: as many of them as articles means
            # none is left, told by counting pages (in one statement: one snapshot), not by
            # joining every row. Not when a tool that leaves foreign keys off (the sqlite3
            # shell) deleted articles and left their assignments: the join, as it always was
            articles, assigned = self._db.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM assignments)"
            ).fetchone()
            if assigned == articles:
                return []
        rows = self._db.execute(
            f"SELECT a.id, {_A_INSTANT} AS t, a.origin FROM articles a "
            "LEFT JOIN assignments s ON s.article_rowid = a.rowid "
            "WHERE s.article_rowid IS NULL "
            "ORDER BY t IS NOT NULL, t, a.rowid"
        ).fetchall()
        if latest is not None:  # instants here are Julian days
            cut = latest / 86400.0 + 2440587.5
            rows = [(i, None if t is not None and t > cut else t, o) for i, t, o in rows]
        rows.sort(key=lambda r: (r[1] is not None, r[1] or 0.0, _origin_file(r[2])))
        return [r[0] for r in rows]

    def assignments(self) -> list[StoredAssignment]:
        """Every article's assignment, in publication order; articles of one instant in the
        order they were placed (an ingest clusters them file by file, by file name, which
        is not always the order they were stored in)."""
        return [
            _assignment(r)
            for r in self._db.execute(
                "SELECT a.id, a.published, s.* FROM assignments s "
                "JOIN articles a ON a.rowid = s.article_rowid "
                f"ORDER BY {_A_INSTANT} IS NULL, {_A_INSTANT}, s.placed_order, a.rowid"
            )
        ]

    def placed_ids(self) -> list[str]:
        """Every placed article's id in the order it was placed (those placed before the
        order was kept first, in publication order): the order the copy detector met them."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT a.id FROM assignments s JOIN articles a ON a.rowid = s.article_rowid "
                f"ORDER BY coalesce(s.placed_order, 0), {_A_INSTANT} IS NULL, {_A_INSTANT}, "
                "a.rowid"
            )
        ]

    def changed_originals(self) -> set[str]:
        """Articles stored again with new text since they were last placed (see
        `drop_copy_links`)."""
        # CROSS JOIN keeps the (nearly always empty) pending table outside: left to itself,
        # the planner scanned every article, once per batch placed
        rows = self._db.execute(
            "SELECT a.id FROM copy_pending p CROSS JOIN articles a ON a.rowid = p.article_rowid"
        )
        return {r[0] for r in rows}

    def mark_changed(self, article_id: str) -> None:
        """Remember that `article_id`'s text changed: copies of its old text may no longer
        copy it (`changed_originals`, until `drop_copy_links` is done for it)."""
        self._db.execute(
            "INSERT OR IGNORE INTO copy_pending (article_rowid) "
            "SELECT rowid FROM articles WHERE id = ?",
            (article_id,),
        )

    def drop_copy_links(self, original: str, copy_group: str, copies: str | None = None) -> None:
        """`original`, stored again with new text, was placed in `copy_group` (as a copy of
        `copies`, if it is one now): articles outside that group, published before it now, or
        the one it copies, stop naming it as what they copy (an article stored again undated
        copied its own copy, which still named it: a loop)."""
        self._db.execute(
            "UPDATE assignments SET copy_of = NULL, copy_score = NULL "
            "WHERE copy_of = ?1 AND (copy != ?2 OR article_rowid IN ("
            f"SELECT a.rowid FROM articles a, articles o WHERE o.id = ?1 AND {_A_INSTANT} < "
            "julianday(o.published)) OR article_rowid = (SELECT rowid FROM articles "
            "WHERE id = ?3))",
            (original, copy_group, copies),
        )
        self._db.execute(
            "DELETE FROM copy_pending WHERE article_rowid = "
            "(SELECT rowid FROM articles WHERE id = ?)",
            (original,),
        )

    def clear_clusters(self) -> None:
        """Forget every copy group, story and event, and the term counts kept with them, so
        that the articles are clustered again from scratch; the articles, their sketches and
        story terms stay. Digests are kept as rows: deleting the assignments raised every
        version and dropped every body, and versions only ever rise. Trackers on other
        connections see the new `clusters_generation` and start again from the store."""
        tables = (
            "assignments",
            "copy_pending",
            "story_counts",
            "story_count_changes",
            "story_last",
        )
        for table in tables:
            self._db.execute(f"DELETE FROM {table}")
        self._db.execute("DELETE FROM state WHERE key = 'story_counts_stale'")
        self._next_counts_version()
        self._bump_state("clusters_generation")

    def clusters_generation(self) -> int:
        """How many times the clusters were rebuilt from scratch."""
        return self._count_state("clusters_generation")

    def placements_version(self) -> int:
        """A count that rises with every batch of placements a tracker writes: a tracker that
        finds it moved since its own last write knows another connection (a CLI ingest while
        `akhbar serve` runs) placed articles it has not seen."""
        return self._count_state("placements_version")

    def next_placements_version(self) -> int:
        """Raise `placements_version` (inside the transaction that writes the placements)."""
        return self._bump_state("placements_version")

    def check_copy_basis(self, basis: str) -> None:
        """Stored copy sketches are only comparable with sketches made the same way: the
        first tracker writing to a store records how (`basis`), and a later one made
        otherwise is refused before it writes anything."""
        row = self._db.execute("SELECT value FROM state WHERE key = 'copy_basis'").fetchone()
        if row is None:
            with self.transaction():
                self._set_state("copy_basis", basis)
            return
        if row[0] != basis:
            raise ConfigError(
                f"{self.path}: its copy sketches were made with [copies] {row[0]}, these "
                f"settings make them with {basis}: they would never match; use the same "
                "[copies] settings, or another database"
            )

    def mark_story_counts_stale(self) -> None:
        """Articles are being placed: the kept counts miss them until kept again (a run that
        stops first leaves this mark, and the counts are then not used)."""
        self._set_state("story_counts_stale", "1")

    def save_story_counts(self, counts: StoredCounts) -> int:
        """Keep the story clusterer's document frequencies (one row, replaced each time: a
        blob of terms and one of counts, written in one statement); changes kept since the
        last ones are dropped, as these hold them. Returns the counts' new version."""
        self._db.execute(
            "INSERT OR REPLACE INTO story_counts (id, basis, documents, terms, dfs) "
            "VALUES (1, ?, ?, ?, ?)",
            (counts.basis, counts.documents, *_count_blobs(counts)),
        )
        self._db.execute("DELETE FROM story_count_changes")
        self._db.execute("DELETE FROM state WHERE key = 'story_counts_stale'")
        return self._next_counts_version()

    def add_story_count_change(self, change: StoredCounts) -> int:
        """Keep what changed in the document frequencies since they (or their last change)
        were kept: the terms whose counts moved, by how much, and the documents counted
        since. A few articles' worth, where keeping every count again would write the whole
        vocabulary for each small ingest; `story_counts` adds them up. Only for counts of
        the version kept last (see `story_counts_version`); returns the new version."""
        self._db.execute("DELETE FROM state WHERE key = 'story_counts_stale'")
        if not (change.terms or change.documents):  # nothing changed: the kept ones hold
            return self.story_counts_version()
        self._db.execute(
            "INSERT INTO story_count_changes (basis, documents, terms, dfs) VALUES (?, ?, ?, ?)",
            (change.basis, change.documents, *_count_blobs(change)),
        )
        return self._next_counts_version()

    def story_counts_version(self) -> int:
        """Raised by every write of the kept counts (and by `clear_clusters`): a tracker
        adds its changes only to the counts it kept or read itself, not to ones another
        tracker replaced them with since."""
        return self._count_state("story_counts_version")

    def _next_counts_version(self) -> int:
        return self._bump_state("story_counts_version")

    def story_count_changes(self) -> int:
        """How many changes are kept on top of the kept counts."""
        return int(self._db.execute("SELECT count(*) FROM story_count_changes").fetchone()[0])

    def story_counts(self) -> StoredCounts | None:
        """The kept document frequencies (None: never kept, or articles placed since)."""
        stale = self._db.execute("SELECT 1 FROM state WHERE key = 'story_counts_stale'")
        if stale.fetchone() is not None:
            return None
        row = self._db.execute(
            "SELECT basis, documents, terms, dfs FROM story_counts WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        basis, documents = str(row["basis"]), int(row["documents"])
        terms, dfs = self._count_lists(row, "story_counts row")
        changes = self._db.execute(
            "SELECT basis, documents, terms, dfs FROM story_count_changes ORDER BY seq"
        ).fetchall()
        if changes:
            at = {t: i for i, t in enumerate(terms)}
            for change in changes:
                if change["basis"] != basis:  # never written so: counted otherwise, not used
                    return None
                documents += int(change["documents"])
                changed, moves = self._count_lists(change, "story_count_changes row")
                for term, moved in zip(changed, moves, strict=True):
                    i = at.get(term)
                    if i is None:  # a term first counted since: it takes the next place
                        at[term] = len(terms)
                        terms.append(term)
                        dfs.append(moved)
                    else:
                        dfs[i] += moved
        return StoredCounts(basis, documents, terms, dfs)

    def _count_lists(self, row: sqlite3.Row, what: str) -> tuple[list[str], list[int]]:
        """The terms and counts of a kept `story_counts` or `story_count_changes` row."""
        terms = row["terms"].decode().split("\n") if row["terms"] else []
        dfs = array.array("q")
        dfs.frombytes(row["dfs"])
        if sys.byteorder == "big":
            dfs.byteswap()
        if len(dfs) != len(terms):
            raise StoreError(
                f"{self.path}: kept story counts are damaged ({len(terms)} terms, "
                f"{len(dfs)} counts in a {what}); delete the story_counts and "
                "story_count_changes rows to count anew"
            )
        return terms, dfs.tolist()

    def assignments_of(self, article_ids: Iterable[str]) -> dict[str, StoredAssignment]:
        """The assignments of these articles (those clustered), by article id."""
        return {
            r["id"]: _assignment(r)
            for r in self._select_in(
                "SELECT a.id, a.published, s.* FROM assignments s "
                "JOIN articles a ON a.rowid = s.article_rowid WHERE a.id IN ({})",
                article_ids,
            )
        }

    def stories(self, limit: int = 50, offset: int = 0) -> list[StorySummary]:
        """Stories, newest activity first, with their outlets, size and date range."""
        return self._page("", (), limit, offset)

    def entity_stories(
        self, entity_id: str, limit: int = -1, offset: int = 0
    ) -> list[StorySummary]:
        """The stories with an article mentioning an entity, newest activity first (`limit`
        of them from `offset`; -1: all)."""
        return self._page(f"WHERE story IN ({_ENTITY_STORY_IDS})", (entity_id,), limit, offset)

    def entity_story_page(
        self, entity_id: str, limit: int, offset: int = 0
    ) -> tuple[list[StorySummary], int]:
        """`entity_stories` and how many there are in all (the stories found once)."""
        ids = self._ordered(f"WHERE story IN ({_ENTITY_STORY_IDS})", (entity_id,), -1, 0)
        return self._summarised(ids[offset : offset + limit]), len(ids)

    def _page(
        self, where: str, args: tuple[Any, ...], limit: int, offset: int
    ) -> list[StorySummary]:
        """A page of stories in list order, summarised."""
        return self._summarised(self._ordered(where, args, limit, offset))

    def _ordered(self, where: str, args: tuple[Any, ...], limit: int, offset: int) -> list[str]:
        """Story ids in list order, read from `story_last` (which triggers keep)."""
        return [
            r[0]
            for r in self._db.execute(
                f"SELECT story FROM story_last {where} "
                "ORDER BY last IS NULL, last DESC, story LIMIT ? OFFSET ?",
                (*args, limit, offset),
            )
        ]

    def _summarised(self, ids: list[str]) -> list[StorySummary]:
        """These stories' summaries, in this order."""
        found: dict[str, StorySummary] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            where_ids = f"WHERE s.story IN ({','.join('?' * len(part))})"
            found.update((s.story, s) for s in self._summaries(where_ids, tuple(part), -1, 0))
        return [found[story] for story in ids]

    def _summaries(
        self, where: str, args: tuple[Any, ...], limit: int, offset: int
    ) -> list[StorySummary]:
        # first and last: the dates of the earliest and latest instants, as they were given
        rows = self._db.execute(
            "SELECT story, count(*) AS n, count(DISTINCT event) AS events, "
            "json_group_array(DISTINCT outlet) AS outlets, "
            "max(CASE WHEN nth_first = 1 THEN published END) AS first, "
            "max(CASE WHEN nth_last = 1 THEN published END) AS last, max(t) AS t FROM ("
            "SELECT s.story, s.event, coalesce(a.outlet, a.source) AS outlet, a.published, "
            f"{_A_INSTANT} AS t, row_number() OVER (PARTITION BY s.story "
            f"ORDER BY {_A_INSTANT} IS NULL, {_A_INSTANT}, a.rowid) AS nth_first, "
            "row_number() OVER (PARTITION BY s.story "
            f"ORDER BY {_A_INSTANT} IS NULL, {_A_INSTANT} DESC, a.rowid DESC) AS nth_last "
            f"FROM assignments s JOIN articles a ON a.rowid = s.article_rowid {where}) "
            "GROUP BY story ORDER BY t IS NULL, t DESC, story LIMIT ? OFFSET ?",
            (*args, limit, offset),
        ).fetchall()
        headlines = self._headlines([r["story"] for r in rows])
        return [
            StorySummary(
                story=r["story"],
                articles=r["n"],
                events=r["events"],
                outlets=tuple(sorted(json.loads(r["outlets"]))),  # names may hold commas
                first=r["first"],
                last=r["last"],
                headline=headlines.get(r["story"]),
            )
            for r in rows
        ]

    def _headlines(self, stories: list[str]) -> dict[str, str]:
        """Each story's first title (its earliest article's), 500 stories per query."""
        return {
            r[0]: r[1]
            for r in self._select_in(
                "SELECT story, title FROM (SELECT s.story, c.title, row_number() OVER ("
                f"PARTITION BY s.story ORDER BY {_A_INSTANT} IS NULL, {_A_INSTANT}, a.rowid"
                ") AS n FROM assignments s JOIN articles a ON a.rowid = s.article_rowid "
                "JOIN cleaned c ON c.article_rowid = a.rowid "
                "WHERE c.title IS NOT NULL AND s.story IN ({})) WHERE n = 1",
                stories,
            )
        }

    def story(self, story: str) -> list[ArticleBrief]:
        """The articles of one story, oldest first; NotFoundError when there is no such story."""
        rows = self._db.execute(
            "SELECT a.id, a.source, a.outlet, a.published, c.title, s.* FROM assignments s "
            "JOIN articles a ON a.rowid = s.article_rowid "
            "JOIN cleaned c ON c.article_rowid = a.rowid WHERE s.story = ? "
            f"ORDER BY {_A_INSTANT} IS NULL, {_A_INSTANT}, a.rowid",
            (story,),
        ).fetchall()
        if not rows:
            merged = self._db.execute(
                "SELECT DISTINCT story FROM assignments WHERE placed_story = ? ORDER BY story",
                (story,),
            ).fetchall()
            if merged:  # its articles are there under the name of the story it joined
                into = ", ".join(repr(r[0]) for r in merged)
                raise NotFoundError(
                    f"story {story!r} was merged into {into} in {self.path}: ask for that one"
                )
            raise NotFoundError(f"no story with id {story!r} in {self.path}")
        return [
            ArticleBrief(r["id"], r["outlet"] or r["source"], r["published"], r["title"],
                         _assignment(r))
            for r in rows
        ]  # fmt: skip

    def story_chars(self, story: str) -> int:
        """How many characters the cleaned bodies of a story's articles hold together (0 for
        no such story): what building its digest costs, more than its article count."""
        row = self._db.execute(
            "SELECT coalesce(sum(length(c.body)), 0) FROM assignments s "
            "JOIN cleaned c ON c.article_rowid = s.article_rowid WHERE s.story = ?",
            (story,),
        ).fetchone()
        return int(row[0])

    def copy_groups(self) -> list[list[ArticleBrief]]:
        """Groups of two or more articles that are copies of one text, largest first."""
        rows = self._db.execute(
            "SELECT a.id, a.source, a.outlet, a.published, c.title, s.* FROM assignments s "
            "JOIN articles a ON a.rowid = s.article_rowid "
            "JOIN cleaned c ON c.article_rowid = a.rowid "
            "WHERE s.copy IN (SELECT copy FROM assignments GROUP BY copy HAVING count(*) > 1) "
            f"ORDER BY s.copy, {_A_INSTANT} IS NULL, {_A_INSTANT}, a.rowid"
        ).fetchall()
        groups: dict[str, list[ArticleBrief]] = {}
        for r in rows:
            groups.setdefault(r["copy"], []).append(
                ArticleBrief(r["id"], r["outlet"] or r["source"], r["published"], r["title"],
                             _assignment(r))
            )  # fmt: skip
        return sorted(groups.values(), key=lambda g: (-len(g), g[0].assignment.copy))

    # -- built digests ---------------------------------------------------------------------

    def kept_digest(self, story: str, builder: str) -> tuple[int, bytes | None]:
        """A story's digest version and the body kept for it by `builder` (None when none is
        kept, or it was built by another builder): one indexed read.

        The version rises (and the body is dropped) with every change to what a digest reads:
        the story's members, their rows, cleaned views and extractions (schema triggers).
        """
        row = self._db.execute(
            "SELECT version, builder, body FROM digests WHERE story = ?", (story,)
        ).fetchone()
        if row is None:
            return 0, None
        body = row[2] if row[1] == builder and row[2] is not None else None
        return int(row[0]), bytes(body) if body is not None else None

    def save_digest(self, story: str, version: int, builder: str, body: bytes) -> bool:
        """Keep a story's digest built from the store as it was at `version` (read with
        `kept_digest` before building); kept only if the story has not changed since. A
        read-only store raises StoreError, saying so."""
        try:
            cur = self._db.execute(
                "INSERT INTO digests (story, version, builder, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (story) DO UPDATE SET builder = excluded.builder, "
                "body = excluded.body WHERE digests.version = excluded.version",
                (story, version, builder, body),
            )
        except sqlite3.OperationalError as exc:
            self._raise_readonly(exc)
            raise
        return cur.rowcount == 1

    def undigested_stories(self, builder: str) -> list[str]:
        """Stories with no digest kept by `builder` for their current articles, newest first."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT l.story FROM story_last l LEFT JOIN digests d ON d.story = l.story "
                "WHERE d.body IS NULL OR d.builder IS NOT ? "
                "ORDER BY l.last IS NULL, l.last DESC, l.story",
                (builder,),
            )
        ]

    def digest_count(self, builder: str) -> int:
        """How many stories have a digest kept that `builder` built for their current state."""
        row = self._db.execute(
            "SELECT count(*) FROM digests WHERE builder = ? AND body IS NOT NULL", (builder,)
        ).fetchone()
        return int(row[0])

    def digested(self, stories: Iterable[str]) -> list[str]:
        """Which of these stories had a digest built at some version (kept or since dropped)."""
        return [
            r[0]
            for r in self._select_in(
                "SELECT story FROM digests WHERE builder IS NOT NULL AND story IN ({})", stories
            )
        ]

    # -- extraction and entities ------------------------------------------------------------

    def _count_state(self, key: str) -> int:
        """A counter kept in the state table (0 before its first raise)."""
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return 0 if row is None else int(row[0])

    def _bump_state(self, key: str) -> int:
        """Raise a counter of the state table by one; its new value."""
        value = self._count_state(key) + 1
        self._set_state(key, str(value))
        return value

    def _set_state(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def entities_stale(self) -> bool:
        """Whether linked mentions were dropped (articles changed) since the last full link."""
        row = self._db.execute("SELECT value FROM state WHERE key = 'entities_stale'").fetchone()
        return row is not None and row[0] == "1"

    def extracted_count(self) -> int:
        """How many articles have an extraction stored."""
        return int(self._db.execute("SELECT count(*) FROM extractions").fetchone()[0])

    def link_pending_ids(self) -> list[str]:
        """Articles extracted since entities were last linked."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT a.id FROM link_pending p JOIN articles a ON a.rowid = p.article_rowid "
                "ORDER BY p.article_rowid"
            )
        ]

    def save_extraction(self, article_id: str, data: str) -> None:
        """Store (or replace) what was extracted from an article, as JSON (see extract.codec)."""
        with self.transaction():
            rowid = self._rowid(article_id)
            self._db.execute("DELETE FROM entity_mentions WHERE article_rowid = ?", (rowid,))
            self._db.execute(
                "INSERT INTO extractions (article_rowid, data) VALUES (?, ?) "
                "ON CONFLICT (article_rowid) DO UPDATE SET data = excluded.data",
                (rowid, data),
            )
            self._db.execute(_INSERT_PENDING, (rowid,))

    def unextracted_ids(self) -> list[str]:
        """Articles with nothing extracted yet (cleaned again, updated, or stored before)."""
        rows = self._db.execute(  # rowid and id only: scans the id index, not the articles
            "SELECT a.rowid, a.id FROM articles a "
            "WHERE NOT EXISTS (SELECT 1 FROM extractions x WHERE x.article_rowid = a.rowid)"
        ).fetchall()
        return [r[1] for r in sorted(rows, key=lambda r: int(r[0]))]

    def extraction(self, article_id: str) -> Extraction:
        """What was extracted from one article; NotFoundError says whether it is the article
        or its extraction that is missing."""
        rowid = self._rowid(article_id)
        row = self._db.execute(
            "SELECT data FROM extractions WHERE article_rowid = ?", (rowid,)
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"{article_id!r}: nothing extracted yet; run `akhbar ingest` (extraction enabled)"
            )
        return extraction_from_json(str(row[0]))

    def extractions(
        self, article_ids: Iterable[str] | None = None
    ) -> Iterator[tuple[str, str | None, Extraction]]:
        """(article id, story or None, extraction) of these articles (all when None)."""
        query = (
            "SELECT a.id, s.story, x.data FROM extractions x "
            "JOIN articles a ON a.rowid = x.article_rowid "
            "LEFT JOIN assignments s ON s.article_rowid = x.article_rowid"
        )
        if article_ids is None:
            for row in self._db.execute(query + " ORDER BY a.rowid"):
                yield row[0], row[1], extraction_from_json(str(row[2]))
            return
        for row in self._select_in(query + " WHERE a.id IN ({})", article_ids):
            yield row[0], row[1], extraction_from_json(str(row[2]))

    def replace_entities(
        self,
        entities: Iterable[StoredEntity],
        mentions: Iterable[tuple[str, int, int, str]],
    ) -> None:
        """Replace the linked entities and each mention's (article, start, end) entity."""
        with self.transaction():
            db = self._db
            db.execute("DELETE FROM entities")
            db.execute("DELETE FROM entity_mentions")
            db.executemany(
                "INSERT INTO entities (id, type, name, norm_name, variants, roles, mentions, "
                "articles) VALUES (?,?,?,?,?,?,?,?)",
                (
                    (
                        e.id,
                        e.type,
                        e.name,
                        normalize(e.name),
                        json.dumps(list(e.variants), ensure_ascii=False),
                        json.dumps(list(e.roles), ensure_ascii=False),
                        e.mentions,
                        e.articles,
                    )
                    for e in entities
                ),
            )
            rowids = dict(db.execute("SELECT id, rowid FROM articles").fetchall())
            db.executemany(
                "INSERT OR IGNORE INTO entity_mentions (article_rowid, start_pos, end_pos, entity) "
                "VALUES (?,?,?,?)",
                ((rowids[a], s, e, ent) for a, s, e, ent in mentions if a in rowids),
            )
            db.execute("DELETE FROM link_pending")
            self._set_state("entities_stale", "0")

    def add_entities(
        self,
        entities: Iterable[StoredEntity],
        mentions: Iterable[tuple[str, int, int, str]],
        linked: Iterable[str],
    ) -> None:
        """Link the pending articles `linked` incrementally: insert or update these entities
        and add their mentions, leaving the rest of the linking as it is."""
        with self.transaction():
            db = self._db
            db.executemany(
                "INSERT INTO entities (id, type, name, norm_name, variants, roles, mentions, "
                "articles) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET "
                "variants = excluded.variants, roles = excluded.roles, "
                "mentions = excluded.mentions, articles = excluded.articles",
                (
                    (
                        e.id, e.type, e.name, normalize(e.name),
                        json.dumps(list(e.variants), ensure_ascii=False),
                        json.dumps(list(e.roles), ensure_ascii=False),
                        e.mentions, e.articles,
                    )
                    for e in entities
                ),
            )  # fmt: skip
            ids = list(linked)
            rowids = dict(self._rowids(ids))
            db.executemany(
                "INSERT OR IGNORE INTO entity_mentions (article_rowid, start_pos, end_pos, entity) "
                "VALUES (?,?,?,?)",
                ((rowids[a], s, e, ent) for a, s, e, ent in mentions if a in rowids),
            )
            db.executemany(
                "DELETE FROM link_pending WHERE article_rowid = ?", ((r,) for r in rowids.values())
            )

    def _rowids(self, article_ids: list[str]) -> Iterator[tuple[str, int]]:
        for r in self._select_in("SELECT id, rowid FROM articles WHERE id IN ({})", article_ids):
            yield str(r[0]), int(r[1])

    def entities(
        self,
        kind: str | None = None,
        name: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredEntity]:
        """Linked entities, most mentioned first; `name` matches any spelling (normalised)."""
        where, args = [], []
        if kind is not None:
            where.append("type = ?")
            args.append(kind)
        rows = self._db.execute(
            "SELECT * FROM entities"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY mentions DESC, name, id",
            args,
        ).fetchall()
        found = [_entity_from_row(r) for r in rows]
        if name is not None:
            wanted = normalize(name)
            found = [e for e in found if any(wanted in normalize(v) for v in (e.name, *e.variants))]
        end = None if limit is None else offset + limit
        return found[offset:end]

    def entity(self, entity_id: str) -> StoredEntity:
        """One linked entity by id."""
        row = self._db.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"no entity {entity_id!r} in {self.path}; list them: akhbar entities"
            )
        return _entity_from_row(row)

    def entity_article_ids(self, entity_id: str) -> list[str]:
        """The articles that mention an entity, newest first."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT DISTINCT a.id, a.published FROM entity_mentions m "
                "JOIN articles a ON a.rowid = m.article_rowid WHERE m.entity = ? "
                f"ORDER BY {_A_INSTANT} DESC, a.id",
                (entity_id,),
            )
        ]

    def entity_speaker_article_ids(self, entity_id: str) -> list[str]:
        """The articles, newest first, where a mention linked to the entity lies inside the
        speaker phrase of a quote: the only ones that can hold a quote of its (see
        `akhbar.extract.entities.speaker_entity_of`), found by an indexed join."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT a.id FROM articles a WHERE a.rowid IN ("
                "SELECT m.article_rowid FROM entity_mentions m JOIN quote_speakers q "
                "ON q.article_rowid = m.article_rowid AND m.start_pos >= q.start_pos "
                "AND m.end_pos <= q.end_pos WHERE m.entity = ?) "
                f"ORDER BY {_A_INSTANT} DESC, a.id",
                (entity_id,),
            )
        ]

    def outlets(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Each article's outlet (its source where it names none), by id."""
        return {
            r[0]: r[1]
            for r in self._select_in(
                "SELECT id, coalesce(outlet, source) FROM articles WHERE id IN ({})", article_ids
            )
        }

    def mention_entities(self, article_id: str) -> dict[tuple[int, int], str]:
        """Each linked mention of an article, (start, end) -> entity id."""
        rowid = self._rowid(article_id)
        return {
            (int(r[0]), int(r[1])): str(r[2])
            for r in self._db.execute(
                "SELECT start_pos, end_pos, entity FROM entity_mentions WHERE article_rowid = ?",
                (rowid,),
            )
        }

    def skipped(self) -> list[tuple[str, str]]:
        """Every skipped record as (origin, reason)."""
        return [
            (r[0], r[1])
            for r in self._db.execute("SELECT origin, reason FROM skipped ORDER BY rowid")
        ]

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over the normalised text: `فى` finds `في`, `قدّمت` finds `قدمت`."""
        terms = _FTS_TOKEN.findall(normalize(query))
        if not terms:
            return []
        self._index_pending()  # inside an open transaction: its own new articles count too
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self._db.execute(
            "SELECT a.id, c.title, a.source, a.published, c.body, "
            "bm25(search, 3.0, 1.0) AS rank "
            "FROM search JOIN cleaned c ON c.article_rowid = search.rowid "
            "JOIN articles a ON a.rowid = search.rowid "
            "WHERE search MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()
        wanted = set(terms)
        hits: list[SearchHit] = []
        for r in rows:
            snippet, marks = _snippet(r["body"], wanted)
            hits.append(SearchHit(
                r["id"], r["title"], r["source"], r["published"], snippet, r["rank"], marks
            ))  # fmt: skip
        return hits


def _snippet(body: str, terms: set[str], width: int = 12) -> tuple[str, tuple[Mark, ...]]:
    """A window of the original text around the first matching word, and where the matches
    are in it (offsets: the text itself may hold any character, brackets included).

    Matching is on normalised words, display on the original spelling (`في` found by `فى`);
    whitespace between words is shown as one space.
    """
    tokens = tokenize(body)
    if not tokens:
        return "", ()
    hits = [i for i, t in enumerate(tokens) if t.norm in terms]
    first = hits[0] if hits else 0
    lo, hi = max(0, first - width // 2), min(len(tokens), first + width)
    out: list[str] = ["… "] if lo > 0 else []
    size = sum(map(len, out))
    marks: list[Mark] = []
    pos = tokens[lo].start
    for t in tokens[lo:hi]:
        gap = _SPACES.sub(" ", body[pos : t.start])
        out.append(gap)
        size += len(gap)
        if t.norm in terms:
            marks.append((size, size + len(t.text)))
        out.append(t.text)
        size += len(t.text)
        pos = t.end
    if hi < len(tokens):
        out.append(" …")
    return "".join(out), tuple(marks)


def _entity_from_row(row: sqlite3.Row) -> StoredEntity:
    return StoredEntity(
        id=row["id"],
        type=row["type"],
        name=row["name"],
        variants=tuple(json.loads(row["variants"])),
        roles=tuple(json.loads(row["roles"])),
        mentions=int(row["mentions"]),
        articles=int(row["articles"]),
    )


def _assignment(row: sqlite3.Row) -> StoredAssignment:
    return StoredAssignment(
        article_id=row["id"], story=row["story"], event=row["event"], copy=row["copy"],
        copy_of=row["copy_of"], copy_score=row["copy_score"], story_score=row["story_score"],
        published=row["published"], placed_story=row["placed_story"],
        placed_event=row["placed_event"],
    )  # fmt: skip


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _stored_from_row(row: sqlite3.Row) -> StoredArticle:
    origin_text = row["origin"]
    raw = RawArticle(
        id=row["id"],
        text=row["raw_text"],
        origin=Origin(origin_text),
        source=row["source"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        published=row["published"],
        language=row["language"],
        language_detected=bool(row["language_detected"]),
        metadata=json.loads(row["metadata"]),
        warnings=tuple(json.loads(row["warnings"])),
    )
    body = row["body"]
    clean = CleanArticle(
        article_id=row["id"],
        title=row["c_title"],
        title_source=row["title_source"],
        text=body,
        blocks=tuple(Block(kind, body[s:e], s, e) for kind, s, e in json.loads(row["blocks"])),
        removed=tuple(Removal(t, r, d) for t, r, d in json.loads(row["removed"])),
        edits=tuple(
            Edit(rule, before, tuple(after)) for rule, before, after in json.loads(row["edits"])
        ),
        normalized_title=row["norm_title"],
        normalized_text=row["norm_body"],
    )
    return StoredArticle(raw, clean, row["ingested_at"])
