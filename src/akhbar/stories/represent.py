"""Article vectors for story matching: stemmed, stopword-free, title/lead/body-weighted TF-IDF.

Document frequencies are learned from the stream itself (no shipped corpus statistics), so the
weights adapt to whatever news the clusterer sees.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from akhbar.stories.doc import StoryDoc
from akhbar.text.normalize import normalize

__all__ = ["STOPWORDS", "DocVector", "Vectorizer", "stem", "terms"]

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
_CACHE_LIMIT = 500_000


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


class _TermCache(dict[str, str]):
    """Word -> term (stem; "" for a stopword), filled on first sight: the hot path is a lookup."""

    def __missing__(self, word: str) -> str:
        """Compute and (while the cache is small enough) remember the term of a new word."""
        term = "" if word in STOPWORDS else word if word[0].isdigit() else stem(word)
        if len(self) < _CACHE_LIMIT:
            self[word] = term
        return term


_TERMS = _TermCache()


def terms(text: str) -> list[str]:
    """Matching terms of a normalised text: stems of content words, and numbers as written."""
    return list(filter(None, map(_TERMS.__getitem__, _WORD.findall(text))))


_LOG_TF = tuple(1.0 + math.log(c) if c else 0.0 for c in range(64))


def _logtf(count: int) -> float:
    """Sublinear term frequency 1 + log(count), from a table for the usual small counts."""
    return _LOG_TF[count] if count < 64 else 1.0 + math.log(count)


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
class DocVector:
    """One article's weighted terms: whole (L2-normed, top terms only), title, and lead."""

    id: str
    time: float
    outlet: str | None
    full: dict[str, float] = field(hash=False)
    title: dict[str, float] = field(hash=False)
    lead: dict[str, float] = field(hash=False)
    marks: frozenset[str] = frozenset()
    dated: bool = True
    entities: frozenset[str] = frozenset()


def _unit(weights: dict[str, float]) -> dict[str, float]:
    """Scale to unit L2 norm (empty stays empty)."""
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {t: v / norm for t, v in weights.items()} if norm else {}


class Vectorizer:
    """TF-IDF with document frequencies learned incrementally from the documents it sees."""

    def __init__(
        self,
        *,
        title_weight: float = 3.0,
        lead_weight: float = 2.0,
        body_weight: float = 1.0,
        max_terms: int = 40,
        rare_share: float = 0.005,
        body_chars: int = 2500,
    ) -> None:
        """Store the parameters as given; `rare_share` caps the DF share of a 'mark' term,
        `body_chars` how much body past the lead counts (news puts what matters first)."""
        self.title_weight = title_weight
        self.lead_weight = lead_weight
        self.body_weight = body_weight
        self.max_terms = max_terms
        self.rare_share = rare_share
        self.body_chars = body_chars
        self.df_: Counter[str] = Counter()
        self.n_docs_ = 0
        self.frozen_ = False

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency under the counts learned so far."""
        return math.log((self.n_docs_ + 1) / (self.df_[term] + 1)) + 1.0

    def learn(self, doc: StoryDoc) -> None:
        """Count the document's terms into the document frequencies."""
        seen = set(terms(doc.title + " " + " ".join(doc.paragraphs)))
        self.df_.update(seen)
        self.n_docs_ += 1

    def freeze(self) -> None:
        """Stop learning: later `transform(learn=True)` calls keep the DF as it is (batch)."""
        self.frozen_ = True

    def transform(self, doc: StoryDoc, time: float, *, learn: bool = True) -> DocVector:
        """The document's vector; with `learn`, its terms count into the DF first."""
        title_terms = terms(doc.title)
        lead_terms = terms(doc.paragraphs[0]) if doc.paragraphs else []
        title_tf = Counter(title_terms)
        lead_tf = Counter(lead_terms)
        body_tf = Counter(terms(_head(doc.paragraphs[1:], self.body_chars)))
        if learn and not self.frozen_:
            self.df_.update(title_tf.keys() | lead_tf.keys() | body_tf.keys())
            self.n_docs_ += 1
        df = self.df_
        n = math.log(self.n_docs_ + 1) + 1.0
        log = math.log
        idf = {t: n - log(df[t] + 1) for t in title_tf.keys() | lead_tf.keys() | body_tf.keys()}
        raw: dict[str, float] = {}
        for tf, w in (
            (title_tf, self.title_weight),
            (lead_tf, self.lead_weight),
            (body_tf, self.body_weight),
        ):
            for t, c in tf.items():
                raw[t] = raw.get(t, 0.0) + w * _logtf(c)
        weighted = {t: v * idf[t] for t, v in raw.items()}
        if len(weighted) > self.max_terms:
            keep = heapq.nlargest(self.max_terms, weighted, key=weighted.__getitem__)
            weighted = {t: weighted[t] for t in keep}
        full = _unit(weighted)
        title = _unit({t: _logtf(c) * idf[t] for t, c in title_tf.items()})
        lead = _unit({t: _logtf(c) * idf[t] for t, c in lead_tf.items()})
        limit = max(2.0, self.rare_share * self.n_docs_)
        marks = {t for t in full if t[0].isdigit() or self.df_[t] <= limit}
        text = doc.title + " " + (doc.paragraphs[0] if doc.paragraphs else "")
        marks.update(_numbers(text))
        return DocVector(
            doc.id,
            time,
            doc.outlet,
            full,
            title,
            lead,
            frozenset(marks),
            entities=frozenset(_entities(title_terms + lead_terms)),
        )
