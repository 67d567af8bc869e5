"""The `akhbar` command line: a thin adapter over the library (Typer + Rich)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from platformdirs import user_data_dir
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from akhbar.dedup import shared_passages
from akhbar.digest import render_html, render_markdown, story_digest
from akhbar.errors import AkhbarError, ConfigError, InputError, NotFoundError, StoreError
from akhbar.evaluate import LEVELS, load_gold, score_clustering
from akhbar.extract.codec import extraction_to_dict
from akhbar.extract.entities import (
    LinkedMentions,
    StoredQuote,
    speaker_entity_of,
    stored_quotes,
)
from akhbar.extract.model import Extraction
from akhbar.io import read
from akhbar.io.blob import display_name
from akhbar.model import CleanArticle, RawArticle, Skipped
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store.sqlite import MAX_OFFSET, ArticleBrief, SqliteStore, StoredEntity
from akhbar.stories import parse_time
from akhbar.text.clean import clean as clean_article
from akhbar.text.normalize import normalize
from akhbar.tracking import recluster

__all__ = ["app", "main"]

EXIT_OK, EXIT_SKIPPED, EXIT_FATAL = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a command its reader stopped (SIGPIPE)

app = typer.Typer(
    name="akhbar",
    help="Arabic news: read, clean and store articles; find copies, stories and events; search.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def default_db() -> Path:
    """The database used when --db is not given: $AKHBAR_DB, else the user's data directory."""
    env = os.environ.get("AKHBAR_DB")
    return Path(env) if env else Path(user_data_dir("akhbar")) / "akhbar.db"


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite database file (default: $AKHBAR_DB, else akhbar.db in the user data dir).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML file overriding the packaged settings.")
]


def _text_outlet(value: str | None) -> str | None:
    """An outlet name that can be stored: one given in bytes that are not UTF-8 would cost
    every article it names, so it is refused up front."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = display_name(value)
            raise typer.BadParameter(
                f"{shown!r} is not UTF-8 text; give the outlet in UTF-8"
            ) from None
    return value


OutletOption = Annotated[
    str | None,
    typer.Option(
        "--outlet", help="Outlet of articles whose input does not name one.", callback=_text_outlet
    ),
]


def _reader_gone() -> NoReturn:
    """Standard output's reader stopped early (`akhbar stories | head`): end quietly with
    the code a shell gives a command stopped by SIGPIPE, not 1 ('records skipped'); what is
    still written, the final flush included, goes to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(EXIT_BROKEN_PIPE)


class _Console(Console):
    """Rich's console, ending on a closed pipe as the plain writes below do."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        _reader_gone()


def _write(text: str) -> None:
    """Write to standard output (JSON, JSONL, a digest) as `print` would."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        _reader_gone()


def _console() -> Console:
    """Standard output, where strings are shown as written: ids, titles and paths are the
    user's own text, and `[b]` in one must not style (or drop, or fail on) what follows."""
    return _Console(highlight=False, soft_wrap=True, markup=False)


def _err() -> Console:
    """Standard error, as `_console`: styles come from `Text`, never from markup."""
    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def _open_store(db: Path | None, settings: Settings, *, create: bool = False) -> SqliteStore:
    """The store at --db; only commands that write may create it (a mistyped path fails)."""
    path = db or default_db()
    if not create and not path.exists():
        raise StoreError(f"no database at {path}: ingest articles first, or check --db")
    return SqliteStore(path, settings.store)


_COMPRESSED = (".gz",)  # suffixes of articles files read through their decompression


def _write_file(path: Path, text: str, store: Path | None = None) -> None:
    """Write an output file; a path that cannot be written is a one-line error, and so is
    the file of the `store` read (writing over it destroyed the database)."""
    if store is not None and _same_file(path, store):
        raise AkhbarError(f"--out {path} is the database read: give another file")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AkhbarError(f"cannot write {path}: {exc.strerror or exc}; check --out") from exc


def _same_file(path: Path, other: Path) -> bool:
    """Whether two paths name one existing file (through links and relative parts)."""
    try:
        return path.exists() and os.path.samefile(path, other)
    except OSError:
        return False


