"""The named-entity tagger: a CRF over clitic-aware word features, then article-level consistency.

A name is often written in full once (``أنطونيو غوتيريش``) and then by the family name alone,
sometimes with a clitic (``وغوتيريش``); those later mentions are the same entity, so they take
the full name's type and key, and later occurrences the CRF missed are tagged too.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import NamedTuple, cast

import numpy as np
import numpy.typing as npt
import pycrfsuite

from akhbar.errors import InputError
from akhbar.extract.model import EntityType, Mention
from akhbar.extract.ner.decoder import CrfWeights
from akhbar.extract.ner.features import EDGE, TOKEN_RE, Featurizer, gazetteer_names
from akhbar.extract.ner.lexicon import (
    LOC_TRIGGERS,
    NAME_PARTICLES,
    ORG_TRIGGERS,
    PER_TRIGGERS,
    Lexicon,
    StrippedWord,
    norm_set,
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
_WHOLE_FIRST_WORDS = frozenset({"فان", "فون"})  # `فان غال` as written (not `فإن`)
O_PENALTY = 0.5


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
_CACHE_LIMIT = 200_000
_ROWS_AT_ONCE = 2048  # new words whose CRF rows are summed in one NumPy pass
_NEWLINE = re.compile("\n")
_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")  # one group: split keeps the tokens
# Flags of a surface form.
_ENDS_SENTENCE = 1
_GAZETTEER_START = 2  # its base opens a gazetteer name
_PLACE = 4  # its base is a one-word gazetteer place
_CLITIC_PLACE = 8  # a one-letter proclitic the stripper kept, then a gazetteer place (`وكندا`)
_WORDLIKE = 16  # letters or digits, not punctuation

Indices = npt.NDArray[np.intp]


class _Spelling(NamedTuple):
    """What the tagger keeps of a word once its CRF rows are summed: its normalised form and
    its clitic-stripped base."""

    norm: str
    stripped: StrippedWord


_EDGE_SPELLING = _Spelling("", StrippedWord("", "", 0))


class _Words:
    """The surface forms a tagger has seen: ids, word features, CRF score rows and flags.

    Bounded: when full it keeps the half of its words seen most recently (frequent words stay;
    a word that comes back after being dropped is computed again).
    """

    def __init__(self, featurizer: Featurizer, weights: CrfWeights, lexicon: Lexicon) -> None:
        self._featurizer = featurizer
        self._weights = weights
        self._gazetteer = lexicon.gazetteer
        self._gazetteer_starts = frozenset(words[0] for words in lexicon.gazetteer)
        self._clock = 0
        self.ids: dict[str, int] = {}
        self.surfaces: list[str] = [""]
        self.infos: list[_Spelling] = [_EDGE_SPELLING]
        self.base_ids: dict[str, int] = {}
        edge = self._weights.edge
        self.rows = np.empty((1024, *edge.shape))
        self.rows[0] = edge  # id 0 is the sentence edge
        self.flags = np.zeros(1024, dtype=np.uint8)
        self.bases = np.full(1024, -1, dtype=np.intp)
        self.leads = np.full(1024, -1, dtype=np.intp)  # computed when first needed
        self.seen = np.zeros(1024, dtype=np.int64)  # the lookup that last asked for each word

    def lookup(self, words: list[str]) -> Indices:
        """The ids of `words`, adding the new ones."""
        self._clock += 1
        distinct = set(words)
        missing = distinct.difference(self.ids)
        if missing:
            if len(self.ids) + len(missing) > _CACHE_LIMIT:
                self._shrink(_CACHE_LIMIT // 2)
                missing = distinct.difference(self.ids)
            self._add(sorted(missing))
        found = np.fromiter(map(self.ids.__getitem__, words), dtype=np.intp, count=len(words))
        self.seen[found] = self._clock
        return found

    def _shrink(self, size: int) -> None:
        """Keep the `size` words seen most recently (ids change)."""
        count = len(self.infos)
        recent = np.argsort(-self.seen[1:count], kind="stable")[:size] + 1
        keep = np.concatenate([[0], np.sort(recent)])
        self.rows = self.rows[keep]
        self.flags = self.flags[keep]
        self.leads = self.leads[keep]
        self.seen = self.seen[keep]
        self.surfaces = [self.surfaces[i] for i in keep.tolist()]
        self.infos = [self.infos[i] for i in keep.tolist()]
        self.ids = {word: i for i, word in enumerate(self.surfaces) if i}
        self.base_ids = {}
        self.bases = np.array(
            [-1]
            + [
                self.base_ids.setdefault(info.stripped.base, len(self.base_ids))
                for info in self.infos[1:]
            ],
            dtype=np.intp,
        )

    def _add(self, words: list[str]) -> None:
        """Compute and keep what the tagger needs of new surface forms."""
        first = len(self.infos)
        needed = first + len(words)
        if needed > len(self.flags):
            grow = max(needed - len(self.flags), len(self.flags), 1024)
            self.rows = np.concatenate([self.rows, np.empty((grow, *self.rows.shape[1:]))])
            self.flags = np.concatenate([self.flags, np.zeros(grow, dtype=np.uint8)])
            self.bases = np.concatenate([self.bases, np.full(grow, -1, dtype=np.intp)])
            self.leads = np.concatenate([self.leads, np.full(grow, -1, dtype=np.intp)])
            self.seen = np.concatenate([self.seen, np.zeros(grow, dtype=np.int64)])
        infos = [self._featurizer.compute(word) for word in words]
        for at in range(0, len(infos), _ROWS_AT_ONCE):  # bounded temporary memory
            part = infos[at : at + _ROWS_AT_ONCE]
            self.rows[first + at : first + at + len(part)] = self._weights.rows_of_many(part)
        for index, (word, info) in enumerate(zip(words, infos, strict=True), start=first):
            base = info.stripped.base
            flags = 0
            if word in _SENTENCE_END:
                flags |= _ENDS_SENTENCE
            if base in self._gazetteer_starts:
                flags |= _GAZETTEER_START
            if self._gazetteer.get((base,)) == "LOC":
                flags |= _PLACE
            elif (
                word[0] in _ONE_LETTER_PROCLITICS
                and len(word) > 3
                and self._gazetteer.get((info.norm[1:],)) == "LOC"
            ):
                flags |= _CLITIC_PLACE
            # a modifier letter (the tatweel) only stretches or marks others: alone, no word
            if info.norm[0].isalnum() and unicodedata.category(info.norm[0]) != "Lm":
                flags |= _WORDLIKE
            self.ids[word] = index
            self.surfaces.append(word)
            self.infos.append(_Spelling(info.norm, info.stripped))
            self.flags[index] = flags
            self.bases[index] = self.base_ids.setdefault(base, len(self.base_ids))


def _tokens(text: str) -> tuple[Indices, list[str]]:
    """The tokens of `text` and their (start, end) offsets, from one split: the pieces
    alternate between the text around tokens and the tokens themselves."""
    pieces = _TOKEN_SPLIT.split(text)
    sizes = np.fromiter(map(len, pieces), dtype=np.intp, count=len(pieces))
    ends = np.cumsum(sizes)
    bounds = np.stack([ends[1::2] - sizes[1::2], ends[1::2]], axis=1)
    return bounds, pieces[1::2]


class _Article:
    """One text's tokens as parallel arrays: offsets, word ids and sentences."""

    def __init__(self, text: str, bounds: Indices, ids: Indices, words: _Words) -> None:
        self.text = text
        self.starts = bounds[:, 0]
        self.ends = bounds[:, 1]
        self.ids = ids
        self._id_list: list[int] = self.ids.tolist()
        self._infos = words.infos
        self.flags = words.flags[self.ids]
        self.base_ids = words.base_ids
        self.bases = words.bases[self.ids]
        self._leads = words.leads
        opens = self._sentence_openings(text)
        self.sentence = np.cumsum(opens) - 1
        self.sentence_starts = np.flatnonzero(opens)
        self.sentence_lengths = np.diff(np.append(self.sentence_starts, len(opens)))
        self.position = np.arange(len(opens)) - self.sentence_starts[self.sentence]
        self.length = self.sentence_lengths[self.sentence]

    def _sentence_openings(self, text: str) -> npt.NDArray[np.bool_]:
        """Where a new CRF sequence starts: after a sentence end, across a line break, and every
        `_MAX_SEQUENCE` tokens of a long run."""
        n = len(self.starts)
        opens = np.zeros(n, dtype=bool)
        if n == 0:
            return opens
        opens[0] = True
        opens[1:] = (self.flags[:-1] & _ENDS_SENTENCE) > 0
        if "\n" in text:
            breaks = np.array([m.start() for m in _NEWLINE.finditer(text)], dtype=np.intp)
            lines = np.searchsorted(breaks, self.starts)
            opens[1:] |= lines[1:] != lines[:-1]
        positions = np.arange(n)
        first = np.maximum.accumulate(np.where(opens, positions, 0))
        opens |= (positions - first) % _MAX_SEQUENCE == 0
        return opens

    def info(self, k: int) -> _Spelling:
        """The word features of token `k`."""
        return self._infos[self._id_list[k]]

    def infos(self, lo: int, hi: int) -> list[_Spelling]:
        """The word features of tokens lo..hi-1."""
        infos = self._infos
        return [infos[i] for i in self._id_list[lo:hi]]

    def key(self, first: int, end: int) -> str:
        """The normalised key of tokens first..end-1: the first without proclitics."""
        rest = [info.norm for info in self.infos(first + 1, end)]
        return " ".join([self.info(first).stripped.base, *rest])

    def start_of(self, k: int) -> int:
        """Where token `k` starts once its kept proclitics are left out."""
        word = self._id_list[k]
        lead = int(self._leads[word])
        if lead < 0:
            start, end = int(self.starts[k]), int(self.ends[k])
            lead = _letter_offset(self.text[start:end], self.info(k).stripped.offset)
            self._leads[word] = lead
        return int(self.starts[k]) + lead


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
        self._words = _Words(self._featurizer, self._weights, lexicon)
        self._marks: dict[str, npt.NDArray[np.float64]] = {}

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

    def crf_labels(self, text: str) -> list[tuple[int, int, str]]:
        """Each token's offsets and BIO label as the CRF decodes `text` (before the consistency
        and gazetteer-place passes of `tag`): for checks against crfsuite and for debugging."""
        [(article, labels)] = self._decode([text])
        names = self._weights.labels
        return [
            (start, end, names[label])
            for start, end, label in zip(
                article.starts.tolist(), article.ends.tolist(), labels.tolist(), strict=True
            )
        ]

    def _articles(self, texts: Sequence[str]) -> list[_Article]:
        """The texts tokenised, their words looked up together (so no id changes between)."""
        tokens = [_tokens(text) for text in texts]
        ids = self._words.lookup(list(chain.from_iterable(words for _, words in tokens)))
        cuts = np.cumsum([len(words) for _, words in tokens]).tolist()
        return [
            _Article(text, bounds, ids[end - len(words) : end], self._words)
            for text, (bounds, words), end in zip(texts, tokens, cuts, strict=True)
        ]

    def _decode(self, texts: Sequence[str]) -> list[tuple[_Article, Indices]]:
        """Each text's article and the label index of every token.

        All texts are scored and decoded as one sequence of sentences: NumPy's cost per call,
        not per token, dominates a single article's decoding.
        """
        articles = self._articles(texts)
        weights = self._weights
        sizes = [len(article.ids) for article in articles]
        cuts = np.cumsum([0, *sizes]).tolist()
        if cuts[-1] == 0:
            return [(article, np.zeros(0, dtype=np.intp)) for article in articles]
        sentences = np.cumsum([0] + [len(a.sentence_starts) for a in articles[:-1]])
        emissions = weights.emissions(
            self._words.rows,
            np.concatenate([a.ids for a in articles]),
            np.concatenate([a.position for a in articles]),
            np.concatenate([a.length for a in articles]),
        )
        for article, lo, hi in zip(articles, cuts, cuts[1:], strict=False):
            if hi > lo:
                self._add_gazetteer_marks(article, emissions[lo:hi])
        sentence = np.concatenate(
            [a.sentence + first for a, first in zip(articles, sentences.tolist(), strict=True)]
        )
        labels = weights.decode(emissions, sentence)
        return [
            (article, labels[lo:hi])
            for article, lo, hi in zip(articles, cuts, cuts[1:], strict=False)
        ]

    def tag(self, text: str) -> tuple[Mention, ...]:
        """Every entity mention in `text`, in order, with offsets into `text`."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: Sequence[str]) -> list[tuple[Mention, ...]]:
        """`tag` of each text; several at once cost less per text than one at a time."""
        return [
            self._mentions(article, labels) if len(labels) else ()
            for article, labels in self._decode(texts)
        ]

    def _mentions(self, article: _Article, labels: Indices) -> tuple[Mention, ...]:
        """The mentions of a non-empty article from its tokens' labels."""
        mentions = []
        for first, end, kind in _clean_people(
            article, _whole_names(article, self._spans(article, labels))
        ):
            joined = self._joined_at(article, first, end) if kind == "PER" else None
            mention = self._mention(article, first, end if joined is None else joined, kind)
            if mention is not None:
                mentions.append(mention)
            while joined is not None:  # each name after a `و` (`وجيرمي رينير ويخرجه`)
                k, joined = joined, self._joined_at(article, joined, end)
                second = self._second(article, k, end if joined is None else joined)
                if second is not None:
                    mentions.append(second)
        mentions = self._places_missed(article, mentions)
        return tuple(_consistent(article, mentions))

    def _add_gazetteer_marks(self, article: _Article, emissions: npt.NDArray[np.float64]) -> None:
        """Add the gazetteer features (``gz=B-LOC``, ``gz=I-LOC``) of the names found, as in
        training, at the tokens that can open one."""
        candidates = np.flatnonzero(article.flags & _GAZETTEER_START)
        if len(candidates) == 0:
            return
        sentences = article.sentence[candidates]
        ends = article.sentence_starts[sentences] + article.sentence_lengths[sentences]
        infos, words = article._infos, article._id_list
        starts = zip(candidates.tolist(), ends.tolist(), strict=True)
        for k, size, kind in gazetteer_names(
            self._lexicon.gazetteer, lambda j: infos[words[j]].stripped.base, starts
        ):
            emissions[k] += self._mark(f"gz=B-{kind}")
            for j in range(k + 1, k + size):
                emissions[j] += self._mark(f"gz=I-{kind}")

    def _mark(self, mark: str) -> npt.NDArray[np.float64]:
        """The label scores a gazetteer mark adds (cached)."""
        scores = self._marks.get(mark)
        if scores is None:
            scores = self._marks[mark] = self._weights.mark_scores(mark)
        return scores

    def _spans(self, article: _Article, labels: Indices) -> list[tuple[int, int, EntityType]]:
        """Token ranges and types of the BIO labels (an I- without its B- opens an entity)."""
        names = self._weights.labels
        sentence = article.sentence
        out: list[tuple[int, int, EntityType]] = []
        first = end = -1
        kind = ""
        for k in np.flatnonzero(labels != self._weights.outside).tolist():
            label = names[labels[k]]
            continuing = k == end and sentence[k] == sentence[first]
            if continuing and label.startswith("I-") and label[2:] == kind:
                end = k + 1
                continue
            if first >= 0:
                out.append((first, end, cast(EntityType, kind)))
            first, end, kind = k, k + 1, label[2:]
        if first >= 0:
            out.append((first, end, cast(EntityType, kind)))
        return out

    def _places_missed(self, article: _Article, mentions: list[Mention]) -> list[Mention]:
        """Add one-word gazetteer places (countries, cities) the CRF left untagged: a place
        name behind a conjunction (`بريطانيا وكندا`) is still a place."""
        places = np.flatnonzero(article.flags & (_PLACE | _CLITIC_PLACE))
        if len(places) == 0:
            return mentions
        # The CRF's mentions are disjoint and in order: the last one starting before a place
        # ends is the only one that can overlap it.
        starts = [m.start for m in mentions]
        ends = [m.end for m in mentions]
        text = article.text
        added = []
        for k in places.tolist():
            start, end = int(article.starts[k]), int(article.ends[k])
            before = bisect_left(starts, end) - 1
            if before >= 0 and ends[before] > start:
                continue
            if article.flags[k] & _PLACE:
                mention = self._mention(article, k, k + 1, "LOC")
                if mention is not None:
                    added.append(mention)
            else:
                key = article.info(k).norm[1:]
                added.append(Mention(start + 1, end, text[start + 1 : end], "LOC", key))
        if not added:
            return mentions
        return sorted([*mentions, *added], key=lambda m: (m.start, m.end))

    def _mention(self, article: _Article, first: int, end: int, kind: EntityType) -> Mention | None:
        """A Mention for tokens first..end-1, punctuation at the edges and the first token's
        proclitics left out."""
        flags = article.flags
        while end > first and not flags[end - 1] & _WORDLIKE:
            end -= 1
        while first < end and not flags[first] & _WORDLIKE:
            first += 1
        if first == end:
            return None
        start = article.start_of(first)
        stop = int(article.ends[end - 1])
        if start >= stop:  # a lone token without letters (a tatweel, say) names nothing
            return None
        text = article.text
        key = article.key(first, end)
        whole = kind == "PER" and start > int(article.starts[first])
        if whole and self._kept_whole(article, first, end):
            start = int(article.starts[first])
            rest = [info.norm for info in article.infos(first + 1, end)]
            key = " ".join([article.info(first).norm, *rest])
        return Mention(start, stop, text[start:stop], kind, key)

    def _joined_at(self, article: _Article, first: int, end: int) -> int | None:
        """Where a person span the CRF ran across `و` onto a second name or another word
        ends (`جاريث بيل وكريم بنزيمة`, `عزام الدخيل ومديرو`): at the first word that opens
        with the conjunction and has two words of name on one side of it: one whose rest
        without the `و` is a word at least as common as it (`وكريم`), not a name of its own
        (`ويب`, `ويلسون`, `وضاح`, the Mauritanian `ولد`), nor one after a name link
        (`بن وليد`)."""
        for k in range(first + 1, end):
            if k - first < 2 and end - k < 2:  # one word each side: `قصي وجورى`, `هاورد ويب`
                continue
            written = article.text[int(article.starts[k]) : int(article.ends[k])]
            norm = article.info(k).norm
            if not written.startswith("و") or len(norm) < 3 or norm in _WA_NAMES:
                continue
            if article.info(k - 1).norm in _NAME_LINKS:
                continue
            counts = self._lexicon.counts
            rest = counts.get(norm[1:], 0)
            if rest >= _WA_REST_COUNT and rest >= counts.get(norm, 0):
                return k  # the word without `و` is a word, at least as common as with it
        return None

    def _second(self, article: _Article, k: int, end: int) -> Mention | None:
        """The person after the conjunction at token `k` (see `_joined_at`) when two words
        or more are left; None for one word, which is as often no name (`مديرو`, `نظيره`)."""
        norms = [article.info(k).norm[1:], *(info.norm for info in article.infos(k + 1, end))]
        if len(norms) < 2 or norms[0] in _NOT_NAMES or article.info(k).norm in _NOT_PERSON:
            return None  # (`كارتر ولي العهد`: the crown prince is named elsewhere, if at all)
        start = int(article.starts[k])
        start += _letter_offset(article.text[start : int(article.ends[k])], 1)
        stop = int(article.ends[end - 1])
        return Mention(start, stop, article.text[start:stop], "PER", " ".join(norms))

    def _kept_whole(self, article: _Article, first: int, end: int) -> bool:
        """Whether a person's first word is a name the stripper cut (`وليد` read as و + `يد`,
        `فان غال` as ف + `ان`): the rest is 2 letters, or the whole word is a name word where
        the rest is none."""
        info = article.info(first)
        base = info.stripped.base
        if base in _NOT_NAMES or len(base) < 2:
            return False
        written = article.text[int(article.starts[first]) : int(article.ends[first])]
        if written in _WHOLE_FIRST_WORDS:
            return True
        clusters = self._lexicon.clusters
        whole = clusters.get(info.norm, ("", "", "", "000"))[3]
        rest = clusters.get(base, ("", "", "", "000"))[3]
        common = self._lexicon.counts.get(base, 0) >= 10_000  # `بأن`: a clitic on a word
        return whole[:1] >= "3" and rest[:1] == "0" and not common


