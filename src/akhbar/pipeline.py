"""Ingest: read -> clean -> store, in transactional batches, learning outlet boilerplate.

Cleaning is the costly stage; on large inputs it runs in worker processes while the main
process reads and writes the store, so both cores work. Results are stored in input order,
so the outcome does not depend on the number of workers.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import multiprocessing
import os
import queue
import signal
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain, islice, repeat
from multiprocessing.queues import Queue
from pathlib import Path
from types import TracebackType

from akhbar._gc import GC_YOUNG, fewer_collections
from akhbar.dedup import CopyDetector, CopySettings
from akhbar.errors import AkhbarError, RecordError
from akhbar.extract.codec import extraction_to_json
from akhbar.extract.entities import link_entities
from akhbar.extract.extractor import Extractor
from akhbar.extract.model import Extraction
from akhbar.io import expand, read
from akhbar.io.dates import checked_published, parse_published
from akhbar.model import CleanArticle, Origin, RawArticle, Skipped
from akhbar.settings import ReadSettings, Settings
from akhbar.store.sqlite import AddResult, SqliteStore, StoredArticle, line_hash
from akhbar.stories import StoryParams, doc_terms, story_doc
from akhbar.text.boilerplate import candidate_text_lines
from akhbar.text.clean import candidate_lines, clean, clean_with_lines
from akhbar.tracking import Placeable, Tracker, TrackReport, terms_to_json

__all__ = ["IngestReport", "Ingestor"]

_CHUNK = 64  # articles handed to a worker at a time (files read, articles extracted)
# articles of an `ingest` cleaned by one worker task, then stored and clustered together: each
# chunk costs the main process a fixed share (pickling, a few statements per table, one batch
# of copy matching), which larger chunks spread over more articles
_INGEST_CHUNK = 256
# an ingest's first chunks are smaller: with the workers running (from an earlier ingest of
# the same Ingestor, or past the first chunks), the main process waits for their first results
# before it can store anything, a wait as long as cleaning one chunk, paid at every `ingest`
_FIRST_CHUNKS = (32, 64, 128)


@dataclass
class IngestReport:
    """What an ingest did: counts per outcome, every skipped record and every warning."""

    new: int = 0
    duplicate: int = 0
    updated: int = 0
    recleaned: int = 0
    extracted: int = 0  # articles extracted after storing (cleaned again, or stored before)
    entities: int | None = None  # entities after linking, when extractions changed
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tracked: TrackReport | None = None
    # every article read, in the order stored, with what storing it did: what the store
    # said at the write, not a guess made before it (another process may store it first)
    outcomes: list[tuple[str, AddResult]] = field(default_factory=list)

    @property
    def articles(self) -> int:
        """Articles read (new, duplicate or updated), not counting skipped records."""
        return self.new + self.duplicate + self.updated


@dataclass
class _SourceLines:
    """How often each line occurs across one source's articles (for outlet boilerplate)."""

    total: int
    counts: dict[int, int]


