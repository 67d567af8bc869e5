"""The named-entity tagger: a CRF over clitic-aware word features, then article-level consistency.

A name is often written in full once (``أنطونيو غوتيريش``) and then by the family name alone,
sometimes with a clitic (``وغوتيريش``); those later mentions are the same entity, so they take
the full name's type and key, and later occurrences the CRF missed are tagged too.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import NamedTuple, cast

import numpy as np
import pycrfsuite

from akhbar.errors import InputError
from akhbar.extract.model import EntityType, Mention
from akhbar.extract.ner.decoder import CrfWeights
from akhbar.extract.ner.features import EDGE, TOKEN_RE, Featurizer, WordInfo
from akhbar.extract.ner.lexicon import (
    LOC_TRIGGERS,
    NAME_PARTICLES,
    ORG_TRIGGERS,
    PER_TRIGGERS,
    Lexicon,
)
from akhbar.text.normalize import normalize

__all__ = ["MODEL_FILES", "O_PENALTY", "EntityTagger"]

MODEL_FILES = ("model.crfsuite", "words.tsv.gz", "gazetteer.tsv")
_SENTENCE_END = frozenset(".!?؟؛")
_MAX_SEQUENCE = 120
_TYPES = frozenset({"PER", "LOC", "ORG", "MISC"})
# Words that are never a name on their own, whatever an earlier mention looked like.
_NOT_NAMES = PER_TRIGGERS | ORG_TRIGGERS | LOC_TRIGGERS | NAME_PARTICLES
_MIN_PROPAGATED = 3
O_PENALTY = 0.5


class _Token(NamedTuple):
    """A token of the text being tagged, with its offsets and word features.

    A NamedTuple rather than a frozen dataclass: one is built per token on the hot path, and a
    frozen dataclass's __init__ costs several times more.
    """

    start: int
    end: int
    info: WordInfo
    word: str


def _letter_offset(written: str, letters: int) -> int:
    """Index in `written` just after its first `letters` letters and their marks."""
    seen = 0
    for i, char in enumerate(written):
        if normalize(char):
            if seen == letters:
                return i
            seen += 1
    return len(written)


def _read_model_files(path: Path | None) -> tuple[bytes, bytes, str]:
    """Read the three model files from `path` or from the package."""
    try:
        if path is None:
            root = resources.files("akhbar").joinpath("data/ner")
            origin = "akhbar/data/ner (packaged NER model)"
            blobs = [root.joinpath(name).read_bytes() for name in MODEL_FILES]
        else:
            origin = str(path)
            blobs = [(path / name).read_bytes() for name in MODEL_FILES]
    except OSError as exc:
        raise InputError(
            origin,
            f"NER model file missing or unreadable ({exc}); reinstall akhbar or rebuild the "
            "model with scripts/train_ner.py",
        ) from exc
    try:
        gazetteer = blobs[2].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(origin, "NER gazetteer is not UTF-8; rebuild the model") from exc
    return blobs[0], blobs[1], gazetteer


_ONE_LETTER_PROCLITICS = frozenset("وفبلك")


class EntityTagger:
    """Finds PER/LOC/ORG/MISC mentions in article text; load once and reuse (it caches words)."""

    def __init__(
        self, crf: pycrfsuite.Tagger, lexicon: Lexicon, model: bytes, o_penalty: float = O_PENALTY
    ) -> None:
        self._model = model  # crfsuite reads the model from this buffer: keep it alive
        self._crf = crf
        self._lexicon = lexicon
        self._featurizer = Featurizer(lexicon)
        self._weights = CrfWeights(crf, EDGE, o_penalty)

    @classmethod
    def load(cls, path: Path | None = None, o_penalty: float = O_PENALTY) -> EntityTagger:
        """Load the packaged model, or the model directory at `path` (as train_ner.py writes it).

        `o_penalty` shifts decoding towards names (recall) and away from O; the default was
        chosen on held-out NewsFANE (``scripts/train_ner.py --dev``).
        """
        model, words, gazetteer = _read_model_files(path)
        origin = str(path) if path is not None else "akhbar/data/ner (packaged NER model)"
        try:
            lexicon = Lexicon.from_texts(words, gazetteer)
        except ValueError as exc:
            raise InputError(
                origin, f"NER word table is corrupt ({exc}); rebuild the model"
            ) from exc
        crf = pycrfsuite.Tagger()
        try:
            crf.open_inmemory(model)
        except (ValueError, OSError, RuntimeError) as exc:
            raise InputError(
                origin, f"NER CRF model is corrupt ({exc}); rebuild it with scripts/train_ner.py"
            ) from exc
        labels = set(crf.labels())
        if not labels <= {"O"} | {f"{p}-{t}" for p in "BI" for t in _TYPES}:
            raise InputError(origin, f"NER CRF model has unknown labels {sorted(labels)}")
        return cls(crf, lexicon, model, o_penalty)

    def label_tokens(self, tokens: Sequence[str]) -> list[str]:
        """BIO labels for an already tokenised sentence (the CRF alone, for evaluation)."""
        _, feats = self._featurizer.sequence(list(tokens))
        return cast(list[str], self._crf.tag(feats))

    def _sequences(self, text: str) -> list[list[_Token]]:
        """The text's tokens, cut into sentence-sized sequences for the CRF."""
        out: list[list[_Token]] = []
        current: list[_Token] = []
        last_end = 0
        info = self._featurizer.info
        for match in TOKEN_RE.finditer(text):
            start, end = match.span()
            if current and (len(current) >= _MAX_SEQUENCE or text.find("\n", last_end, start) >= 0):
                out.append(current)
                current = []
            word = match.group()
            current.append(_Token(start, end, info(word), word))
            last_end = end
            if word in _SENTENCE_END:
                out.append(current)
                current = []
        if current:
            out.append(current)
        return out

    def tag(self, text: str) -> tuple[Mention, ...]:
        """Every entity mention in `text`, in order, with offsets into `text`."""
        sequences = self._sequences(text)
        weights = self._weights
        scores = weights.word_scores
        marks = self._featurizer.gazetteer_marks
        tokens_all = [t for seq in sequences for t in seq]
        if not tokens_all:
            return ()
        lengths = [len(seq) for seq in sequences]
        flat = weights.article_emissions(
            [scores(t.word, t.info) for t in tokens_all],
            lengths,
            [mark for seq in sequences for mark in marks([t.info for t in seq])],
        )
        bounds = np.cumsum(lengths)[:-1]
        emissions = np.split(flat, bounds)
        mentions: list[Mention] = []
        for seq, labels in zip(sequences, weights.viterbi(emissions), strict=True):
            for toks, kind in _decode(seq, labels):
                mention = self._mention(text, toks, kind)
                if mention is not None:
                    mentions.append(mention)
        mentions = self._places_missed(text, tokens_all, mentions)
        return tuple(_consistent(text, mentions, tokens_all))

    def _places_missed(
        self, text: str, tokens: list[_Token], mentions: list[Mention]
    ) -> list[Mention]:
        """Add one-word gazetteer places (countries, cities) the CRF left untagged: a place
        name behind a conjunction (`بريطانيا وكندا`) is still a place."""
        gazetteer = self._lexicon.gazetteer
        covered = [(m.start, m.end) for m in mentions]
        added = []
        for t in tokens:
            if gazetteer.get((t.info.stripped.base,)) == "LOC":
                start, key = -1, ""
            elif (
                text[t.start] in _ONE_LETTER_PROCLITICS
                and t.end - t.start > 3
                and gazetteer.get((t.info.norm[1:],)) == "LOC"
            ):  # a conjunction or preposition the stripper kept (`وكندا`)
                start, key = t.start + 1, t.info.norm[1:]
            else:
                continue
            if any(s < t.end and t.start < e for s, e in covered):
                continue
            if start < 0:
                mention = self._mention(text, [t], "LOC")
                if mention is not None:
                    added.append(mention)
            else:
                added.append(Mention(start, t.end, text[start : t.end], "LOC", key))
        if not added:
            return mentions
        return sorted([*mentions, *added], key=lambda m: (m.start, m.end))

    def _mention(self, text: str, toks: list[_Token], kind: EntityType) -> Mention | None:
        """A Mention for a decoded token span, with the first token's proclitics left out."""
        while toks and not toks[-1].info.norm[0].isalnum():
            toks = toks[:-1]
        while toks and not toks[0].info.norm[0].isalnum():
            toks = toks[1:]
        if not toks:
            return None
        first = toks[0]
        start = first.start + _letter_offset(
            text[first.start : first.end], first.info.stripped.offset
        )
        end = toks[-1].end
        key = " ".join([first.info.stripped.base] + [t.info.norm for t in toks[1:]])
        return Mention(start, end, text[start:end], kind, key)


