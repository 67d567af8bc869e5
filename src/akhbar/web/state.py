"""The app's state: the store's path, read connections, one writer thread and what is kept.

SQLite connections belong to the thread that opened them, so each server thread reads through
its own (WAL lets readers run beside the writer), and every write goes to one thread that
owns the writing connection and the `Ingestor` (whose clustering state then lasts across
requests). A story's JSON with its digest is built once and kept in the store (`digests`
table), where any change to the story drops it (schema triggers), so a read of a built story
is one indexed query; story-list pages are kept in memory, and forgotten when an ingest
changes them.

A POST answers once its articles are stored, extracted and clustered: linking their entities
(seconds on a large store, whatever the number of articles) waits for a pause in the posts
(`LINK_IDLE_S`, or `LINK_MAX_DELAY_S` at most), and then links every waiting article at once;
a reader of entity links (`linked`) has it done first, so it never sees them out of date.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import logging
import multiprocessing
import multiprocessing.process
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from akhbar.errors import AkhbarError, NotFoundError, StoreError
from akhbar.extract.entities import link_entities
from akhbar.io.blob import Context
from akhbar.io.jsonl import record_article
from akhbar.model import Origin, RawArticle, Skipped
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store.sqlite import ArticleBrief, SqliteStore, StorySummary
from akhbar.web.schemas import ArticleResult
from akhbar.web.views import (
    DIGEST_BUILDER,
    DigestCache,
    StoryFilter,
    filtered_stories,
    story_json,
    story_pending,
)

__all__ = [
    "API_SOURCE",
    "INLINE_MAX_ARTICLES",
    "INLINE_MAX_CHARS",
    "LINK_IDLE_S",
    "LINK_MAX_DELAY_S",
    "LIST_TTL_S",
    "WebState",
]

_log = logging.getLogger(__name__)

API_SOURCE = "api"  # the source of posted articles that name no outlet
LIST_TTL_S = 5.0  # how long a story-list page is kept when the store may change from outside
_LISTS_KEPT = 256
INLINE_MAX_ARTICLES = 12  # larger stories get their digest built in the background
# and so do stories whose texts hold more characters than this together (two articles of a
# million characters each took a minute to digest, inside the request)
INLINE_MAX_CHARS = 100_000
LINK_IDLE_S = 1.0  # posted articles' entities are linked once no post came for this long
LINK_MAX_DELAY_S = 30.0  # or at the latest this long after the first of them was ingested
_STOP, _NOW, _LATER, _IDLE = -1, 0, 1, 2  # priorities of the background digest queue

_ListKey = tuple[StoryFilter, int, int]
_Listing = tuple[list[StorySummary], bool]

_Status = Literal["new", "duplicate", "updated", "skipped"]


@dataclass
class _Writer:
    """The writing connection and the ingestor, used only on the writer thread."""

    store: SqliteStore
    ingestor: Ingestor


def _digest_worker(db: str, settings: Settings, tasks: Any, results: Any) -> None:
    """Child process: build each story's digest JSON as of its current version."""
    with SqliteStore(Path(db), settings.store, create=False) as store:
        while (story := tasks.get()) is not None:
            try:
                version, _ = store.kept_digest(story, DIGEST_BUILDER)  # read before building
                results.put(("ok", version, story_json(store, story)))
            except NotFoundError:
                results.put(("missing", 0, b""))
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which logs it
                results.put(("error", 0, repr(exc).encode("utf-8")))


