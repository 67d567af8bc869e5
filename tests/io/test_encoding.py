"""Encodings are detected (BOM, strict UTF-8, plausible Windows-1256), never guessed blindly."""

from __future__ import annotations

import codecs

import pytest

from akhbar.errors import UnsupportedInputError
from akhbar.io.encoding import (
    BINARY_REASON,
    UNDECODABLE_REASON,
    decode_bytes,
    decode_line,
    is_binary,
    looks_like_arabic_cp1256,
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