def _warn_unclustered(store: SqliteStore, settings: Settings) -> int:
    """Say so when stored articles wait to be clustered (an ingest stopped before it
    clustered them, or clustering is off): they are in no story yet. How many wait."""
    waiting = len(store.unclustered_ids())
    if not waiting:
        return 0
    why = (
        # the ingest that stored them may have run with other settings: both causes named
        "an ingest stopped before clustering them, or ran with clustering off; the next "
        "`akhbar ingest` clusters them, or `akhbar recluster` now"
        if settings.tracking.enabled
        else "clustering is off in the settings ([tracking] enabled = false)"
    )
    _err().print(
        Text.assemble(("warning:", "yellow"), f" {waiting} stored article(s) are in no story "
                      f"yet: {why}")
    )  # fmt: skip
    return waiting


def _print_json(obj: Any) -> None:
    _write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def clean_json(raw: RawArticle, view: CleanArticle) -> dict[str, Any]:
    """The `clean --json` object: title, published, language, outlet, paragraphs, removed."""
    return {
        "title": view.title,
        "published": raw.published,
        "language": raw.language,
        "outlet": raw.outlet if raw.outlet is not None else raw.source,
        "paragraphs": [
            {"kind": b.kind, "text": b.text, "start": b.start, "end": b.end} for b in view.blocks
        ],
        "removed": [{"text": r.text, "reason": r.reason} for r in view.removed],
    }


def _print_article(console: Console, raw: RawArticle, view: CleanArticle) -> None:
    console.rule(Text(raw.id, style="bold"))
    meta = Table.grid(padding=(0, 2))
    meta.add_row("title", Text(view.title or "—"))
    meta.add_row("outlet", Text(raw.outlet or f"{raw.source} (file)"))
    meta.add_row("published", Text(raw.published or "unknown"))
    lang = raw.language or "und"
    meta.add_row("language", f"{lang} (detected)" if raw.language_detected else lang)
    if raw.url:
        meta.add_row("url", Text(raw.url))
    console.print(meta)
    console.print()
    for block in view.blocks:
        if block.kind == "heading":
            console.print(Text(f"## {block.text}", style="bold cyan"))
        else:
            console.print(Text(block.text))
        console.print()
    if view.removed:
        table = Table(title="removed by cleaning", show_lines=True)
        table.add_column("reason", style="yellow", no_wrap=True)
        table.add_column("text")
        for r in view.removed:
            table.add_row(r.reason, Text(r.text))
        console.print(table)
    for e in view.edits:
        console.print(Text(f"{e.rule}: {' | '.join(e.after)}", style="dim"))
    for w in raw.warnings:
        console.print(Text.assemble(("warning: ", "yellow"), w))


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or feed/page URLs.")],
    db: DbOption = None,
    outlet: OutletOption = None,
    config: ConfigOption = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Processes that read and clean (default: one per CPU)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read, clean and store articles; print what was ingested, duplicate or skipped."""
    settings = Settings.load(config)
    err = _err()
    # the ingestor closed with the store: its worker processes end here, not in an atexit
    # handler after what they need is gone (a traceback on exit now and then)
    with (
        _open_store(db, settings, create=True) as store,
        Ingestor(store, settings, workers=workers) as ingestor,
    ):
        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("records"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json,
        )
        with progress:
            task = progress.add_task("ingest", total=None)
            report = ingestor.ingest_inputs(
                inputs, settings.read, outlet=outlet, on_item=lambda _item: progress.advance(task)
            )
    if as_json:
        _print_json(
            {
                "new": report.new,
                "duplicate": report.duplicate,
                "updated": report.updated,
                "recleaned": report.recleaned,
                "extracted_later": report.extracted,
                "entities": report.entities,
                "skipped": [{"origin": str(s.origin), "reason": s.reason} for s in report.skipped],
                "warnings": report.warnings,
            }
        )
    else:
        console = _console()
        table = Table(title=f"ingested into {db or default_db()}")
        table.add_column("outcome")
        table.add_column("articles", justify="right")
        table.add_row("new", str(report.new))
        table.add_row("duplicate (already stored)", str(report.duplicate))
        table.add_row("updated", str(report.updated))
        table.add_row("skipped", str(len(report.skipped)))
        console.print(table)
        if report.entities is not None:
            console.print(f"entities linked across the store: {report.entities}")
        for s in report.skipped:
            console.print(Text.assemble(("skipped ", "red"), f"{s.origin}: {s.reason}"))
        for w in report.warnings:
            console.print(Text.assemble(("warning ", "yellow"), w))
    raise typer.Exit(EXIT_SKIPPED if report.skipped else EXIT_OK)


@app.command()
def show(
    article_ids: Annotated[list[str] | None, typer.Argument(help="Article id(s).")] = None,
    db: DbOption = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every stored article.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Print stored articles, cleaned, with what cleaning removed and why."""
    if not article_ids and not show_all:
        raise typer.BadParameter("give an article id, or --all")
    settings = Settings.load()
    console = _console()
    with _open_store(db, settings) as store:
        ids = store.ids() if show_all else list(article_ids or [])
        objects = []
        for article_id in ids:
            stored = store.get(article_id)
            found = _stored_extraction(store, article_id)
            linked = LinkedMentions(store.mention_entities(article_id))
            if as_json:
                obj = _show_json(stored.raw, stored.clean)
                obj.update(_extraction_json(found, linked))
                objects.append(obj)
            else:
                _print_article(console, stored.raw, stored.clean)
                _print_extraction(console, found)
    if as_json:
        _print_json(objects[0] if len(objects) == 1 and not show_all else objects)


