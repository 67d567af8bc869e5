"""Plain-text files: one article each, the optional date/language header kept as metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.io.text import parse_header
from akhbar.model import make_article_id
from tests.io._helpers import ARABIC, NO_LANGID, read_all


@pytest.mark.parametrize(
    ("line", "date", "language"),
    [
        (" date 2026-02-09 عربي", "2026-02-09", "عربي"),
        ("date 2026-02-09 ar", "2026-02-09", "ar"),
        ("\tdate 2026-02-09 English\r", "2026-02-09", "English"),
    ],
)
def test_parse_header(line: str, date: str, language: str) -> None:
    header = parse_header(line)
    assert header is not None
    assert (header.date, header.language) == (date, language)


@pytest.mark.parametrize("line", ["قال الوزير", "date 2026-02-09", "the date 2026-02-09 ar"])
def test_not_a_header(line: str) -> None:
    assert parse_header(line) is None


def test_header_becomes_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(" date 2026-02-09 العربية\n" + ARABIC, encoding="utf-8")
    (article,), skipped = read_all([path])
    assert skipped == []
    assert article.text == ARABIC
    assert "date 2026" not in article.text
    assert article.metadata["header"] == " date 2026-02-09 العربية"
    assert article.published == "2026-02-09"
    assert (article.language, article.language_detected) == ("ar", False)
    assert article.title is None
    assert article.warnings == ()


def test_source_is_file_name_unless_outlet(tmp_path: Path) -> None:
    path = tmp_path / "000_bbc157d12097daf8.txt"
    path.write_text(ARABIC, encoding="utf-8")
    (plain,), _ = read_all([path], NO_LANGID)
    assert plain.source == "000_bbc157d12097daf8.txt"
    assert plain.outlet is None
    assert plain.id == make_article_id(
        None, source="000_bbc157d12097daf8.txt", url=None, title=None, text=ARABIC
    )
    (named,), _ = read_all([path], NO_LANGID, outlet="youm7")
    assert (named.source, named.outlet) == ("youm7", "youm7")
    assert named.id != plain.id


def test_invalid_header_date_keeps_article_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("date 2026-13-45 ar\n" + ARABIC, encoding="utf-8")
    (article,), skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert article.published is None
    assert article.language == "ar"
    (warning,) = article.warnings
    assert "bad.txt" in warning
    assert "2026-13-45" in warning


def test_header_only_file_is_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "h.txt"
    path.write_text("date 2026-02-09 ar\n  \n", encoding="utf-8")
    articles, (skipped,) = read_all([path])
    assert articles == []
    assert skipped.reason == "empty text"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1256", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-be", b"\xfe\xff")],
)
def test_encodings_read_right(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(prefix + ("date 2026-02-09 عربي\n" + ARABIC).encode(encoding))
    (article,), skipped = read_all([path], NO_LANGID)
    assert skipped == []
    assert article.text == ARABIC
    assert article.published == "2026-02-09"


def test_language_is_detected_without_header(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARABIC, encoding="utf-8")
    (article,), _ = read_all([path])
    assert (article.language, article.language_detected) == ("ar", True)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_header_line_ends_at_any_line_break(tmp_path: Path, newline: str) -> None:
    """Old Mac files end lines with CR alone: their header was read as the first paragraph."""
    path = tmp_path / "a.txt"
    path.write_bytes(f"date 2015-07-21 ar{newline}{ARABIC}{newline}".encode())
    (article,), _ = read_all([path], NO_LANGID)
    assert article.published == "2015-07-21"
    assert article.text == f"{ARABIC}{newline}"
