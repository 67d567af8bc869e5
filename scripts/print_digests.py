"""Print digests of the dev split's stories for inspection (SaudiNewsNet: never commit output).

Usage: python scripts/print_digests.py [--shared PATH] [--story ID ...] [--min-outlets N]
                                       [--limit N] [--format md|json|html] [--out DIR]

Stories are the gold stories of `shared/eval/dev-gold.jsonl` with copy groups from its `copy`
labels; articles are read with `akhbar.io.read` and cleaned with the default settings. The
texts are CC BY-NC-SA (see `shared/data/saudinewsnet/README.md`): what this prints is for
looking at, not for the repository. `--out` writes one file per story to a folder of your
choosing (keep it outside the checkout).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from akhbar.digest import (  # noqa: E402
    DigestArticle,
    build_digest,
    render_html,
    render_markdown,
)
from akhbar.digest.labelled import labelled_stories  # noqa: E402


def load(shared: Path) -> dict[str, list[DigestArticle]]:
    """Dev articles cleaned and grouped by gold story, in time order."""
    return labelled_stories(shared / "eval" / "dev.jsonl", shared / "eval" / "dev-gold.jsonl")


def main() -> None:
    """Print (or write) the chosen stories' digests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--story", action="append", default=[], help="a gold story id")
    parser.add_argument("--min-outlets", type=int, default=2)
    parser.add_argument("--limit", type=int, default=5)
    parser.add_argument("--format", choices=["md", "json", "html"], default="md")
    parser.add_argument("--out", type=Path, help="write one file per story here instead")
    args = parser.parse_args()
    stories = load(args.shared)
    if args.story:
        missing = [s for s in args.story if s not in stories]
        if missing:
            parser.error(f"no such dev story: {', '.join(missing)}")
        chosen = args.story
    else:
        chosen = [
            sid
            for sid, arts in sorted(stories.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            if len({a.outlet for a in arts}) >= args.min_outlets
        ][: args.limit]
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for sid in chosen:
        digest = build_digest(sid, stories[sid])
        if args.format == "json":
            text = json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) + "\n"
        elif args.format == "html":
            text = render_html(digest)
        else:
            text = render_markdown(digest)
        if args.out:
            path = args.out / f"{sid}.{args.format}"
            path.write_text(text, encoding="utf-8")
            print(path)
        else:
            sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
