"""Time `build_digest` on 20-article stories from the dev split (target: under 200 ms each).

Usage: python benchmarks/digest.py [--shared PATH] [--repeat N]
(one BLAS thread by default; OPENBLAS_NUM_THREADS=2 python benchmarks/digest.py to change it)

Articles are read and cleaned up front (not timed). The stories are (1) every dev story with
20 articles as it is (the split has one, g98s0, 8 outlets), and (2) 20-article stories made by
combining gold stories: the stories with most articles are taken in turn, each filled up to
20 with articles of the next ones (so a combined story mixes a few real stories, which is what
a story clusterer's over-merged cluster looks like, and gives alignment more to compare).
Copy groups are the gold copy labels. Each story is digested once to warm caches (the
normalisation table is built on first use; that one-off cost is printed apart), then `--repeat`
times; the median and the worst wall-clock time per story are printed in milliseconds, with
the median CPU time of the process (less disturbed by other work on a shared machine).
Last, the same stories are redone as if each had just gained its 20th article, the other 19
kept as `PreparedArticle`s (what a store can keep between updates).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
# One BLAS thread unless told otherwise: the clause products are small, and on a shared
# machine extra BLAS threads spin against other work (set OPENBLAS_NUM_THREADS to change it).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from akhbar.digest import DigestArticle, build_digest, prepare_article  # noqa: E402
from akhbar.digest.labelled import labelled_stories  # noqa: E402
from akhbar.extract.extractor import Extractor  # noqa: E402

SIZE = 20


def load(shared: Path, extract: bool) -> dict[str, list[DigestArticle]]:
    """Dev articles cleaned (and extracted, as ingest stores them) and grouped by gold story,
    in time order."""
    return labelled_stories(
        shared / "eval" / "dev.jsonl",
        shared / "eval" / "dev-gold.jsonl",
        extractor=Extractor.load() if extract else None,
    )


def twenty_article_stories(stories: dict[str, list[DigestArticle]]) -> list[tuple[str, list]]:
    """Real 20-article stories, then combined ones (largest stories filled with the next)."""
    out: list[tuple[str, list[DigestArticle]]] = [
        (sid, arts) for sid, arts in stories.items() if len(arts) == SIZE
    ]
    ranked = sorted(stories.items(), key=lambda kv: -len(kv[1]))
    ranked = [kv for kv in ranked if len(kv[1]) < SIZE]
    i = 0
    while i < len(ranked) and len(out) < 12:
        names: list[str] = []
        picked: list[DigestArticle] = []
        while i < len(ranked) and len(picked) < SIZE:
            sid, arts = ranked[i]
            names.append(sid)
            picked.extend(arts[: SIZE - len(picked)])
            i += 1
        if len(picked) == SIZE:
            out.append(("+".join(names), picked))
    return out


def main() -> None:
    """Print per-story timings and the overall figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--no-extract",
        action="store_true",
        help="digest without entities, quotes, sources and dates (ingest stores them)",
    )
    args = parser.parse_args()
    stories = load(args.shared, extract=not args.no_extract)
    print(
        "with extraction (entities, quotes, cited sources, dates)"
        if not args.no_extract
        else "without extraction"
    )
    chosen = twenty_article_stories(stories)
    t0 = time.perf_counter()
    build_digest(chosen[0][0], chosen[0][1])
    print(
        f"first call (one-off table building included): {1000 * (time.perf_counter() - t0):.1f} ms"
    )
    medians: list[float] = []
    worst: list[float] = []
    cpu_medians: list[float] = []
    for sid, articles in chosen:
        build_digest(sid, articles)
        times = []
        cpu = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            c = time.process_time()
            digest = build_digest(sid, articles)
            cpu.append(1000 * (time.process_time() - c))
            times.append(1000 * (time.perf_counter() - t))
        medians.append(statistics.median(times))
        worst.append(max(times))
        cpu_medians.append(statistics.median(cpu))
        outlets = len({a.outlet for a in articles})
        chars = sum(len(a.text) for a in articles)
        print(
            f"{sid[:40]:40s} {len(articles)} articles {outlets:2d} outlets {chars:6d} chars "
            f"{len(digest.claims):3d} claims  median {medians[-1]:6.1f} ms "
            f"(cpu {cpu_medians[-1]:6.1f})  max {worst[-1]:6.1f} ms"
        )
    grown = []
    for sid, articles in chosen:
        kept = [prepare_article(a) for a in articles[:-1]]
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            build_digest(sid, [*kept, articles[-1]])
            times.append(1000 * (time.perf_counter() - t))
        grown.append(statistics.median(times))
    print(
        f"story gaining its 20th article, 19 prepared articles kept: median of medians "
        f"{statistics.median(grown):.1f} ms, slowest median {max(grown):.1f} ms"
    )
    print(f"BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}")
    print(
        f"{len(chosen)} stories of {SIZE} articles: median of medians "
        f"{statistics.median(medians):.1f} ms, slowest median {max(medians):.1f} ms, "
        f"slowest run {max(worst):.1f} ms; CPU time median of medians "
        f"{statistics.median(cpu_medians):.1f} ms, slowest {max(cpu_medians):.1f} ms "
        "(target < 200 ms)"
    )


if __name__ == "__main__":
    main()
