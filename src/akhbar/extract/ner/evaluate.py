"""Entity-level exact-match scoring (conlleval-style) of the tagger on a tokenised corpus.

The tagger runs on the raw sentence text, as in production; its character spans are mapped back
to the corpus tokens (a token is inside a mention if they share a character), so clitics attached
to a name's first token count as the corpus counts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from akhbar.extract.ner.corpus import Sentence, spans_of
from akhbar.extract.ner.tagger import EntityTagger

__all__ = ["Scores", "TypeScore", "format_scores", "score", "tag_sentences"]

SCORED_TYPES = ("PER", "LOC", "ORG")


@dataclass(frozen=True, slots=True)
class TypeScore:
    """Precision, recall and F1 of one entity type (or the micro average)."""

    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        """Share of predicted entities that are exactly right."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of gold entities found exactly."""
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-type scores and the micro average over PER, LOC and ORG."""

    by_type: dict[str, TypeScore]
    micro: TypeScore


def tag_sentences(
    tagger: EntityTagger, sentences: Sequence[Sentence], block: int = 1
) -> list[list[str]]:
    """Tag each sentence's text (`block` sentences per call) and map mentions to BIO per token."""
    out: list[list[str]] = []
    for first in range(0, len(sentences), block):
        group = sentences[first : first + block]
        text = "\n".join(s.text for s in group)
        mentions = tagger.tag(text)
        offset = 0
        for sentence in group:
            bounds: list[tuple[int, int]] = []
            pos = offset
            for token in sentence.tokens:
                bounds.append((pos, pos + len(token)))
                pos += len(token) + 1
            labels = ["O"] * len(bounds)
            for mention in mentions:
                inside = [
                    i for i, (s, e) in enumerate(bounds) if s < mention.end and mention.start < e
                ]
                for n, i in enumerate(inside):
                    labels[i] = ("B-" if n == 0 else "I-") + mention.type
            out.append(labels)
            offset = pos
    return out


def score(gold: Sequence[Sentence], predicted: Sequence[Sequence[str]]) -> Scores:
    """Exact-match entity scores of predicted BIO labels against the gold sentences."""
    counts = {kind: [0, 0, 0] for kind in SCORED_TYPES}
    for sentence, labels in zip(gold, predicted, strict=True):
        want = spans_of(sentence.tags)
        got = spans_of(labels)
        for kind, row in counts.items():
            w = {s for s in want if s[2] == kind}
            g = {s for s in got if s[2] == kind}
            row[0] += len(w)
            row[1] += len(g)
            row[2] += len(w & g)
    by_type = {kind: TypeScore(*row) for kind, row in counts.items()}
    micro = TypeScore(*(sum(row[i] for row in counts.values()) for i in range(3)))
    return Scores(by_type, micro)


def format_scores(scores: Scores) -> str:
    """A small table: type, gold, predicted, correct, P, R, F1."""
    lines = [f"{'type':6} {'gold':>5} {'pred':>5} {'ok':>5}  {'P':>6} {'R':>6} {'F1':>6}"]
    rows = [*scores.by_type.items(), ("micro", scores.micro)]
    for kind, s in rows:
        lines.append(
            f"{kind:6} {s.gold:5d} {s.predicted:5d} {s.correct:5d}  "
            f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
        )
    return "\n".join(lines)
