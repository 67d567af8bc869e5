"""Clustering quality against gold labels: pairwise P/R/F1, BCubed P/R/F1, adjusted Rand index.

Counts exactly as `shared/eval/score.py` does (a test cross-checks both), so figures compare.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from math import comb
from pathlib import Path

from akhbar.errors import InputError

__all__ = ["ClusterScores", "load_gold", "score_clustering"]

LEVELS = ("story", "event", "copy")


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """One level's figures; `n` articles scored, `missing` gold ids with no prediction."""

    n: int
    missing: int
    pair_p: float
    pair_r: float
    pair_f1: float
    b3_p: float
    b3_r: float
    b3_f1: float
    ari: float
    gold_clusters: int
    pred_clusters: int

    def as_dict(self) -> dict[str, float | int]:
        """Plain dict, for JSON output."""
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clustering(gold: Mapping[str, str], pred: Mapping[str, str]) -> ClusterScores:
    """Score `pred` (id -> cluster) against `gold` (id -> cluster) over the ids in both."""
    ids = [i for i in gold if i in pred]
    if not ids:
        return ClusterScores(0, len(gold), 0, 0, 0, 0, 0, 0, 0, 0, 0)
    cont = Counter((gold[i], pred[i]) for i in ids)
    gs = Counter(gold[i] for i in ids)
    ps = Counter(pred[i] for i in ids)
    tp = sum(comb(n, 2) for n in cont.values())
    gp = sum(comb(n, 2) for n in gs.values())
    pp = sum(comb(n, 2) for n in ps.values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    bp = sum(cont[(gold[i], pred[i])] / ps[pred[i]] for i in ids) / len(ids)
    br = sum(cont[(gold[i], pred[i])] / gs[gold[i]] for i in ids) / len(ids)
    total = comb(len(ids), 2)
    expected = gp * pp / total if total else 0.0
    maximum = (gp + pp) / 2
    ari = (tp - expected) / (maximum - expected) if maximum != expected else 1.0
    return ClusterScores(
        n=len(ids), missing=len(gold) - len(ids),
        pair_p=p, pair_r=r, pair_f1=_f1(p, r),
        b3_p=bp, b3_r=br, b3_f1=_f1(bp, br), ari=ari,
        gold_clusters=len(gs), pred_clusters=len(ps),
    )  # fmt: skip


def load_gold(path: Path) -> dict[str, dict[str, str]]:
    """Gold labels per level from a JSONL file of `{"id", "story", "event", "copy"}` rows.

    A label is a string or a number, and a number is not the string of its digits while
    equal numbers are one label (as the reference scorer, `shared/eval/score.py`, keeps `1`
    and `"1"` apart and `1` and `1.0` together); a level labelled on some rows is labelled
    on every row (a row without it, a misspelt key say, would silently leave that level's
    scores)."""
    out: dict[str, dict[str, str]] = {level: {} for level in LEVELS}
    lines: dict[str, int] = {}  # id -> the line that labels it
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read gold labels: {exc}") from exc
    # lines end at LF, CRLF or a lone CR, as text mode (and the reference scorer) reads them
    for n, line in enumerate(data.splitlines(), 1):
        _gold_row(path, n, line, out, lines)
    for level, labels in out.items():
        if labels and len(labels) < len(lines):
            n = min(line for article_id, line in lines.items() if article_id not in labels)
            raise InputError(
                f"{path} (line {n})",
                f'no "{level}" label, which {len(labels)} other row(s) have: label every row '
                "at a level, or none",
            )
    return out


def _gold_row(
    path: Path, n: int, data: bytes, out: dict[str, dict[str, str]], lines: dict[str, int]
) -> None:
    """Read line `n` of a gold file into `out` (labels per level) and `lines` (id -> line)."""
    where = f"{path} (line {n})"
    try:
        line = data.decode("utf-8-sig" if n == 1 else "utf-8")  # a BOM, as the readers allow
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 text (gold labels are JSONL): {exc.reason}") from exc
    if not line.strip():
        return
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON: {exc}") from exc
    given = row.get("id") if isinstance(row, dict) else None
    # ids as the readers store them: a string or a number, stripped (make_article_id);
    # other values and blanks give an article no id of its own, so no label could match
    if (
        isinstance(given, bool)
        or not isinstance(given, str | int | float)
        or not (article_id := str(given).strip())
    ):
        raise InputError(
            where, 'a label row is an object with an "id": a non-blank string or a number'
        )
    if article_id in lines:
        raise InputError(
            where,
            f"id {article_id!r} is labelled on line {lines[article_id]} already: one row per "
            "article",
        )
    lines[article_id] = n
    for level in LEVELS:
        if level not in row:
            continue
        label = row[level]
        if isinstance(label, bool) or not isinstance(label, str | int | float):
            raise InputError(
                where,
                f'"{level}" is a cluster label (a string or a number), not {json.dumps(label)}',
            )
        out[level][article_id] = label if isinstance(label, str) else _number_label(label)


def _number_label(label: int | float) -> str:
    """A number label as a key apart from every string label (NUL never starts one), equal
    for equal values as the reference scorer has them: `1000`, `1e3` and `1000.0` are one."""
    value: int | float = int(label) if isinstance(label, float) and label.is_integer() else label
    return f"\0{value!r}"
