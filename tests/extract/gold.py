"""Scoring of extracted quotes against the hand-labelled SaudiNewsNet set (labels only, no text).

`quotes_gold.jsonl` holds, per article id of `../shared/eval/dev.jsonl`, every quote as character
offsets into that article's raw `text` field, its kind, the speaker's surface forms (any one
counts) and the first 12 hex digits of the SHA-1 of the span (to catch a changed text).

A predicted quote matches a gold one when their spans overlap substantially: intersection over
union of the character ranges >= 0.5 (pairs matched greedily, best overlap first, one-to-one).
A matched quote's speaker is right when the normalised predicted speaker contains a gold surface
form or is contained in one (word-aligned; `عبد الرحمن` = `عبدالرحمن`), so
`الرئيس الأوكراني فولوديمير زيلينسكي` matches `فولوديمير زيلينسكي`; an unmatched or
speakerless prediction counts as a wrong speaker.

Run `python -m tests.extract.gold` from the repository root to print the figures.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from akhbar.extract.model import Quote
from akhbar.text.normalize import normalize

GOLD = Path(__file__).parent / "data" / "quotes_gold.jsonl"
MIN_IOU = 0.5
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One labelled quote."""

    start: int
    end: int
    kind: str
    speakers: tuple[str, ...]
    sha1: str


@dataclass(frozen=True, slots=True)
class Scores:
    """Span and speaker precision/recall over a labelled set."""

    gold: int
    predicted: int
    span_matched: int
    speaker_correct: int
    kind_correct: int = 0

    @property
    def span_precision(self) -> float:
        return self.span_matched / self.predicted if self.predicted else 1.0

    @property
    def span_recall(self) -> float:
        return self.span_matched / self.gold if self.gold else 1.0

    @property
    def speaker_precision(self) -> float:
        return self.speaker_correct / self.predicted if self.predicted else 1.0

    @property
    def speaker_recall(self) -> float:
        return self.speaker_correct / self.gold if self.gold else 1.0


def load_gold(path: Path = GOLD) -> dict[str, list[GoldQuote]]:
    """Article id -> its labelled quotes."""
    out: dict[str, list[GoldQuote]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        out[record["id"]] = [
            GoldQuote(q["start"], q["end"], q["kind"], tuple(q["speaker"]), q["sha1"])
            for q in record["quotes"]
        ]
    return out


def load_texts(dev: Path, ids: set[str]) -> dict[str, str]:
    """Raw texts of the labelled articles from the dev JSONL."""
    texts: dict[str, str] = {}
    with dev.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["id"] in ids:
                texts[record["id"]] = record["text"]
    return texts


def check_alignment(text: str, gold: Sequence[GoldQuote]) -> None:
    """Fail loudly when the text is not the one the labels were made on."""
    for q in gold:
        digest = hashlib.sha1(text[q.start : q.end].encode()).hexdigest()[:12]
        if digest != q.sha1:
            raise ValueError(f"label {q.start}:{q.end} no longer matches the text")


_COMPOUND = re.compile(r"\b(عبد|ابو) ")  # `عبد الرحمن` and `عبدالرحمن` are one spelling


def _words(name: str) -> str:
    """Normalised words of a name joined by single spaces, padded for word-aligned search."""
    words = _COMPOUND.sub(r"\1", _NON_WORD.sub(" ", normalize(name)).strip())
    return f" {words} "


def speaker_ok(predicted: str | None, gold: Sequence[str]) -> bool:
    """Whether a predicted speaker names one of the gold surface forms."""
    if not predicted:
        return False
    p = _words(predicted)
    return any((g := _words(name)) in p or p in g for name in gold if name.strip())


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two character ranges."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def score_article(predicted: Sequence[Quote], gold: Sequence[GoldQuote]) -> tuple[int, int, int]:
    """Matched spans, correct speakers and correct kinds (direct/indirect) in one article."""
    pairs = sorted(
        (
            (iou((p.start, p.end), (g.start, g.end)), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched = correct = kinds = 0
    for overlap, i, j in pairs:
        if overlap < MIN_IOU:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        matched += 1
        correct += speaker_ok(predicted[i].speaker, gold[j].speakers)
        kinds += predicted[i].kind == gold[j].kind
    return matched, correct, kinds


def evaluate(
    extract: Callable[[str], Sequence[Quote]],
    texts: dict[str, str],
    gold: dict[str, list[GoldQuote]],
) -> Scores:
    """Scores of `extract` over every labelled article."""
    n_gold = n_pred = matched = correct = kinds = 0
    for article_id, labels in gold.items():
        text = texts[article_id]
        check_alignment(text, labels)
        predicted = extract(text)
        m, c, k = score_article(predicted, labels)
        n_gold += len(labels)
        n_pred += len(predicted)
        matched += m
        correct += c
        kinds += k
    return Scores(n_gold, n_pred, matched, correct, kinds)


if __name__ == "__main__":
    import os

    from akhbar.extract.quotes import find_quotes

    shared = Path(os.environ.get("AKHBAR_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    gold = load_gold()
    texts = load_texts(shared / "eval" / "dev.jsonl", set(gold))
    s = evaluate(find_quotes, texts, gold)
    print(f"articles {len(gold)} gold quotes {s.gold} predicted {s.predicted}")
    print(f"span    P {s.span_precision:.3f} R {s.span_recall:.3f}")
    print(f"speaker P {s.speaker_precision:.3f} R {s.speaker_recall:.3f}")
    print(f"kind right on {s.kind_correct} of {s.span_matched} matched quotes")
