"""Read and clean dev and SaudiNewsNet once into a pickle cache, so tuning runs stay fast."""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.settings import Settings
from akhbar.stories.doc import StoryDoc, story_doc
from akhbar.text.clean import clean

SHARED = Path(__file__).resolve().parents[2] / "shared"


def load(paths: list[Path]) -> list[StoryDoc]:
    """Every article of `paths`, read, cleaned and reduced to a StoryDoc."""
    settings = Settings.load()
    out: list[StoryDoc] = []
    for rec in read([str(p) for p in paths], settings.read):
        if isinstance(rec, RawArticle):
            out.append(story_doc(rec, clean(rec, settings.clean)))
    return out


def main() -> None:
    """Write dev.pkl and snn.pkl (all 18 zips unless --zips limits them) under --cache."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/stories_cache"))
    ap.add_argument("--zips", type=int, default=18)
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    dev = load([SHARED / "eval" / "dev.jsonl"])
    (args.cache / "dev.pkl").write_bytes(pickle.dumps(dev))
    print(f"dev {len(dev)} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    zips = sorted((SHARED / "data" / "saudinewsnet").glob("*.zip"))[: args.zips]
    t = time.perf_counter()
    snn = load(zips)
    (args.cache / "snn.pkl").write_bytes(pickle.dumps(snn))
    print(f"snn {len(snn)} in {time.perf_counter() - t:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
