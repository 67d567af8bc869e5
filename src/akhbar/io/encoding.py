"""Bytes to text: detect UTF-8, UTF-16/32 (BOM), UTF-16 without a BOM and Windows-1256 rather
than guess blindly."""

from __future__ import annotations

import codecs
import unicodedata

from akhbar.errors import UnsupportedInputError

__all__ = [
    "BINARY_REASON",
    "UNDECODABLE_REASON",
    "bom_encoding",
    "decode_bytes",
    "decode_line",
    "is_binary",
    "looks_like_arabic_cp1256",
    "text_encoding",
]

BINARY_REASON = "binary file"
UNDECODABLE_REASON = "undecodable text (not UTF-8/UTF-16/Windows-1256)"

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of common binary formats a news folder may hold by accident.
_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"%PDF",
    b"\x7fELF",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WAV/AVI/WEBP
    b"\xd0\xcf\x11\xe0",  # MS Office (OLE)
    b"SQLite format 3\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MZ",  # Windows executable
    b"\xca\xfe\xba\xbe",
    b"\x00asm",
)

# UTF-16 without a BOM is recognised by its high bytes: those of Arabic (U+06xx), ASCII and
# Latin-1 (U+00xx), general punctuation (U+20xx) and presentation forms (U+FBxx-FExx). At least
# this share of the units must have one, and the decoded text must read as news (see
# `_plausible_char`); a sample shorter than `_MIN_UNITS` units is too short to tell.
_UTF16_HIGH = frozenset({0x00, 0x06, 0x20, 0xFB, 0xFC, 0xFD, 0xFE})
_MIN_UTF16_SHARE = 0.95
_MIN_UNITS = 4

# Windows-1256 text is judged plausible when this share of its characters is usual in Arabic prose.
_MIN_PLAUSIBLE = 0.95
_MIN_ARABIC_SHARE = 0.3


def bom_encoding(head: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces and the BOM's length, so it is never guessed."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    return None


def _bomless_utf16(head: bytes) -> str | None:
    """The UTF-16 byte order in which the bytes read as news text without a BOM (as some
    Windows tools save it), else None: UTF-8 and Windows-1256 text never has a NUL or an
    0x06 byte in every other place."""
    n = len(head) - len(head) % 2
    if n < 2 * _MIN_UNITS or head.startswith(_MAGIC):
        return None
    for name, high in (("utf-16-le", head[1:n:2]), ("utf-16-be", head[0:n:2])):
        known = sum(map(high.count, _UTF16_HIGH))
        if known < _MIN_UTF16_SHARE * len(high) or not (high.count(0) or high.count(6)):
            continue
        # a head cut inside a surrogate pair loses that pair only
        text = head[:n].decode(name, errors="replace").rstrip("\ufffd")
        if "\ufffd" in text or not text:
            continue
        controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r")
        plausible = sum(1 for ch in text if _plausible_char(ch) or ch.isalnum())
        if not controls and plausible >= _MIN_PLAUSIBLE * len(text):
            return name
    return None


def text_encoding(head: bytes) -> tuple[str, int] | None:
    """The Unicode encoding of bytes starting with `head` and the length of its BOM: the one a
    BOM announces, else UTF-16 recognised without one (length 0); None for UTF-8 without a
    BOM, Windows-1256 or not text (`decode_bytes` tells those apart)."""
    bom = bom_encoding(head)
    if bom is not None:
        return bom
    name = _bomless_utf16(head)
    return None if name is None else (name, 0)


def is_binary(head: bytes) -> bool:
    """True for bytes that are not text (magic numbers, NULs outside UTF-16/32 text)."""
    unicode = text_encoding(head)
    if unicode is not None and unicode[0] != "utf-8":
        return False
    return _not_text(head)


def _not_text(head: bytes) -> bool:
    """`is_binary` for a head already known not to be UTF-16/32: a magic number or a NUL."""
    return head.startswith(_MAGIC) or b"\x00" in head


def _plausible_char(ch: str) -> bool:
    """Characters expected in Arabic news text (Arabic script, ASCII, whitespace, punctuation)."""
    if ch.isspace() or " " <= ch <= "~":
        return True
    if "\u0600" <= ch <= "\u06ff":
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "PZ" or ch in "«»“”‘’–—…€"


def looks_like_arabic_cp1256(text: str) -> bool:
    """A plausibility score: Windows-1256 decodes any bytes, so check the result reads as Arabic."""
    if not text:
        return False
    plausible = sum(1 for ch in text if _plausible_char(ch))
    non_ascii_letters = [ch for ch in text if ch.isalpha() and not ch.isascii()]
    arabic = sum(1 for ch in non_ascii_letters if "\u0600" <= ch <= "\u06ff")
    if not non_ascii_letters:
        return False
    return (
        plausible / len(text) >= _MIN_PLAUSIBLE
        and arabic / len(non_ascii_letters) >= _MIN_ARABIC_SHARE
    )


def decode_bytes(data: bytes, where: str) -> str:
    """Decode a whole text input; UnsupportedInputError (naming `where`) when it is not text."""
    head = data[:8192]
    unicode = text_encoding(head)
    if unicode is not None:
        name, size = unicode
        try:
            return data[size:].decode(name)
        except UnicodeDecodeError as exc:
            after = "after its byte-order mark" if size else "(recognised without a BOM)"
            raise UnsupportedInputError(where, f"invalid {name} {after}: {exc}") from exc
    if _not_text(head):  # text_encoding found no UTF-16/32 (nor a UTF-8 BOM) in this head
        raise UnsupportedInputError(where, BINARY_REASON)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError as exc:
        raise UnsupportedInputError(where, UNDECODABLE_REASON) from exc
    if looks_like_arabic_cp1256(text):
        return text
    raise UnsupportedInputError(where, UNDECODABLE_REASON)


def decode_line(line: bytes, where: str) -> str:
    """Decode one line of a line-oriented file (UTF-8, else plausible Windows-1256)."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = line.decode("cp1256", errors="replace")
    if "\ufffd" not in text and looks_like_arabic_cp1256(text):
        return text
    raise UnsupportedInputError(where, UNDECODABLE_REASON)
