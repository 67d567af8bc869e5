"""A same-shape folding of Arabic text for rule matching, with a map back to original offsets.

`akhbar.text.normalize` changes lengths (NFKC, whitespace collapsing), so rules that must
report spans into the original text match on this lighter fold instead: diacritics, tatweel and
format marks are dropped, letter variants fold one-to-one (أ إ آ -> ا, ى -> ي, ة -> ه, ؤ ئ -> ء),
Arabic-Indic digits become ASCII and no-break spaces become spaces. Nothing else changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Folded", "fold"]

_DROPPED = (
    "\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
)
_DROP_RUN = re.compile(f"[{_DROPPED}]+")
_KEEP_RUN = re.compile(f"[^{_DROPPED}]+")

_TABLE: dict[int, str | None] = {
    ord(c): None
    for c in (
        [chr(x) for x in range(0x0610, 0x061B)]
        + [chr(x) for x in range(0x064B, 0x0660)]
        + ["\u0670", "\u0640", "\ufeff"]
        + [chr(x) for x in range(0x06D6, 0x06DD)]
        + [chr(x) for x in range(0x06DF, 0x06E9)]
        + [chr(x) for x in range(0x06EA, 0x06EE)]
        + [chr(x) for x in range(0x200B, 0x2010)]
        + [chr(x) for x in range(0x202A, 0x202F)]
        + [chr(x) for x in range(0x2066, 0x206A)]
    )
}
_TABLE.update(
    {
        ord(k): v
        for k, v in {
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
        }.items()
    }
)
_TABLE.update({0x0660 + i: str(i) for i in range(10)})
_TABLE.update({0x06F0 + i: str(i) for i in range(10)})


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


def fold(text: str) -> Folded:
    """Fold `text` for matching and keep the way back to its offsets."""
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        return Folded(folded, len(text), None)
    offsets: list[int] = []
    for m in _KEEP_RUN.finditer(text):
        offsets.extend(range(m.start(), m.end()))
    if len(offsets) != len(folded):  # a dropped character the run pattern does not know
        offsets = [i for i, ch in enumerate(text) if _TABLE.get(ord(ch), ch) is not None]
    return Folded(folded, len(text), tuple(offsets))
