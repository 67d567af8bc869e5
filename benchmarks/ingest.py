"""Ingest all of SaudiNewsNet (read from ../shared) into a fresh SQLite store; print speed/memory.

Usage: python benchmarks/ingest.py [--shared PATH] [--db PATH] [--limit N]
Target on a 2-core machine: >= 1,500 articles/s for read + clean + normalise + store,
peak memory < 500 MB. Story clustering is left out here (see benchmarks/stream.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore

REPO = Path(__file__).resolve().parent.parent


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest worker process."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))
    )
    parser.add_argument("--db", type=Path, default=None, help="database file (default: temp)")
    parser.add_argument("--read-only", action="store_true", help="also time reading alone")
    args = parser.parse_args()
    corpus = args.shared / "data" / "saudinewsnet"
    zips = sorted(corpus.glob("*.zip"))
    if not zips:
        print(f"SaudiNewsNet not found under {corpus}", file=sys.stderr)
        return 2
    settings = Settings.load()
    # this measures read + clean + normalise + store; clustering into stories is measured by
    # benchmarks/stream.py, extraction (entities, quotes, sources, dates) by benchmarks/extract.py
    settings = dataclasses.replace(
        settings,
        tracking=dataclasses.replace(settings.tracking, enabled=False),
        extract=dataclasses.replace(settings.extract, enabled=False),
    )
    inputs = [str(z) for z in zips]

    if args.read_only:
        t0 = time.perf_counter()
        n = sum(1 for item in read(inputs, settings.read) if isinstance(item, RawArticle))
        dt = time.perf_counter() - t0
        print(f"read only      : {n} articles in {dt:.1f} s = {n / dt:,.0f} articles/s")

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        with SqliteStore(db, settings.store) as store:
            report = Ingestor(store, settings).ingest_inputs(inputs, settings.read)
        dt = time.perf_counter() - t0
        size = db.stat().st_size / 1e6
    n = report.new + report.updated + report.duplicate
    print(f"files          : {len(zips)} zips from {corpus}")
    print(
        f"articles       : {n} stored ({report.new} new), {len(report.skipped)} skipped, "
        f"{report.recleaned} re-cleaned after outlet boilerplate was learnt"
    )
    print(f"ingest         : {dt:.1f} s = {n / dt:,.0f} articles/s (read+clean+normalise+store)")
    own, worker = peak_mb()
    main_cpu, worker_cpu = cpu_seconds()
    print(f"peak memory    : {own:,.0f} MB main process, {worker:,.0f} MB largest worker")
    print(f"cpu time       : {main_cpu:.1f} s main process, {worker_cpu:.1f} s workers")
    print(f"database size  : {size:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
