"""Encodings are detected (BOM, strict UTF-8, plausible Windows-1256), never guessed blindly."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.errors import UnsupportedInputError
from akhbar.io.encoding import (
    BINARY_REASON,
    UNDECODABLE_REASON,
    decode_bytes,
    decode_line,
    is_binary,
    looks_like_arabic_cp1256,
    text_encoding,
)
from tests.io._helpers import ARABIC


@pytest.mark.parametrize(
    "data",
    [
        ARABIC.encode("utf-8"),
        codecs.BOM_UTF8 + ARABIC.encode("utf-8"),
        codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"),
        ARABIC.encode("cp1256"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp1256"],
)
def test_decodes_every_supported_encoding_to_the_same_text(data: bytes) -> None:
    assert decode_bytes(data, "x.txt") == ARABIC


def test_bom_is_not_part_of_the_text() -> None:
    assert not decode_bytes(codecs.BOM_UTF8 + b"abc", "x").startswith("\ufeff")


def test_latin1_french_is_not_taken_for_windows_1256() -> None:
    data = "Le ministre a déclaré à la presse que la réunion était très importante.".encode(
        "latin-1"
    )
    with pytest.raises(UnsupportedInputError) as info:
        decode_bytes(data, "fr.txt")
    assert info.value.reason == UNDECODABLE_REASON
    assert "fr.txt" in str(info.value)


@pytest.mark.parametrize(
    "head",
    [b"\x89PNG\r\n\x1a\n\x00\x00", b"%PDF-1.7\n", b"\x7fELF\x02\x01", b"abc\x00def"],
)
def test_binary_heads(head: bytes) -> None:
    assert is_binary(head)
    with pytest.raises(UnsupportedInputError) as info:
        decode_bytes(head, "b")
    assert info.value.reason == BINARY_REASON


def test_utf16_nuls_are_not_binary() -> None:
    assert not is_binary(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le"))


def test_plausibility_needs_arabic_letters() -> None:
    assert looks_like_arabic_cp1256(ARABIC)
    assert not looks_like_arabic_cp1256("plain ascii only")
    assert not looks_like_arabic_cp1256("")


def test_decode_line_falls_back_to_cp1256() -> None:
    line = '{"text": "مرحبا بكم في الأخبار"}\n'
    assert decode_line(line.encode("cp1256"), "f (line 1)") == line
    with pytest.raises(UnsupportedInputError):
        decode_line(b"\xff\xfe\xfd\x81\x8d", "f (line 2)")


@pytest.mark.parametrize("name", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ARABIC, "Monday, 12 May: the talks go on.\n" + ARABIC])
def test_utf16_without_a_bom_is_recognised(name: str, text: str) -> None:
    """Some Windows tools save UTF-16 without a BOM: Arabic-only UTF-16 LE is all bytes under
    0x80 (it passed as UTF-8, control characters and all), ASCII in it has NULs (refused as
    binary)."""
    data = text.encode(name)
    assert text_encoding(data) == (name, 0)
    assert not is_binary(data[:8192])
    assert decode_bytes(data, "x.txt") == text


@pytest.mark.parametrize(
    "data",
    [
        ARABIC.encode("utf-8"),
        ARABIC.encode("cp1256"),
        b"plain ascii text, nothing else\n",
        b"abc\x00def\x00ghi",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
        bytes(range(256)),
        b"\x00" * 64,
    ],
    ids=["utf-8", "cp1256", "ascii", "nuls", "png", "all-bytes", "zeros"],
)
def test_no_bomless_utf16_is_seen_in_other_bytes(data: bytes) -> None:
    assert text_encoding(data) is None


@given(st.text(st.characters(codec="utf-8"), max_size=200))
def test_utf8_is_never_taken_for_bomless_utf16(text: str) -> None:
    """Text written as UTF-8 (without a BOM) is read as UTF-8 whatever it holds."""
    unicode = text_encoding(text.encode("utf-8"))
    assert unicode is None or unicode[0] == "utf-8"


def test_a_cut_bomless_utf16_file_names_the_file() -> None:
    data = ARABIC.encode("utf-16-le") + b"\x00\xdc"  # a lone low surrogate at the end
    with pytest.raises(UnsupportedInputError) as info:
        decode_bytes(data, "cut.txt")
    assert "cut.txt" in str(info.value)
    assert "utf-16-le" in info.value.reason
