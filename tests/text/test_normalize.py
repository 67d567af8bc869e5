"""Normalisation and tokenisation: properties checked on arbitrary text (hypothesis)."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.text.normalize import _single_spaced, normalize
from akhbar.text.tokenize import tokenize

_norm = importlib.import_module("akhbar.text.normalize")

# Arabic letters, marks, digits, punctuation and a sprinkling of anything else.
_ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
_MIXED = st.one_of(
    _ARABIC,
    st.sampled_from(list(" \u00a0\n\t.,:«»“”\"'-–ـ0123456789abcXYZ")),
    st.characters(),
)
TEXT = st.text(_MIXED, max_size=80)


@settings(max_examples=400)
@given(TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(TEXT)
def test_normalize_has_no_outer_or_double_spaces(text: str) -> None:
    out = normalize(text)
    assert out == out.strip()
    assert "  " not in out


def test_orthographic_variants_meet() -> None:
    assert normalize("فى") == normalize("في")
    assert normalize("وزارتى") == normalize("وزارتي")
    assert normalize("قدّمت") == normalize("قدمت")
    assert normalize("صرّح") == normalize("صرح")
    assert normalize("الأطلسى") == normalize("الأطلسي")
    assert normalize("شئون") == normalize("شؤون")
    assert normalize("مدرسة") == normalize("مدرسه")


def test_tatweel_digits_and_quotes() -> None:
    assert normalize("الخـــارجية") == normalize("الخارجية")
    assert normalize("٢٠٢٥") == "2025"
    assert normalize("۲۰۲۵") == "2025"
    for quote in "“”«»":
        assert normalize(quote) == '"'
    assert normalize("«سبوتنيك»") == normalize('"سبوتنيك"') == normalize("“سبوتنيك”")


def test_normalize_keeps_meaningful_letters_apart() -> None:
    assert normalize("علم") != normalize("عالم")
    assert normalize("قال") != normalize("قالت")


@settings(max_examples=400)
@given(TEXT)
def test_token_offsets_point_into_text(text: str) -> None:
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == tok.text
        assert tok.norm == normalize(tok.text)
        assert tok.norm


@given(st.lists(st.sampled_from(["قال", "جوساروف", "٢٠٢٥", "1.45", "الخـارجية", "،", " "])))
def test_tokens_of_arabic_words(parts: list[str]) -> None:
    text = " ".join(parts)
    words = [p for p in parts if p.strip() and p != "،"]
    assert [t.text for t in tokenize(text)] == words


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_short_and_long_texts_fold_alike(text: str) -> None:
    # Short texts are folded with str.translate, long ones with a NumPy table: same result.
    short = text[: _norm._SHORT - 1]
    assert _norm._fold(short) == _fold_by_table(short)
    assert _norm._fold(text * 2) == _fold_by_table(text * 2)


def _fold_by_table(text: str) -> str:
    codes = _norm._matching_lut()[
        np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    ]
    return str(codes[codes != _norm._DROP].tobytes().decode("utf-32-le", "surrogatepass"))


@given(
    st.text(
        alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2000\u2028\u3000\u200bاب،a")),
        max_size=40,
    )
)
def test_single_spacing_is_split_and_join(text: str) -> None:
    assert _single_spaced(text) == " ".join(text.split())
