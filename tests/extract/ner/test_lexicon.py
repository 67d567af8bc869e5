"""The NER word table: clustered words, and self-tag codes of words outside the vocabulary."""

from __future__ import annotations

import gzip

import pytest

from akhbar.errors import ConfigError
from akhbar.extract.ner.features import Featurizer
from akhbar.extract.ner.lexicon import Lexicon, parse_words


def test_word_table_rows() -> None:
    counts, clusters, auto = parse_words(
        "كتاب\t120\t5\t6\t7\t000\t0\nسمير\t40\t8\t9\t1\t300\t3\nغوتيريش\t0\t\t\t\t\t2\n"
    )
    assert counts == {"كتاب": 120, "سمير": 40}
    assert clusters["سمير"] == ("8", "9", "1", "300")
    assert "غوتيريش" not in clusters  # outside the vocabulary: a self-tag code only
    assert auto == {"كتاب": "0", "سمير": "3", "غوتيريش": "2"}


def test_six_column_tables_still_read() -> None:
    counts, clusters, auto = parse_words("كتاب\t120\t5\t6\t7\t000\n")
    assert counts == {"كتاب": 120}
    assert clusters["كتاب"][3] == "000"
    assert auto == {}


def test_malformed_table_is_a_clear_error() -> None:
    with pytest.raises(ConfigError):
        parse_words("كتاب\tmany\t5\n")


def test_self_tag_code_is_a_word_feature() -> None:
    table = "كتاب\t120\t5\t6\t7\t000\t0\nغوتيريش\t0\t\t\t\t\t2\n"
    lexicon = Lexicon.from_texts(gzip.compress(table.encode()), "")
    featurizer = Featurizer(lexicon)
    assert "aP=2" in featurizer.info("غوتيريش").own
    assert "aP=2" in featurizer.info("وغوتيريش").own  # the clitic-stripped base's code
    assert "a=none" in featurizer.info("مجهولة").own
