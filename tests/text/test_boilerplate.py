"""Trailing boilerplate is found where it starts a line or follows a sentence's end."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from akhbar.text.boilerplate import load_patterns

# The tail rule as one regex, tried at every character (what search_tail does faster).
_START = r"(?:^|(?<=[.!?\"')\]] )|(?<=[.!?\"')\]]))"


def _plain_search(norm: str) -> int | None:
    tails = "|".join(f"(?:{src})" for src, _ in load_patterns().tail)
    m = re.search(_START + "(?:" + tails + ")$", norm)
    return None if m is None else m.start()


_PIECES = ["المصدر: واس", "زياره مصدر الخبر", "..المزيد", "قال الوزير", ". ", ".", " ", '"', ")"]


@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_tail_found_where_the_plain_rule_finds_it(norm: str) -> None:
    found = load_patterns().search_tail(norm)
    assert (found[0] if found else None) == _plain_search(norm)


def test_tail_after_a_sentence_is_cut_and_mid_sentence_is_not() -> None:
    patterns = load_patterns()
    line = "وصل الوفد الي الرياض. المصدر: واس"
    found = patterns.search_tail(line)
    assert found is not None
    assert line[found[0] :] == "المصدر: واس"
    assert "المصدر" in found[1]
    assert patterns.search_tail("وصل الوفد الي الرياض المصدر: واس") is None


def test_an_edge_pattern_matches_only_at_the_edges() -> None:
    patterns = load_patterns(("edge: توقيع الكاتب .+",))
    assert patterns.match_line("توقيع الكاتب محمد", at_edge=True) == "توقيع الكاتب .+"
    assert patterns.match_line("توقيع الكاتب محمد") is None


def test_an_end_pattern_cuts_a_tail_only_at_the_end() -> None:
    patterns = load_patterns(("end: وسوم( \\S+)+",))
    line = "وصل الوفد الي الرياض. وسوم الرياض الوفد"
    assert patterns.search_tail(line) is None
    found = patterns.search_tail(line, at_end=True)
    assert found is not None
    assert line[found[0] :] == "وسوم الرياض الوفد"


def test_a_head_pattern_ends_at_a_word_with_more_words_after_it() -> None:
    patterns = load_patterns(("head: اقرا ايضا",))
    assert patterns.match_head("اقرا ايضا قال الوزير") == (len("اقرا ايضا"), "اقرا ايضا")
    assert patterns.match_head("اقرا ايضاح الوزير") is None  # inside a word
    assert patterns.match_head("اقرا ايضا") is None  # nothing after it: a line pattern's job