def _decode(seq: list[_Token], labels: Sequence[str]) -> Iterator[tuple[list[_Token], EntityType]]:
    """Token spans and types of a BIO label sequence (an I- without its B- opens an entity)."""
    current: list[_Token] = []
    kind = ""
    for token, label in zip(seq, labels, strict=True):
        if label.startswith("I-") and current and label[2:] == kind:
            current.append(token)
            continue
        if current:
            yield current, cast(EntityType, kind)
            current = []
        if label != "O":
            current, kind = [token], label[2:]
    if current:
        yield current, cast(EntityType, kind)


def _consistent(text: str, mentions: list[Mention], tokens: list[_Token]) -> list[Mention]:
    """Later short mentions take their full name's type and key; tag repeats the CRF missed."""
    family: dict[str, tuple[str, int]] = {}  # family name -> a person's full key, where seen
    known: dict[tuple[str, ...], tuple[EntityType, str]] = {}
    first_seen: dict[tuple[str, ...], int] = {}
    out: list[Mention] = []
    for found in mentions:
        mention = found
        words = tuple(mention.key.split())
        if len(words) == 1 and mention.key in family:
            full = family[mention.key][0]
            mention = Mention(mention.start, mention.end, mention.text, "PER", full, mention.role)
        elif mention.type == "PER" and len(words) >= 2 and words[-1] not in NAME_PARTICLES:
            family.setdefault(words[-1], (mention.key, mention.start))
        if words not in known:
            known[words] = (mention.type, mention.key)
            first_seen[words] = mention.start
        out.append(mention)
    covered = [False] * len(tokens)
    starts = [t.start for t in tokens]
    for mention in out:
        lo = max(bisect_right(starts, mention.start) - 1, 0)
        for k in range(lo, bisect_left(starts, mention.end)):
            covered[k] = True
    added: list[Mention] = []
    firsts = {words[0] for words in known} | set(family)
    i = 0
    while i < len(tokens):
        if covered[i] or tokens[i].info.stripped.base not in firsts:
            i += 1
            continue
        hit = _repeat_at(tokens, covered, i, known=known, first_seen=first_seen, family=family)
        if hit is None:
            i += 1
            continue
        size, kind, key = hit
        toks = tokens[i : i + size]
        first = toks[0]
        start = first.start + _letter_offset(
            text[first.start : first.end], first.info.stripped.offset
        )
        added.append(Mention(start, toks[-1].end, text[start : toks[-1].end], kind, key))
        i += size
    return sorted(out + added, key=lambda m: m.start)


def _repeat_at(
    tokens: list[_Token],
    covered: list[bool],
    i: int,
    *,
    known: dict[tuple[str, ...], tuple[EntityType, str]],
    first_seen: dict[tuple[str, ...], int],
    family: dict[str, tuple[str, int]],
) -> tuple[int, EntityType, str] | None:
    """The longest already-tagged name (or a person's family name) starting at token `i`."""
    for size in (4, 3, 2, 1):
        if i + size > len(tokens) or any(covered[i : i + size]):
            continue
        toks = tokens[i : i + size]
        words = (toks[0].info.stripped.base, *(t.info.norm for t in toks[1:]))
        found = known.get(words)
        if found is not None and first_seen[words] < toks[0].start:
            if size == 1 and (len(words[0]) < _MIN_PROPAGATED or words[0] in _NOT_NAMES):
                continue
            return size, found[0], found[1]
        person = family.get(words[0]) if size == 1 else None
        if person is not None and person[1] < toks[0].start and words[0] not in _NOT_NAMES:
            return 1, "PER", person[0]
    return None
