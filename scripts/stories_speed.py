"""Stream all of SaudiNewsNet through StoryClusterer (read/clean excluded), rate per 5k slice.

.venv/bin/python scripts/stories_prepare.py   # once: writes /tmp/stories_cache/snn.pkl
.venv/bin/python scripts/stories_speed.py
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

from akhbar.stories import StoryClusterer, time_order


def main() -> None:
    """Print articles/s per slice and overall, with live stories and index postings."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/stories_cache"))
    ap.add_argument("--slice", type=int, default=5000)
    args = ap.parse_args()
    docs = time_order(pickle.loads((args.cache / "snn.pkl").read_bytes()))
    c = StoryClusterer()
    cpu = time.process_time()
    start = last = time.perf_counter()
    for i, doc in enumerate(docs, 1):
        c.add(doc)
        if i % args.slice == 0:
            now = time.perf_counter()
            rate = args.slice / (now - last)
            print(f"{i:6d} {rate:7.0f}/s live={c.live_stories} postings={c.index_size}")
            last = now
    total = time.perf_counter() - start
    used = time.process_time() - cpu
    print(f"total {len(docs)} articles in {total:.1f}s: {len(docs) / total:.0f}/s", end=" ")
    print(f"(CPU {used:.1f}s: {len(docs) / used:.0f}/s)")


if __name__ == "__main__":
    main()
