"""Claim alignment: clauses of a story's articles that state the same thing, grouped.

Each clause becomes a set of matching terms (normalised, lightly stemmed content words from
`akhbar.stories.represent`, numbers as written, and linked entity keys), weighted by inverse
document frequency over the story's clauses. Two clauses of different articles link when their
weighted cosine is high, or when one is mostly contained in the other with enough shared
terms; links are merged best first into claims, never putting two clauses of one article in a
claim and never joining groups whose average similarity is low.
"""

from __future__ import annotations

import bisect
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
    واصفا واصفة مبديا معلنا مستطردا موضحًا لافتًا مؤكدًا مضيفًا ذلك هذا الأخير
    """
_DISCOURSE = frozenset(normalize(w) for w in _RAW_DISCOURSE.split())
_SKELETON_MAP = str.maketrans({"ج": "ك", "غ": "ك", "ق": "ك", "ة": "ه", "ى": "ي"})
_LONG_VOWELS = re.compile(r"(?<=.)[اوي]")


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Thresholds of clause alignment (tuned on the two founding example articles and read on
    dev stories)."""

    min_cosine: float = 0.42
    min_containment: float = 0.62
    min_shared_terms: int = 4
    min_average: float = 0.4
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
    """The matching term of a normalised word: its stem, a number as written, or "" if none
    (a function word, also one with a clitic: `بانه`, `وهذا`)."""
    if not norm:
        return ""
    if norm[0].isdigit():
        return norm
    if norm in STOPWORDS or norm in _DISCOURSE or len(norm) < 2:
        return ""
    if norm[0] in "وفبل" and (norm[1:] in STOPWORDS or norm[1:] in _DISCOURSE):
        return ""
    return stem(norm)


def name_skeleton(key: str) -> str:
    """A name's transliteration skeleton: ج/غ/ق/ك one letter, no inner long vowels, ى=ي, ة=ه."""
    words = normalize(key).translate(_SKELETON_MAP).split()
    return " ".join(_LONG_VOWELS.sub("", w) for w in words)


_SEPARATOR = "\ue000"  # a private-use character: normalisation keeps it, no word holds it


def _terms_of(words: Sequence[str], cache: dict[str, str]) -> None:
    """Put the terms of words not yet in `cache` there, normalising them all in one call
    (normalisation works character by character, so a separator keeps the words apart)."""
    todo = [w for w in dict.fromkeys(words) if w not in cache]
    if not todo:
        return
    norms = normalize(f" {_SEPARATOR} ".join(todo)).split(_SEPARATOR)
    if len(norms) != len(todo):
        norms = [normalize(w) for w in todo]
    for word, norm in zip(todo, norms, strict=True):
        parts = norm.split()
        cache[word] = content_term(parts[0]) if parts else ""


def _tokens(text: str, cache: dict[str, str]) -> list[Token]:
    """Tokens of a whole text with their terms; `cache` keeps terms of words seen."""
    spans = list(word_spans(text))
    words = [text[a:b] for a, b in spans]
    _terms_of(words, cache)
    return [Token(a, b, cache[w]) for (a, b), w in zip(spans, words, strict=True)]


def article_units(
    index: int,
    text: str,
    mentions: Sequence[Mention],
    cache: dict[str, str],
) -> list[Unit]:
    """The clauses of one article (sub-headings left out) with their matching terms."""
    tokens = _tokens(text, cache)
    starts = [t.start for t in tokens]
    out: list[Unit] = []
    for span in units(text):
        if span.kind == "heading":
            continue
        lo = bisect.bisect_left(starts, span.start)
        hi = bisect.bisect_left(starts, span.end)
        inside = tuple(t for t in tokens[lo:hi] if t.end <= span.end)
        terms = {t.term for t in inside if t.term}
        terms.update(
            "@" + name_skeleton(m.key)
            for m in mentions
            if m.key and span.start <= m.start and m.end <= span.end
        )
        if terms:
            out.append(Unit(index, span, inside, frozenset(terms)))
    return out