# Words that open with `و` and are names, not the conjunction (`محمد ولد عبدالعزيز`).
_WA_NAMES = norm_set(
    "ولد وليد وائل وديع وسام وفاء وجدي وحيد وهيب وصفي ولاء وضاح وداد وصال وئام وفيق وهبة "
    "ودود وافي وجدان وسيم وعد ورد وردة وهب واصل وجيه"
)
# How often (in the lexicon's news) the word without its `و` must be seen, and at least as
# often as the word with it, for the `و` to be the conjunction (`وكريم`: `كريم`); a name of
# its own (`ويلسون`, `ويب`, `وضاح`) is seen more often whole, or its rest is no word.
_WA_REST_COUNT = 3


# Words that join a name to the next (`عبدالله بن مساعد`, `محمد آل الشيخ`, `أبو بكر`): a
# person's mention never ends on one (the CRF cut 29 dev names there, `عبدالله بن`).
_NAME_LINKS = frozenset({"بن", "ابن", "بنت", "ال", "ابو", "ابي", "ام", "عبد"})


def _whole_names(
    article: _Article, spans: list[tuple[int, int, EntityType]]
) -> list[tuple[int, int, EntityType]]:
    """Person spans that end on a name link run on to the word after it, in the same sentence
    and not in the next span."""
    out: list[tuple[int, int, EntityType]] = []
    n = len(article.starts)
    for i, (first, last, kind) in enumerate(spans):
        end = last
        if kind == "PER":
            stop = spans[i + 1][0] if i + 1 < len(spans) else n
            while (
                end < stop
                and article.info(end - 1).norm in _NAME_LINKS
                and article.sentence[end] == article.sentence[first]
                and article.flags[end] & _WORDLIKE
            ):
                end += 1
        out.append((first, end, kind))
    return out


