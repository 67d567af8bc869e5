"""Representation: stemming, stopwords, and vector shape."""

from __future__ import annotations

import math

from akhbar.stories import StoryDoc, Vectorizer
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
