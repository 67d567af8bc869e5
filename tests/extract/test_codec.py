"""The stored form of an extraction reads back to the same spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.errors import StoreError
from akhbar.extract.codec import extraction_from_json, extraction_to_dict, extraction_to_json
from akhbar.extract.model import CitedSource, DateRef, Extraction, Mention, Quote

_text = st.text(alphabet='ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءأإآةى"«»:', max_size=20)
_pos = st.integers(min_value=0, max_value=10_000)
_opt = st.none() | _pos

_mentions = st.builds(
    Mention,
    _pos,
    _pos,
    _text,
    st.sampled_from(["PER", "LOC", "ORG", "MISC"]),
    _text,
    st.none() | _text,
)
_quotes = st.builds(
    Quote,
    _pos,
    _pos,
    _text,
    st.sampled_from(["direct", "indirect"]),
    _text,
    st.none() | _text,
    _opt,
    _opt,
)
_sources = st.builds(CitedSource, _pos, _pos, _text, st.sampled_from(["agency", "media"]), _text)
_dates = st.builds(
    DateRef, _pos, _pos, _text, st.sampled_from(["relative", "hijri", "year"]), st.none() | _text
)


@given(
    st.builds(
        Extraction,
        st.tuples(_mentions, _mentions),
        st.tuples(_quotes),
        st.tuples(_sources),
        st.tuples(_dates, _dates),
    )
)
def test_round_trip(x: Extraction) -> None:
    assert extraction_from_json(extraction_to_json(x)) == x


def test_dict_field_names_are_stable() -> None:
    x = Extraction(entities=(Mention(0, 5, "موسكو", "LOC", "موسكو"),))
    d = extraction_to_dict(x)
    assert set(d) == {"entities", "quotes", "cited_sources", "dates"}
    assert d["entities"][0] == {
        "start": 0,
        "end": 5,
        "text": "موسكو",
        "type": "LOC",
        "key": "موسكو",
        "role": None,
    }


@pytest.mark.parametrize("bad", ["", "{", "[]", '{"entities": [{"x": 1}]}'])
def test_damaged_row_names_the_fix(bad: str) -> None:
    with pytest.raises(StoreError, match="re-run"):
        extraction_from_json(bad)