class _DigestProcess:
    """A child process that builds digests for the background thread, started on first use."""

    def __init__(self, db: Path, settings: Settings) -> None:
        self._db = db
        self._settings = settings
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._tasks: Any = None
        self._results: Any = None

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._tasks, self._results = ctx.Queue(), ctx.Queue()
        proc = ctx.Process(
            target=_digest_worker,
            args=(str(self._db), self._settings, self._tasks, self._results),
            name="akhbar-digest-builder",
            daemon=True,
        )
        proc.start()
        self._proc = proc  # only once started: `close` joins it (a process never started
        # cannot be joined: "can only join a started process" when the start failed)

    def build(self, story: str, stop: threading.Event) -> tuple[int, bytes] | None:
        """A story's digest version and JSON; None when the story is gone or `stop` is set."""
        if self._proc is None or not self._proc.is_alive():
            self._start()
        self._tasks.put(story)
        while True:
            try:
                kind, version, body = self._results.get(timeout=0.5)
            except queue.Empty:
                if stop.is_set():
                    self.close()
                    return None
                if self._proc is not None and not self._proc.is_alive():
                    code = self._proc.exitcode
                    self._proc = None
                    raise AkhbarError(
                        f"the digest process died (exit code {code}) building story {story}"
                    ) from None
                continue
            if kind == "ok":
                return int(version), bytes(body)
            if kind == "missing":
                return None
            raise AkhbarError(f"building the digest of story {story} failed: {body.decode()}")

    def close(self) -> None:
        """Stop the child process (at once if it is busy)."""
        if self._proc is None:
            return
        with contextlib.suppress(ValueError, OSError):
            self._tasks.put(None)
        self._proc.join(timeout=2)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=2)
        self._proc = None


