"""The same-shape fold the extraction rules match on, and its way back to original offsets."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from akhbar.extract.folding import at_word_start, fold, word_alternation

ARABIC = st.text(alphabet="أإآاىيةهؤئءقالوزيرًٌٍَُِّْـ ١٢٣0123\u200e\u00a0،.", max_size=60)


def test_fold_maps_letters_and_drops_marks() -> None:
    f = fold("قائلًا: غداً ١٢ فى")
    assert f.text == "قاءلا: غدا 12 في"
    i = f.text.index("غدا")
    assert "قائلًا: غداً ١٢ فى"[f.orig(i) : f.orig(i + 3)] == "غداً"


@given(ARABIC)
def test_every_folded_character_maps_back(text: str) -> None:
    f = fold(text)
    for i, ch in enumerate(f.text):
        original = text[f.orig(i)]
        assert fold(original).text == ch
        assert f.folded(f.orig(i)) == i


def test_word_alternation_matches_each_word_and_spaces_loosely() -> None:
    pattern = re.compile(f"(?:{word_alternation(['قال', 'قالت', 'كانون الثاني'])})$")
    for word in ("قال", "قالت", "كانون  الثاني"):
        assert pattern.match(word)
    assert not pattern.match("قا")


def test_at_word_start_allows_only_the_given_clitics() -> None:
    s = "وقال بقال الوقال قال"
    assert at_word_start(s, 1, "وف", 1) == 0
    assert at_word_start(s, 6, "وف", 1) is None
    assert at_word_start(s, 13, "وف", 1) is None
    assert at_word_start(s, 17) == 17
