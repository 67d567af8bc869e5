"""Representation: stemming, stopwords, and vector shape."""

from __future__ import annotations

import dataclasses
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.stories import StoryDoc, StoryParams, Vectorizer, doc_terms
from akhbar.stories.represent import SKETCH_SCALE, STOPWORDS, stem, terms
from akhbar.text.normalize import normalize


def test_stem_joins_clitic_and_article_forms() -> None:
    """وبالمملكه, المملكه and مملكه reach one stem; short words stay whole."""
    forms = {stem(normalize(w)) for w in ("وبالمملكة", "المملكة", "مملكة")}
    assert len(forms) == 1
    assert stem("من") == "من"


def test_terms_drop_stopwords_and_keep_numbers() -> None:
    """Function words go, numbers of two digits or more stay."""
    out = terms(normalize("قال الوزير في الرياض إن 2015 عام 5"))
    assert "في" not in out
    assert normalize("قال") not in out
    assert "2015" in out
    assert "5" not in out
    assert normalize("في") in STOPWORDS


def test_vectors_are_unit_and_title_weighted() -> None:
    """The whole vector has unit norm, and a title word outweighs a body-only word."""
    v = Vectorizer(max_terms=50)
    d = StoryDoc("x", None, "زلزال تركيا", ("سقوط مبان", "فرق انقاذ"))
    vec = v.transform(d, 0.0)
    assert math.isclose(math.sqrt(sum(x * x for x in vec.full.values())), 1.0)
    assert vec.full[stem("زلزال")] > vec.full[stem("انقاذ")]
    assert v.n_docs_ == 1


def test_precomputed_terms_give_the_same_vectors() -> None:
    """`transform(terms=doc_terms(...))` equals computing the terms inside, after a pickle
    round trip (as from a worker process); terms of other parameters are refused."""
    params = StoryParams.load()
    docs = [
        StoryDoc("a", None, "زلزال تركيا 2023", ("وزير الداخلية سقوط مبان", "فرق انقاذ 45")),
        StoryDoc("b", None, "زلزال جديد", ("سقوط مبان في تركيا", "فرق", "انقاذ انقاذ")),
        StoryDoc("c", None, "", ()),
    ]

    def vectoriser() -> Vectorizer:
        return Vectorizer(
            title_weight=params.title_weight,
            lead_weight=params.lead_weight,
            body_weight=params.body_weight,
            max_terms=4,
            body_chars=params.body_chars,
        )

    inside, given = vectoriser(), vectoriser()
    for i, d in enumerate(docs):
        terms = pickle.loads(pickle.dumps(doc_terms(d, params)))
        assert given.transform(d, float(i), terms=terms) == inside.transform(d, float(i))
    other = dataclasses.replace(params, body_chars=10)
    with pytest.raises(ValueError, match="terms computed under"):
        given.transform(docs[0], 0.0, terms=doc_terms(docs[0], other))


def test_no_rare_marks_before_enough_documents() -> None:
    """Until `marks_after` documents are seen only numbers are marks (every word looks rare
    at the start of a stream); from then on, rare words are marked too."""
    d = StoryDoc("x", None, "زلزال تركيا 2023", ("سقوط مبان", "فرق انقاذ"))
    early = Vectorizer(marks_after=3)
    assert early.transform(d, 0.0).marks == frozenset({"2023"})
    late = Vectorizer(marks_after=1)
    assert stem("زلزال") in late.transform(d, 0.0).marks


_DF_DOCS = [
    StoryDoc("a", None, "زلزال تركيا", ("سقوط مبان في انطاكيا", "فرق انقاذ دولية")),
    StoryDoc("b", None, "امطار جازان", ("سيول في القرى", "الدفاع المدني ينقذ 9 اشخاص")),
    StoryDoc("c", None, "زلزال جديد", ("فرق انقاذ في تركيا", "سقوط مبان")),
]


