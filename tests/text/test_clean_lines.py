"""Line helpers: the light stemmer that lets headline checks match word forms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from akhbar.text.clean_lines import _PREFIXES, _SUFFIXES, _stem, split_lines


def _stem_by_lists(word: str) -> str:
    """The stemmer as its lists read: the first prefix, then the first suffix, that each leave
    three letters."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@given(st.text(alphabet=st.sampled_from(list("والبفكلتنيهادرس")), max_size=9))
def test_stem_follows_its_lists(word: str) -> None:
    assert _stem(word) == _stem_by_lists(word)


def test_stem_meets_word_forms() -> None:
    assert _stem("والروسيه") == _stem("الروسي") == "روس"
    assert _stem("والد") == "الد"  # وال would leave one letter: و alone goes
    assert _stem("قال") == "قال"


def test_direction_marks_at_a_line_end_are_invisible() -> None:
    lines = split_lines("نص الخبر.\u200f\n\u200e\u200f\n \u202bكلام\u202c \nكلمة\u200cأخرى")
    assert lines == ["نص الخبر.", "", "كلام", "كلمة\u200cأخرى"]  # a joiner inside a word stays
