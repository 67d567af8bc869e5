"""Arabic normalisation for matching; what users read keeps the original spelling.

Matching must see `فى` = `في`, `قدّمت` = `قدمت`, `شئون` = `شؤون`, `٢٠٢٥` = `2025`, `«` = `"`.
The result is idempotent: normalising a normalised string changes nothing.
"""

from __future__ import annotations

import functools
import sys
import unicodedata

import numpy as np
import numpy.typing as npt

__all__ = ["fold_letters", "normalize", "strip_diacritics"]

# Harakat, tanwin, shadda, sukun, maddah/hamza above-below, small high/low signs, the dagger
# alef (U+0670, a long "a" that standard spelling leaves unwritten: هٰذا = هذا) and Quranic marks.
_DIACRITICS = (
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E9)]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    + ["\u08d3", "\u08e3"]
    + [chr(c) for c in range(0x08E4, 0x0900)]
)
_TATWEEL = "\u0640"

# Letter folding: alef forms, final yeh, teh marbuta, hamza seats (شؤون/شئون, مسؤول/مسئول
# fold to one form), Persian/Urdu letter variants seen in Arabic news.
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ۍ": "ي",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ھ": "ه",
    "ؤ": "ء",
    "ئ": "ء",
    "ک": "ك",
    "ڪ": "ك",
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
_PUNCT = {
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    "۔": ".",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "〃": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "‹": "'",
    "›": "'",
    "–": "-",
    "—": "-",
    "―": "-",
    "‒": "-",
    "−": "-",
    "ـ": "",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
}
_TABLE: dict[int, str | None] = {ord(c): None for c in _DIACRITICS}
_TABLE[ord(_TATWEEL)] = None
_TABLE.update({ord(k): v for k, v in _LETTERS.items()})
_TABLE.update({ord(k): v for k, v in _DIGITS.items()})
_TABLE.update({ord(k): v for k, v in _PUNCT.items()})

_DIACRITIC_TABLE: dict[int, str | None] = {ord(c): None for c in _DIACRITICS}
_DIACRITIC_TABLE[ord(_TATWEEL)] = None
_LETTER_TABLE: dict[int, str | None] = {ord(k): v for k, v in _LETTERS.items()}


_DROP = 0xFFFFFFFF  # marks a code point that normalisation deletes


@functools.lru_cache(maxsize=1)
def _matching_lut() -> npt.NDArray[np.uint32]:
    """Code point -> code point of its matching form (or _DROP), for every code point.

    Every mapping is one character to at most one, so the fold is a vectorised table lookup:
    several times faster than `str.translate` on Arabic text, which is the ingest hot path.
    """
    lut = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)) in ("Mn", "Me", "Cf"):
            lut[cp] = _DROP
    for key, value in _TABLE.items():
        lut[key] = ord(value) if value else _DROP
    return lut


@functools.lru_cache(maxsize=1)
def _matching_map() -> dict[int, str | None]:
    """The matching table as a `str.translate` map: only the code points it changes."""
    lut = _matching_lut()
    changed = np.flatnonzero(lut != np.arange(len(lut), dtype=np.uint32))
    return {int(cp): None if lut[cp] == _DROP else chr(lut[cp]) for cp in changed}


_SHORT = 64  # below this many characters, str.translate beats the NumPy table lookup


def _fold(text: str) -> str:
    """Apply the matching table to every character (ASCII text has nothing to fold)."""
    if text.isascii():
        return text
    if len(text) < _SHORT:
        return text.translate(_matching_map())
    codes = _matching_lut()[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)]
    folded: str = codes[codes != _DROP].tobytes().decode("utf-32-le", "surrogatepass")
    return folded


def strip_diacritics(text: str) -> str:
    """Remove Arabic diacritics, the dagger alef and tatweel; nothing else changes."""
    return text.translate(_DIACRITIC_TABLE)


def fold_letters(text: str) -> str:
    """Fold alef forms, final yeh, teh marbuta and hamza seats; nothing else changes."""
    return text.translate(_LETTER_TABLE)


def _single_spaced(text: str) -> str:
    """Whitespace runs as one space, none at the ends (`" ".join(text.split())`, which
    collapses exactly the characters `\\s` matches, faster than a regex).

    Every whitespace character but the ASCII space is unprintable, so a printable text with
    no double space and no space at either end is already single-spaced: that check is a few
    times cheaper than splitting.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Fold a text to its matching form: NFKC, no diacritics, one letter per variant group."""
    out = _single_spaced(_fold(unicodedata.normalize("NFKC", text).casefold()))
    # Dropping marks can bring together characters that NFKC composes (rare outside Arabic);
    # another pass then reaches the fixed point, which is what makes normalisation idempotent.
    while not unicodedata.is_normalized("NFKC", out):
        out = _single_spaced(_fold(unicodedata.normalize("NFKC", out).casefold()))
    return out