@dataclass(frozen=True, slots=True)
class _Cleaned:
    """An article cleaned in this run, with the boilerplate lines that were applied to it."""

    id: str
    source: str
    lines: frozenset[int]
    applied: frozenset[int]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An article's stateless preparation: line hashes, cleaned view, copy-detection sketch and
    story terms (the last two only when copies and stories are tracked)."""

    lines: frozenset[int]
    view: CleanArticle
    sketch: bytes | None
    terms: str | None
    extraction: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. an extractor that failed on this article


@dataclass(frozen=True, slots=True)
class _Ready:
    """An article about to be stored: its view after outlet boilerplate, and what was derived
    from that view (None where the prepared one no longer applies)."""

    raw: RawArticle
    prepared: _Prepared
    view: CleanArticle
    sketch: bytes | None
    terms: str | None
    applied: frozenset[int]
    extraction: str | None = None


_Item = tuple[RawArticle | Skipped, bool]  # an input item, and whether it is to be cleaned


def _read_units(
    units: Iterable[str | Skipped], settings: ReadSettings, outlet: str | None
) -> Iterator[RawArticle | Skipped]:
    """Read expanded inputs in order, passing through the ones that could not be listed."""
    for unit in units:
        if isinstance(unit, Skipped):
            yield unit
            continue
        try:
            yield from read([unit], settings, outlet=outlet)
        except Exception as exc:  # noqa: BLE001 - a reader bug must cost one file, not the ingest
            yield Skipped(Origin(unit), f"reading failed: {exc!r}")


_Chunk = list[tuple[RawArticle | Skipped, "_Prepared | None"]]
_Message = tuple[str, int, _Chunk]  # kind, index of the input file, its items


def _prepared_chunk(
    items: list[RawArticle | Skipped], settings: Settings
) -> list[tuple[RawArticle | Skipped, _Prepared | None]]:
    """Pair each item with its prepared form (articles prepared together, in one batch)."""
    prepared = iter(_prepare([i for i in items if isinstance(i, RawArticle)], settings))
    return [(i, next(prepared) if isinstance(i, RawArticle) else None) for i in items]


def _read_worker(
    tasks: Queue[tuple[int, str] | None],
    results: Queue[_Message],
    read_settings: ReadSettings,
    settings: Settings,
    outlet: str | None,
) -> None:
    """Worker process: read whole files, clean their articles, send back chunks of results."""
    _yield_to_main()
    while (task := tasks.get()) is not None:
        index, unit = task
        items: list[RawArticle | Skipped] = []
        try:
            for item in read([unit], read_settings, outlet=outlet):
                items.append(item)
                if len(items) >= _CHUNK:
                    results.put(("chunk", index, _prepared_chunk(items, settings)))
                    items = []
        except Exception as exc:  # noqa: BLE001 - a reader bug must cost one file, not the ingest
            items.append(Skipped(Origin(unit), f"reading failed: {exc!r}"))
        results.put(("chunk", index, _prepared_chunk(items, settings)))
    results.put(("done", -1, []))


def _parallel_read(
    files: list[str],
    workers: int,
    read_settings: ReadSettings,
    settings: Settings,
    outlet: str | None,
) -> Iterator[tuple[int, _Chunk]]:
    """Chunks of read-and-cleaned articles from `workers` processes, as they finish, each
    with the index in `files` of the file it came from."""
    ctx = multiprocessing.get_context("spawn")
    tasks: Queue[tuple[int, str] | None] = ctx.Queue()
    results: Queue[_Message] = ctx.Queue(maxsize=4 * workers)
    count = min(workers, len(files))
    for task in enumerate(files):
        tasks.put(task)
    for _ in range(count):
        tasks.put(None)
    procs = [
        ctx.Process(
            target=_read_worker,
            args=(tasks, results, read_settings, settings, outlet),
            daemon=True,
        )
        for _ in range(count)
    ]
    for proc in procs:
        proc.start()
    running = count
    try:
        while running:
            try:
                kind, index, chunk = results.get(timeout=1.0)
            except queue.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise AkhbarError(
                        f"an ingest worker process died (exit code {dead[0].exitcode}); "
                        "run again with --workers 1 to see the error"
                    ) from None
                continue
            if kind == "done":
                running -= 1
            elif chunk:
                yield index, chunk
    finally:
        # nothing will read the remaining tasks: do not wait for the queue's feeder thread
        tasks.cancel_join_thread()
        tasks.close()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()


@functools.lru_cache(maxsize=4)
def _hasher(copies: CopySettings) -> CopyDetector:
    """One copy detector per process and settings, used only for its sketching."""
    return CopyDetector(copies)


def _absolute(origin: Origin) -> Origin:
    """The origin with its file's path made absolute (when it names a file or folder that
    exists): skipped records are kept under it, so that a line fixed and read again by
    another path (`in/f.jsonl`, `./in/f.jsonl`, `/home/me/in/f.jsonl`) drops its record, and a
    store used from several working directories names one file one way."""
    path = origin.path
    if not path or "://" in path or os.path.isabs(path) or not os.path.exists(path):
        return origin
    return replace(origin, path=os.path.abspath(path))


def _folders_of(paths: Iterable[str]) -> set[str]:
    """The folders (as `os.path` splits them) that files of these paths are in, at any depth;
    none for URLs."""
    out: set[str] = set()
    for path in paths:
        if "://" in path:
            continue
        parent = os.path.dirname(path)
        while parent and parent not in out:
            out.add(parent)
            parent, last = os.path.dirname(parent), parent
            if parent == last:
                break
    return out


def _late_warning(late: int) -> str:
    """What an archive added after newer news costs its stories, and the way out."""
    return (
        f"{late} article(s) opened a story after the stories of their days had closed "
        "(published more than the stories' window before articles clustered earlier): they "
        "may have missed the stories they belong to, and the stories they opened closed at "
        "once; `akhbar recluster` clusters the whole store again in publication order, as one "
        "run would"
    )


_OPTIONAL_TEXT = ("title", "outlet", "url", "published", "language")


def _unfit(item: object) -> str | None:
    """Why an item handed to `Ingestor.ingest` cannot be ingested, or None when it can.

    The readers only make fit items; items made through the Python API are checked, so that
    a wrong type or an id that cannot be stored costs that item (skipped with the reason)
    and not the whole ingest."""
    if isinstance(item, Skipped):
        return None
    if not isinstance(item, RawArticle):
        return f"not an article: a {type(item).__name__} (ingest takes RawArticle and Skipped)"
    for name in ("id", "text", "source"):
        if not isinstance(getattr(item, name), str):
            return f"{name} is of type {type(getattr(item, name)).__name__}, not str"
    for name in _OPTIONAL_TEXT:
        value = getattr(item, name)
        if value is not None and not isinstance(value, str):
            return f"{name} is of type {type(value).__name__}, not str or None"
    if not item.id.strip():
        return "id is blank; give one, or make one with make_article_id as the readers do"
    if not isinstance(item.origin, Origin):
        return f"origin is of type {type(item.origin).__name__}, not Origin"
    if not isinstance(item.metadata, dict):
        return f"metadata is of type {type(item.metadata).__name__}, not dict"
    for name in ("id", "source"):  # looked up before an article is stored
        try:
            getattr(item, name).encode("utf-8")
        except UnicodeEncodeError as exc:
            return (
                f"{name} {getattr(item, name)!r} cannot be stored: {exc.reason} (character "
                f"{exc.start}); give the article one without lone surrogates"
            )
    return None


def _storable(
    item: RawArticle | Skipped, max_future_days: float | None, now: datetime
) -> RawArticle | Skipped:
    """The item, or a Skipped saying why it cannot be ingested (see `_unfit`); an article's
    date as the readers keep it (see `_dated`)."""
    why = _unfit(item)
    if why is None:
        return _dated(item, max_future_days, now) if isinstance(item, RawArticle) else item
    origin = item.origin if isinstance(getattr(item, "origin", None), Origin) else None
    if origin is None:
        origin = Origin(f"<{type(item).__name__} {repr(item)[:60]}>")
    elif isinstance(item, RawArticle) and isinstance(item.id, str) and not why.startswith("id "):
        why = f"article {item.id!r}: {why}"
    return Skipped(origin, why)


def _dated(item: RawArticle, max_future_days: float | None, now: datetime) -> RawArticle:
    """The article with `published` as a reader would have kept it: ISO 8601, which SQLite's
    date functions (they order stored articles) and the clusterer both read, or empty, with
    a warning naming the value, when it is no date or lies more than `max_future_days` ahead
    (None: not checked; readers check under their own settings). An article made through the
    Python API gets the readers' rules; a reader's own dates pass unchanged."""
    given = item.published
    if given is None:
        return item
    published, why = checked_published(
        parse_published(given), given, "published value", max_future_days, now
    )
    if published == given:
        return item
    # the article named as well as its origin: articles made in Python often share one
    named = f"{item.origin}: article {item.id!r}: {why}"
    warnings = item.warnings if why is None else (*item.warnings, named)
    return replace(item, published=published, warnings=warnings)


def _emptied(raw: RawArticle, view: CleanArticle) -> bool:
    """Whether cleaning removed every line of a body that had some."""
    return not view.text and bool(raw.text.strip())


def _emptied_warning(view: CleanArticle) -> str:
    """Why an article has no body left: a scraper that caught only a link or a footer, or an
    outlet whose articles repeat the same short body (learnt as its boilerplate)."""
    why = ", ".join(sorted({r.reason for r in view.removed})) or "cleaning"
    return (
        f"{view.article_id}: every line of its body was removed ({why}); it is kept with an "
        f"empty body and its raw text (`akhbar show {view.article_id}` lists what went)"
    )


def _prepare(raws: list[RawArticle], settings: Settings) -> list[_Prepared]:
    """What needs no shared state, done in any process: clean each article, hash its candidate
    lines, and sketch it for copy detection (all sketches of the batch in one NumPy pass)."""
    cleaned = [clean_with_lines(raw, settings.clean) for raw in raws]
    extractions: list[str | None] = [None] * len(raws)
    warnings: list[tuple[str, ...]] = [()] * len(raws)
    if settings.extract.enabled:
        done = _extract_items(
            [(raw.id, c.view.text, raw.published) for raw, c in zip(raws, cleaned, strict=True)]
        )
        extractions = [x for x, _ in done]
        warnings = [w for _, w in done]
    if not settings.tracking.enabled:  # the tracker computes what it lacks, if enabled later
        return [
            _Prepared(frozenset(line_hash(k) for k in keys), view, None, None, x, w)
            for (view, keys, _), x, w in zip(cleaned, extractions, warnings, strict=True)
        ]
    texts = [c.view.normalized_text for c in cleaned]
    sketches = _hasher(settings.copies).sketch_texts(texts)
    params = _story_params()
    return [
        _Prepared(
            frozenset(line_hash(k) for k in keys),
            view,
            sketch.to_bytes(),
            terms_to_json(doc_terms(story_doc(raw, view, norms=norms), params)),
            x,
            w,
        )
        for raw, (view, keys, norms), sketch, x, w in zip(
            raws, cleaned, sketches, extractions, warnings, strict=True
        )
    ]


def _extract(
    extractor: Extractor, article_id: str, text: str, published: str | None
) -> tuple[str, tuple[str, ...]]:
    """An article's extraction as JSON; an extractor that fails costs this article its
    extraction (stored empty, so it is not retried on every ingest), never the batch."""
    try:
        return extraction_to_json(extractor.extract(text, published)), ()
    except Exception as exc:  # noqa: BLE001 - one article's extraction must not stop an ingest
        return extraction_to_json(Extraction()), (f"{article_id}: extraction failed: {exc!r}",)


def _extract_items(
    items: list[tuple[str, str, str | None]],
) -> list[tuple[str, tuple[str, ...]]]:
    """Extract (id, cleaned text, published) items in any process: JSON and warnings each.

    All at once (the tagger decodes a batch cheaper than its articles one by one); should that
    fail, one by one, so that only the article at fault loses its extraction."""
    extractor = _extractor()
    try:
        found = extractor.extract_many([text for _, text, _ in items], [p for _, _, p in items])
        return [(extraction_to_json(x), ()) for x in found]
    except Exception as exc:  # noqa: BLE001 - the retry below names the article at fault
        done = [_extract(extractor, i, text, published) for i, text, published in items]
        if done and not any(warnings for _, warnings in done):  # only the batch failed: say so
            note = f"{items[0][0]}: extraction of its batch of {len(items)} failed ({exc!r}); "
            done[0] = (done[0][0], (note + "extracted one by one",))
        return done


@functools.lru_cache(maxsize=1)
def _extractor() -> Extractor:
    """The packaged extraction models, loaded once per process."""
    return Extractor.load()


@functools.lru_cache(maxsize=1)
def _story_params() -> StoryParams:
    """The packaged story model, loaded once per process."""
    return StoryParams.load()


_WORKER_NICENESS = 5  # how far below the main process the workers are scheduled


def _yield_to_main() -> None:
    """Worker process start: run at a lower priority than the main process, which stores and
    clusters every article in turn; a worker taking its core would slow the whole ingest,
    while workers at a lower priority still get all the time the main process leaves.

    Ctrl-C reaches the terminal's whole process group: a worker leaves it to the main
    process, which rolls back its open batch and stops the workers (else each printed its
    own KeyboardInterrupt traceback over the main process's exit). A worker starts with it
    blocked (see `_sigint_held`), so that one arriving while it imports is dropped too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(_WORKER_NICENESS)
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])  # its own process: see fewer_collections


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back while worker processes may be started (a pool starts them as work is
    submitted): they inherit it blocked until they ignore it. Here it is delivered, as a
    KeyboardInterrupt, once the submission is done."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Workers:
    """The worker processes of an ingestor, started on first need and kept across ingests
    (starting one costs about half a second of CPU: imports and warm caches)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def pool(self, start: bool) -> ProcessPoolExecutor | None:
        """The running pool; a new one only when `start` and more than one worker is wanted."""
        if self._pool is None and start and self.workers > 1:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_yield_to_main,
            )
        return self._pool

    @property
    def running(self) -> bool:
        """Whether the worker processes are started."""
        return self._pool is not None

    def close(self) -> None:
        """Stop the workers, dropping the work not yet started."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class _Preparer:
    """Runs `_prepare` on chunks in order: in-process, or in workers once there is enough work
    (more than a full chunk of articles to clean: starting them costs more than that)."""

    def __init__(self, workers: _Workers, settings: Settings) -> None:
        self.workers = workers.workers
        self.settings = settings
        self._workers = workers
        # each queued chunk, its preparation, and the ids of its articles
        self._queue: deque[tuple[list[_Item], Future[list[_Prepared]], frozenset[str]]] = deque()
        self._to_clean = 0  # articles submitted for cleaning in this ingest

    def submit(self, items: list[_Item]) -> None:
        """Queue a chunk of items in input order; those flagged are articles to clean."""
        todo = [item for item, flagged in items if flagged and isinstance(item, RawArticle)]
        self._to_clean += len(todo)
        pool = self._workers.pool(start=self._to_clean > _INGEST_CHUNK)
        ids = frozenset(i.id for i, _ in items if isinstance(i, RawArticle))
        if pool is not None:
            with _sigint_held():
                future = pool.submit(_prepare, todo, self.settings)
            self._queue.append((items, future, ids))
        else:
            done: Future[list[_Prepared]] = Future()
            done.set_result(_prepare(todo, self.settings))
            self._queue.append((items, done, ids))

    def has_room(self) -> bool:
        """Whether to submit another chunk before taking the next one: two per worker in
        flight keep every worker busy while this process stores the chunk before; cleaned
        in this process, one at a time."""
        return len(self._queue) < (2 * self.workers if self._workers.running else 1)

    def waiting(self, article_id: str) -> bool:
        """Whether an article of this id is in a chunk submitted and not stored yet."""
        return any(article_id in ids for _, _, ids in self._queue)

    def __len__(self) -> int:
        return len(self._queue)

    def next(self) -> tuple[list[_Item], list[_Prepared]]:
        """The oldest chunk submitted, once prepared (waits for it)."""
        items, future, _ = self._queue.popleft()
        return items, future.result()

    def abort(self) -> None:
        """Stop the workers, dropping chunks not yet cleaned (the next ingest starts anew)."""
        self._workers.close()
        self._queue.clear()


