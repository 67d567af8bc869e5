"""Shared passages: offsets into the original texts, gaps bridged, short overlaps ignored."""

from __future__ import annotations

from akhbar.dedup import shared_passages

QUOTE = "إن الاتصالات بين الوزارتين متواصلة بشكل نشط ولم تتوقف قط منذ بداية العام الماضي"


def test_shared_quote_found_with_offsets() -> None:
    a = "قال المتحدث الرسمي في مؤتمر صحفي " + QUOTE + ". وفي شأن آخر ارتفعت الأسعار."
    b = "أكد المسؤول لوكالة الأنباء «" + QUOTE.replace("إن", "أن", 1) + "» مضيفا تفاصيل أخرى."
    (p,) = shared_passages(a, b)
    assert a[p.a_start : p.a_end].endswith("العام الماضي")
    assert "الاتصالات بين الوزارتين" in b[p.b_start : p.b_end]
    assert p.words >= 13


def test_small_gap_is_bridged() -> None:
    a = "one two three four five six seven eight nine ten eleven twelve"
    b = "one two three four five seis seven eight nine ten eleven twelve"
    (p,) = shared_passages(a, b, min_words=8)
    assert (p.a_start, p.a_end) == (0, len(a))
    assert p.words == 11


def test_short_overlap_ignored() -> None:
    a = "alpha beta gamma delta epsilon zeta and more words here"
    b = "other words then alpha beta gamma delta and nothing"
    assert shared_passages(a, b, min_words=8) == []


def test_normalised_spellings_match() -> None:
    a = "قال الوزير فى المؤتمر إن المملكة قدّمت مقترحاتها لاستئناف الرحلات الجوية المباشرة"
    b = "وقال الوزير في المؤتمر إن المملكة قدمت مقترحاتها لاستئناف الرحلات الجوية المباشرة اليوم"
    (p,) = shared_passages(a, b)
    assert p.words == 11


def test_invisible_characters_inside_words_do_not_cut_a_passage() -> None:
    """A joiner, a soft hyphen or a direction mark inside a word (scraped text holds them)
    is dropped by normalising: the word is still one word, matching its plain spelling."""
    hidden = (
        QUOTE.replace("الاتصالات", "الاتصا\u200cلات")
        .replace("الوزارتين", "الوزا\u00adرتين")
        .replace("متواصلة", "متو\u200fاصلة")
    )
    a = "قال المتحدث الرسمي في مؤتمر صحفي " + hidden + ". وفي شأن آخر ارتفعت الأسعار."
    b = "أكد المسؤول لوكالة الأنباء «" + QUOTE + "» مضيفا تفاصيل أخرى."
    (p,) = shared_passages(a, b)
    assert a[p.a_start : p.a_end] == hidden
    assert p.words == len(QUOTE.split())


def test_a_phrase_repeated_many_times_seeds_nothing_but_a_quote_is_still_found() -> None:
    """On repetitive text (a word or a table's line thousands of times) every pair of
    positions matched, in time quadratic in the length: a seed b repeats that often starts
    no passage, and a shared quote beside the repeats is still found whole."""
    filler = " ".join(["صفر"] * 3000)
    a = f"{filler}. قال المتحدث الرسمي {QUOTE}."
    b = f"{filler}. وأكد المسؤول {QUOTE}."
    (p,) = shared_passages(a, b)
    assert a[p.a_start : p.a_end] == QUOTE
    assert b[p.b_start : p.b_end] == QUOTE
    # a passage whose first words are such a phrase still starts with them
    phrase = "قال المتحدث باسم الوزارة"
    many = f"{phrase} كلاما عاديا عن موضوع آخر. " * 40
    c, d = f"مقدمة مختلفة تماما. {phrase} {QUOTE}.", f"{many}{phrase} {QUOTE}."
    (p,) = shared_passages(c, d)
    assert c[p.a_start : p.a_end] == f"{phrase} {QUOTE}"
    assert d[p.b_start : p.b_end] == f"{phrase} {QUOTE}"