def _consistent(article: _Article, mentions: list[Mention]) -> list[Mention]:
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
    n = len(article.starts)
    covered = np.zeros(n, dtype=bool)
    if out:
        spans = np.array([(m.start, m.end) for m in out], dtype=np.intp)
        los = np.maximum(np.searchsorted(article.starts, spans[:, 0], side="right") - 1, 0)
        his = np.searchsorted(article.starts, spans[:, 1], side="left")
        for lo, hi in zip(los.tolist(), his.tolist(), strict=True):
            covered[lo:hi] = True
    firsts = {words[0] for words in known} | set(family)
    wanted = [article.base_ids[word] for word in firsts if word in article.base_ids]
    if not wanted:
        return out
    candidates = np.flatnonzero(np.isin(article.bases, wanted) & ~covered)
    taken = covered.tolist()  # sliced per candidate: lists slice faster than arrays reduce
    added: list[Mention] = []
    text = article.text
    next_free = 0
    for i in candidates.tolist():
        if i < next_free:
            continue
        hit = _repeat_at(article, taken, i, known=known, first_seen=first_seen, family=family)
        if hit is None:
            continue
        size, kind, key = hit
        start = article.start_of(i)
        stop = int(article.ends[i + size - 1])
        added.append(Mention(start, stop, text[start:stop], kind, key))
        next_free = i + size
    return sorted(out + added, key=lambda m: m.start)


