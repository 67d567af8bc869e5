"""Candidate groups of SaudiNewsNet articles for labelling stories and events by hand.

As `shared/eval/README.md` describes its groups: a random seed article, and the articles
nearest to it in wording (TF-IDF cosine of title and first 600 characters, at least 0.12)
within three days, at most 12, from at least three outlets; dev's articles (matched by URL, or
by title and time) and articles of earlier groups are left out. Each group is written as a
Markdown file for the labeller (title and the first 900 characters of each article) and an id
list. The labels made from them are in scripts/labels/ (see its README).

    .venv/bin/python scripts/stories_label_groups.py N FIRST OUT [EARLIER_IDS...]
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.settings import Settings
from akhbar.text.normalize import normalize

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_TOKEN = re.compile(r"[^\W\d_]{3,}")
MIN_COS = 0.12
MAX_MEMBERS = 12
SEED = 20261123


def _unit(bag: Counter[str], df: Counter[str], n: int) -> dict[str, float]:
    """Log-scaled TF-IDF of the terms neither unique nor in more than 5% of the articles."""
    v = {t: (1 + math.log(c)) * math.log(n / df[t]) for t, c in bag.items() if 2 <= df[t] <= n / 20}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def main() -> None:
    count, first, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    dev = [json.loads(line) for line in (SHARED / "eval" / "dev.jsonl").open(encoding="utf-8")]
    dev_urls = {r["url"] for r in dev}
    dev_keys = {(r["title"], r["published"][:16]) for r in dev}
    arts: list[RawArticle] = []
    seen: set[str] = set()
    zips = sorted((SHARED / "data" / "saudinewsnet").glob("*.zip"))
    for r in read(zips, Settings.load().read):
        if isinstance(r, RawArticle) and r.id not in seen and r.published and r.title:
            seen.add(r.id)
            arts.append(r)
    bags = [Counter(_TOKEN.findall(normalize(f"{a.title} {a.text[:600]}"))) for a in arts]
    df = Counter(t for b in bags for t in b)
    vecs = [_unit(b, df, len(arts)) for b in bags]
    day = [datetime.fromisoformat((a.published or "")[:10]).toordinal() for a in arts]
    used = {
        a.id for a in arts if a.url in dev_urls or (a.title, (a.published or "")[:16]) in dev_keys
    }
    for path in sys.argv[4:]:
        used.update(Path(path).read_text(encoding="utf-8").split())
    order = list(range(len(arts)))
    random.Random(SEED + first).shuffle(order)
    groups: list[list[int]] = []
    for s in order:
        if len(groups) >= count:
            break
        if arts[s].id in used:
            continue
        near = [i for i in range(len(arts)) if abs(day[i] - day[s]) <= 3 and arts[i].id not in used]
        sims = {
            i: sum(vecs[s][t] * vecs[i][t] for t in vecs[s].keys() & vecs[i].keys()) for i in near
        }
        best = sorted((i for i in near if sims[i] >= MIN_COS), key=lambda i: -sims[i])[:MAX_MEMBERS]
        if len(best) < 6 or len({arts[i].outlet for i in best}) < 3:
            continue
        groups.append(sorted(best, key=lambda i: arts[i].published or ""))
        used.update(arts[i].id for i in best)
    for g, members in enumerate(groups, start=first):
        lines = [f"# group {g:02d}: {len(members)} articles\n"]
        for i in members:
            a = arts[i]
            text = " ".join(a.text.split())[:900]
            lines.append(f"## id {a.id} | outlet {a.outlet} | published {a.published}")
            lines.append(f"TITLE: {a.title}\n\n{text}\n")
        (out / f"group{g:02d}.md").write_text("\n".join(lines), encoding="utf-8")
        ids = "\n".join(arts[i].id for i in members) + "\n"
        (out / f"group{g:02d}.ids").write_text(ids, encoding="utf-8")
    print(f"{len(groups)} groups, {sum(map(len, groups))} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
