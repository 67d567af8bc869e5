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

`quotes_heldout.jsonl` and `quotes_heldout_b/c/d.jsonl` hold labels made the same way on
further SaudiNewsNet articles (none of them in the dev set or in each other, each batch labelled
before the rules were changed on what it showed), kept apart to check that changes to the rules
generalise. Their records also name where the text is: `zip` (a file of
`../shared/data/saudinewsnet/`) and `index` (the article's position in that zip's JSON array,
whose `content` field is the text); `id` is the first 12 hex digits of the SHA-1 of the
article's `url`.

The product runs quotes after NER (`Extractor.extract` passes the PER mentions, which name the
speakers); `find_quotes` alone (no mentions) is the rules' floor. Run
`python -m tests.extract.gold` from the repository root to print both on every set
(`--errors` lists every wrong speaker, predicted against gold).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from akhbar.extract.model import Quote
from akhbar.text.normalize import normalize

GOLD = Path(__file__).parent / "data" / "quotes_gold.jsonl"
HELDOUT = Path(__file__).parent / "data" / "quotes_heldout.jsonl"
# A second held-out batch, labelled after the rules were changed on what the first one showed:
# its figures were never looked at before those changes.
HELDOUT_B = Path(__file__).parent / "data" / "quotes_heldout_b.jsonl"
# A third batch, labelled after the second round of changes (the third round was made on it).
HELDOUT_C = Path(__file__).parent / "data" / "quotes_heldout_c.jsonl"
# A fourth batch, labelled after the last change and never used to change a rule.
HELDOUT_D = Path(__file__).parent / "data" / "quotes_heldout_d.jsonl"
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


def load_zip_texts(saudinewsnet: Path, path: Path = HELDOUT) -> dict[str, str]:
    """Raw texts of the held-out articles, read from the SaudiNewsNet zips their records name."""
    wanted: dict[str, list[tuple[int, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        wanted.setdefault(record["zip"], []).append((record["index"], record["id"]))
    texts: dict[str, str] = {}
    for name, entries in wanted.items():
        with zipfile.ZipFile(saudinewsnet / name) as zf:
            (member,) = zf.namelist()
            articles = json.loads(zf.read(member))
        for index, article_id in entries:
            article = articles[index]
            if hashlib.sha1(article["url"].encode()).hexdigest()[:12] != article_id:
                raise ValueError(f"{name}[{index}] is not article {article_id}")
            texts[article_id] = article["content"]
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


def speaker_errors(
    article_id: str, predicted: Sequence[Quote], gold: Sequence[GoldQuote]
) -> Iterator[str]:
    """One line per predicted quote whose speaker does not count as right (unmatched spans too)."""
    pairs = sorted(
        (
            (iou((p.start, p.end), (g.start, g.end)), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    match: dict[int, int] = {}
    used: set[int] = set()
    for overlap, i, j in pairs:
        if overlap >= MIN_IOU and i not in match and j not in used:
            match[i] = j
            used.add(j)
    for i, p in enumerate(predicted):
        j = match.get(i)
        if j is not None and speaker_ok(p.speaker, gold[j].speakers):
            continue
        wanted = "/".join(gold[j].speakers) if j is not None else "(no such gold quote)"
        yield (
            f"{article_id} {p.start}:{p.end} {p.kind} cue={p.cue!r} "
            f"predicted={p.speaker!r} gold={wanted} | {p.text[:60]!r}"
        )


@functools.cache
def product_quotes() -> Callable[[str], Sequence[Quote]]:
    """Quotes as the product finds them: `Extractor.extract` (NER first), loaded once."""
    from akhbar.extract.extractor import Extractor

    extractor = Extractor.load()
    return lambda text: extractor.extract(text).quotes


def _report(name: str, s: Scores) -> None:
    print(f"{name}: gold quotes {s.gold}, predicted {s.predicted}")
    print(f"  span    P {s.span_precision:.3f} R {s.span_recall:.3f}")
    print(f"  speaker P {s.speaker_precision:.3f} R {s.speaker_recall:.3f}")
    print(f"  kind right on {s.kind_correct} of {s.span_matched} matched quotes")


if __name__ == "__main__":
    import os
    import sys

    from akhbar.extract.quotes import find_quotes

    shared = Path(os.environ.get("AKHBAR_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    sets = {
        "dev": (gold := load_gold(), load_texts(shared / "eval" / "dev.jsonl", set(gold))),
        "heldout": (
            load_gold(HELDOUT),
            load_zip_texts(shared / "data" / "saudinewsnet"),
        ),
        "heldout_b": (
            load_gold(HELDOUT_B),
            load_zip_texts(shared / "data" / "saudinewsnet", HELDOUT_B),
        ),
        "heldout_c": (
            load_gold(HELDOUT_C),
            load_zip_texts(shared / "data" / "saudinewsnet", HELDOUT_C),
        ),
        "heldout_d": (
            load_gold(HELDOUT_D),
            load_zip_texts(shared / "data" / "saudinewsnet", HELDOUT_D),
        ),
    }
    ways: dict[str, Callable[[str], Sequence[Quote]]] = {
        "no mentions": find_quotes,
        "product (NER mentions)": product_quotes(),
    }
    for set_name, (labels, texts) in sets.items():
        for way, extract in ways.items():
            _report(f"{set_name}, {way}, {len(labels)} articles", evaluate(extract, texts, labels))
            if "--errors" in sys.argv:
                for article_id, quotes in labels.items():
                    for line in speaker_errors(article_id, extract(texts[article_id]), quotes):
                        print("   ", line)