def _repeat_at(
    article: _Article,
    covered: list[bool],
    i: int,
    *,
    known: dict[tuple[str, ...], tuple[EntityType, str]],
    first_seen: dict[tuple[str, ...], int],
    family: dict[str, tuple[str, int]],
) -> tuple[int, EntityType, str] | None:
    """The longest already-tagged name (or a person's family name) starting at token `i`."""
    n = len(article.starts)
    token_start = int(article.starts[i])
    base = article.info(i).stripped.base
    if base in _ODD_HEADS:  # the few words to look at twice, not every token
        if article.text[token_start : int(article.ends[i])] in _ALA_WRITTEN:
            return None  # the preposition `على`, folded like the name `علي`
        pair = article.infos(i, min(i + 2, n))
        if (base, *(info.norm for info in pair[1:])) in _NOT_PERSON_PHRASES:
            return None  # `حسن الجوار` is no repeat of a `... حسن`
    for size in (4, 3, 2, 1):
        if i + size > n or any(covered[i : i + size]):
            continue
        infos = article.infos(i, i + size)
        words = (infos[0].stripped.base, *(info.norm for info in infos[1:]))
        found = known.get(words)
        if found is not None and first_seen[words] < token_start:
            if size == 1 and (len(words[0]) < _MIN_PROPAGATED or words[0] in _NOT_NAMES):
                continue
            return size, found[0], found[1]
        person = family.get(words[0]) if size == 1 else None
        if person is not None and person[1] < token_start and words[0] not in _NOT_NAMES:
            return 1, "PER", person[0]
    return None


