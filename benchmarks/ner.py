"""Named-entity tagging speed on SaudiNewsNet: ms per article, feature extraction included.

Usage: python benchmarks/ner.py [--shared PATH] [--limit N]

Articles are read up front (not timed); the tagger is loaded once (timed separately), then every
article's text is tagged once cold (empty word cache) and once warm.
"""

from __future__ import annotations

import argparse
import json
import time
import zipfile
from pathlib import Path

from akhbar.extract.ner import EntityTagger

REPO = Path(__file__).resolve().parent.parent


def read_articles(folder: Path, limit: int) -> list[str]:
    """Non-empty article contents, in file order, at most `limit` (0: all)."""
    texts: list[str] = []
    for archive in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in sorted(zf.namelist()):
                for article in json.loads(zf.read(name)):
                    content = article.get("content") or ""
                    if content.strip():
                        texts.append(content)
                        if limit and len(texts) >= limit:
                            return texts
    return texts


def main() -> None:
    """Load once, tag every article cold then warm, print ms/article and mentions/article."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument(
        "--model", type=Path, default=None, help="model directory (default: packaged)"
    )
    parser.add_argument("--limit", type=int, default=3000, help="articles to tag (0: all)")
    args = parser.parse_args()
    texts = read_articles(args.shared / "data" / "saudinewsnet", args.limit)
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    tagger = EntityTagger.load(args.model)
    print(f"load: {(time.perf_counter() - started) * 1000:.0f} ms")
    for run in ("cold", "warm"):
        started = time.perf_counter()
        mentions = sum(len(tagger.tag(text)) for text in texts)
        elapsed = time.perf_counter() - started
        print(
            f"{run}: {len(texts)} articles ({words / len(texts):.0f} words each): "
            f"{elapsed / len(texts) * 1000:.2f} ms/article, {mentions / len(texts):.1f} mentions"
        )


if __name__ == "__main__":
    main()
