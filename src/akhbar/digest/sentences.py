"""Sentences and clauses of a cleaned article, as spans with offsets into its text.

Sentences end at `.`, `؟`, `?`, `!` and line breaks; decimal numbers (`3.5`), one-letter
abbreviations (`د.` `م.` `أ.`), web and mail addresses, an item's number (`2. `), Latin
initials in Arabic (`بي. `) and quoted text (`"..."`, `“...”`, `«...»`) stay whole; `،` is
never a boundary. Clauses cut a long sentence where a discourse connective chains a separate
claim onto it (`، مشيرا إلى أن`, `، مؤكدا أن`, `، قائلا:`, `، الأمر الذي` ...) and where a quote
holds several sentences, so that each claim can align on its own. A line that reads as a
sub-heading (short, no closing punctuation, followed by more text) is a `heading` span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Span", "SpanKind", "split_clauses", "split_sentences", "units"]

SpanKind = Literal["sentence", "heading", "clause"]

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u0640"
_IS_MARK = re.compile(f"[{_MARKS}]")
_ENDERS = ".؟?!"
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\u2066\u2067\u2068\u2069\ufeff"
_QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“"}
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|„[^“\n]*“|\([^()\n]{0,80}\)')
_STRIP = " \t\u00a0،,؛;:-–—"
_HEADING_MAX_WORDS = 12
_CLAUSE_MIN_WORDS = 4

# Connectives that open a new claim after a comma; feminine and plural forms come from the
# endings below. Letters may carry diacritics (مشيرًا) and alef may carry hamza (أن / إن).
_CONNECTIVE_STEMS = (
    "مشير",
    "مؤكد",
    "لافت",
    "قائل",
    "مضيف",
    "موضح",
    "معتبر",
    "منوه",
    "مشدد",
    "معرب",
    "مبين",
    "داع",
    "مطالب",
    "مستدرك",
    "متابع",
    "مختتم",
)
_CONNECTIVE_TAILS = ("ا", "ة", "ين", "ون", "")
_OTHER_CONNECTIVES = (
    "الأمر الذي",
    "وهو ما",
    "وهو الأمر الذي",
    "في حين",
    "فيما",
    "بينما",
    "كما أكد",
    "كما أشار",
    "كما أوضح",
    "وأضاف",
    "وتابع",
    "وأكد",
    "وأوضح",
)


def _loose(word: str) -> str:
    """A regex for `word` allowing diacritics after any letter and any alef form."""
    out = []
    for ch in word:
        if ch == " ":
            out.append(r"\s+")
            continue
        letter = "[اأإآ]" if ch in "اأإ" else "[ةه]" if ch == "ة" else re.escape(ch)
        out.append(f"{letter}[{_MARKS}]*")
    return "".join(out)


def _connective_pattern() -> re.Pattern[str]:
    """The comma-plus-connective pattern; group 1 starts the new clause."""
    words = [stem + tail for stem in _CONNECTIVE_STEMS for tail in _CONNECTIVE_TAILS]
    words = [w for w in words if len(w) > 3] + list(_OTHER_CONNECTIVES)
    alternatives = "|".join(_loose(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(f"[،,]\\s*((?:{alternatives})(?![^\\W\\d_]))")


_CONNECTIVE = _connective_pattern()


def _bare_connective_pattern() -> re.Pattern[str]:
    """A reporting participle with its `أن` and no comma before it (`... الأقوى مبيناً أن
    العقوبات ...`): the same cut as after a comma, where outlets differ only in the comma;
    group 1 starts the new clause."""
    words = [stem + tail for stem in _CONNECTIVE_STEMS for tail in _CONNECTIVE_TAILS]
    alternatives = "|".join(_loose(w) for w in sorted(words, key=len, reverse=True) if len(w) > 3)
    that_forms = "|".join(_loose(w) for w in ("أنهم", "أنها", "أنه", "أن"))
    that = f"(?:{_loose('إلى')}\\s+)?(?:{that_forms})"
    return re.compile(f"(?<![،,])\\s((?:{alternatives})\\s+{that}(?![^\\W\\d_]))")


_BARE_CONNECTIVE = _bare_connective_pattern()
_SEMICOLON = re.compile(r"[؛;]\s*(?=\S)")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of an article's text: `text[start:end] == span.text`."""

    start: int
    end: int
    text: str
    kind: SpanKind = "sentence"


def _protected(line: str) -> list[tuple[int, int]]:
    """Quoted stretches of one line (balanced pairs only), where no sentence may end."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(line)]


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether `pos` lies strictly inside one of the ranges."""
    return any(a < pos < b - 1 for a, b in ranges)


def _is_abbreviation(line: str, dot: int) -> bool:
    """A one-letter word before a dot (`د.` `م.` `أ.`, also after و: `وأ.`): a title or an
    initial, not a sentence end."""
    start = dot
    while start > 0 and (line[start - 1].isalpha() or _IS_MARK.match(line[start - 1])):
        start -= 1
    word = _IS_MARK.sub("", line[start:dot])
    return len(word) == 1 or (len(word) == 2 and word[0] == "و")


# Latin letters' names as Arabic writes initials (`مايكل بي. جوردان`, `جي. كيه. رولينغ`).
_LETTER_NAMES = frozenset(
    {"بي", "سي", "دي", "إي", "إف", "جي", "إتش", "آي", "جيه", "كيه", "إل", "إم", "إن", "أو",
     "كيو", "آر", "إس", "تي", "يو", "دبليو", "إكس", "واي", "زد"}
)  # fmt: skip
_LIST_NUMBER = re.compile(r"\s*\d{1,3}\s*$")


