"""Article vectors for story matching: stemmed, stopword-free, title/lead/body-weighted TF-IDF.

Document frequencies are learned from the stream itself (no shipped corpus statistics), so the
weights adapt to whatever news the clusterer sees.
"""

from __future__ import annotations

import array
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import mul
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from akhbar.stories.doc import StoryDoc
from akhbar.stories.params import StoryParams
from akhbar.text.normalize import normalize

__all__ = [
    "STOPWORDS",
    "DocTerms",
    "DocVector",
    "Sketch",
    "Vectorizer",
    "doc_terms",
    "stem",
    "terms",
]

_N = TypeVar("_N", bound=np.generic)

_RAW_STOPWORDS = """
في من على الى إلى عن مع ان أن إن او أو ما لا لم لن قد كان كانت يكون تكون هذا هذه ذلك تلك هو هي
هم هن انه أنه انها أنها التي الذي الذين اللذين اللتين اللاتي كما بعد قبل بين حتى عند عندما حيث اذا
إذا ثم كل بعض غير خلال ضمن منذ حول لدى لكن ولكن بل وقد لقد وكان وكانت فيه فيها منه منها عليه عليها
اليه إليه اليها إليها به بها له لها لهم عنه عنها وهو وهي وفي ومن وعلى وأن وان وإن ولا وما وقال قال
قالت وقالت اضاف أضاف واضاف وأضاف اكد أكد واكد وأكد اشار أشار واشار وأشار اوضح أوضح واوضح وأوضح
يوم اليوم امس أمس العام عام الى ايضا أيضا جدا فقط الا إلا سوى هناك هنا اي أي احد أحد تم يتم وتم
اول أول الاول الأول اكثر أكثر اقل أقل مثل نحو لدي عبر وذلك وهذا وهذه ذات الذى التى يا بن ابن
كذلك لكي كي لأن لان فان فإن وفق وفقا وفقاً حين بشأن تجاه دون سواء مما ممن عما فيما بينما لما
الخميس الجمعة السبت الأحد الاحد الاثنين الإثنين الثلاثاء الأربعاء الاربعاء صحيفة الخبر رابط
"""
STOPWORDS: frozenset[str] = frozenset(normalize(w) for w in _RAW_STOPWORDS.split())

