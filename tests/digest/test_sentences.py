"""Sentence and clause splitting: boundaries, what stays whole, and exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.digest import split_clauses, split_sentences, units


def texts(text: str) -> list[str]:
    """The sentence texts of `text`."""
    return [s.text for s in split_sentences(text)]


def test_sentence_ends() -> None:
    """`.`, `؟`, `?`, `!` and line breaks end sentences; `،` does not."""
    text = "وصل الوفد، ثم بدأ الاجتماع. هل انتهى؟ نعم! انتهى?\nسطر جديد بلا نقطة وهو طويل بما يكفي."
    assert texts(text) == [
        "وصل الوفد، ثم بدأ الاجتماع.",
        "هل انتهى؟",
        "نعم!",
        "انتهى?",
        "سطر جديد بلا نقطة وهو طويل بما يكفي.",
    ]


def test_numbers_and_abbreviations_stay_whole() -> None:
    """A decimal point and a one-letter abbreviation never end a sentence."""
    text = "ارتفع المؤشر 3.5 في المئة. وقال د. محمد إن م. أحمد وأ. سعاد حضرا الاجتماع."
    assert texts(text) == [
        "ارتفع المؤشر 3.5 في المئة.",
        "وقال د. محمد إن م. أحمد وأ. سعاد حضرا الاجتماع.",
    ]


def test_quotes_stay_whole() -> None:
    """Sentence marks inside "...", “...” and «...» do not cut the sentence."""
    for left, right in (('"', '"'), ("“", "”"), ("«", "»")):
        text = f"وقال الوزير: {left}لن نتراجع. هل هذا واضح؟ نعم{right}. ثم غادر القاعة."
        assert texts(text) == [
            f"وقال الوزير: {left}لن نتراجع. هل هذا واضح؟ نعم{right}.",
            "ثم غادر القاعة.",
        ]


def test_missing_space_after_a_full_stop() -> None:
    """Scraped text often glues the next sentence to the full stop: still two sentences."""
    assert texts("أفضى الحوار إلى اتفاقيات.وأوضح الوزير أن الرحلات ستعود.") == [
        "أفضى الحوار إلى اتفاقيات.",
        "وأوضح الوزير أن الرحلات ستعود.",
    ]


def test_short_line_before_text_is_a_heading() -> None:
    """A short line with no closing punctuation followed by text is a heading span."""
    spans = split_sentences("إعادة صياغة المفاوضات\n\nوأشار إلى أن موسكو مستعدة.")
    assert [s.kind for s in spans] == ["heading", "sentence"]


def test_clauses_at_connectives() -> None:
    """A sentence chaining claims with `، مشيرًا إلى أن` and the like is cut there."""
    text = (
        "وأوضح الوزير أن روسيا قدمت مقترحاتها لاستئناف الرحلات، مشيرًا إلى أن القرار الآن بيد "
        "أمريكا، مؤكدا أن استئناف الرحلات مفيد للبلدين."
    )
    (sentence,) = split_sentences(text)
    clauses = [c.text for c in split_clauses(text, sentence)]
    assert clauses == [
        "وأوضح الوزير أن روسيا قدمت مقترحاتها لاستئناف الرحلات",
        "مشيرًا إلى أن القرار الآن بيد أمريكا",
        "مؤكدا أن استئناف الرحلات مفيد للبلدين.",
    ]


def test_short_pieces_are_not_cut() -> None:
    """A connective that would leave a piece of a word or two does not cut."""
    text = "قال الوزير، مؤكدا ذلك."
    (sentence,) = split_sentences(text)
    assert [c.text for c in split_clauses(text, sentence)] == [text]


def test_quote_of_several_sentences_gives_clauses() -> None:
    """Each sentence of a long quote is a clause of its own (it may be a claim of its own)."""
    text = 'وقال: "إن ظروف العمل لا ترقى إلى المستوى المطلوب. فالسلطات تفرض قيودا مصطنعة عليهم".'
    (sentence,) = split_sentences(text)
    assert [c.text for c in split_clauses(text, sentence)] == [
        'وقال: "إن ظروف العمل لا ترقى إلى المستوى المطلوب.',
        'فالسلطات تفرض قيودا مصطنعة عليهم".',
    ]


_PIECES = st.sampled_from(
    [
        "قال",
        "الوزير",
        "،",
        ".",
        "؟",
        "!",
        "\n",
        "\n\n",
        " ",
        "3.5",
        "د.",
        '"',
        "“",
        "”",
        "«",
        "»",
        "مشيرا إلى أن",
        "، مؤكدا أن",
        "؛",
        "abc",
        "\u00a0",
        "(",
        ")",
        "5.\u200f0",
        "وأ.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map(" ".join))
def test_offsets_are_exact_and_ordered(text: str) -> None:
    """Every span's offsets point at its text; spans do not overlap and never hold a line
    break; nothing but separators is left out."""
    spans = units(text)
    previous = 0
    for s in spans:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert s.start >= previous
        assert "\n" not in s.text
        previous = s.end
    covered = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    left = "".join(ch for i, ch in enumerate(text) if i not in covered)
    assert all(not ch.isalnum() for ch in left), left


def test_decimal_with_a_direction_mark() -> None:
    """Scraped numbers carry invisible direction marks after the dot: still one number."""
    assert texts("صعد البلاتين 5.\u200f0 في المائة. ثم انتهى.") == [
        "صعد البلاتين 5.\u200f0 في المائة.",
        "ثم انتهى.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "أعلنت الهيئة عبر موقعها الإلكتروني www.sfda.gov.sa أن فرق التفتيش أغلقت 3 محلات.",
        "وللاستفسار يمكن مراسلة info@moh.gov.sa أو الاتصال بالرقم 937.",
        "ويشارك في الفيلم مايكل بي. جوردان ومن إخراج جوش ترانك.",
    ],
)
def test_addresses_and_initials_end_no_sentence(text: str) -> None:
    assert [s.text for s in split_sentences(text)] == [text]


def test_an_items_number_ends_no_sentence_but_sentences_glued_by_a_dot_still_part() -> None:
    text = (
        "1. تقديم الطلب إلكترونيا.\n2. دفع الرسوم عبر سداد.\n"
        "انتهت المباراة بالتعادل.وقال المدرب إن الفريق قدم أداء جيدا."
    )
    assert [s.text for s in split_sentences(text)] == [
        "1. تقديم الطلب إلكترونيا.",
        "2. دفع الرسوم عبر سداد.",
        "انتهت المباراة بالتعادل.",
        "وقال المدرب إن الفريق قدم أداء جيدا.",
    ]


def test_a_reporting_participle_with_its_an_cuts_a_clause_without_a_comma() -> None:
    """`... قوية مبيناً أن ...` is cut where `... قوية، مبيناً أن ...` is: outlets differ in
    the comma only."""
    for text in (
        "وأكد الوزير أن العلاقات بين البلدين قوية مبيناً أنه لا تراجع عن العقوبات الاقتصادية.",
        "وأكد الوزير أن العلاقات بين البلدين قوية، مبيناً أنه لا تراجع عن العقوبات الاقتصادية.",
    ):
        pieces = [u.text for u in units(text)]
        assert pieces[1] == "مبيناً أنه لا تراجع عن العقوبات الاقتصادية."
    kept = "وجاء الفريق مبينا قدرته على المنافسة في البطولة القارية هذا الموسم."
    assert [u.text for u in units(kept)] == [kept]  # no `أن`: no new claim