class _Batches:
    """Stores items in transactions of `batch_size`; the open one is rolled back on error.

    Articles whose ids are not stored yet are written together, a run of them at a time (one
    statement per table); should that fail, they are written one by one, so that a record
    that cannot be stored is skipped alone, with its reason.
    """

    def __init__(
        self, ingestor: Ingestor, on_item: Callable[[RawArticle | Skipped], None] | None
    ) -> None:
        self.ingestor = ingestor
        self.store = ingestor.store
        self.on_item = on_item
        self.report = IngestReport()
        self.cleaned: dict[str, _Cleaned] = {}  # by id: the last version of an article wins
        self.emptied: dict[str, None] = {}  # ids stored with an empty body at some point
        self.origins: dict[str, Origin] = {}  # by id: where this run last stored it from
        self.read: set[Origin] = set()  # where this run read an article it stored or had
        self.skipped_here: set[str] = set()  # the origins this run recorded skipped
        self.skipped_paths: set[str] = set()  # and the paths of their files
        # sources whose counts a run committed before its end: an interrupted one's (their
        # articles are all cleaned again at this run's end), then this one's too
        self.interrupted: set[str] = ingestor.store.unfinished_sources()
        self.unfinished: set[str] = set(self.interrupted)
        self.size = max(1, ingestor.settings.store.batch_size)
        self.pending = 0
        self.deferred: list[_Ready] = []  # new articles counted, not written yet

    def __enter__(self) -> _Batches:
        self._tx = self.store.transaction()
        self._tx.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            try:
                self.write_deferred()
                self.report.recleaned = self.ingestor._reclean(self.cleaned, self.emptied)
                self.report.recleaned += self.ingestor._reclean_stored(
                    self.cleaned, self.emptied, self.interrupted
                )
                self.ingestor._run_start.clear()
                if self.unfinished:
                    self.store.set_unfinished_sources(())
                self.ingestor._warn_emptied(self.emptied, self.report)
                self.ingestor._flush_counts()
                self.store.forget_skipped(self._now_read())
            except BaseException as error:
                self.__exit__(type(error), error, error.__traceback__)
                raise
            self._tx.__exit__(None, None, None)
        else:
            self.deferred = []
            self.ingestor._forget_counts()
            self.ingestor._to_place.clear()  # rolled back: nothing of this batch to cluster
            self.ingestor._reset_tracker()  # nor to remember: the chunks it placed are gone
            self._tx.__exit__(exc_type, exc, tb)

    def _now_read(self) -> set[str]:
        """The skipped records this run proved stale: the records of the articles it stored or
        found stored, and the whole-file records (empty, unreadable) of the files they came
        from; not those this run recorded itself."""
        read = self.read | {_absolute(o) for o in self.read}  # and as stored (`_skip`)
        found = {str(o) for o in read}
        paths = {o.path for o in read}
        found |= paths
        # an empty folder's record, once it holds a file (an article or a record skipped)
        found |= _folders_of(paths | self.skipped_paths)
        found |= {str(Origin(o.path, o.member)) for o in read if o.member is not None}
        return found - self.skipped_here

    def add_chunk(self, chunk: list[_Item], prepared: list[_Prepared]) -> None:
        """Store a chunk whose flagged articles were cleaned into `prepared`, in order."""
        results = iter(prepared)
        ids = [i.id for i, flagged in chunk if flagged and isinstance(i, RawArticle)]
        fresh = set(ids) - self.store.stored_ids(ids)
        for item, flagged in chunk:
            done = next(results) if flagged else None
            if done is not None and isinstance(item, RawArticle) and item.id in fresh:
                fresh.discard(item.id)  # a second version of it in this chunk is an update
                self._defer(item, done)
            else:
                self.add(item, done)
        self.write_deferred()
        self.ingestor._place_stored(self.report)

    def _defer(self, raw: RawArticle, prepared: _Prepared) -> None:
        """Count a new article now (the next ones' boilerplate depends on it), write it later."""
        self.report.warnings.extend(raw.warnings)
        self.report.warnings.extend(prepared.warnings)
        self.deferred.append(self.ingestor._ready(raw, prepared))
        self.ingestor._count(raw.source, prepared.lines)
        self._advance()

    def write_deferred(self) -> None:
        """Write the deferred new articles together; one by one if that fails."""
        rows, self.deferred = self.deferred, []
        if not rows:
            return
        try:
            self.store.add_new(
                [(r.raw, r.view, r.sketch, r.terms) for r in rows], [r.extraction for r in rows]
            )
        except (ValueError, TypeError, UnicodeError, sqlite3.Error):
            for r in reversed(rows):  # back to the counts before them, then as `add` does
                self.ingestor._uncount(r.raw.source, r.prepared.lines)
            for r in rows:
                self._store(r.raw, r.prepared)
        else:
            for r in rows:
                self.ingestor._stored(r, "new", self)
        if self.on_item is not None:
            for r in rows:
                self.on_item(r.raw)

    def add(self, item: RawArticle | Skipped, prepared: _Prepared | None) -> None:
        """Store one item; an article without `prepared` is already stored (a duplicate)."""
        self.write_deferred()
        if isinstance(item, RawArticle):
            self.report.warnings.extend(item.warnings)
        self._store(item, prepared)
        if self.on_item is not None:
            self.on_item(item)
        self._advance()

    def _store(self, item: RawArticle | Skipped, prepared: _Prepared | None) -> None:
        report = self.report
        if isinstance(item, Skipped):
            self._skip(item)
        elif prepared is None:
            report.duplicate += 1
            report.outcomes.append((item.id, "duplicate"))
            self.read.add(item.origin)  # a line fixed since its skip: stored, as before
        else:
            try:
                self.ingestor._store_one(item, prepared, self)
            except RecordError as exc:  # refused as it is (another outlet's id): say why
                self._skip(Skipped(item.origin, exc.reason))
            except (ValueError, TypeError, UnicodeError, sqlite3.Error) as exc:
                # the article's own writes were undone (a savepoint): record why
                self._skip(Skipped(item.origin, f"cannot store: {exc}"))

    def superseded(self, raw: RawArticle, kept_from: str) -> None:
        """Account for an earlier version of an article whose later version, from the file
        `kept_from`, is stored: counted and warned of as a serial run's replaced version."""
        self.write_deferred()
        report = self.report
        report.updated += 1
        report.outcomes.append((raw.id, "updated"))
        report.warnings.append(
            f"{raw.origin}: article id {raw.id!r} comes again, with other content, in "
            f"{kept_from} (listed after this file); that version is kept"
        )
        self.read.add(raw.origin)
        if self.on_item is not None:
            self.on_item(raw)
        self._advance()

    def _skip(self, skipped: Skipped) -> None:
        """Report and record a skipped item (recorded under its file's absolute path)."""
        self.report.skipped.append(skipped)
        kept = replace(skipped, origin=_absolute(skipped.origin))
        self.skipped_here.add(str(kept.origin))
        self.skipped_paths.add(kept.origin.path)
        self.store.record_skipped(kept)

    def _advance(self) -> None:
        """One more item in the open batch: commit it when full."""
        self.pending += 1
        if self.pending >= self.size:
            self.write_deferred()
            self.ingestor._flush_counts()
            # counts of this run committed before its end: should it not reach it, the next
            # run cleans these sources' articles again (see `Ingestor._reclean_stored`)
            started = self.ingestor._run_start.keys()
            if started - self.unfinished:
                self.unfinished |= started
                self.store.set_unfinished_sources(self.unfinished)
            self._tx.__exit__(None, None, None)
            self._tx = self.store.transaction()
            self._tx.__enter__()
            self.pending = 0