_ALA_WRITTEN = frozenset({"على", "وعلى", "فعلى"})


# Words that end a person's name where the CRF ran on into the title after it
# (`محمد بن نايف بن عبدالعزيز ولي العهد`, `... أحمد المبعوث الأممي`, `... آل سعود أمرا ملكيا`).
_TITLE_AFTER = norm_set(
    "ولي النائب نائب المبعوث مبعوث الرئيس رئيس وزير الوزير أمرا أمراً القائد الأمين"
)
# Words that never make a person's name alone (`ولي العهد`, `وسمو ولي`).
_NOT_PERSON = norm_set("العهد سمو الثاني ولي")
# Set phrases that read like a name (`حسن الجوار` "good neighbourliness").
_NOT_PERSON_PHRASES = frozenset(
    tuple(normalize(p).split())
    for p in ("حسن الجوار", "حسن جوار", "حسن النية", "حسن نية", "حسن الظن", "حسن الخلق",
              "حسن السير", "حسن الاداء", "حسن التنظيم", "حسن الاستقبال", "حسن الضيافة",
              "حسن التعامل", "حسن الخاتمة", "حسن التدبير", "حسن الإدارة")
)  # fmt: skip
# Nouns of places and bodies named after a person (`مستشفى الأمير محمد بن عبدالعزيز`,
# `طريق الملك فهد`): the name after them is the place's, not the person's.
_PLACES_NAMED = norm_set("مستشفى مطار طريق شارع ملعب استاد جسر ميدان حي مسجد جامع قاعدة مجمع")
_BODIES_NAMED = norm_set("جامعة مركز جائزة مؤسسة مدرسة ثانوية كلية برنامج كأس كاس مدينة")
_FACILITIES: dict[str, EntityType] = {
    **dict.fromkeys(_PLACES_NAMED, "LOC"),
    **dict.fromkeys(_BODIES_NAMED, "ORG"),
}
# The first words of the above, and the fold of `على`: where `_repeat_at` looks closer.
_ODD_HEADS = frozenset({normalize("على"), *(phrase[0] for phrase in _NOT_PERSON_PHRASES)})
_HONORIFICS = norm_set("الأمير الملك الشيخ الإمام السلطان الأميرة خادم الحرمين الشريفين")


