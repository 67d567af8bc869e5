from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.settings import CleanSettings
from akhbar.stories import StoryClusterer, StoryDoc, story_doc
from akhbar.text.clean import clean_with_lines
from tests.text.helpers import article

S = CleanSettings()
P1 = "قال وزير الصحة اليوم إن الوزارة افتتحت ثلاثة مستشفيات جديدة في المنطقة الشرقية."
P2 = "وأوضح الوزير أن المستشفيات الجديدة تضم أكثر من ألف سرير وتخدم نصف مليون نسمة."
P3 = "وأشار إلى أن العمل جار على إنشاء خمسة مستشفيات أخرى خلال العام المقبل."


def test_norms_from_cleaning_give_the_same_doc_without_headings() -> None:
    raw = article(f"{P1}\nمستشفيات جديدة بألف سرير\n{P2}\nـــ\n{P3}", "وزير الصحة يفتتح مستشفيات")
    view, _, norms = clean_with_lines(raw, S)
    assert any(b.kind == "heading" for b in view.blocks)  # left out of the doc either way
    doc = story_doc(raw, view, norms=norms)
    assert doc == story_doc(raw, view)
    assert len(doc.paragraphs) == len(view.paragraphs) - 1  # a tatweel line normalises to nothing
    assert "مستشفيات جديده بالف سرير" not in doc.paragraphs


def test_norms_not_one_per_block_are_refused_with_the_article() -> None:
    raw = article(f"{P1}\n{P2}")
    view, _, norms = clean_with_lines(raw, S)
    with pytest.raises(ValueError, match=raw.id):
        story_doc(raw, view, norms=norms[:-1])


_WORDS = st.sampled_from([*P1.split(), *P2.split(), "«", "»", ".", "ـــ", "وأشار", "\u00a0"])
_TEXT = st.lists(st.lists(_WORDS, max_size=20).map(" ".join), min_size=1, max_size=6).map("\n".join)


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_norms_from_cleaning_never_change_the_doc(text: str) -> None:
    raw = article(text)
    view, _, norms = clean_with_lines(raw, S)
    assert story_doc(raw, view, norms=norms) == story_doc(raw, view)


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"paragraphs": P1}, "paragraphs is a tuple of str, not str"),
        ({"paragraphs": (P1, None)}, "paragraphs is a tuple of str"),
        ({"published": "2026-04-05"}, "published is a datetime or None, not str"),
        ({"title": None}, "title is a str, not NoneType"),
        ({"id": 7}, "id is a str, not int"),
        ({"outlet": 3}, "outlet is a str or None, not int"),
        ({"copy_of": 3}, "copy_of is an article id (str) or None, not int"),
    ],
)
def test_a_story_doc_of_the_wrong_types_is_refused_naming_the_field(
    fields: dict[str, object], said: str
) -> None:
    """A string of paragraphs was read letter by letter; a string date or a None title
    failed deep in clustering with an error that named neither."""
    given = {"id": "a1", "published": None, "title": "عنوان", "paragraphs": (P1,), **fields}
    with pytest.raises(TypeError, match=rf"StoryDoc .*: {re.escape(said)}"):
        StoryDoc(**given)  # type: ignore[arg-type]


def test_add_many_refuses_an_id_given_twice() -> None:
    docs = [StoryDoc("a1", None, "عنوان", (P1,)), StoryDoc("a1", None, "عنوان", (P2,))]
    with pytest.raises(ValueError, match="article id 'a1' comes twice"):
        StoryClusterer().add_many(docs)
