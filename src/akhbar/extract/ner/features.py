"""CRF features of a token sequence: the word, its clitic-stripped base, affixes, clusters, context.

Word-level features are computed once per distinct surface form and cached in the `Featurizer`
instance, so a 300-word article costs a few dictionary look-ups per token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from akhbar.extract.ner.lexicon import (
    LOC_PREPS,
    LOC_TRIGGERS,
    NAME_PARTICLES,
    ORG_TRIGGERS,
    PER_TRIGGERS,
    SPEECH_VERBS,
    Lexicon,
    StrippedWord,
    strip_proclitics,
)
from akhbar.text.normalize import normalize

__all__ = ["EDGE", "OFFSETS", "TOKEN_RE", "Featurizer", "WordInfo", "gazetteer_names"]

# Words (letters, digits and Arabic marks in one run, numbers with their separators) and single
# punctuation characters, which are context for the tagger.
# (A word is matched a run of letters or of marks at a time: the same tokens as a character at
# a time, faster. No possessive quantifiers: Python before 3.11.5 mismatches some of them.)
TOKEN_RE = re.compile(
    r"\d+(?:[.,٫٬]\d+)*%?"
    r"|[^\W\d_](?:[^\W_]+|[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed]+)*"
    r"|[^\w\s]"
)
_CACHE_LIMIT = 200_000
_TRIGGER_SETS = (
    ("tper", PER_TRIGGERS),
    ("torg", ORG_TRIGGERS),
    ("tloc", LOC_TRIGGERS),
    ("say", SPEECH_VERBS),
    ("part", NAME_PARTICLES),
    ("prep", LOC_PREPS),
)


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the tagger derives from one surface form, independent of its context."""

    norm: str
    stripped: StrippedWord
    own: tuple[str, ...]
    # What a token shows to its neighbours at distance 1, 2 and 3 (on either side).
    shown: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

    @property
    def near(self) -> tuple[tuple[str, ...], ...]:
        """The CRF features this word gives the token at offsets -3, -2, -1, +1, +2, +3."""
        return tuple(tuple(f"{off}{f}" for f in self.shown[abs(off) - 1]) for off in OFFSETS)


def _shape(word: str) -> str:
    """A coarse character class: Arabic, Latin, digit or punctuation."""
    first = word[0]
    if first.isdigit():
        return "D"
    if not first.isalpha():
        return "P"
    return "A" if "\u0600" <= first <= "\u06ff" else "L"


_SHAPES = {shape: f"sh={shape}" for shape in "ADLP"}
_LENGTHS = tuple(f"len={n}" for n in range(11))
_HAS_ARTICLE = ("al=False", "al=True")
# A log-scale frequency bucket of the base's corpus count; 0 for words absent from it.
_BUCKETS = tuple(f"f={n}" for n in range(10))


def gazetteer_names(
    gazetteer: dict[tuple[str, ...], str],
    base_of: Callable[[int], str],
    starts: Iterable[tuple[int, int]],
) -> Iterator[tuple[int, int, str]]:
    """The longest gazetteer name (at most four words) at each candidate token, as (token, size,
    type); `starts` gives candidates in order with the end of their sentence, and a candidate
    inside a name already found is skipped. Training and the tagger both mark names this way."""
    next_free = 0
    for k, end in starts:
        if k < next_free:
            continue
        bases = [base_of(j) for j in range(k, min(k + 4, end))]
        for size in range(len(bases), 0, -1):
            kind = gazetteer.get(tuple(bases[:size]))
            if kind is not None:
                yield k, size, kind
                next_free = k + size
                break