def _describes(word: str) -> bool:
    """Whether a word before a name describes the person (a nationality, `المخلوع`)."""
    return word in _DESCRIBING or (word.startswith("ال") and word.endswith("ي") and len(word) > 5)


_DESCRIBING = norm_set("المخلوع الراحل الشهيد قوات اعتبار")


def _clean_people(
    article: _Article, spans: list[tuple[int, int, EntityType]]
) -> list[tuple[int, int, EntityType]]:
    """Person spans cut before a title that follows the name, dropped where they hold no name
    word or a set phrase, and retyped where they name a place or body."""
    out: list[tuple[int, int, EntityType]] = []
    prev_end = 0
    for span in spans:
        person = _person_span(article, span, prev_end) if span[2] == "PER" else span
        if person is not None:
            out.append(person)
            prev_end = person[1]
    return out


def _person_span(
    article: _Article, span: tuple[int, int, EntityType], prev_end: int
) -> tuple[int, int, EntityType] | None:
    """`_clean_people` of one person span (None: no person at all)."""
    first, end, kind = span
    norms = [info.norm for info in article.infos(first, end)]
    bases = [article.info(first).stripped.base, *norms[1:]]
    for k in range(2, len(bases)):
        if bases[k] in _TITLE_AFTER and bases[k - 1] not in _NAME_LINKS:
            end = first + k
            bases = bases[:k]
            break
    if (
        all(b in _NOT_PERSON or (b[:1] == "و" and b[1:] in _NOT_PERSON) for b in bases)
        or tuple(bases) in _NOT_PERSON_PHRASES
    ):
        return None
    # (a word right after it: `الحقباني» مغرداً` is a family name in a span the CRF ran on)
    while len(bases) >= 3 and _describes(bases[0]) and article.flags[first + 1] & _WORDLIKE:
        first += 1  # `السويدي زلاتان إبراهيموفيتش`, `المخلوع صالح ...`: who he is, not his name
        bases = bases[1:]
    sentence = article.sentence[first]
    j = first - 1
    while (
        j >= prev_end
        and article.sentence[j] == sentence
        and (article.info(j).stripped.base in _HONORIFICS)
    ):
        j -= 1
    titled = j < first - 1 or any(b in _NAME_LINKS for b in bases)
    if titled and j >= prev_end and article.sentence[j] == sentence:
        place = _FACILITIES.get(article.info(j).stripped.base)
        if place is not None:
            return j, end, place
    return first, end, kind