def test_kept_document_frequencies_weigh_as_the_running_vectoriser() -> None:
    """A vectoriser started from another's kept counts gives the same vectors next."""
    running = Vectorizer()
    for i, d in enumerate(_DF_DOCS[:2]):
        running.transform(d, float(i))
    terms, dfs = running.document_frequencies()
    assert dict(zip(terms, dfs, strict=True))[stem("زلزال")] == 1
    started = Vectorizer()
    started.set_document_frequencies(terms, dfs, running.n_docs_)
    assert started.transform(_DF_DOCS[2], 2.0) == running.transform(_DF_DOCS[2], 2.0)
    with pytest.raises(ValueError, match=r"outside 0\.\.2"):
        Vectorizer().set_document_frequencies(terms, [3] * len(terms), 2)


def test_unlearnt_documents_counted_again_give_the_same_vectors() -> None:
    """Taking the last documents out and transforming them again repeats the stream."""
    live = Vectorizer()
    first = [live.transform(d, float(i)) for i, d in enumerate(_DF_DOCS)]
    counts = live.document_frequencies()
    live.unlearn([live.doc_terms(d) for d in _DF_DOCS[1:]])
    assert live.n_docs_ == 1
    again = [live.transform(d, float(i)) for i, d in enumerate(_DF_DOCS) if i]
    assert again == first[1:]
    assert live.document_frequencies() == counts


def test_unlearning_a_document_never_counted_changes_nothing() -> None:
    v = Vectorizer()
    v.transform(_DF_DOCS[0], 0.0)
    before = v.document_frequencies()
    with pytest.raises(ValueError, match="never counted"):
        v.unlearn([v.doc_terms(_DF_DOCS[1])])
    with pytest.raises(ValueError, match="not counted"):
        v.unlearn([v.doc_terms(_DF_DOCS[0])] * 2)
    assert v.document_frequencies() == before
    assert v.n_docs_ == 1


_WORDS = st.lists(
    st.sampled_from(["زلزال", "تركيا", "مبان", "انقاذ", "جازان", "سيول", "2015", "الوزير"])
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_WORDS, _WORDS), min_size=1, max_size=4), st.sampled_from([2, 8, 1024]))
def test_sketches_give_each_term_a_bin_and_a_whole_number(
    docs: list[tuple[list[str], list[str]]], dims: int
) -> None:
    """A sketch gives each term of the article a bin below `dims` and a value of one whole
    number, signed, the values a vector of length SKETCH_SCALE within rounding."""
    v = Vectorizer(sketch_dims=dims)
    for i, (title, body) in enumerate(docs):
        d = StoryDoc(str(i), None, " ".join(title), (" ".join(body),))
        n = len(v.doc_terms(d).terms)
        sk = v.sketch(v.transform(d, float(i)).ids)
        assert sk.bins.size == sk.values.size == n
        if n:
            assert sk.bins.min() >= 0
            assert sk.bins.max() < dims
            assert np.array_equal(sk.values, np.rint(sk.values))
            assert len(set(np.abs(sk.values).tolist())) == 1
            # each value is off by at most a half from the exact one
            off = abs(math.sqrt(float(sk.values @ sk.values)) - SKETCH_SCALE)
            assert off <= 0.5 * math.sqrt(n)


def test_a_terms_sketch_bin_does_not_hang_on_the_order_terms_were_met() -> None:
    """Vectorisers that met the same documents in other orders (so that their terms have
    other ids) sketch the next document alike: bins come from the terms themselves."""
    ab, ba = Vectorizer(), Vectorizer()
    for i, d in enumerate(_DF_DOCS[:2]):
        ab.transform(d, float(i))
    for i, d in enumerate(reversed(_DF_DOCS[:2])):
        ba.transform(d, float(i))
    assert ab.vocab_ != ba.vocab_
    nxt = ab.sketch(ab.transform(_DF_DOCS[2], 2.0, learn=False).ids)
    assert nxt.bins.size > 4
    assert nxt == ba.sketch(ba.transform(_DF_DOCS[2], 2.0, learn=False).ids)
    with pytest.raises(ValueError, match="power of two"):
        Vectorizer(sketch_dims=1000)