def _stored_extraction(store: SqliteStore, article_id: str) -> Extraction | None:
    """The article's extraction; None only where nothing was extracted (extraction off)."""
    try:
        return store.extraction(article_id)
    except NotFoundError:
        return None


def _extraction_json(found: Extraction | None, linked: LinkedMentions) -> dict[str, Any]:
    """`entities`, `quotes`, `cited_sources` and `dates` of `show --json`; each entity
    mention carries its linked entity id, each quote its speaker's."""
    if found is None:
        return {"entities": None, "quotes": None, "cited_sources": None, "dates": None}
    obj = extraction_to_dict(found)
    for m in obj["entities"]:
        m["entity"] = linked.get((m["start"], m["end"]))
    for q, quote in zip(obj["quotes"], found.quotes, strict=True):
        q["speaker_entity"] = speaker_entity_of(quote, linked)
    return obj


def _print_extraction(console: Console, found: Extraction | None) -> None:
    if found is None:
        console.print(Text("nothing extracted (extraction disabled when ingested)", style="dim"))
        return
    if found.entities:
        seen: dict[tuple[str, str], str | None] = {}
        for m in found.entities:
            seen.setdefault((m.type, m.text), m.role)
        console.print(Text("entities", style="bold"))
        for (kind, text), role in seen.items():
            console.print(Text(f"  {kind:4} {text}" + (f"  ({role})" if role else "")))
    if found.quotes:
        table = Table(title="quotes", show_lines=True)
        for column in ("speaker", "kind", "cue", "quote"):
            table.add_column(column)
        for q in found.quotes:
            table.add_row(Text(q.speaker or "—"), q.kind, Text(q.cue), Text(q.text))
        console.print(table)
    for s in found.sources:
        console.print(Text(f"cited source ({s.kind}): {s.name} — {s.text}"))
    for d in found.dates:
        console.print(Text(f"date ({d.kind}): {d.text} = {d.value or '?'}"))


def _show_json(raw: RawArticle, view: CleanArticle) -> dict[str, Any]:
    obj = {"id": raw.id, **clean_json(raw, view)}
    obj["url"] = raw.url
    obj["source"] = raw.source
    obj["raw_text"] = raw.text
    obj["edits"] = [
        {"rule": e.rule, "before": e.before, "after": list(e.after)} for e in view.edits
    ]
    obj["warnings"] = list(raw.warnings)
    return obj