def _identity(path: Path) -> tuple[int, int] | None:
    """The file at `path` (device and inode), None where there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


class WebState:
    """Everything one app instance holds; nothing is shared between instances."""

    def __init__(
        self, db: Path, settings: Settings, *, warm_stories: int = 60, prepare_all: bool = False
    ) -> None:
        self.db = db
        self.settings = settings
        self.warm_stories = warm_stories
        self.prepare_all = prepare_all
        with SqliteStore(db, settings.store):  # create and migrate before any reader opens it
            pass
        self._file = _identity(db)  # the store's file: replaced or deleted, it is gone
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="akhbar-writer")
        self._writer: _Writer | None = None
        self.digests = DigestCache()  # built but not yet saved in the store, by version
        self._unsaved_told = False  # whether the log says that digests cannot be saved
        self._local = threading.local()  # per-thread read connections, dropped with the thread
        self._requests = itertools.count(1)  # numbers posted requests in their articles' origins
        self._pending: list[tuple[list[RawArticle | Skipped], Future[list[ArticleResult]]]] = []
        self._pending_lock = threading.Lock()
        self._warm: queue.PriorityQueue[tuple[int, int, str | None]] = queue.PriorityQueue()
        self._warm_order = itertools.count()  # first come, first built within one priority
        self._queued: set[str] = set()  # stories waiting in `_warm`
        self._building = 0  # stories taken from `_warm` whose digest is being built (0 or 1)
        self._generation = 0  # ingests through this app so far: listings older are stale
        self._lists: OrderedDict[_ListKey, tuple[int, float, _Listing]] = OrderedDict()
        self._lists_lock = threading.Lock()
        self._list_locks: dict[_ListKey, threading.Lock] = {}
        self._warmer: threading.Thread | None = None
        self._stopping = threading.Event()  # the app is closing: stop building digests
        self._unlinked_since: float | None = None  # first ingest whose entities wait (writer)

    @contextlib.contextmanager
    def reader(self) -> Iterator[SqliteStore]:
        """This thread's read connection (opened once per thread: opening costs milliseconds)."""
        self._check_file()
        store: SqliteStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = SqliteStore(self.db, self.settings.store, create=False)
        yield store

    def _check_file(self) -> None:
        """Refuse to go on with a store whose file was deleted or replaced while the server
        runs: open connections still read and write the old file, which nothing will see
        again, and a new one would make an empty store (a stat, some microseconds)."""
        if self.db.name != ":memory:" and _identity(self.db) != self._file:
            raise StoreError(
                f"{self.db}: the store was deleted or replaced while the server ran; restore "
                "it, or restart the server"
            )

    def start(self) -> None:
        """Build the digests of the newest stories in the background, so they open at once;
        with `prepare_all`, then every other story without a kept digest, newest first (kept
        in the store, so a prepared store answers any story read with one query)."""
        self._warmer = threading.Thread(target=self._warm_loop, name="akhbar-digests", daemon=True)
        self._warmer.start()
        with self.reader() as store:
            if self.warm_stories > 0:
                for story in store.stories(limit=self.warm_stories):
                    self._queue_digest(story.story, _LATER)
            if self.prepare_all:
                for story_id in store.undigested_stories(DIGEST_BUILDER):
                    self._queue_digest(story_id, _IDLE)

    def _queue_digest(self, story: str, priority: int) -> None:
        """Have the background thread build a story's digest (once, however often asked)."""
        with self._pending_lock:
            if story in self._queued:
                return
            self._queued.add(story)
        self._warm.put((priority, next(self._warm_order), story))

    def _kept(self, store: SqliteStore, story_id: str) -> tuple[int, bytes | None]:
        """A story's version and its JSON if built at that version (saved, or about to be)."""
        version, body = store.kept_digest(story_id, DIGEST_BUILDER)
        return version, body if body is not None else self.digests.get((story_id, version))

    def kept_story(self, story_id: str) -> bytes | None:
        """A story's JSON if it is built and the story has not changed since: one indexed
        query, cheap enough to run on the event loop (None: see `story`)."""
        with self.reader() as store:
            return self._kept(store, story_id)[1]

    def story(self, story_id: str) -> tuple[bytes, bool]:
        """A story's JSON, and whether its digest is in it (NotFoundError for an unknown story):
        a large story's digest takes seconds, so it is built in the background and the story
        comes without it meanwhile; a small one is built now."""
        with self.reader() as store:
            version, found = self._kept(store, story_id)
            if found is not None:
                return found, True
            briefs = store.story(story_id)  # read after the version: see `_keep`
            large = (
                len(briefs) > INLINE_MAX_ARTICLES or store.story_chars(story_id) > INLINE_MAX_CHARS
            )
            if large and self._warmer is not None:
                self._queue_digest(story_id, _NOW)
                return story_pending(story_id, briefs).model_dump_json().encode("utf-8"), False
            body = story_json(store, story_id, briefs)
        self._keep(story_id, version, body)
        return body, True

    def _keep(self, story_id: str, version: int, body: bytes) -> None:
        """Keep a story's JSON built from the store as read after its version was: in memory
        now, and in the store by the writer thread, which saves it only if the story is still
        at that version (had it changed while the JSON was built, the version has risen, so
        neither copy is ever read)."""
        key = (story_id, version)
        self.digests.put(key, body)

        def save() -> None:
            # an unsaved digest stays in memory (the cache is bounded): on a read-only store
            # every read of a large story rebuilt it and threw it away, answering 202 forever
            try:
                self._writer_now().store.save_digest(story_id, version, DIGEST_BUILDER, body)
            except StoreError as exc:
                if not self._unsaved_told:
                    self._unsaved_told = True
                    _log.warning("digests are kept in memory only: %s", exc)
                return
            except Exception:  # noqa: BLE001 - kept in memory; saved when built again
                _log.exception("saving the digest of story %s failed", story_id)
                return
            self.digests.discard(key)

        try:
            self._executor.submit(save)
        except RuntimeError:  # shutting down
            self.digests.discard(key)

    def stories(self, where: StoryFilter, limit: int, offset: int) -> _Listing:
        """A page of the story list and whether more follow; a listing scans the whole store,
        so pages are kept until an ingest through this app, or `LIST_TTL_S` for other writers."""
        key = (where, limit, offset)
        with self._lists_lock:
            lock = self._list_locks.setdefault(key, threading.Lock())
        with lock:  # one thread computes a page while the others asking for it wait
            generation = self._generation
            with self._lists_lock:
                kept = self._lists.get(key)
            if (
                kept is not None
                and kept[0] == generation
                and time.monotonic() - kept[1] < LIST_TTL_S
            ):
                return kept[2]
            with self.reader() as store:
                listing = filtered_stories(store, where, limit, offset)
            with self._lists_lock:
                self._lists[key] = (generation, time.monotonic(), listing)
                self._lists.move_to_end(key)
                while len(self._lists) > _LISTS_KEPT:
                    dropped, _ = self._lists.popitem(last=False)
                    self._list_locks.pop(dropped, None)
            return listing

    @property
    def kept_digests(self) -> int:
        """Stories whose digest is built for their current articles (saved, or being saved)."""
        with self.reader() as store:
            return store.digest_count(DIGEST_BUILDER) + len(self.digests)

    @property
    def warming(self) -> int:
        """Stories waiting for their digest to be built in the background, or being built
        (a story moves from one to the other under the lock: never in neither)."""
        with self._pending_lock:
            return len(self._queued) + self._building

    def _warm_loop(self) -> None:
        """Background thread: have the digests of the stories queued built, one at a time
        (a large story's digest takes much memory while it is built), in a child process: a
        large story takes seconds of Python, which in this process would hold the GIL and
        stall every request meanwhile."""
        builder = _DigestProcess(self.db, self.settings)
        try:
            with SqliteStore(self.db, self.settings.store) as store:
                while (story := self._warm.get()[2]) is not None:
                    with self._pending_lock:
                        self._queued.discard(story)
                        self._building = 1
                    try:
                        if self._kept(store, story)[1] is not None:
                            continue
                        built = builder.build(story, self._stopping)
                        if built is not None:  # None: merged into another story, or stopping
                            self._keep(story, *built)
                    except Exception:  # noqa: BLE001 - a digest bug costs one story
                        _log.exception("building the digest of story %s failed", story)
                    finally:
                        with self._pending_lock:
                            self._building = 0
        finally:
            builder.close()

    def close(self) -> None:
        """Stop the background digests, close the writing connection, stop the writer."""
        if self._warmer is not None:
            self._stopping.set()
            while not self._warm.empty():  # what is still queued is not needed any more
                with contextlib.suppress(queue.Empty):
                    self._warm.get_nowait()
            with self._pending_lock:
                self._queued.clear()
            self._warm.put((_STOP, next(self._warm_order), None))
            self._warmer.join(timeout=5)
        self._executor.submit(self._close_writer).result()
        self._executor.shutdown(wait=True)

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._link()
            self._writer.store.close()
            self._writer = None

    def _writer_now(self) -> _Writer:
        """The writer, opened on first use (always on the writer thread)."""
        self._check_file()
        if self._writer is None:
            store = SqliteStore(self.db, self.settings.store, create=False)
            self._writer = _Writer(store, Ingestor(store, self.settings, workers=1, link=False))
        return self._writer

    # -- ingest ---------------------------------------------------------------------------

    def parse(self, records: Sequence[Mapping[str, Any]]) -> list[RawArticle | Skipped]:
        """Posted JSON records as articles, mapped exactly as the JSONL reader maps lines."""
        ctx = Context(self.settings.read)
        # the moment and number of the request: a skip recorded from it is told apart from
        # those of other requests, also across server restarts (the count starts again)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        where = f"{API_SOURCE} request {next(self._requests)} at {stamp}"
        return [
            record_article(dict(r), Origin(where, None, n, "item"), ctx, API_SOURCE)
            for n, r in enumerate(records)
        ]

    async def ingest(self, items: list[RawArticle | Skipped]) -> list[ArticleResult]:
        """Ingest on the writer thread, without blocking the event loop; requests that wait
        while an ingest runs are ingested together next (one transaction, one clustering)."""
        done: Future[list[ArticleResult]] = Future()
        with self._pending_lock:
            self._pending.append((items, done))
        self._executor.submit(self._drain)
        return await asyncio.wrap_future(done)

    def _drain(self) -> None:
        """Ingest every waiting request at once and hand each its own results (writer thread)."""
        with self._pending_lock:
            batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            results = self._ingest([item for items, _ in batch for item in items])
        except BaseException as exc:
            for _, done in batch:
                done.set_exception(exc)
            raise
        if self._unlinked_since is None:
            self._unlinked_since = time.monotonic()
        timer = threading.Timer(LINK_IDLE_S, self._submit, (self._link_if_due, self._generation))
        timer.daemon = True
        timer.start()
        start = 0
        for items, done in batch:
            part = results[start : start + len(items)]
            done.set_result([r.model_copy(update={"index": k}) for k, r in enumerate(part)])
            start += len(items)

    def _submit(self, job: Any, *args: Any) -> None:
        """Run a job on the writer thread (dropped once the app is closing)."""
        with contextlib.suppress(RuntimeError):
            self._executor.submit(job, *args)

    def _link_if_due(self, generation: int) -> None:
        """Link the waiting articles' entities if no post came since `generation`, or they
        have waited too long (writer thread)."""
        if self._unlinked_since is None:
            return
        quiet = generation == self._generation and not self._pending
        if quiet or time.monotonic() - self._unlinked_since >= LINK_MAX_DELAY_S:
            self._link()

    def _link(self) -> None:
        """Link the entities of every article ingested since the last link (writer thread)."""
        if self._unlinked_since is None or self._writer is None:
            return
        store = self._writer.store
        try:
            if self.settings.extract.enabled and (
                store.link_pending_ids() or store.entities_stale()
            ):
                link_entities(store)
        except Exception:  # noqa: BLE001 - still pending in the store: the next ingest links
            _log.exception("linking the entities of posted articles failed")
        self._unlinked_since = None
        self._generation += 1  # story lists filtered by entity change with the links

    def linked(self) -> None:
        """Have the entities of every article posted so far linked (at once when they are):
        what reads entity links calls this first."""
        if self._unlinked_since is not None:
            self._executor.submit(self._link).result()

    def _ingest(self, items: list[RawArticle | Skipped]) -> list[ArticleResult]:
        """Store and cluster the articles; report per article what happened (writer thread)."""
        writer = self._writer_now()
        store = writer.store
        report = writer.ingestor.ingest(items)
        # what storing did (not what the store held before: another connection, a CLI
        # ingest, may store an article in between): the k-th item of an id takes the k-th
        # outcome of that id; an article with none was not stored (its skip says why)
        told: dict[str, list[_Status]] = {}
        for article_id, outcome in report.outcomes:
            told.setdefault(article_id, []).append(outcome)
        expected: dict[int, _Status] = {
            n: told[item.id].pop(0) if told.get(item.id) else "skipped"
            for n, item in enumerate(items)
            if isinstance(item, RawArticle)
        }
        self._generation += 1
        touched = report.tracked.story_ids if report.tracked else set()
        self.digests.forget(touched)  # older versions: never read again
        if self._warmer is not None:  # stories read before are built again in the background
            for story in store.digested(touched):
                self._queue_digest(story, _LATER)
        skipped = {str(s.origin): s.reason for s in report.skipped}
        fresh = {
            item.id
            for n, item in enumerate(items)
            if isinstance(item, RawArticle) and expected[n] != "duplicate"
        }
        placed = _placements(store, touched, fresh)
        noticed = _article_warnings(
            report.warnings, {i.id for i in items if isinstance(i, RawArticle)}
        )
        results: list[ArticleResult] = []
        for n, item in enumerate(items):
            if isinstance(item, Skipped):
                results.append(ArticleResult(index=n, status="skipped", reason=item.reason))
                continue
            reason = skipped.get(str(item.origin))
            if reason is not None:
                results.append(ArticleResult(index=n, id=item.id, status="skipped", reason=reason))
                continue
            where = placed.get(item.id)
            results.append(
                ArticleResult(
                    index=n,
                    id=item.id,
                    status=expected[n],
                    copy_of=where[0].assignment.copy_of if where else None,
                    story=where[0].assignment.story if where else None,
                    story_action=where[1] if where else None,
                    event=where[0].assignment.event if where else None,
                    warnings=[
                        *item.warnings,
                        *noticed.get(item.id, ()),
                        *(w for w in report.warnings if w.startswith(f"{item.origin}: ")),
                    ],
                )
            )
        return results


def _article_warnings(warnings: list[str], ids: set[str]) -> dict[str, list[str]]:
    """The ingest's warnings about each of these articles (those it words "ID: ...": an
    emptied body, a failed extraction; the reader's own are on the article itself, and
    those it words by the item's origin, an id posted twice, are matched by it)."""
    out: dict[str, list[str]] = {}
    for w in warnings:
        article_id = w.split(": ", 1)[0]
        if article_id in ids:
            out.setdefault(article_id, []).append(w)
    return out


def _placements(
    store: SqliteStore, story_ids: set[str], fresh: set[str]
) -> dict[str, tuple[ArticleBrief, Literal["opened", "joined"]]]:
    """Where each freshly stored article landed, and whether it opened its story.

    A story with a member stored before this request was joined; otherwise its first
    article opened it and the others joined it.
    """
    out: dict[str, tuple[ArticleBrief, Literal["opened", "joined"]]] = {}
    for story in story_ids:
        try:
            members = store.story(story)
        except NotFoundError:
            continue  # merged into a later story of the same ingest, which is listed too
        older = any(b.id not in fresh for b in members)
        for position, b in enumerate(members):
            if b.id in fresh:
                out[b.id] = (b, "opened" if position == 0 and not older else "joined")
    return out
