from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.settings import CleanSettings
from akhbar.stories import story_doc
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
