"""Arabic normalisation for matching; what users read keeps the original spelling.

Matching must see `فى` = `في`, `قدّمت` = `قدمت`, `شئون` = `شؤون`, `٢٠٢٥` = `2025`, `«` = `"`.
The result is idempotent: normalising a normalised string changes nothing.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

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

_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _matching_table() -> dict[int, str | None]:
    """The full translation table: every combining mark and format character is dropped."""
    table: dict[int, str | None] = {
        cp: None
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Mn", "Me", "Cf")
    }
    table.update(_TABLE)
    return table


def strip_diacritics(text: str) -> str:
    """Remove Arabic diacritics, the dagger alef and tatweel; nothing else changes."""
    return text.translate(_DIACRITIC_TABLE)


def fold_letters(text: str) -> str:
    """Fold alef forms, final yeh, teh marbuta and hamza seats; nothing else changes."""
    return text.translate(_LETTER_TABLE)


def normalize(text: str) -> str:
    """Fold a text to its matching form: NFKC, no diacritics, one letter per variant group."""
    table = _matching_table()
    out = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold().translate(table))
    # Dropping marks can bring together characters that NFKC composes (rare outside Arabic);
    # another pass then reaches the fixed point, which is what makes normalisation idempotent.
    while not unicodedata.is_normalized("NFKC", out):
        out = _SPACE.sub(" ", unicodedata.normalize("NFKC", out).casefold().translate(table))
    return out.strip()
