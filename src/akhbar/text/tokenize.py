"""Tokens with character offsets into the original text, and their matching forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from akhbar.text.normalize import normalize

__all__ = ["Token", "tokenize", "word_spans"]

# A word: letters, digits and combining marks (Arabic diacritics, tatweel) in one run, and the
# invisible characters normalising drops (a joiner, a soft hyphen, a direction mark inside a
# word: `الحكو\u200cمة` is one word; a zero-width space is a space); numbers keep their
# decimal point or comma (1.45, ٥٦٫٦٥, 10,000).
_INSIDE = "\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u00ad\u200c-\u200f\u061c"
_WORD = re.compile(
    rf"\d+(?:[.,٫٬]\d+)*%?|[^\W\d_](?:[^\W_]|[{_INSIDE}])*(?<![\u00ad\u200c-\u200f\u061c])",
    re.UNICODE,
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the original text: `text[start:end] == token.text`; `norm` is for matching."""

    text: str
    start: int
    end: int
    norm: str


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """Start and end offsets of every word in `text`."""
    for m in _WORD.finditer(text):
        yield m.start(), m.end()


def tokenize(text: str) -> list[Token]:
    """Split `text` into words, each with its offsets and normalised form."""
    out: list[Token] = []
    for start, end in word_spans(text):
        piece = text[start:end]
        norm = normalize(piece)
        if norm:
            out.append(Token(piece, start, end, norm))
    return out