@app.command("clean")
def clean_cmd(
    path: Annotated[Path, typer.Argument(help="A file (text, JSONL, JSON, HTML, feed).")],
    outlet: OutletOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print the cleaned article(s) of a file without storing anything."""
    settings = Settings.load(config)
    skipped: list[Skipped] = []
    console = _console()
    for item in read([str(path)], settings.read, outlet=outlet):
        if isinstance(item, Skipped):
            skipped.append(item)
            _err().print(Text.assemble(("skipped ", "red"), str(item)))
            continue
        view = clean_article(item, settings.clean)
        if as_json:  # JSON Lines: a file of many articles stays one parseable stream
            for warning in item.warnings:  # (the article's view prints its own)
                _err().print(Text.assemble(("warning ", "yellow"), warning))
            obj = {"id": item.id, "origin": str(item.origin), **clean_json(item, view)}
            obj["warnings"] = list(item.warnings)
            _write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            _print_article(console, item, view)
    raise typer.Exit(EXIT_SKIPPED if skipped else EXIT_OK)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (any spelling variant).")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Most results.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over the normalised text of stored articles."""
    settings = Settings.load()
    with _open_store(db, settings) as store:
        hits = store.search(query, limit)
    if as_json:
        _print_json(
            [
                {
                    "id": h.id,
                    "title": h.title,
                    "source": h.source,
                    "published": h.published,
                    "snippet": h.snippet,
                    "marks": [list(m) for m in h.marks],
                }
                for h in hits
            ]
        )
        return
    console = _console()
    if not hits:
        console.print("no match")
        return
    for h in hits:
        console.print(Text.assemble((h.id, "bold"), f"  {h.published or ''}  {h.source}"))
        console.print(Text(f"  {h.title or ''}"))
        snippet = Text(f"  {h.snippet}", style="dim")
        for start, end in h.marks:  # the matched words, as the web page marks them
            snippet.stylize("bold reverse", start + 2, end + 2)
        console.print(snippet)


@app.command()
def skipped(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the records that could not be ingested, with their reasons."""
    with _open_store(db, Settings.load()) as store:
        rows = store.skipped()
        where = store.path
    if as_json:
        _print_json([{"origin": o, "reason": r} for o, r in rows])
        return
    if not rows:  # an empty output would read as a command that did nothing
        _err().print(Text(f"no skipped records in {where}"))
    for origin, reason in rows:
        _console().print(Text(f"{origin}: {reason}"))


@app.command()
def stories(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Most stories.")] = 30,
    offset: Annotated[int, typer.Option(min=0, max=MAX_OFFSET, help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """List stories, newest first, with their outlets and size."""
    settings = Settings.load(config)
    with _open_store(db, settings) as store:
        rows = store.stories(limit=limit, offset=offset)
        _warn_unclustered(store, settings)
    if as_json:
        _print_json(
            [
                {"story": r.story, "articles": r.articles, "events": r.events,
                 "outlets": list(r.outlets), "first": r.first, "last": r.last,
                 "headline": r.headline}
                for r in rows
            ]
        )  # fmt: skip
        return
    table = Table(title="stories (newest first)")
    table.add_column("story", no_wrap=True, min_width=max((len(r.story) for r in rows), default=5))
    for column in ("articles", "outlets", "dates", "headline"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r.story, str(r.articles), Text(", ".join(r.outlets)), _date_range(r.first, r.last),
            Text(r.headline or ""),
        )  # fmt: skip
    _console().print(table)


@app.command("recluster")
def recluster_cmd(
    db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False
) -> None:
    """Cluster every stored article again, in publication order, as one run would (after an
    archive was added later than newer news)."""
    settings = Settings.load(config)
    if not settings.tracking.enabled:
        raise ConfigError(
            "clustering is off in the settings ([tracking] enabled = false): recluster would "
            "cluster a store that later ingests leave unclustered; turn it on first"
        )
    with _open_store(db, settings) as store:
        report = recluster(store, settings)
    figures = {
        "clustered": report.clustered,
        "copies": report.copies,
        "stories_opened": report.new_stories,  # before merges: not how many there are now
        "merged": report.merged,
        "seconds": round(report.seconds, 3),
    }
    if as_json:
        _print_json(figures)
        return
    _console().print(
        f"clustered {report.clustered} articles: {report.new_stories} stories opened "
        f"({report.merged} merged), {report.copies} copies, in {report.seconds:.1f} s"
    )


def _date_range(first: str | None, last: str | None) -> str:
    """A story's first and last publication days (one day once), "—" when undated; the last
    day in the first's time zone, so that an earlier day never comes second (01:00+05:00 on
    the 12th is before 23:00+00:00 on the 11th)."""
    days = [d[:10] for d in (first, last) if d]
    if not days:
        return "—"
    start, end = parse_time(first), parse_time(last)
    if start is not None and end is not None and len(days) == 2 and len(last or "") > 10:
        days[1] = end.astimezone(start.tzinfo).date().isoformat()
    return days[0] if days[0] == days[-1] else f"{days[0]} – {days[-1]}"


@app.command("story")
def story_cmd(
    story_id: Annotated[str, typer.Argument(help="Story id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Show one story's articles, oldest first, copies marked."""
    settings = Settings.load(config)
    with _open_store(db, settings) as store:
        _warn_unclustered(store, settings)  # (first: articles not clustered are in no story)
        briefs = store.story(story_id)
    if as_json:
        _print_json([_brief_json(b) for b in briefs])
        return
    events = {e: n for n, e in enumerate(dict.fromkeys(b.assignment.event for b in briefs), 1)}
    # copy groups numbered as events are: an original stored after its copy names none, and
    # neither does its copy, so "copy of" alone left some copies unmarked
    sizes = Counter(b.assignment.copy for b in briefs)
    shared = [c for c in dict.fromkeys(b.assignment.copy for b in briefs) if sizes[c] > 1]
    groups = {c: n for n, c in enumerate(shared, 1)}
    table = Table(title=f"story {story_id}: {len(briefs)} articles, {len(events)} events")
    width = max(len(b.id) for b in briefs)
    table.add_column("article", no_wrap=True, min_width=width)
    table.add_column("outlet")
    table.add_column("published")
    table.add_column("event", justify="right")
    table.add_column("copies", justify="right")
    table.add_column("copy of", no_wrap=True)
    table.add_column("title")
    for b in briefs:
        a = b.assignment
        group = str(groups[a.copy]) if a.copy in groups else ""
        table.add_row(
            b.id, Text(b.source), b.published or "—", str(events[a.event]), group,
            a.copy_of or "", Text(b.title or ""),
        )  # fmt: skip
    _console().print(table)


@app.command()
def copies(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """List groups of articles that are copies of one text (syndicated wire copy)."""
    settings = Settings.load(config)
    with _open_store(db, settings) as store:
        groups = store.copy_groups()
        where = store.path
        waiting = _warn_unclustered(store, settings)
    if as_json:
        _print_json([[_brief_json(b) for b in g] for g in groups])
        return
    if not groups:  # an empty output would read as a command that did nothing
        # (articles not clustered yet were matched with nothing: no claim about them)
        why = "" if waiting else ": no article copies another"
        _err().print(Text(f"no copy groups in {where}{why}"))
    console = _console()
    for g in groups:
        console.print(Text(f"copy group {g[0].assignment.copy} ({len(g)} articles)", style="bold"))
        for b in g:
            console.print(Text(f"  {b.id}  {b.source}  {b.published or '—'}  {b.title or ''}"))


def _brief_json(b: ArticleBrief) -> dict[str, Any]:
    a = b.assignment
    return {
        "id": b.id, "outlet": b.source, "published": b.published, "title": b.title,
        "story": a.story, "event": a.event, "copy": a.copy, "copy_of": a.copy_of,
    }  # fmt: skip


@app.command()
def passages(
    first: Annotated[str, typer.Argument(help="Article id.")],
    second: Annotated[str, typer.Argument(help="Another article id.")],
    db: DbOption = None,
    min_words: Annotated[int, typer.Option(min=2, help="Shortest passage, in words.")] = 8,
    as_json: JsonOption = False,
) -> None:
    """Passages two articles share (quoted speech, reused paragraphs), with their offsets."""
    with _open_store(db, Settings.load()) as store:
        a, b = store.get(first).clean.text, store.get(second).clean.text
    pairs = shared_passages(a, b, min_words=min_words)
    if as_json:
        _print_json(
            [
                {"a_start": p.a_start, "a_end": p.a_end, "b_start": p.b_start, "b_end": p.b_end,
                 "words": p.words, "a_text": a[p.a_start : p.a_end],
                 "b_text": b[p.b_start : p.b_end]}
                for p in pairs
            ]
        )  # fmt: skip
        return
    console = _console()
    if not pairs:
        console.print("no shared passage")
    for p in pairs:
        console.print(Text(f"{p.words} words in common", style="bold"))
        console.print(Text(f"  {first}[{p.a_start}:{p.a_end}]: ", style="dim") +
                      Text(a[p.a_start : p.a_end]))  # fmt: skip
        console.print(Text(f"  {second}[{p.b_start}:{p.b_end}]: ", style="dim") +
                      Text(b[p.b_start : p.b_end]))  # fmt: skip
        console.print()


export_app = typer.Typer(help="Export data from the store.", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _extraction_notes(store: SqliteStore) -> None:
    """Say on stderr why entities or quotes may be missing or out of date."""
    if len(store) and not store.extracted_count():
        _err().print(
            "note: nothing was extracted in this store (ingested with [extract] enabled = false); "
            "ingest again with extraction on to extract every stored article"
        )
    elif store.entities_stale() or store.link_pending_ids():
        _err().print(
            "note: articles changed since entities were linked; counts are updated by the next "
            "ingest with extraction on"
        )


def _entity_json(e: StoredEntity) -> dict[str, Any]:
    return {
        "id": e.id, "type": e.type, "name": e.name, "variants": list(e.variants),
        "roles": list(e.roles), "mentions": e.mentions, "articles": e.articles,
    }  # fmt: skip


@app.command()
def entities(
    db: DbOption = None,
    kind: Annotated[
        str | None, typer.Option("--type", help="Only this type: PER, LOC, ORG or MISC.")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Only entities with a spelling like this.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Most entities (default: all).")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the people, places and organisations of all articles, with every spelling."""
    if kind is not None and kind.upper() not in {"PER", "LOC", "ORG", "MISC"}:
        raise typer.BadParameter(f"unknown type {kind!r}: use PER, LOC, ORG or MISC")
    with _open_store(db, Settings.load()) as store:
        rows = store.entities(kind.upper() if kind else None, name, limit)
        _extraction_notes(store)
    if as_json:
        _print_json([_entity_json(e) for e in rows])
        return
    table = Table(title=f"entities ({len(rows)})")
    table.add_column("id", no_wrap=True)
    for column in ("type", "name", "mentions", "variants", "roles"):
        table.add_column(column)
    for e in rows:
        table.add_row(
            e.id, e.type, Text(e.name), str(e.mentions), Text(" | ".join(e.variants)),
            Text(" | ".join(e.roles)),
        )  # fmt: skip
    _console().print(table)


def _resolve_entity(store: SqliteStore, wanted: str) -> str:
    """An entity id, given its id or a spelling: an exact spelling first, else the one entity
    whose spellings contain it; several candidates are listed, never guessed between."""
    try:
        return store.entity(wanted).id
    except NotFoundError:
        found = store.entities(name=wanted)
    if not found:
        raise NotFoundError(f"no entity with id or spelling {wanted!r}; list them: akhbar entities")
    key = normalize(wanted)
    exact = [e for e in found if key in {normalize(v) for v in (e.name, *e.variants)}]
    if len(exact) == 1 or (not exact and len(found) == 1):
        return (exact or found)[0].id
    listed = ", ".join(f"{e.id} ({e.name})" for e in (exact or found)[:8])
    raise typer.BadParameter(f"several entities match {wanted!r}: {listed}; give one id")


def _quote_json(q: StoredQuote) -> dict[str, Any]:
    return {
        "speaker": q.speaker, "speaker_entity": q.speaker_entity, "text": q.text, "kind": q.kind,
        "cue": q.cue, "article": q.article, "start": q.start, "end": q.end,
    }  # fmt: skip


@app.command()
def quotes(
    db: DbOption = None,
    entity: Annotated[
        str | None, typer.Option(help="Only quotes of this speaker (entity id or spelling).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List quotes across all articles with their speakers, direct or reported."""
    with _open_store(db, Settings.load()) as store:
        _extraction_notes(store)
        wanted = _resolve_entity(store, entity) if entity is not None else None
        rows = list(stored_quotes(store, wanted))
    if as_json:
        _print_json([_quote_json(q) for q in rows])
        return
    table = Table(title=f"quotes ({len(rows)})", show_lines=True)
    for column in ("speaker", "kind", "quote", "article"):
        table.add_column(column)
    for q in rows:
        table.add_row(Text(q.speaker or "—"), q.kind, Text(q.text), q.article)
    _console().print(table)


_DIGEST_SUFFIX = {"json": "json", "md": "md", "html": "html"}


@app.command()
def digest(
    story_id: Annotated[str | None, typer.Argument(help="Story id (see akhbar stories).")] = None,
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="json, md or html.")] = "md",
    every: Annotated[bool, typer.Option("--all", help="Every story, one file each.")] = False,
    out: Annotated[
        Path | None, typer.Option(help="Output file (one story) or directory (--all).")
    ] = None,
) -> None:
    """The story digest: claims with their outlets, what only one outlet reports, quotes,
    entities, cited sources, disagreeing numbers and the timeline."""
    if fmt not in _DIGEST_SUFFIX:
        raise typer.BadParameter(f"unknown format {fmt!r}: use json, md or html")
    if every == (story_id is not None):
        raise typer.BadParameter("give a story id, or --all with --out DIR")
    if every and out is None:
        raise typer.BadParameter("--all writes one file per story: give --out DIR")
    with _open_store(db, Settings.load()) as store:
        ids = [s.story for s in store.stories(limit=1_000_000)] if every else [story_id or ""]
        if every and out is not None:
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AkhbarError(f"cannot make {out}: {exc.strerror or exc}") from exc
        for sid in ids:
            text = _render_digest(store, sid, fmt)
            if every and out is not None:
                _write_file(out / f"{_file_name(sid)}.{_DIGEST_SUFFIX[fmt]}", text, store.path)
            elif out is not None and str(out) != "-":
                _write_file(out, text, store.path)
            else:
                _write(text)
    if every:
        _err().print(f"{len(ids)} digests written to {out}")


def _file_name(story_id: str) -> str:
    """A file name for a story id (ids come from article ids, which may hold `/` or `:`)."""
    safe = re.sub(r"[^\w.-]", "_", story_id)
    if safe == story_id:
        return safe
    return f"{safe[:80]}-{hashlib.blake2b(story_id.encode(), digest_size=4).hexdigest()}"


def _render_digest(store: SqliteStore, story_id: str, fmt: str) -> str:
    found = story_digest(store, story_id)
    if fmt == "json":
        return json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return render_markdown(found) if fmt == "md" else render_html(found)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve the HTTP API (/api, schema at /openapi.json) and the Arabic web pages (needs the
    web extra: pip install "akhbar\\[web]")."""  # `\[`: Rich would read `[web]` as a style
    from akhbar.web import serve as run  # noqa: PLC0415 - optional extra

    run(db or default_db(), host, port, Settings.load(config))


@export_app.command("assignments")
def export_assignments(
    db: DbOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write to this file instead of stdout (-: stdout)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write one JSONL row per article: {"id", "story", "event", "copy"}."""
    settings = Settings.load(config)
    with _open_store(db, settings) as store:
        rows = store.assignments()
        _warn_unclustered(store, settings)
        where = store.path
    lines = "".join(
        json.dumps({"id": a.article_id, "story": a.story, "event": a.event, "copy": a.copy},
                   ensure_ascii=False) + "\n"
        for a in rows
    )  # fmt: skip
    if out is None or str(out) == "-":
        _write(lines)
    else:
        _write_file(out, lines, where)


eval_app = typer.Typer(help="Measure quality against labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("clusters")
def eval_clusters(
    articles: Annotated[Path, typer.Argument(help="Labelled articles (JSONL input format).")],
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            help="Labels {id, story, event, copy} per line (default: the labels inside "
            "ARTICLES, else ARTICLES with -gold before the suffix).",
        ),
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Keep the database here (default: a temporary one).")
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Reading processes.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest labelled articles into a fresh store; score stories, events and copies."""
    settings = Settings.load()
    if not articles.is_file():
        what = "a folder, not" if articles.is_dir() else "no such file:"
        raise InputError(str(articles), f"{what} the JSONL file of labelled articles to ingest")
    labels = _gold_labels(articles, gold)
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "eval.db"
        if path.exists():
            raise typer.BadParameter(
                f"{path} exists: eval needs a fresh database", param_hint="--db"
            )
        with (
            SqliteStore(path, settings.store) as store,
            Ingestor(store, settings, workers=workers) as ingestor,
        ):
            report = ingestor.ingest_inputs([articles], settings.read)
            rows = store.assignments()
    predicted = {
        "story": {a.article_id: a.story for a in rows},
        "event": {a.article_id: a.event for a in rows},
        "copy": {a.article_id: a.copy for a in rows},
    }
    scores = {level: score_clustering(labels[level], predicted[level]) for level in LEVELS}
    labelled = set().union(*(labels[level] for level in LEVELS))
    if not any(s.n for s in scores.values()):  # all zeros would read as a (bad) score
        raise InputError(
            str(gold or articles),
            f"none of its {len(labelled)} labelled id(s) is among the {len(rows)} article(s) "
            f"clustered from {articles.name}: are these the labels of that file?",
        )
    for item in report.skipped:
        _err().print(Text.assemble(("skipped ", "red"), f"{item.origin}: {item.reason}"))
    done = EXIT_SKIPPED if report.skipped else EXIT_OK
    if as_json:
        # a level with no label has no score (null), not a score of 0
        out: dict[str, Any] = {level: s.as_dict() if s.n else None for level, s in scores.items()}
        out["skipped"] = [{"origin": str(i.origin), "reason": i.reason} for i in report.skipped]
        _print_json(out)
        raise typer.Exit(done)
    missing = max(s.missing for s in scores.values())
    title = f"{articles.name}: {len(rows)} articles clustered"
    if missing:  # scored on the articles clustered only: say how many labelled ones are not
        title += (
            f"; {missing} labelled article(s) not clustered (not in the file, or skipped), "
            "not scored"
        )
    unlabelled = sum(1 for a in rows if a.article_id not in labelled)
    if unlabelled:
        title += f"; {unlabelled} clustered article(s) have no label, not scored"
    if report.skipped:
        title += f" ({len(report.skipped)} record(s) skipped at ingest)"
    table = Table(title=title)
    for column in (
        "level",
        "pair P",
        "pair R",
        "pair F1",
        "B3 P",
        "B3 R",
        "B3 F1",
        "ARI",
        "gold",
        "pred",
    ):
        table.add_column(column, justify="right")
    for level, s in scores.items():
        if not s.n:  # no label at this level: no score, not a score of 0
            table.add_row(level, "not labelled", *([""] * 8))
            continue
        table.add_row(
            level, *(f"{v:.3f}" for v in (s.pair_p, s.pair_r, s.pair_f1, s.b3_p, s.b3_r,
                                         s.b3_f1, s.ari)),
            str(s.gold_clusters), str(s.pred_clusters),
        )  # fmt: skip
    _Console(highlight=False, width=max(110, _console().width), markup=False).print(table)
    raise typer.Exit(done)


def _gold_labels(articles: Path, gold: Path | None) -> dict[str, dict[str, str]]:
    """Labels from --gold, from the article rows themselves, or from a sibling -gold file."""
    if gold is not None:
        return load_gold(gold)
    try:
        inline = load_gold(articles)
    except InputError as exc:  # not label rows (compressed, an array, a bad line): look beside
        why = f" ({exc.reason})"
    else:
        if any(inline.values()):
            return inline
        why = ""
    plain = articles.with_suffix("") if articles.suffix in _COMPRESSED else articles
    sibling = plain.with_name(f"{plain.stem}-gold{plain.suffix}")  # x.jsonl.gz: x-gold.jsonl
    if sibling.is_file():
        return load_gold(sibling)
    raise typer.BadParameter(
        f"{articles} has no readable story/event/copy labels{why} and {sibling.name} is "
        "missing; give the labels with --gold"
    )


def main() -> None:
    """Console-script entry point: AkhbarError becomes a one-line message and exit code 2."""
    try:
        app()
    except SystemExit:  # how every command ends; what is still buffered goes out first
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _reader_gone()
        raise
    except AkhbarError as exc:
        _err().print(Text.assemble(("error: ", "red"), str(exc)))
        sys.exit(EXIT_FATAL)
    except KeyboardInterrupt:  # typer usually turns Ctrl-C into exit code 130 itself
        _err().print(Text("interrupted", style="red"))
        sys.exit(130)


if __name__ == "__main__":
    main()
