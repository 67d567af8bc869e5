"""Ingest: read -> clean -> store, in transactional batches, learning outlet boilerplate."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from akhbar.model import RawArticle, Skipped
from akhbar.settings import Settings
from akhbar.store.sqlite import SqliteStore, line_hash
from akhbar.text.clean import candidate_lines, clean

__all__ = ["IngestReport", "Ingestor"]


@dataclass
class IngestReport:
    """What an ingest did: counts per outcome, every skipped record and every warning."""

    new: int = 0
    duplicate: int = 0
    updated: int = 0
    recleaned: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

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
    lines: dict[int, str]
    applied: frozenset[int]


class Ingestor:
    """Cleans and stores articles; lines recurring across a source's articles become boilerplate.

    Boilerplate learnt during a run is applied to the articles of that run cleaned before it
    was learnt (they are cleaned again at the end), so the order of the input does not matter.
    """

    def __init__(self, store: SqliteStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._sources: dict[str, _SourceLines] = {}

    def _lines(self, source: str) -> _SourceLines:
        known = self._sources.get(source)
        if known is None:
            total, counts = self.store.line_counts(source)
            known = self._sources[source] = _SourceLines(total, counts)
        return known

    def _boilerplate(self, source: str, hashes: Iterable[int]) -> frozenset[int]:
        cfg = self.settings.clean
        lines = self._lines(source)
        if lines.total < cfg.boilerplate_min_articles:
            return frozenset()
        floor = max(cfg.boilerplate_min_articles, cfg.boilerplate_min_share * lines.total)
        return frozenset(h for h in hashes if lines.counts.get(h, 0) >= floor)

    def ingest(
        self,
        items: Iterable[RawArticle | Skipped],
        on_item: Callable[[RawArticle | Skipped], None] | None = None,
    ) -> IngestReport:
        """Ingest every item; one bad record never stops the batch, each skip is recorded."""
        report = IngestReport()
        cleaned: list[_Cleaned] = []
        batch = max(1, self.settings.store.batch_size)
        pending = 0
        tx = self.store.transaction()
        tx.__enter__()
        try:
            for item in items:
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    self.store.record_skipped(item)
                else:
                    self._ingest_one(item, report, cleaned)
                if on_item is not None:
                    on_item(item)
                pending += 1
                if pending >= batch:
                    tx.__exit__(None, None, None)
                    tx = self.store.transaction()
                    tx.__enter__()
                    pending = 0
            report.recleaned = self._reclean(cleaned)
        except BaseException as exc:
            tx.__exit__(type(exc), exc, exc.__traceback__)
            raise
        tx.__exit__(None, None, None)
        return report

    def _ingest_one(self, raw: RawArticle, report: IngestReport, cleaned: list[_Cleaned]) -> None:
        report.warnings.extend(raw.warnings)
        if self.store.has_same(raw):
            report.duplicate += 1
            return
        lines = {line_hash(k): k for k in candidate_lines(raw)}
        applied = self._boilerplate(raw.source, lines)
        view = clean(raw, self.settings.clean, frozenset(lines[h] for h in applied))
        outcome = self.store.add(raw, view)
        if outcome == "new":
            report.new += 1
            known = self._lines(raw.source)
            known.total += 1
            for h in lines:
                known.counts[h] = known.counts.get(h, 0) + 1
            self.store.count_lines(raw.source, lines)
        else:
            report.updated += 1
        if lines:
            cleaned.append(_Cleaned(raw.id, raw.source, lines, applied))

    def _reclean(self, cleaned: list[_Cleaned]) -> int:
        """Clean again the articles of this run whose source's boilerplate grew after them."""
        done = 0
        for item in cleaned:
            final = self._boilerplate(item.source, item.lines)
            if final == item.applied:
                continue
            raw = self.store.get(item.id).raw
            view = clean(raw, self.settings.clean, frozenset(item.lines[h] for h in final))
            self.store.replace_clean(item.id, view)
            done += 1
        return done