def similarity(
    story_units: Sequence[Unit], settings: AlignSettings
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Weighted cosine between every two clauses, and which pairs are linked.

    Only terms found in two articles or more can be shared by clauses that may link, so the
    products run over those alone; norms and totals come from every term."""
    cosine, linked, _ = _similarity(story_units, settings)
    return cosine, linked


@dataclass(frozen=True, slots=True)
class _Terms:
    """The clauses' shared terms as `similarity` weighs them, kept for `Alignment.inside`."""

    weighted: npt.NDArray[np.float32]
    binary: npt.NDArray[np.float32]
    total: npt.NDArray[np.float64]
    articles: npt.NDArray[np.intp]
    min_shared: int


def _similarity(
    story_units: Sequence[Unit], settings: AlignSettings
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], _Terms]:
    """`similarity`, and the weighted terms that say how much of a clause's weight another
    clause holds (see `Alignment.inside`)."""
    n = len(story_units)
    df: dict[str, int] = {}
    seen_in: dict[str, set[int]] = {}
    for u in story_units:
        for t in u.terms:
            df[t] = df.get(t, 0) + 1
            seen_in.setdefault(t, set()).add(u.article)
    idf: dict[str, float] = {}
    for t, d in df.items():
        w = math.log((n + 1) / (d + 1)) + 1.0
        if t[0].isdigit():
            w *= settings.number_boost
        elif t[0] == "@":
            w *= settings.entity_boost
        idf[t] = w
    common = {t: j for j, t in enumerate(t for t, a in seen_in.items() if len(a) > 1)}
    binary = np.zeros((n, max(len(common), 1)), dtype=np.float32)
    weights = np.zeros(max(len(common), 1), dtype=np.float32)
    for t, j in common.items():
        weights[j] = idf[t]
    total = np.zeros(n)
    norms = np.zeros(n)
    for i, u in enumerate(story_units):
        cols = [common[t] for t in u.terms if t in common]
        binary[i, cols] = 1.0
        ws = [idf[t] for t in u.terms]
        total[i] = sum(ws)
        norms[i] = math.sqrt(sum(w * w for w in ws))
    weighted = binary * weights
    norms[norms == 0] = 1.0
    cosine = ((weighted * weights) @ binary.T).astype(np.float64) / np.outer(norms, norms)
    smaller = np.minimum.outer(total, total)
    smaller[smaller == 0] = 1.0
    containment = (weighted @ binary.T).astype(np.float64) / smaller
    shared = binary @ binary.T
    articles = np.array([u.article for u in story_units], dtype=np.intp)
    other = articles[:, None] != articles[None, :]
    linked = other & (
        (cosine >= settings.min_cosine)
        | ((containment >= settings.min_containment) & (shared >= settings.min_shared_terms))
    )
    return cosine, linked, _Terms(weighted, binary, total, articles, settings.min_shared_terms)


@dataclass(frozen=True, slots=True)
class Alignment:
    """Claims as sorted lists of unit indexes, and the clause cosine matrix they came from.

    `inside(rows)` says how much of some clauses' term weight each clause of another
    article holds: a clause that states two claims (`X مبيناً أن Y` where other outlets
    wrote X and Y apart) joins only one of them, but carries the other too."""

    groups: tuple[tuple[int, ...], ...]
    cosine: npt.NDArray[np.float64]
    terms: _Terms | None = None

    def inside(self, rows: Sequence[int]) -> npt.NDArray[np.float64]:
        """For each clause of `rows`, the share of its term weight that every clause of
        another article holds (0 where they share fewer than `min_shared_terms`): the rows
        asked only, not every pair (a large story's square matrix cost seconds and memory)."""
        t = self.terms
        if t is None or not rows:
            return np.zeros((len(rows), len(self.cosine)))
        picked = np.asarray(rows, dtype=np.intp)
        held = (t.weighted[picked] @ t.binary.T).astype(np.float64)
        held /= np.where(t.total[picked] > 0, t.total[picked], 1.0)[:, None]
        shared = t.binary[picked] @ t.binary.T
        held[(shared < t.min_shared) | (t.articles[picked][:, None] == t.articles[None, :])] = 0.0
        return held


def align(story_units: Sequence[Unit], settings: AlignSettings) -> Alignment:
    """Group clauses into claims, each with at most one clause per article."""
    n = len(story_units)
    if n == 0:
        return Alignment((), np.zeros((0, 0)))
    cosine, linked, terms = _similarity(story_units, settings)
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
            block = cosine[np.asarray(members[ra])[:, None], np.asarray(members[rb])]
            if float(block.mean()) < settings.min_average and not math.isclose(block.size, 1):
                continue
            parent[rb] = ra
            members[ra].extend(members.pop(rb))
            articles[ra] |= articles.pop(rb)
    groups = tuple(tuple(sorted(m)) for m in sorted(members.values(), key=min))
    return Alignment(groups, cosine, terms)
