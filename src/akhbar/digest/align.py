"""Claim alignment: clauses of a story's articles that state the same thing, grouped.

Each clause becomes a set of matching terms (normalised, lightly stemmed content words from
`akhbar.stories.represent`, numbers as written, and linked entity keys), weighted by inverse
document frequency over the story's clauses. Two clauses of different articles link when their
weighted cosine is high, or when one is mostly contained in the other with enough shared
terms; links are merged best first into claims, never putting two clauses of one article in a
claim and never joining groups whose average similarity is low.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from akhbar.digest.sentences import Span, units
from akhbar.extract.model import Mention
from akhbar.stories.represent import STOPWORDS, stem
from akhbar.text.normalize import normalize
from akhbar.text.tokenize import word_spans

__all__ = [
    "AlignSettings",
    "Alignment",
    "Token",
    "Unit",
    "align",
    "article_units",
    "content_term",
    "name_skeleton",
    "similarity",
]

# Words that report speech or link clauses: they say nothing about what happened.
_RAW_DISCOURSE = """
    مشيرا مشيرة مشيرًا مؤكدا مؤكدة لافتا لافتة قائلا قائلة قائلًا مضيفا مضيفة موضحا موضحة
    معتبرا منوها مشددا معربا مبينا وتابع تابع وأكمل أكمل صرح وصرح أشار يشير تصريحات
    الأمر وهو وهي الآن إذا ما لم ولم لن هذا هذه التي الذي وذلك بدون دون علينا عليها عليه
    كلا أمام أكرر أنه أنها إنه إنها ولا سيما وقال قالت أكدت أشارت وأوضحت أوضحت
    """
_DISCOURSE = frozenset(normalize(w) for w in _RAW_DISCOURSE.split())
_SKELETON_MAP = str.maketrans({"ج": "ك", "غ": "ك", "ق": "ك", "ة": "ه", "ى": "ي"})
_LONG_VOWELS = re.compile(r"(?<=.)[اوي]")


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Thresholds of clause alignment (tuned on the seeds and read on dev stories)."""

    min_cosine: float = 0.42
    min_containment: float = 0.62
    min_shared_terms: int = 4
    min_average: float = 0.3
    number_boost: float = 1.5
    entity_boost: float = 1.5


@dataclass(frozen=True, slots=True)
class Token:
    """A word of an article: offsets into its text and its matching term ("" when none)."""

    start: int
    end: int
    term: str


@dataclass(frozen=True, slots=True)
class Unit:
    """One clause of one article with its tokens and matching terms."""

    article: int
    span: Span
    tokens: tuple[Token, ...]
    terms: frozenset[str]


def content_term(norm: str) -> str:
    """The matching term of a normalised word: its stem, a number as written, or "" if none."""
    if not norm:
        return ""
    if norm[0].isdigit():
        return norm
    if norm in STOPWORDS or norm in _DISCOURSE or len(norm) < 2:
        return ""
    return stem(norm)


def name_skeleton(key: str) -> str:
    """A name's transliteration skeleton: ج/غ/ق/ك one letter, no inner long vowels, ى=ي, ة=ه."""
    words = normalize(key).translate(_SKELETON_MAP).split()
    return " ".join(_LONG_VOWELS.sub("", w) for w in words)


def _tokens(text: str, start: int, end: int, cache: dict[str, str]) -> tuple[Token, ...]:
    """Tokens of `text[start:end]` with their terms; `cache` keeps terms of words seen."""
    out: list[Token] = []
    piece = text[start:end]
    for a, b in word_spans(piece):
        word = piece[a:b]
        term = cache.get(word)
        if term is None:
            norm = normalize(word)
            term = content_term(norm.split()[0]) if norm else ""
            cache[word] = term
        out.append(Token(start + a, start + b, term))
    return tuple(out)


def article_units(
    index: int,
    text: str,
    mentions: Sequence[Mention],
    cache: dict[str, str],
) -> list[Unit]:
    """The clauses of one article (sub-headings left out) with their matching terms."""
    out: list[Unit] = []
    for span in units(text):
        if span.kind == "heading":
            continue
        tokens = _tokens(text, span.start, span.end, cache)
        terms = {t.term for t in tokens if t.term}
        terms.update(
            "@" + name_skeleton(m.key)
            for m in mentions
            if m.key and span.start <= m.start and m.end <= span.end
        )
        if terms:
            out.append(Unit(index, span, tokens, frozenset(terms)))
    return out


def similarity(
    story_units: Sequence[Unit], settings: AlignSettings
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Weighted cosine between every two clauses, and which pairs are linked."""
    n = len(story_units)
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, u in enumerate(story_units):
        for t in u.terms:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
    binary = np.zeros((n, max(len(vocab), 1)), dtype=np.float64)
    binary[rows, cols] = 1.0
    df = binary.sum(axis=0)
    idf = np.log((n + 1) / (df + 1)) + 1.0
    for t, j in vocab.items():
        if t[0].isdigit():
            idf[j] *= settings.number_boost
        elif t[0] == "@":
            idf[j] *= settings.entity_boost
    weighted = binary * idf
    dot = weighted @ weighted.T
    norms = np.sqrt(np.einsum("ij,ij->i", weighted, weighted))
    norms[norms == 0] = 1.0
    cosine = dot / np.outer(norms, norms)
    shared_weight = (weighted @ binary.T + binary @ weighted.T) / 2
    total = weighted.sum(axis=1)
    smaller = np.minimum.outer(total, total)
    smaller[smaller == 0] = 1.0
    containment = shared_weight / smaller
    shared = binary @ binary.T
    articles = np.array([u.article for u in story_units])
    other = articles[:, None] != articles[None, :]
    linked = other & (
        (cosine >= settings.min_cosine)
        | ((containment >= settings.min_containment) & (shared >= settings.min_shared_terms))
    )
    return cosine, linked


@dataclass(frozen=True, slots=True)
class Alignment:
    """Claims as sorted lists of unit indexes, and the clause cosine matrix they came from."""

    groups: tuple[tuple[int, ...], ...]
    cosine: npt.NDArray[np.float64]


def align(story_units: Sequence[Unit], settings: AlignSettings) -> Alignment:
    """Group clauses into claims, each with at most one clause per article."""
    n = len(story_units)
    if n == 0:
        return Alignment((), np.zeros((0, 0)))
    cosine, linked = similarity(story_units, settings)
    parent = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    articles: dict[int, set[int]] = {i: {story_units[i].article} for i in range(n)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = np.argwhere(np.triu(linked, 1))
    if len(pairs):
        order = np.argsort(-cosine[pairs[:, 0], pairs[:, 1]], kind="stable")
        for a, b in pairs[order].tolist():
            ra, rb = find(a), find(b)
            if ra == rb or articles[ra] & articles[rb]:
                continue
            block = cosine[np.ix_(members[ra], members[rb])]
            if float(block.mean()) < settings.min_average and not math.isclose(block.size, 1):
                continue
            parent[rb] = ra
            members[ra].extend(members.pop(rb))
            articles[ra] |= articles.pop(rb)
    groups = tuple(tuple(sorted(m)) for m in sorted(members.values(), key=min))
    return Alignment(groups, cosine)
