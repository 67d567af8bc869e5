"""Stream SaudiNewsNet through StoryClusterer (read/clean excluded): rate per slice, and the
CPU per article in the calling process with and without precomputed `doc_terms`.

.venv/bin/python scripts/stories_prepare.py   # once: writes /tmp/stories_cache/snn.pkl
.venv/bin/python scripts/stories_speed.py [--limit N] [--repeat R]

"precomputed" is what the product's main process pays when its workers compute `doc_terms`
(their cost, and that of pickling the terms across, is printed on its own line).
"""

from __future__ import annotations

import argparse
import pickle
import time
from collections.abc import Sequence
from pathlib import Path

from akhbar.stories import DocTerms, StoryClusterer, StoryDoc, StoryParams, doc_terms, time_order


def run(
    docs: Sequence[StoryDoc], terms: Sequence[DocTerms] | None, every: int
) -> tuple[float, float]:
    """Wall and CPU seconds of one streaming pass (per-slice rates printed when `every`)."""
    c = StoryClusterer()
    cpu = time.process_time()
    start = last = time.perf_counter()
    for i, doc in enumerate(docs, 1):
        c.add(doc, None if terms is None else terms[i - 1])
        if every and i % every == 0:
            now = time.perf_counter()
            rate = every / (now - last)
            print(f"  {i:6d} {rate:7.0f}/s live={c.live_stories} postings={c.index_size}")
            last = now
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    """Print per-slice rates, then the best of `--repeat` passes per mode in us/article."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/stories_cache"))
    ap.add_argument("--slice", type=int, default=5000)
    ap.add_argument("--limit", type=int, default=0, help="first N articles only (0: all)")
    ap.add_argument("--repeat", type=int, default=1, help="passes per mode (best is kept)")
    args = ap.parse_args()
    docs = time_order(pickle.loads((args.cache / "snn.pkl").read_bytes()))
    if args.limit:
        docs = docs[: args.limit]
    n = len(docs)
    params = StoryParams.load()
    cpu = time.process_time()
    terms = [doc_terms(doc, params) for doc in docs]
    terms_cpu = time.process_time() - cpu
    cpu = time.process_time()
    terms = pickle.loads(pickle.dumps(terms))  # as the product's workers hand them over
    pickle_cpu = time.process_time() - cpu
    print(
        f"doc_terms (worker side): {terms_cpu / n * 1e6:.0f} us/article, "
        f"pickling there and back {pickle_cpu / n * 1e6:.0f} us/article"
    )
    for name, given in (("computed inside", None), ("precomputed terms", terms)):
        print(f"{name}:")
        best_wall, best_cpu = float("inf"), float("inf")
        for r in range(args.repeat):
            wall, used = run(docs, given, args.slice if r == 0 else 0)
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, used)
        print(
            f"  {n} articles: wall {n / best_wall:.0f}/s, CPU {n / best_cpu:.0f}/s "
            f"= {best_cpu / n * 1e6:.0f} us/article in this process"
        )


if __name__ == "__main__":
    main()