# Light stemming: clitics and the article in front, plural/pronoun endings behind, never below
# three letters, so وبالمملكه / المملكه / مملكه meet while short words stay whole.
_PREFIXES = ("وبال", "وكال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل")
_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "نا", "يه", "ه", "ي")
_WORD = re.compile(r"[^\W\d_]{2,}|\d{2,}(?:[.,]\d+)?", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_TERM_CACHE = 1 << 17  # words remembered by `_TERMS` (all forgotten at once past this many)


def stem(word: str) -> str:
    """Strip one clitic/article prefix and one suffix, keeping at least three letters."""
    out = word
    for p in _PREFIXES:
        if out.startswith(p) and len(out) - len(p) >= 3:
            out = out[len(p) :]
            break
    for s in _SUFFIXES:
        if out.endswith(s) and len(out) - len(s) >= 3:
            out = out[: -len(s)]
            break
    return out


def _term(word: str) -> str:
    """The matching term of a word: its stem, the number as written, or "" for a stopword."""
    return "" if word in STOPWORDS else word if word[0].isdigit() else stem(word)


class _TermCache(dict[str, str]):
    """Word -> `_term(word)`, computed on first lookup: a plain dict lookup (in C) for the
    words news repeats, several times cheaper than an LRU cache's; emptied past its size."""

    def __missing__(self, word: str) -> str:
        """Compute, and remember, the term of a word not looked up before."""
        if len(self) >= _TERM_CACHE:
            self.clear()
        term = self[word] = _term(word)
        return term


_TERMS = _TermCache()  # a pure function's memo: what it holds never changes a result


def terms(text: str) -> list[str]:
    """Matching terms of a normalised text: stems of content words, and numbers as written."""
    return list(filter(None, map(_TERMS.__getitem__, _WORD.findall(text))))


_LOG_TF = tuple(1.0 + math.log(c) if c else 0.0 for c in range(1024))


def _logtf(count: int) -> float:
    """Sublinear term frequency 1 + log(count), from a table for the usual small counts."""
    return _LOG_TF[count] if count < 1024 else 1.0 + math.log(count)


def _head(paragraphs: tuple[str, ...], chars: int) -> str:
    """The paragraphs joined by spaces, cut at `chars` (without joining what would be cut)."""
    out: list[str] = []
    size = 0
    for p in paragraphs:
        if size >= chars:
            break
        out.append(p)
        size += len(p) + 1
    return " ".join(out)[:chars]


def _numbers(text: str) -> set[str]:
    """Numbers worth matching (two digits or more): counts, amounts, dates, scores."""
    return {n for n in _NUMBER.findall(text) if len(n) > 1}


# Words that name who acts: the (stemmed) word after one of them approximates a name or an
# organisation, so two look-alike announcements by different bodies can be told apart.
_TRIGGERS = frozenset(
    stem(normalize(w))
    for w in [
        "وزير",
        "وزارة",
        "أمير",
        "إمارة",
        "الرئيس",
        "رئيس",
        "شركة",
        "هيئة",
        "جامعة",
        "بلدية",
        "أمانة",
        "نادي",
        "محكمة",
        "منطقة",
        "محافظة",
        "محافظ",
        "مدينة",
        "مستشفى",
        "فرع",
        "مدير",
        "مجلس",
        "جمعية",
        "مؤسسة",
        "مركز",
        "شرطة",
        "دولة",
        "منتخب",
    ]
)
_GENERIC = frozenset(
    stem(normalize(w))
    for w in [
        "منطقة",
        "محافظة",
        "مدينة",
        "العامة",
        "العام",
        "الوطني",
        "الوطنية",
        "الملك",
        "الأمير",
        "فرع",
        "مجلس",
    ]
)


def _entities(words: list[str]) -> set[str]:
    """The first non-generic term after each trigger word: approximate names of actors."""
    out: set[str] = set()
    triggers = _TRIGGERS
    for i in [i for i, t in enumerate(words) if t in triggers]:
        for nxt in words[i + 1 : i + 3]:
            if nxt not in _GENERIC and nxt not in triggers:
                out.add(nxt)
                break
    return out


@dataclass(frozen=True, slots=True)
class DocTerms:
    """The stateless part of an article's vector: its weighted term counts, numbers and actors.

    What `doc_terms` computes needs no corpus statistics, so it can be computed anywhere (in
    worker processes, ahead of time) and handed to `Vectorizer.transform(terms=...)`: the
    result is the same as letting `transform` compute it. `key` holds the parameters it was
    computed under (title, lead and body weights, body characters).

    `terms` are the article's distinct terms in first-seen order (title, then lead, then body)
    and `raw` their weighted sublinear term frequencies; the first `len(title)` terms are the
    title's, with `title` their 1 + log(count); `lead` gives the lead's terms as positions in
    `terms`, with `lead_tf` their 1 + log(count)."""

    key: tuple[float, float, float, int]
    terms: tuple[str, ...]
    raw: tuple[float, ...]
    title: tuple[float, ...]
    lead: tuple[int, ...]
    lead_tf: tuple[float, ...]
    numbers: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()


def _doc_terms(doc: StoryDoc, key: tuple[float, float, float, int]) -> DocTerms:
    """`doc_terms` under explicit (title weight, lead weight, body weight, body chars)."""
    title_weight, lead_weight, body_weight, body_chars = key
    paragraphs = doc.paragraphs
    title_terms = terms(doc.title)
    lead_terms = terms(paragraphs[0]) if paragraphs else []
    title_tf = Counter(title_terms)
    lead_tf = Counter(lead_terms)
    body_tf = Counter(terms(_head(paragraphs[1:], body_chars)))
    raw: dict[str, float] = {}
    get = raw.get
    table, big = _LOG_TF, len(_LOG_TF)
    for tf, w in ((title_tf, title_weight), (lead_tf, lead_weight), (body_tf, body_weight)):
        for t, c in tf.items():
            raw[t] = get(t, 0.0) + w * (table[c] if c < big else _logtf(c))
    position = {t: i for i, t in enumerate(raw)}
    text = doc.title + " " + (paragraphs[0] if paragraphs else "")
    return DocTerms(
        key,
        tuple(raw),
        tuple(raw.values()),
        tuple(map(_logtf, title_tf.values())),
        tuple(map(position.__getitem__, lead_tf)),
        tuple(map(_logtf, lead_tf.values())),
        frozenset(_numbers(text)),
        frozenset(_entities(title_terms + lead_terms)),
    )


def _terms_key(params: StoryParams) -> tuple[float, float, float, int]:
    """The parameters `doc_terms` depends on."""
    return (params.title_weight, params.lead_weight, params.body_weight, params.body_chars)


def doc_terms(doc: StoryDoc, params: StoryParams) -> DocTerms:
    """The stateless part of `doc`'s vector under `params` (pure: safe in worker processes)."""
    return _doc_terms(doc, _terms_key(params))


SKETCH_DIMS = 1024  # the bins of a `Sketch`
SKETCH_SCALE = 4096  # a sketch's length: its values are whole numbers of this order
_SIGN_BIT = 1 << 31  # the bit of a term's code that gives its sign in a sketch


@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """The set of an article's terms, hashed into a fixed number of signed bins.

    Each term has a bin (`bins`: two terms may share one, and then add up) and a value
    (`values`): the bin's sign times one whole number, the same for every term, that makes
    the vector about `SKETCH_SCALE` long. Every term counts alike, whatever its weight
    elsewhere: reports of one happening share its details (names, places, figures) all
    through, and a cosine of term sets saw them better than one of weighted terms. Sums of
    sketches and their dot products stay whole numbers under 2**53, which floating point holds
    exactly whatever the order of summation, so they come out the same on every machine; and
    a fixed-size sum lets an event compare every term of its members in one array operation.
    """

    bins: npt.NDArray[np.intp]
    values: npt.NDArray[np.float64]

    def __eq__(self, other: object) -> bool:
        """Equal bins and values (arrays compared whole)."""
        if not isinstance(other, Sketch):
            return NotImplemented
        return np.array_equal(self.bins, other.bins) and np.array_equal(self.values, other.values)

    def __hash__(self) -> int:
        """Hash of the bins and values, as equality compares them."""
        return hash((self.bins.tobytes(), self.values.tobytes()))


_NO_IDS: npt.NDArray[np.intp] = np.zeros(0, dtype=np.intp)
_NO_IDS.flags.writeable = False
_NO_SKETCH = Sketch(_NO_IDS, np.zeros(0, dtype=np.float64))


@dataclass(frozen=True, slots=True)
class DocVector:
    """One article's weighted terms: whole (L2-normed, top terms only), title and lead; and
    the ids of all its terms in the vectoriser that made it (for `Vectorizer.sketch`)."""

    id: str
    time: float
    outlet: str | None
    full: dict[str, float] = field(hash=False)
    title: dict[str, float] = field(hash=False)
    lead: dict[str, float] = field(hash=False)
    marks: frozenset[str] = frozenset()
    dated: bool = True
    entities: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    ids: npt.NDArray[np.intp] = field(default_factory=lambda: _NO_IDS, hash=False, compare=False)


class _Vocabulary(dict[str, int]):
    """Term -> id, a new term taking the next id on first lookup; `codes` holds each term's
    CRC-32 (of its UTF-8) by id: its sketch bin and sign, the same for a term on every machine
    and in every order of arrival."""

    def __init__(self, terms: Sequence[str] = ()) -> None:
        """The given (distinct) terms, with ids in their order."""
        super().__init__(zip(terms, range(len(terms)), strict=True))
        self.codes = array.array("I", [zlib.crc32(t.encode()) for t in terms])

    def __missing__(self, term: str) -> int:
        """Give `term` the next id."""
        i = self[term] = len(self)
        self.codes.append(zlib.crc32(term.encode()))
        return i


def _unit_values(values: list[float]) -> list[float]:
    """`_unit` on bare values."""
    norm = math.sqrt(sum(map(mul, values, values)))
    return [v / norm for v in values] if norm else []


class Vectorizer:
    """TF-IDF with document frequencies learned incrementally from the documents it sees.

    Terms get integer ids on first sight; document frequencies live in an array indexed by
    them, so an article's IDF weights, top terms and norms are a few array operations."""

    def __init__(
        self,
        *,
        title_weight: float = 3.0,
        lead_weight: float = 2.0,
        body_weight: float = 1.0,
        max_terms: int = 40,
        rare_share: float = 0.005,
        body_chars: int = 2500,
        marks_after: int = 0,
        sketch_dims: int = SKETCH_DIMS,
    ) -> None:
        """Store the parameters as given; `rare_share` caps the DF share of a 'mark' term
        (none is marked before `marks_after` documents: at the start of a stream every term
        looks rare, and shared 'rare' words then glued unrelated reports together),
        `body_chars` how much body past the lead counts (news puts what matters first),
        `sketch_dims` the bins of a `Sketch` (a power of two)."""
        if sketch_dims < 2 or sketch_dims & (sketch_dims - 1) or sketch_dims > 1 << 16:
            raise ValueError(f"sketch_dims must be a power of two up to 65536, not {sketch_dims}")
        self.title_weight = title_weight
        self.lead_weight = lead_weight
        self.body_weight = body_weight
        self.max_terms = max_terms
        self.rare_share = rare_share
        self.marks_after = marks_after
        self.body_chars = body_chars
        self.sketch_dims = sketch_dims
        self.vocab_ = _Vocabulary()
        self.n_docs_ = 0
        self.frozen_ = False
        self._df: npt.NDArray[np.int64] = np.zeros(1024, dtype=np.int64)
        # the vocabulary's codes (see _Vocabulary) in an array, and how many are in it
        self._code: npt.NDArray[np.int64] = np.zeros(1024, dtype=np.int64)
        self._coded = 0
        self._log: npt.NDArray[np.float64] = _log_table(1024)
        # the counts as last kept (see `mark_kept`): the DF of the terms then, and documents
        self._kept: tuple[npt.NDArray[np.int64], int] | None = None

    @property
    def terms_key(self) -> tuple[float, float, float, int]:
        """The parameters that `DocTerms` given to `transform` must have been computed under."""
        return (self.title_weight, self.lead_weight, self.body_weight, self.body_chars)

    def doc_terms(self, doc: StoryDoc) -> DocTerms:
        """The stateless part of `doc`'s vector under this vectoriser's parameters."""
        return _doc_terms(doc, self.terms_key)

    def df(self, term: str) -> int:
        """Documents seen so far that contain `term`."""
        i = self.vocab_.get(term)
        return 0 if i is None else int(self._df[i])

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency under the counts learned so far."""
        return math.log((self.n_docs_ + 1) / (self.df(term) + 1)) + 1.0

    def _ids(self, words: Sequence[str]) -> npt.NDArray[np.intp]:
        """Ids of `words` (distinct), giving new ones the next free ids."""
        vocab = self.vocab_
        ids = np.array(list(map(vocab.__getitem__, words)), dtype=np.intp)
        size = len(vocab)
        if size > self._coded:
            if size > len(self._df):
                self._df = _grown(self._df, 2 * size)
                self._code = _grown(self._code, 2 * size)
            done = self._coded
            self._code[done:size] = np.frombuffer(
                vocab.codes, np.uintc, size - done, vocab.codes.itemsize * done
            )
            self._coded = size
        return ids

    def _count(self, ids: npt.NDArray[np.intp]) -> None:
        """Count one document with the (distinct) term ids into the DF."""
        self._df[ids] += 1
        self.n_docs_ += 1
        if self.n_docs_ + 2 > len(self._log):
            self._log = _log_table(2 * (self.n_docs_ + 2))

    def learn(self, doc: StoryDoc) -> None:
        """Count the document's terms into the document frequencies."""
        seen = list(dict.fromkeys(terms(doc.title + " " + " ".join(doc.paragraphs))))
        self._count(self._ids(seen))

    def document_frequencies(self) -> tuple[list[str], list[int]]:
        """Every term seen (in id order) and how many documents held it: the learned state
        to keep, so that a restarted stream weighs terms as the running one did."""
        return list(self.vocab_), self._df[: len(self.vocab_)].tolist()

    def mark_kept(self) -> None:
        """Remember the counts as they are now kept (see `changes_since_kept`)."""
        self._kept = (self._df[: len(self.vocab_)].copy(), self.n_docs_)

    def changes_since_kept(self) -> tuple[list[str], list[int], int] | None:
        """The terms whose counts moved since `mark_kept` (new ones included, in id order),
        by how much, and the documents counted since: what to keep of a small ingest. None
        when the counts were never marked as kept."""
        if self._kept is None:
            return None
        kept, documents = self._kept
        moved = self._df[: len(self.vocab_)].copy()
        moved[: kept.size] -= kept
        ids = np.flatnonzero(moved)
        if not ids.size:
            return [], [], self.n_docs_ - documents
        terms = list(self.vocab_)
        return [terms[i] for i in ids.tolist()], moved[ids].tolist(), self.n_docs_ - documents

    def set_document_frequencies(
        self, terms: Sequence[str], dfs: Sequence[int], n_docs: int
    ) -> None:
        """Start from counts kept by `document_frequencies` over `n_docs` documents,
        replacing those learned so far (and the term ids: the `ids` of vectors made before
        no longer apply, so a clusterer sets these only before its first article)."""
        if len(terms) != len(dfs) or len(set(terms)) != len(terms):
            raise ValueError("document frequencies need one count per distinct term")
        if any(not 0 <= d <= n_docs for d in dfs):
            raise ValueError(f"a document frequency outside 0..{n_docs} (the documents counted)")
        self.vocab_ = _Vocabulary(terms)
        self._df = np.zeros(max(1024, 2 * len(terms)), dtype=np.int64)
        self._df[: len(terms)] = dfs
        self._code = np.zeros(len(self._df), dtype=np.int64)
        self._code[: len(terms)] = np.frombuffer(self.vocab_.codes, np.uintc)
        self._coded = len(terms)
        self.n_docs_ = n_docs
        self._log = _log_table(max(1024, 2 * (n_docs + 2)))
        self._kept = None  # the caller marks them kept when they are

    def unlearn(self, documents: Sequence[DocTerms]) -> None:
        """Take documents counted before back out of the document frequencies, to count
        them again in order; ValueError, with nothing changed, for one not counted."""
        vocab = self.vocab_
        ids: list[int] = []
        for doc in documents:
            for term in doc.terms:
                i = vocab.get(term)  # get(): an unknown term must not join the vocabulary
                if i is None:
                    raise ValueError(f"term {term!r} was never counted")
                ids.append(i)
        drop = np.bincount(np.asarray(ids, dtype=np.intp), minlength=len(vocab))
        df = self._df[: len(vocab)]
        if len(documents) > self.n_docs_ or bool((drop > df).any()):
            raise ValueError("taking out documents that were not counted")
        df -= drop
        self.n_docs_ -= len(documents)

    def freeze(self) -> None:
        """Stop learning: later `transform(learn=True)` calls keep the DF as it is (batch)."""
        self.frozen_ = True

    def transform(
        self, doc: StoryDoc, time: float, *, learn: bool = True, terms: DocTerms | None = None
    ) -> DocVector:
        """The document's vector; with `learn`, its terms count into the DF first. `terms`,
        when given, must be `doc_terms(doc)` under this vectoriser's parameters (it then
        skips the stateless part; the result is the same)."""
        if terms is None:
            terms = self.doc_terms(doc)
        elif terms.key != self.terms_key:
            raise ValueError(f"terms computed under {terms.key}, vectoriser has {self.terms_key}")
        words = terms.terms
        ids = self._ids(words)
        if learn and not self.frozen_:
            self._count(ids)
        n = math.log(self.n_docs_ + 1) + 1.0
        df = self._df[ids]
        # n - log(df + 1), the logs read from a table of math.log values: bit for bit what
        # math.log gives, so vectors do not depend on NumPy's log implementation
        idf = n - self._log[df + 1]
        weighted = np.array(terms.raw) * idf
        if len(words) > self.max_terms:
            # a stable sort on -weight: ties keep first-seen order, as heapq.nlargest does
            order = np.argsort(-weighted, kind="stable")[: self.max_terms]
            top = weighted[order].tolist()
            kept = order.tolist()
            full = dict(zip([words[i] for i in kept], _unit_values(top), strict=True))
            top_df = df[order].tolist()
        else:
            full = dict(zip(words, _unit_values(weighted.tolist()), strict=True))
            top_df = df.tolist()
        idfs = idf.tolist()
        n_title = len(terms.title)
        title_values = _unit_values(list(map(mul, idfs[:n_title], terms.title)))
        title = dict(zip(words[:n_title], title_values, strict=True))
        lead_idf = [idfs[i] for i in terms.lead]
        lead_values = _unit_values(list(map(mul, lead_idf, terms.lead_tf)))
        lead = dict(zip([words[i] for i in terms.lead], lead_values, strict=True))
        limit = max(2.0, self.rare_share * self.n_docs_)
        marks: set[str] = set(terms.numbers)
        if self.n_docs_ >= self.marks_after:  # before that, too few documents to call one rare
            pairs = zip(full, top_df, strict=True)
            marks.update(t for t, d in pairs if t[0].isdigit() or d <= limit)
        return DocVector(
            doc.id,
            time,
            doc.outlet,
            full,
            title,
            lead,
            frozenset(marks),
            entities=terms.entities,
            numbers=terms.numbers,
            ids=ids,
        )

    def sketch(self, ids: npt.NDArray[np.intp]) -> Sketch:
        """The `Sketch` of an article's terms, by their ids here (`DocVector.ids`)."""
        if not ids.size:
            return _NO_SKETCH
        code = self._code[ids]
        unit = float(round(SKETCH_SCALE / math.sqrt(ids.size)))
        signs = np.where(code & _SIGN_BIT, -unit, unit)
        return Sketch(code & (self.sketch_dims - 1), signs)


def _grown(a: npt.NDArray[_N], size: int) -> npt.NDArray[_N]:
    """`a` in a zero-padded array of `size` elements."""
    out = np.zeros(size, dtype=a.dtype)
    out[: len(a)] = a
    return out


def _log_table(size: int) -> npt.NDArray[np.float64]:
    """math.log(k) for k < size (log 0 read as 0: never used)."""
    return np.array([0.0] + [math.log(k) for k in range(1, size)], dtype=np.float64)
