"""Stream all of SaudiNewsNet, in time order, through ingest + copy detection + story clustering.

Usage: python benchmarks/stream.py [--shared PATH] [--slice 5000] [--workers N]
Prints articles/s for every slice of 5,000 articles (it must stay flat as the corpus grows) and
peak memory. Target on a 2-core machine: >= 1,000 articles/s end to end.
Articles are read and sorted by publication time first (not timed, and frozen out of the
garbage collector's sight); each slice is then ingested (cleaned in worker processes, stored)
and clustered, as a live feed would be.
On a shared machine wall-clock rates are noisy: the CPU columns (main process per article;
worker processes in all) are the figures to compare between runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from _machine import describe
from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))
    )
    parser.add_argument("--slice", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--extract", action="store_true", help="also extract entities, quotes, sources, dates"
    )
    args = parser.parse_args()
    zips = sorted((args.shared / "data" / "saudinewsnet").glob("*.zip"))
    if not zips:
        print(f"SaudiNewsNet not found under {args.shared}", file=sys.stderr)
        return 2
    settings = Settings.load()
    if not args.extract:  # issue 3's stream: ingest + copies + stories; extraction is timed
        # on its own by benchmarks/extract.py
        settings = dataclasses.replace(
            settings, extract=dataclasses.replace(settings.extract, enabled=False)
        )
    t0 = time.perf_counter()
    articles = [a for a in read([str(z) for z in zips], settings.read) if isinstance(a, RawArticle)]
    articles.sort(key=lambda a: (a.published or "", a.id))
    # the pre-read corpus is the benchmark's, not the stream's (a feed does not hold 30k
    # articles in memory): out of the garbage collector's sight, whose full passes over it
    # cost the main process about 1 s
    gc.freeze()
    print(f"machine: {describe()}")
    print(
        f"read and sorted {len(articles)} articles in {time.perf_counter() - t0:.1f} s "
        "(not counted below)"
    )
    print(
        f"{'slice':>14} {'articles/s':>11} {'ingest s':>9} {'cluster s':>10} {'stories':>8} "
        f"{'main CPU ms/article':>20}"
    )
    total_t = total_cpu = 0.0
    with (
        tempfile.TemporaryDirectory() as tmp,
        SqliteStore(Path(tmp) / "s.db") as store,
        Ingestor(store, settings, workers=args.workers, in_order=True) as ingestor,
    ):
        for start in range(0, len(articles), args.slice):
            part = articles[start : start + args.slice]
            t1, c1 = time.perf_counter(), time.process_time()
            report = ingestor.ingest(part)
            dt, cpu = time.perf_counter() - t1, time.process_time() - c1
            total_t += dt
            total_cpu += cpu
            tracked = report.tracked
            stories = len(tracked.story_ids) if tracked else 0
            cluster_s = tracked.seconds if tracked else 0.0
            print(
                f"{start:>6}-{start + len(part):<7} {len(part) / dt:>11,.0f} "
                f"{dt - cluster_s:>9.1f} {cluster_s:>10.1f} {stories:>8} "
                f"{1000 * cpu / len(part):>20.3f}"
            )
        live = ingestor.tracker.stories_.live_stories if ingestor.tracker else 0
        ingestor.close()  # the workers end here, so that their CPU time is counted below
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    kids = children.ru_maxrss / 1024
    kids_cpu = children.ru_utime + children.ru_stime
    print(
        f"overall        : {len(articles) / total_t:,.0f} articles/s "
        f"({len(articles)} articles in {total_t:.1f} s)"
    )
    cpu_main = total_cpu / len(articles)
    cpu_all = cpu_main + kids_cpu / len(articles)
    cores = os.cpu_count() or 1
    print(
        f"CPU per article: {1000 * cpu_main:.3f} ms main process, "
        f"{1000 * kids_cpu / len(articles):.3f} ms worker processes"
    )
    # what the CPU work allows at best: the main process is one serial stage, and all the
    # work shares the machine's cores; the measured rate is below both
    ceiling = min(1 / cpu_main, cores / cpu_all)
    print(
        f"CPU ceiling    : {ceiling:,.0f} articles/s (main process alone {1 / cpu_main:,.0f}; "
        f"all the work on {cores} cores {cores / cpu_all:,.0f}); cores busy on average: "
        f"{cpu_all * len(articles) / total_t:.2f} of {cores}"
    )
    print(f"live stories   : {live} at the end (stale ones leave the index)")
    print(
        f"peak memory    : {own:,.0f} MB main process (incl. the pre-read corpus), "
        f"{kids:,.0f} MB largest worker"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
