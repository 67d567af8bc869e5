"""A same-shape folding of Arabic text for rule matching, with a map back to original offsets.

`akhbar.text.normalize` changes lengths (NFKC, whitespace collapsing), so rules that must
report spans into the original text match on this lighter fold instead: diacritics, tatweel and
format marks are dropped, letter variants fold one-to-one (أ إ آ -> ا, ى -> ي, ة -> ه, ؤ ئ -> ء),
Arabic-Indic digits become ASCII and no-break spaces become spaces. Nothing else changes.

The rules' word lists compile to prefix-tree alternations (`word_alternation`) that start with a
plain character, so the regex engine can skip ahead instead of trying every position.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Folded", "at_word_start", "fold", "word_alternation"]

_DROP = 0xFFFFFFFF
_DROPPED_RANGES = (
    (0x0610, 0x061B),
    (0x064B, 0x0660),
    (0x0670, 0x0671),
    (0x0640, 0x0641),
    (0x06D6, 0x06DD),
    (0x06DF, 0x06E9),
    (0x06EA, 0x06EE),
    (0x200B, 0x2010),
    (0x202A, 0x202F),
    (0x2066, 0x206A),
    (0xFEFF, 0xFF00),
)
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ة": "ه",
    "ؤ": "ء",
    "ئ": "ء",
    "ک": "ك",
    "\u00a0": " ",
    "\u202f": " ",
}


@functools.lru_cache(maxsize=1)
def _lut() -> npt.NDArray[np.uint32]:
    """Code point -> folded code point (or _DROP), for every code point."""
    lut = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    for lo, hi in _DROPPED_RANGES:
        lut[lo:hi] = _DROP
    for key, value in _LETTERS.items():
        lut[ord(key)] = ord(value)
    for i in range(10):
        lut[0x0660 + i] = ord("0") + i
        lut[0x06F0 + i] = ord("0") + i
    return lut


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text; `offsets[i]` is the original index of folded character i (None: identity)."""

    text: str
    original_length: int
    offsets: tuple[int, ...] | None

    def orig(self, i: int) -> int:
        """Original offset of folded offset `i` (an end offset keeps its last letter's marks)."""
        if self.offsets is None:
            return i
        if i >= len(self.offsets):
            return self.original_length
        return self.offsets[i]

    def folded(self, original: int) -> int | None:
        """Folded offset of an original offset, or None where folding dropped that character."""
        if self.offsets is None:
            return original
        if original >= self.original_length:
            return len(self.text)
        i = bisect.bisect_left(self.offsets, original)
        return i if i < len(self.offsets) and self.offsets[i] == original else None


@functools.lru_cache(maxsize=8)
def fold(text: str) -> Folded:
    """Fold `text` for matching and keep the way back to its offsets (the extraction steps of
    one article share the result)."""
    if text.isascii():
        return Folded(text, len(text), None)
    codes = _lut()[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)]
    keep = codes != _DROP
    if keep.all():
        folded: str = codes.tobytes().decode("utf-32-le", "surrogatepass")
        return Folded(folded, len(text), None)
    folded = codes[keep].tobytes().decode("utf-32-le", "surrogatepass")
    offsets = tuple(np.flatnonzero(keep).tolist())
    return Folded(folded, len(text), offsets)


class _Node(dict[str, "_Node"]):
    """A prefix-tree node; the empty key marks the end of a word."""


def word_alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words` (longest first), as a prefix tree: `قا(?:ئل|ل(?:ت)?)`.

    A space in a word matches any run of whitespace. The result starts with a literal
    character, which lets the regex engine scan quickly for candidate positions.
    """
    root = _Node()
    for word in set(words):
        node = root
        for ch in word:
            node = node.setdefault(ch, _Node())
        node[""] = _Node()
    return _trie_regex(root)


def _trie_regex(node: _Node) -> str:
    """Regex for one prefix-tree node."""
    branches = [
        (r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(child)
        for ch, child in sorted(node.items())
        if ch
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def at_word_start(s: str, i: int, prefixes: str = "", max_prefix: int = 0) -> int | None:
    """Where the word holding position `i` starts, if at most `max_prefix` letters of
    `prefixes` (clitics: و ف ب ل) stand between a word boundary and `i`; else None."""
    j = i
    while True:
        if j == 0 or not s[j - 1].isalnum():
            return j
        if i - j >= max_prefix or s[j - 1] not in prefixes:
            return None
        j -= 1
