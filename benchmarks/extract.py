"""Extraction speed over SaudiNewsNet: entities (NER + roles), quotes, cited sources and dates.

Usage: python benchmarks/extract.py [--shared PATH] [--limit N] [--batch 64]
Target: extraction adds at most 3 ms per article on average (one core). Articles are read and
cleaned first (not timed); then a fresh extractor makes one pass over all of them in batches of
64, as an ingest hands them to a worker (the target's figure, cold word caches included); a
second fresh extractor makes the same pass one article at a time; then each extractor is timed
alone, warm. CPU time of this process and wall time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from akhbar.extract.dates import find_dates
from akhbar.extract.extractor import Extractor, parse_published
from akhbar.extract.quotes import find_quotes
from akhbar.extract.sources import find_sources
from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.pipeline import _CHUNK
from akhbar.settings import Settings
from akhbar.text.clean import clean

REPO = Path(__file__).resolve().parent.parent


def timed(label: str, n: int, fn: Callable[[], object]) -> float:
    """Run `fn` once; print and return its CPU milliseconds per article."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    cpu_ms = (time.process_time() - cpu) * 1000 / n
    wall_ms = (time.perf_counter() - wall) * 1000 / n
    print(f"{label:>38}: {cpu_ms:6.3f} ms/article CPU  {wall_ms:6.3f} ms/article wall")
    return cpu_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument(
        "--batch", type=int, default=_CHUNK, help="articles extracted together (ingest's chunk)"
    )
    args = parser.parse_args()
    zips = sorted((args.shared / "data" / "saudinewsnet").glob("*.zip"))
    if not zips:
        print(f"SaudiNewsNet not found under {args.shared}", file=sys.stderr)
        return 2
    settings = Settings.load()
    raws = [a for a in read([str(z) for z in zips], settings.read) if isinstance(a, RawArticle)]
    raws = raws[: args.limit] if args.limit else raws
    texts = [clean(r, settings.clean).text for r in raws]
    days = [parse_published(r.published) for r in raws]
    n = len(texts)
    words = sum(len(t.split()) for t in texts) / max(n, 1)
    print(f"{n} articles, {words:.0f} words on average (read and cleaned first, not timed)")
    # The headline: one fresh extractor, one pass over every article, as an ingest does it: in
    # batches of the ingest's chunk size (its word caches start empty and fill as it goes; that
    # cost is included).
    extractor = Extractor.load()
    total = timed(
        f"all, one cold pass, {args.batch} at a time",
        n,
        lambda: [
            extractor.extract_many(texts[i : i + args.batch], days[i : i + args.batch])
            for i in range(0, n, args.batch)
        ],
    )
    # The same from a fresh extractor given one article at a time (an API caller's way).
    single = Extractor.load()
    timed(
        "all, one cold pass, one by one",
        n,
        lambda: [single.extract(t, d) for t, d in zip(texts, days, strict=True)],
    )
    # Then each part alone, warm (the extractor has seen every word once).
    tagger = extractor.tagger
    timed(
        f"entities (NER), warm, {args.batch} at a time",
        n,
        lambda: [tagger.tag_many(texts[i : i + args.batch]) for i in range(0, n, args.batch)],
    )
    mentions = [tagger.tag(t) for t in texts]
    timed(
        "quotes, warm",
        n,
        lambda: [find_quotes(t, m) for t, m in zip(texts, mentions, strict=True)],
    )
    timed("cited sources, warm", n, lambda: [find_sources(t) for t in texts])
    timed("dates, warm", n, lambda: [find_dates(t, d) for t, d in zip(texts, days, strict=True)])
    print(
        f"target <= 3 ms/article (one cold pass): {'met' if total <= 3.0 else 'missed'}"
        f" ({total:.2f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
