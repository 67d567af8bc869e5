"""NewsFANE clitic re-joining and tag mapping."""

from __future__ import annotations

from pathlib import Path

from akhbar.extract.ner.corpus import read_newsfane, rejoin_clitics, spans_of


def test_rejoin_proclitic_takes_the_word_tag() -> None:
    tokens, tags = rejoin_clitics(["و", "قال", "ب", "موسكو"], ["O", "O", "O", "B-LOC"])
    assert tokens == ["وقال", "بموسكو"]
    assert tags == ["O", "B-LOC"]


def test_rejoin_enclitic_and_lam_alif() -> None:
    tokens, tags = rejoin_clitics(["ان", "ه", "ل", "الرئيس"], ["O", "O", "O", "O"])
    assert tokens == ["انه", "للرئيس"]
    assert tags == ["O", "O"]


def test_read_newsfane_strips_marks_and_maps_types(tmp_path: Path) -> None:
    raw = "\ufeff\u200eو\tO\r\n\u200eقال\tO\r\n\u200eبوتين\tB-Politician\r\n\t\r\n"
    raw += "\u200eفي\tO\r\n\u200eموسكو\tB-Population-Center\r\n\u200eالعرب\tB-Group\r\n"
    path = tmp_path / "fane.txt"
    path.write_bytes(raw.encode("utf-8"))
    first, second = read_newsfane(path)
    assert first.tokens == ("وقال", "بوتين")
    assert first.tags == ("O", "B-PER")
    assert second.tags == ("O", "B-LOC", "O")


def test_spans_of_is_conlleval_style() -> None:
    assert spans_of(["B-PER", "I-PER", "O", "I-LOC", "B-ORG"]) == {
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "ORG"),
    }