def _is_no_end(line: str, dot: int) -> bool:
    """A dot that ends no sentence: in a number, an abbreviation, an address (`www.sfda.gov.sa`,
    `info@moh.gov.sa`), after an item's number at the start of a line (`2. `) or a Latin
    initial written in Arabic before more of the line (`مايكل بي. جوردان`)."""
    if _is_decimal(line, dot) or _is_abbreviation(line, dot):
        return True
    before = line[dot - 1] if dot > 0 else ""
    after = line[dot + 1] if dot + 1 < len(line) else ""
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return True
    if _LIST_NUMBER.fullmatch(line[:dot]):
        return True
    word = _IS_MARK.sub("", line[:dot].rsplit(maxsplit=1)[-1]) if line[:dot].strip() else ""
    return word in _LETTER_NAMES and bool(line[dot + 1 :].strip())


def _is_decimal(line: str, dot: int) -> bool:
    """A dot between two digits (`3.5`, `1.45`, also with a direction mark after the dot, as
    scraped text has: `5.\u200f0`) belongs to the number."""
    if dot == 0 or not line[dot - 1].isdigit():
        return False
    after = dot + 1
    while after < len(line) and line[after] in _INVISIBLE:
        after += 1
    return after < len(line) and line[after].isdigit()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of `text[start:end]` without leading/trailing spaces and separators."""
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in " \t\u00a0،,؛;-–—":
        end -= 1
    return start, end


def _looks_like_heading(line: str, is_last: bool) -> bool:
    """A short line with no closing punctuation that is followed by more text."""
    stripped = line.rstrip()
    return (
        not is_last
        and bool(stripped)
        and stripped[-1] not in _ENDERS + '"”»'
        and len(stripped.split()) <= _HEADING_MAX_WORDS
    )


def _line_sentences(text: str, offset: int, line: str, heading: bool) -> list[Span]:
    """The sentences of one line of `text` starting at `offset`."""
    if heading:
        a, b = _trim(text, offset, offset + len(line))
        return [Span(a, b, text[a:b], "heading")] if a < b else []
    ranges = _protected(line)
    out: list[Span] = []
    begin = 0
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in _ENDERS and not _inside(i, ranges):
            if ch == "." and _is_no_end(line, i):
                i += 1
                continue
            end = i + 1
            while end < n and line[end] in _ENDERS:
                end += 1
            # A closing quote or bracket right after the end mark belongs to the sentence.
            while end < n and line[end] in "\"”»)'":
                end += 1
            a, b = _trim(text, offset + begin, offset + end)
            if a < b:
                out.append(Span(a, b, text[a:b]))
            begin = i = end
            continue
        i += 1
    a, b = _trim(text, offset + begin, offset + n)
    if a < b:
        out.append(Span(a, b, text[a:b]))
    return out


def split_sentences(text: str) -> tuple[Span, ...]:
    """Sentences (and sub-heading lines) of `text`, in order, with offsets into it."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    last = nonblank[-1] if nonblank else -1
    out: list[Span] = []
    pos = 0
    for i, line in enumerate(lines):
        if line.strip():
            out.extend(_line_sentences(text, pos, line, _looks_like_heading(line, i == last)))
        pos += len(line) + 1
    return tuple(out)


def _quote_cuts(sentence: str) -> list[int]:
    """Positions inside a quote of `sentence` where a quoted sentence ends and another starts."""
    cuts: list[int] = []
    for a, b in _protected(sentence):
        inner = sentence[a + 1 : b - 1]
        for m in re.finditer(r"[.؟?!]+\s+(?=\S)", inner):
            dot = a + 1 + m.start()
            if sentence[dot] == "." and _is_abbreviation(sentence, dot):
                continue
            cuts.append(a + 1 + m.end())
    return cuts


def split_clauses(text: str, sentence: Span) -> tuple[Span, ...]:
    """The clauses of one sentence of `text`: cut at claim-chaining connectives, `؛` and
    sentence ends inside a quote; pieces shorter than a few words stay joined."""
    if sentence.kind == "heading":
        return (sentence,)
    s = sentence.text
    ranges = _protected(s)
    cuts = {m.start(1) for m in _CONNECTIVE.finditer(s)}
    cuts.update(m.start(1) for m in _BARE_CONNECTIVE.finditer(s) if not _inside(m.start(), ranges))
    cuts.update(m.end() for m in _SEMICOLON.finditer(s) if not _inside(m.start(), ranges))
    cuts.update(_quote_cuts(s))
    kept: list[int] = []
    previous = 0
    for cut in sorted(cuts):
        if len(s[previous:cut].split()) >= _CLAUSE_MIN_WORDS:
            kept.append(cut)
            previous = cut
    if kept and len(s[kept[-1] :].split()) < _CLAUSE_MIN_WORDS:
        kept.pop()
    if not kept:
        return (sentence,)
    out: list[Span] = []
    for a, b in zip([0, *kept], [*kept, len(s)], strict=True):
        start, end = _trim(text, sentence.start + a, sentence.start + b)
        if start < end:
            out.append(Span(start, end, text[start:end], "clause"))
    return tuple(out)


def units(text: str) -> tuple[Span, ...]:
    """Every clause of every sentence of `text` (whole sentences where nothing cuts them)."""
    return tuple(c for s in split_sentences(text) for c in split_clauses(text, s))