class Ingestor:
    """Cleans and stores articles; lines recurring across a source's articles become boilerplate.

    Boilerplate learnt during a run is applied to the articles of that run cleaned before it
    was learnt (they are cleaned again at the end), so the order of the input does not matter.
    `workers` processes clean in parallel on large inputs (default: one per CPU; 1: none);
    they are kept for the next `ingest` until `close` (or the end of a `with` block).
    With `in_order` (a feed that arrives in publication order), each chunk of articles is
    clustered as soon as it is stored, while the workers clean the next ones; otherwise the
    articles of an ingest are clustered at its end, sorted by publication time.
    With `link` False, entities are not linked at the end of an ingest: the caller links the
    pending articles (`akhbar.extract.entities.link_entities`) when it suits it.
    While an ingest runs, the process's cyclic garbage collector runs less often (see
    `fewer_collections`); its thresholds are given back when the ingest returns or fails.
    """

    def __init__(
        self,
        store: SqliteStore,
        settings: Settings,
        workers: int | None = None,
        *,
        in_order: bool = False,
        link: bool = True,
    ) -> None:
        self.store = store
        self.settings = settings
        self.in_order = in_order
        self.link = link
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._sources: dict[str, _SourceLines] = {}
        self._pending_counts: dict[str, dict[int, int]] = {}
        self._pending_totals: dict[str, int] = {}
        # each source's boilerplate lines before this run counted its first article
        self._run_start: dict[str, frozenset[int]] = {}
        self.tracker = Tracker(store, settings) if settings.tracking.enabled else None
        self._to_place: list[Placeable] = []
        self._workers = _Workers(self.workers)

    def close(self) -> None:
        """Stop the worker processes kept between ingests (they also stop with this object)."""
        self._workers.close()

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _track(self, report: IngestReport) -> IngestReport:
        """Cluster the newly stored articles (those not clustered yet) into copies and stories,
        extract what was not extracted yet, and link entities again if extractions changed."""
        self._finish(report)
        return report

    def _reset_tracker(self) -> None:
        """After a rollback the tracker would remember articles the store no longer holds
        (copies of them would be missed when they come again): start it anew; it restores
        itself from the store when next used."""
        if self.tracker is not None:
            self.tracker = Tracker(self.store, self.settings)

    def _finish(self, report: IngestReport) -> None:
        if self.tracker is not None:
            try:
                self._place_stored(report)
                rest = self.tracker.update()
            except BaseException:
                self._to_place = []
                self._reset_tracker()
                raise
            if report.tracked is None:
                report.tracked = rest
            else:
                report.tracked.absorb(rest)
            if report.tracked.late:
                report.warnings.append(_late_warning(report.tracked.late))
        if self.settings.extract.enabled:
            self._extract_missing(report)
            if self.link and (self.store.link_pending_ids() or self.store.entities_stale()):
                report.entities = link_entities(self.store)

    def _extract_missing(self, report: IngestReport) -> None:
        """Extract from articles that have no extraction: cleaned again after boilerplate was
        learnt, or stored before extraction existed."""
        missing = self.store.unextracted_ids()
        if not missing:
            return
        pool = self._workers.pool(start=len(missing) > _CHUNK)
        with self.store.transaction():
            for start in range(0, len(missing), _CHUNK * 4):
                ids = missing[start : start + _CHUNK * 4]
                items = []
                for article_id in ids:
                    stored = self.store.get(article_id)
                    items.append((article_id, stored.clean.text, stored.raw.published))
                if pool is None:
                    done = _extract_items(items)
                else:  # the workers extract, a chunk each, while this process waits to store
                    parts = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
                    with _sigint_held():
                        futures = [pool.submit(_extract_items, c) for c in parts]
                    done = [x for f in futures for x in f.result()]
                for article_id, (data, warnings) in zip(ids, done, strict=True):
                    self.store.save_extraction(article_id, data)
                    report.warnings.extend(warnings)
        report.extracted = len(missing)

    # -- outlet boilerplate ----------------------------------------------------------------

    def _lines(self, source: str) -> _SourceLines:
        known = self._sources.get(source)
        if known is None:
            total, counts = self.store.line_counts(source)
            known = self._sources[source] = _SourceLines(total, counts)
        return known

    def _floor(self, lines: _SourceLines) -> float:
        """In how many of a source's articles a line must be to be its boilerplate (none
        while the source has too few articles to tell)."""
        cfg = self.settings.clean
        if lines.total < cfg.boilerplate_min_articles:
            return math.inf
        return max(cfg.boilerplate_min_articles, cfg.boilerplate_min_share * lines.total)

    def _boilerplate(self, source: str, hashes: Iterable[int]) -> frozenset[int]:
        lines = self._lines(source)
        floor = self._floor(lines)
        return frozenset(h for h in hashes if lines.counts.get(h, 0) >= floor)

    def _boilerplate_set(self, source: str) -> frozenset[int]:
        """All the lines (by hash) that are the source's boilerplate now."""
        lines = self._lines(source)
        floor = self._floor(lines)
        return frozenset(h for h, n in lines.counts.items() if n >= floor)

    def _count(self, source: str, hashes: Iterable[int]) -> None:
        if source not in self._run_start:
            self._run_start[source] = self._boilerplate_set(source)
        known = self._lines(source)
        known.total += 1
        pending = self._pending_counts.setdefault(source, {})
        self._pending_totals[source] = self._pending_totals.get(source, 0) + 1
        for h in hashes:
            known.counts[h] = known.counts.get(h, 0) + 1
            pending[h] = pending.get(h, 0) + 1

    def _uncount(self, source: str, hashes: Iterable[int]) -> None:
        """Undo `_count` (of the last article counted for this source)."""
        known = self._sources[source]
        known.total -= 1
        pending = self._pending_counts[source]
        self._pending_totals[source] -= 1
        if not self._pending_totals[source]:
            del self._pending_totals[source]
        for h in hashes:
            for counts in (known.counts, pending):
                counts[h] -= 1
                if not counts[h]:
                    del counts[h]
        if not pending:
            del self._pending_counts[source]

    def _forget_counts(self) -> None:
        """Drop counts of a rolled-back batch; they are read again from the store."""
        self._pending_counts.clear()
        self._pending_totals.clear()
        self._run_start.clear()
        self._sources.clear()

    def _flush_counts(self) -> None:
        for source, total in self._pending_totals.items():
            self.store.count_lines(source, self._pending_counts.get(source, {}), articles=total)
        self._pending_counts.clear()
        self._pending_totals.clear()

    # -- ingest ----------------------------------------------------------------------------

    def ingest(
        self,
        items: Iterable[RawArticle | Skipped],
        on_item: Callable[[RawArticle | Skipped], None] | None = None,
    ) -> IngestReport:
        """Ingest every item; one bad record never stops the batch, each skip is recorded.

        Writes are committed every `store.batch_size` records; an interruption rolls back
        only the open batch, so no article is ever half written.
        """
        return self._ingest(items, on_item, self.settings.read.max_future_days)

    @fewer_collections()
    def _ingest(
        self,
        items: Iterable[RawArticle | Skipped],
        on_item: Callable[[RawArticle | Skipped], None] | None,
        max_future: float | None,
    ) -> IngestReport:
        """`ingest`, dates checked against `max_future` days ahead (None: read by readers,
        which checked them under their own settings)."""
        preparer = _Preparer(self._workers, self.settings)
        with _Batches(self, on_item) as batches:
            try:
                iterator = iter(items)
                sizes = chain(_FIRST_CHUNKS, repeat(_INGEST_CHUNK))
                more = True
                while True:
                    # keep the workers' queue full before storing the oldest chunk: a worker
                    # left without a chunk while this process stores is time lost
                    while more and preparer.has_room():
                        taken = list(islice(iterator, next(sizes)))
                        now = datetime.now(UTC)  # after reading: no reader's clock is later
                        chunk = [_storable(item, max_future, now) for item in taken]
                        more = bool(chunk)
                        if more:
                            preparer.submit(self._flag_unstored(chunk, preparer))
                    if not preparer:
                        break
                    batches.add_chunk(*preparer.next())
            except BaseException:
                preparer.abort()
                raise
        return self._track(batches.report)

    def _flag_unstored(self, chunk: list[RawArticle | Skipped], preparer: _Preparer) -> list[_Item]:
        """Each item, and whether it is an article to clean: all but those stored as they
        are. What is stored may still change before an item is: another version of its id
        earlier in the chunk or in a chunk not stored yet is cleaned too, and storing then
        tells a duplicate from an update, as in a run one article at a time."""
        raws = [i for i in chunk if isinstance(i, RawArticle)]
        same = iter(self.store.have_same(raws))
        seen: set[str] = set()
        flagged: list[_Item] = []
        for item in chunk:
            if isinstance(item, RawArticle):
                unsure = item.id in seen or preparer.waiting(item.id)
                flagged.append((item, not next(same) or unsure))
                seen.add(item.id)
            else:
                flagged.append((item, False))
        return flagged

    def ingest_inputs(
        self,
        inputs: Iterable[str | Path],
        read_settings: ReadSettings,
        *,
        outlet: str | None = None,
        on_item: Callable[[RawArticle | Skipped], None] | None = None,
    ) -> IngestReport:
        """Read and ingest files, folders and URLs; several files are read in parallel.

        With more than one worker and more than one file, each worker process reads whole
        files and cleans their articles, and this process only writes the store: articles are
        then stored in the order the files finish, and the final cleaned views are the same.
        Where one article comes in several files, the version of the file listed last is
        kept, as in a serial run; an earlier one that arrives after it is counted as a
        replaced version (updated), with a warning, as a serial run counts it.
        """
        units = list(expand(inputs))
        files = [u for u in units if isinstance(u, str)]
        if self.workers <= 1 or len(files) < 2:
            return self._ingest(_read_units(units, read_settings, outlet), on_item, None)
        return self._ingest_files(units, files, read_settings, outlet, on_item)

    @fewer_collections()
    def _ingest_files(
        self,
        units: list[str | Skipped],
        files: list[str],
        read_settings: ReadSettings,
        outlet: str | None,
        on_item: Callable[[RawArticle | Skipped], None] | None,
    ) -> IngestReport:
        """`ingest_inputs` of several files read in parallel by the workers."""
        with _Batches(self, on_item) as batches:
            for unit in units:
                if isinstance(unit, Skipped):
                    batches.add(unit, None)
            # files finish out of order: a version of an article from an earlier file must
            # not replace the one stored from a later file (which a serial run keeps)
            kept_from: dict[str, int] = {}
            parts = _parallel_read(files, self.workers, read_settings, self.settings, outlet)
            for index, chunk in parts:
                for item, prepared in chunk:
                    if isinstance(item, RawArticle):
                        later = kept_from.get(item.id, index)
                        if later > index:
                            batches.write_deferred()  # the version kept may wait there
                            if self.store.has_same(item):  # that very version: a duplicate
                                batches.add(item, None)
                                continue
                            # as a serial run reports it: one more version, replaced by
                            # the later one (which it never overwrites here)
                            batches.superseded(item, files[later])
                            continue
                        kept_from[item.id] = index
                    stored = isinstance(item, RawArticle) and self.store.has_same(item)
                    batches.add(item, None if stored else prepared)
        return self._track(batches.report)

    def _ready(self, raw: RawArticle, prepared: _Prepared) -> _Ready:
        """The view to store: the prepared one, or cleaned again with the outlet boilerplate
        known now (what was derived from the prepared view is then recomputed later)."""
        applied = self._boilerplate(raw.source, prepared.lines)
        if not applied:
            return _Ready(
                raw,
                prepared,
                prepared.view,
                prepared.sketch,
                prepared.terms,
                applied,
                prepared.extraction,
            )
        return _Ready(raw, prepared, self._clean_with(raw, applied), None, None, applied)

    def _store_one(self, raw: RawArticle, prepared: _Prepared, batches: _Batches) -> None:
        ready = self._ready(raw, prepared)
        batches.report.warnings.extend(prepared.warnings)
        outcome = self.store.add(
            raw, ready.view, sketch=ready.sketch, terms=ready.terms, extraction=ready.extraction
        )
        if outcome == "new":
            self._count(raw.source, prepared.lines)
        self._stored(ready, outcome, batches)

    def _stored(self, ready: _Ready, outcome: AddResult, batches: _Batches) -> None:
        """Account for an article just stored (its lines already counted when new)."""
        raw, lines = ready.raw, ready.prepared.lines
        report, cleaned, emptied = batches.report, batches.cleaned, batches.emptied
        before = batches.origins.get(raw.id)
        report.outcomes.append((raw.id, outcome))
        if outcome == "new":
            report.new += 1
        elif outcome == "updated":
            report.updated += 1
            if before is not None:  # two versions of one id in one run: the later one is kept
                report.warnings.append(
                    f"{raw.origin}: article id {raw.id!r} came earlier in this run, with "
                    f"other content ({before}); this version replaces it"
                )
            if self.tracker is not None:  # its old text must not be matched as a copy again
                if self.in_order:  # but the articles before it in the feed still meet it
                    self._place_stored(report)
                self.tracker.forget(raw.id)
        else:
            report.duplicate += 1
        if outcome != "duplicate" and _emptied(raw, ready.view):
            emptied[raw.id] = None  # warned at the end of the run if its body is still empty
        if lines and outcome != "duplicate":
            cleaned[raw.id] = _Cleaned(raw.id, raw.source, lines, ready.applied)
        if self.in_order and self.tracker is not None and outcome != "duplicate":
            self._to_place.append((StoredArticle(raw, ready.view, ""), ready.sketch, ready.terms))
        batches.origins[raw.id] = raw.origin  # last: an article that failed is not stored
        batches.read.add(raw.origin)

    def _place_stored(self, report: IngestReport) -> None:
        """In-order feeds: cluster the articles just stored, as they come."""
        if not self._to_place or self.tracker is None:
            return
        placed = self.tracker.place(self._to_place)
        self._to_place = []
        if report.tracked is None:
            report.tracked = placed
        else:
            report.tracked.absorb(placed)

    def _warn_emptied(self, article_ids: Iterable[str], report: IngestReport) -> None:
        """One warning for each of these articles whose stored body, at the end of the run,
        is empty: not for a body given back by a later cleaning or a later version."""
        for article_id in article_ids:
            stored = self.store.get(article_id)
            if _emptied(stored.raw, stored.clean):
                report.warnings.append(_emptied_warning(stored.clean))

    def _clean_with(self, raw: RawArticle, boilerplate: frozenset[int]) -> CleanArticle:
        """Clean again with the outlet boilerplate lines (by hash) that this article holds."""
        cfg = self.settings.clean
        keys = candidate_lines(raw, max_words=cfg.boilerplate_max_words)
        return clean(raw, cfg, frozenset(k for k in keys if line_hash(k) in boilerplate))

    def _reclean(self, cleaned: dict[str, _Cleaned], emptied: dict[str, None]) -> int:
        """Clean again the articles of this run whose source's boilerplate grew after them
        (or shrank: an outlet's bar rises with its article count); those left with an empty
        body join `emptied`."""
        done: dict[str, str] = {}
        for item in cleaned.values():
            final = self._boilerplate(item.source, item.lines)
            if final == item.applied:
                continue
            raw = self.store.get(item.id).raw
            view = self._clean_with(raw, final)
            if _emptied(raw, view):
                emptied[item.id] = None
            self.store.replace_clean(item.id, view)
            done[item.id] = view.normalized_text
        self._resketch(done)
        return len(done)

    def _reclean_stored(
        self, cleaned: dict[str, _Cleaned], emptied: dict[str, None], interrupted: set[str]
    ) -> int:
        """Clean again the articles of earlier runs that hold a line this run made (or
        unmade) their source's boilerplate: a footer learnt once an outlet's fifth article
        came stayed in its first four for good when they came in an earlier run (in one run
        they lose it), in their text, sketches and story terms. Earlier runs left every
        article cleaned with the boilerplate known at their end, so only articles holding a
        line whose standing changed since are cleaned again. Their clusters stay as placed
        until `recluster`, which clusters the new views as one run would.

        A run interrupted after some of its batches were committed left its sources
        (`interrupted`) with counts their articles were not cleaned by: each of their
        articles is cleaned again, and stored again where the view differs."""
        done: dict[str, str] = {}
        max_words = self.settings.clean.boilerplate_max_words
        for source in sorted(self._run_start.keys() | interrupted):
            after = self._boilerplate_set(source)
            whole = source in interrupted
            changed = self._run_start.get(source, after) ^ after
            if not changed and not whole:
                continue
            for article_id, text in self.store.source_texts(source):
                if article_id in cleaned:
                    continue  # this run's own: see `_reclean`
                keys = candidate_text_lines(text, max_words)
                if not whole and {line_hash(k) for k in keys}.isdisjoint(changed):
                    continue
                stored = self.store.get(article_id)
                view = self._clean_with(stored.raw, after)
                if whole and view == stored.clean:
                    continue
                if _emptied(stored.raw, view):
                    emptied[article_id] = None
                self.store.replace_clean(article_id, view)
                done[article_id] = view.normalized_text
        self._resketch(done)
        return len(done)

    def _resketch(self, done: dict[str, str]) -> None:
        """Keep the sketch of the new view (`done`: id -> normalised text) of articles cleaned
        again that were clustered already and are not clustered again, else a tracker
        restored from the store would not match them."""
        if done and self.tracker is not None:
            placed = [i for i in self.store.assignments_of(done) if i in done]
            sketches = _hasher(self.settings.copies).sketch_texts([done[i] for i in placed])
            for article_id, sketch in zip(placed, sketches, strict=True):
                self.store.save_sketch(article_id, sketch.to_bytes())
