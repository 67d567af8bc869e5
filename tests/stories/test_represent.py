"""Representation: stemming, stopwords, and vector shape."""

from __future__ import annotations

import dataclasses
import math
import pickle

import pytest

from akhbar.stories import StoryDoc, StoryParams, Vectorizer, doc_terms
from akhbar.stories.represent import STOPWORDS, stem, terms
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