class Featurizer:
    """Turns token sequences into CRF feature lists, caching per-word work."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon
        self._cache: dict[str, WordInfo] = {}
        self._near: dict[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]] = {}
        self._gaz_firsts = frozenset(words[0] for words in lexicon.gazetteer)
        # Feature strings shared by many words (few distinct clusters and codes), made once.
        self._clusters: dict[tuple[str, str, str, str], list[str]] = {}
        self._auto: dict[str, list[str]] = {}
        self._base_clusters: dict[tuple[str, str, str, str], list[str]] = {}

    def info(self, token: str) -> WordInfo:
        """The context-free features of one surface form (cached)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        found = self.compute(token)
        self._cache[token] = found
        return found

    def compute(self, token: str) -> WordInfo:
        """The context-free features of one surface form, and what it shows to neighbours
        (not cached: for callers that keep their own table of words)."""
        lex = self._lex
        norm = normalize(token) or token
        shape = _shape(norm)
        stripped = strip_proclitics(norm, lex.counts) if shape == "A" else StrippedWord("", norm, 0)
        base = stripped.base
        b_feature, sh_feature = f"b={base}", _SHAPES[shape]
        own = [f"w={norm}", b_feature, f"pre={stripped.prefix}", sh_feature]
        near1 = [b_feature, sh_feature]
        near2 = [b_feature, sh_feature]
        far: list[str] = []
        if shape == "A":
            core = base[2:] if base.startswith("ال") and len(base) > 4 else base
            if core != base:
                own.append(f"core={core}")
            own += [
                f"p2={core[:2]}",
                f"p3={core[:3]}",
                f"s1={core[-1:]}",
                f"s2={core[-2:]}",
                f"s3={core[-3:]}",
                _LENGTHS[min(len(core), 10)],
                _HAS_ARTICLE[base.startswith("ال")],
                _BUCKETS[min(lex.counts.get(base, 0).bit_length() // 2, 9)],
            ]
            clusters = lex.clusters.get(norm) or lex.clusters.get(base)
            if clusters is not None:
                shown = self._cluster_features(clusters)  # c1, c2, c3, then the name codes
                own += shown
                near1 += shown
                near2 += shown[:3]
                far.append(shown[2])
            else:
                own.append("c=none")
                near1.append("c=none")
                near2.append("c=none")
            tagged = lex.auto.get(base) or lex.auto.get(norm)
            if tagged is not None:
                own += self._auto_features(tagged)
            elif lex.auto:
                own.append("a=none")
            bcl = lex.clusters.get(base) if base != norm else None
            if bcl is not None:
                own += self._base_cluster_features(bcl)
        triggers = [name for name, words in _TRIGGER_SETS if base in words or norm in words]
        own += triggers
        near1 += triggers
        near2 += triggers
        far += triggers
        return WordInfo(norm, stripped, tuple(own), (tuple(near1), tuple(near2), tuple(far)))

    def _cluster_features(self, clusters: tuple[str, str, str, str]) -> list[str]:
        """The features a word's clusters and name-class code give it and its neighbours."""
        hit = self._clusters.get(clusters)
        if hit is None:
            fine, mid, coarse, code = clusters
            hit = [f"c1={fine}", f"c2={mid}", f"c3={coarse}"]
            hit += [f"n{kind}={level}" for kind, level in zip("PLO", code, strict=True)]
            self._clusters[clusters] = hit
        return hit

    def _auto_features(self, tagged: str) -> list[str]:
        """The features of a word's self-tag code."""
        hit = self._auto.get(tagged)
        if hit is None:
            hit = [f"a{kind}={level}" for kind, level in zip("PLO", tagged, strict=False)]
            self._auto[tagged] = hit
        return hit

    def _base_cluster_features(self, clusters: tuple[str, str, str, str]) -> list[str]:
        """The features the clusters of a word's clitic-stripped base give it."""
        hit = self._base_clusters.get(clusters)
        if hit is None:
            hit = [f"bc1={clusters[0]}", f"bc2={clusters[1]}"]
            hit += [f"bn{kind}={level}" for kind, level in zip("PLO", clusters[3], strict=True)]
            self._base_clusters[clusters] = hit
        return hit

    def _near_of(self, info: WordInfo) -> tuple[tuple[str, ...], ...]:
        """`info.near`, built once per distinct set of shown features (training tags every
        token of a corpus)."""
        hit = self._near.get(info.shown)
        if hit is None:
            if len(self._near) >= _CACHE_LIMIT:
                self._near.clear()
            hit = self._near[info.shown] = info.near
        return hit

    def gazetteer_marks(self, infos: list[WordInfo]) -> list[str | None]:
        """Mark tokens covered by a gazetteer name (longest match first), e.g. ``gz=B-LOC``."""
        return self.gazetteer_marks_of([info.stripped.base for info in infos])

    def gazetteer_marks_of(self, bases: list[str]) -> list[str | None]:
        """`gazetteer_marks` of a sequence given by its words' clitic-stripped bases."""
        marks: list[str | None] = [None] * len(bases)
        n = len(bases)
        starts = ((i, n) for i, base in enumerate(bases) if base in self._gaz_firsts)
        for i, size, kind in gazetteer_names(self._lex.gazetteer, bases.__getitem__, starts):
            marks[i] = f"gz=B-{kind}"
            for j in range(i + 1, i + size):
                marks[j] = f"gz=I-{kind}"
        return marks

    def sequence(self, tokens: list[str]) -> tuple[list[WordInfo], list[list[str]]]:
        """Word infos and CRF feature lists for one token sequence."""
        infos = [self.info(t) for t in tokens]
        return infos, self.features(infos)

    def features(self, infos: list[WordInfo]) -> list[list[str]]:
        """CRF feature lists for a sequence of word infos."""
        gaz = self.gazetteer_marks(infos)
        near = [self._near_of(w) for w in (EDGE, *infos, EDGE)]
        padded = [near[0]] * 3 + near[1:-1] + [near[-1]] * 3
        out: list[list[str]] = []
        for i, info in enumerate(infos):
            k = i + 3
            feats = [
                *info.own,
                *padded[k - 3][0],
                *padded[k - 2][1],
                *padded[k - 1][2],
                *padded[k + 1][3],
                *padded[k + 2][4],
                *padded[k + 3][5],
            ]
            mark = gaz[i]
            if mark is not None:
                feats.append(mark)
            out.append(feats)
        return out


OFFSETS = (-3, -2, -1, 1, 2, 3)
EDGE = WordInfo("", StrippedWord("", "", 0), (), (("edge",), ("edge",), ("edge",)))
