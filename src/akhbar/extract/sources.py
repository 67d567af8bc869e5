"""Sources an article says its information came from: agencies, platforms, media, statements.

Only attributions count: a source phrase right after a cue that says the information came from
it (`نقلا عن`, `بحسب`, `ذكرت`, `نقلتها`, `في تصريحات ل`, `خلال مقابلة مع`, `عبر منصة`), a
statement (`في بيان`, `بيان صادر عن`), or an agency credited in a dateline (`الرياض - واس`,
`(رويترز)`). A platform merely named in the text is not a cited source.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from akhbar.errors import ConfigError
from akhbar.extract.folding import Folded, at_word_start, fold, word_alternation
from akhbar.extract.model import CitedSource, SourceKind

__all__ = ["SourceTable", "find_sources", "load_source_table"]

_KINDS: frozenset[str] = frozenset(
    {"agency", "platform", "media", "statement", "outlet", "official"}
)


def _f(pattern: str) -> str:
    """A pattern written in ordinary spelling, folded like the text it runs on."""
    return fold(pattern).text


def _word_list(words: str) -> list[str]:
    """Space-separated words as a list."""
    return words.split()


def _word_set(words: str) -> frozenset[str]:
    """The folded forms of space-separated words."""
    return frozenset(_f(w) for w in words.split())


@dataclass(frozen=True, slots=True)
class SourceTable:
    """Known sources: folded variant -> (canonical name, kind), and one regex over all variants."""

    names: dict[str, tuple[str, SourceKind]]
    pattern: re.Pattern[str]

    def search(self, folded: str, pos: int, endpos: int) -> re.Match[str] | None:
        """The first known name in folded[pos:endpos] that starts a word (after و/ب/ل)."""
        for m in self.pattern.finditer(folded, pos, endpos):
            if at_word_start(folded, m.start(), "وبل", 1) is not None:
                return m
        return None

    def lookup(self, variant: str) -> tuple[str, SourceKind] | None:
        """Canonical name and kind of a variant (any spelling), if it is known."""
        return self.names.get(" ".join(fold(variant).text.casefold().split()))


@functools.lru_cache(maxsize=1)
def load_source_table() -> SourceTable:
    """Read the packaged `data/sources.tsv` once."""
    raw = resources.files("akhbar").joinpath("data/sources.tsv").read_text(encoding="utf-8")
    names: dict[str, tuple[str, SourceKind]] = {}
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[1] not in _KINDS:
            raise ConfigError(
                f"data/sources.tsv line {number}: expected name<TAB>kind<TAB>variants"
            )
        kind: SourceKind = fields[1]  # type: ignore[assignment]
        for variant in fields[2].split("|"):  # the canonical name only where listed
            key = " ".join(fold(variant).text.casefold().split())
            if key:
                names.setdefault(key, (fields[0], kind))
    # Latin names in their usual cases, spelled out: a case-insensitive regex scans slowly.
    spellings = {v for v in names if not v.isascii()} | {
        form for v in names if v.isascii() for form in (v, v.lower(), v.upper(), v.title())
    }
    pattern = re.compile(rf"(?P<name>{word_alternation(spellings)})(?![^\W_])")
    return SourceTable(names, pattern)


# Cues that say "the information came from": the source phrase follows within a few words.
_CUE_WORDS = _word_set(
    "وفقا وفق طبقا نقلا استنادا بحسب حسب حسبما ذكرت ذكر ذكرته أفادت أفاد أوردت أورد أوردته "
    "نشرت نشر نشرته نقلت نقل نقلته نقلتها نقلها قالت أعلنت كشفت أشارت بثت بثته أكدت "
    "تصريحات تصريح مقابلة حديث حوار لقاء تغريدة تدوينة منشور عبر على في عن مع"
)
_CUE = re.compile(word_alternation(_CUE_WORDS) + r"(?![^\W\d_])")
# Heads of a source phrase (with an attached ل/ب/و), the words after them name the source.
_HEADS = (
    "وكالة الوكالة صحيفة جريدة قناة موقع مجلة إذاعة تلفزيون التلفزيون شبكة منصة منصتي "
    "حساب حسابه حسابها حسابهم صفحته صفحتها صفحتهم مصادر_إعلامية التلفزة بيان بيانها "
    "بيانه بيانا البيان وسائل_إعلام وسائل_الإعلام وسائل_اعلام"
)
_HEAD = re.compile(
    "(?P<head>"
    + word_alternation(_f(h.replace("_", " ")) for h in _word_list(_HEADS))
    + r")(?![^\W\d_])"
)


def _head_search(s: str, pos: int, endpos: int) -> re.Match[str] | None:
    """The first source head in s[pos:endpos] that starts a word (after و/ب/ل, `لل`)."""
    for m in _HEAD.finditer(s, pos, endpos):
        if at_word_start(s, m.start(), "وبل", 2) is not None:
            return m
    return None


def _cues_before(s: str, anchors: list[int]) -> list[re.Match[str]]:
    """The cue words (with an optional و/ف) shortly before any place a source phrase could
    start, in text order: looking back from the few anchors is cheaper than looking forward
    from every `في` and `على`."""
    out: dict[int, re.Match[str]] = {}
    for a in anchors:
        for m in _CUE.finditer(s, max(0, a - _ANCHOR_REACH), a):
            if m.start() not in out and at_word_start(s, m.start(), "وف", 1) is not None:
                out[m.start()] = m
    return [out[k] for k in sorted(out)]


_STATEMENT_HEADS = frozenset(_f(h) for h in ("بيان", "بيانه", "بيانها", "بيانا", "البيان"))
_ISSUER = re.compile(_f(r"\s+(?:صادر|الصادر|صدر)\s+(?:عن|من)\s+"))
_STOP_WORDS = _word_set(
    "في على عن من إلى الى أن إن أنه انه بأن فإن فإنه فإنها مع خلال اليوم أمس التي الذي الذين قوله "
    "قولها عبر حول بشأن بعد قبل منذ حتى أو و ثم لكن أمام ضمن صباح مساء يوم حيث كما ما "
    "لا قد"
)
_WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
_QUOTED = re.compile(r"\s*[\"«“](?P<q>[^\"«»“”\n]{1,40})[\"»”]")
_QUOTED_NAME = re.compile(r"\s*[لب]?\s*[\"«“](?P<q>[^\"«»“”\n]{1,30})[\"»”]")
_PAREN = re.compile(r"\s*\((?P<p>[^()\n]{1,40})\)")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_NP_WORDS = 3
# An agency credited at the head of a paragraph: `الرياض - واس`, `موسكو (رويترز) -`.
_DATELINE = re.compile(r"(?:^|\n)[^\n]{0,40}?(?:[-–—:]\s*|\(\s*)$")

_MEDIA_HEADS = frozenset(
    _f(h)
    for h in (
        [
            "صحيفة",
            "جريدة",
            "قناة",
            "موقع",
            "مجلة",
            "إذاعة",
            "تلفزيون",
            "التلفزيون",
            "شبكة",
            "التلفزة",
            "وسائل",
            "مصادر",
        ]
    )
)
_PLATFORM_HEADS = frozenset(_f(h) for h in ("منصة", "منصتي"))


_PREPOSITIONS = frozenset(_f(w) for w in ("عبر", "على", "في", "عن", "مع"))
_PLATFORM_NEAR = 60
_FILLER_WORDS = 3  # words allowed between a cue and its source phrase (`بحسب ما نقلته وكالة`)
_OPENER = re.compile('[«“"]')
_ANCHOR_REACH = 60  # characters from a cue to the farthest place its source phrase may start


def _known_at(folded: str, start: int, table: SourceTable) -> bool:
    """Whether a known source name is part of the phrase starting at `start`."""
    return table.search(folded, start, start + _PLATFORM_NEAR) is not None


def _kind_of_head(head: str) -> SourceKind:
    """The kind a head word announces."""
    first = head.split(maxsplit=1)[0]
    if first in _STATEMENT_HEADS:
        return "statement"
    if first in _PLATFORM_HEADS or first.startswith((_f("حساب"), _f("صفحت"))):
        return "platform"
    if first in _MEDIA_HEADS:
        return "media"
    return "agency"


def _noun_phrase(folded: str, pos: int, limit: int, words: int) -> int:
    """End of up to `words` content words from `pos`, stopping at punctuation or a stop word."""
    end = pos
    for count, m in enumerate(_WORD.finditer(folded, pos, limit)):
        gap = folded[end : m.start()]
        if gap.strip() or count >= words or m.group() in _STOP_WORDS:
            break
        end = m.end()
    return end


def _source_at(
    f: Folded, text: str, pos: int, limit: int, table: SourceTable, *, fillers: int
) -> tuple[int, int, SourceKind, str] | None:
    """The source phrase starting within `fillers` words of `pos`, if there is one."""
    s = f.text
    head = _head_search(s, pos, limit)
    known = table.search(s, pos, limit)
    candidates = [m for m in (head, known) if m is not None]
    if not candidates:
        return None
    m = min(candidates, key=lambda c: (c.start(), -c.end()))
    if len(_WORD.findall(s, pos, m.start())) > fillers:
        return None
    start = m.start()
    if m is known:
        found = table.lookup(m.group("name"))
        if found is None:
            return None
        name, kind = found
        end = m.end()
        paren = _PAREN.match(s, end, limit)
        if paren:
            inner = table.lookup(paren.group("p"))
            if inner is not None:
                name, kind = inner
                end = paren.end()
        return start, end, kind, name
    head_text = m.group("head")
    kind = _kind_of_head(head_text)
    end = m.end()
    if kind == "statement":
        issuer = _ISSUER.match(s, end, limit)
        if issuer:
            np_end = _noun_phrase(s, issuer.end(), limit, 4)
            if np_end > issuer.end():
                return start, np_end, kind, text[f.orig(issuer.end()) : f.orig(np_end)]
        return start, end, kind, text[f.orig(m.start("head")) : f.orig(end)]
    if head_text.startswith((_f("حساب"), _f("صفحت"))):
        platform = table.search(s, end, min(limit, end + _PLATFORM_NEAR))
        found = table.lookup(platform.group("name")) if platform else None
        if platform is not None and found is not None and found[1] == "platform":
            return start, platform.end(), "platform", found[0]
        if head_text == _f("حساب"):
            return None  # `على حساب ...` is "at the expense of", not an account
    quoted = _QUOTED.match(s, end, limit)
    if quoted:
        inner = table.lookup(quoted.group("q"))
        q_start, q_end = quoted.span("q")
        name = inner[0] if inner else text[f.orig(q_start) : f.orig(q_end)]
        return start, quoted.end(), (inner[1] if inner else kind), name
    inner_known = table.pattern.match(s, end + 1, limit) if s[end : end + 1] == " " else None
    np_end = _noun_phrase(s, end, limit, _NP_WORDS)
    paren = _PAREN.match(s, np_end, limit)
    if paren:
        inner = table.lookup(paren.group("p"))
        if inner is not None:
            return start, paren.end(), inner[1], inner[0]
    if inner_known is not None:
        inner = table.lookup(inner_known.group("name"))
        if inner is not None:
            return start, _attributes_end(s, inner_known.end(), np_end), inner[1], inner[0]
    trailing = _QUOTED.match(s, np_end, limit)
    if trailing is not None:
        inner = table.lookup(trailing.group("q"))
        if inner is not None:  # `موقع التواصل الاجتماعي «فيسبوك»`
            return start, trailing.end(), inner[1], inner[0]
    if np_end == end and kind != "platform":
        return None  # a bare `وكالة` or `صحيفة` names nothing
    phrase = text[f.orig(m.start("head")) : f.orig(np_end)]
    return start, np_end, kind, phrase


def _attributes_end(s: str, pos: int, limit: int) -> int:
    """Where a known name at `pos` ends with the definite words that describe it (`رويترز
    للأنباء`, `سبوتنيك الروسية`), before `limit`: `وكالة رويترز أخبارا كاذبة` names رويترز."""
    for w in _WORD.finditer(s, pos, limit):
        if s[pos : w.start()].strip() or not w.group().startswith(_DEFINITE):
            break
        pos = w.end()
    return pos


_DEFINITE = ("ال", "لل")


def find_sources(text: str, *, folded: Folded | None = None) -> tuple[CitedSource, ...]:
    """Every source `text` credits for its information, in text order, each span once."""
    table = load_source_table()
    f = folded if folded is not None else fold(text)
    s = f.text
    out: list[CitedSource] = []
    taken: list[tuple[int, int]] = []

    def emit(start: int, end: int, kind: SourceKind, name: str) -> None:
        if any(start < e and b < end for b, e in taken):
            return
        taken.append((start, end))
        o_start, o_end = f.orig(start), f.orig(end)
        out.append(CitedSource(o_start, o_end, text[o_start:o_end], kind, name.strip()))

    known = list(table.pattern.finditer(s))
    anchors = sorted(
        [m.start() for m in _HEAD.finditer(s)]
        + [m.start() for m in known]
        + [m.start() for m in _OPENER.finditer(s)]
    )
    for cue in _cues_before(s, anchors):
        sentence_end = _SENTENCE_END.search(s, cue.end())
        limit = min(sentence_end.start() if sentence_end else len(s), cue.end() + 120)
        quoted = None if cue.group() in _PREPOSITIONS else _QUOTED_NAME.match(s, cue.end(), limit)
        if quoted is not None:
            named = table.lookup(quoted.group("q"))
            q_start, q_end = quoted.span("q")
            name = named[0] if named else text[f.orig(q_start) : f.orig(q_end)]
            emit(q_start - 1, quoted.end(), named[1] if named else "media", name)
            continue
        fillers = 0 if cue.group() in _PREPOSITIONS else _FILLER_WORDS
        found = _source_at(f, text, cue.end(), limit, table, fillers=fillers)
        if found is None:
            continue
        start, end, kind, name = found
        if kind == "media" and cue.group() in _PREPOSITIONS and not _known_at(s, start, table):
            continue  # `في موقع`, `عبر قناة السويس` say where; only a known medium says whence
        emit(start, end, kind, name)
    for m in known:
        agency = table.lookup(m.group("name"))
        if agency is None or agency[1] != "agency" or at_word_start(s, m.start()) is None:
            continue
        before = s[max(0, m.start() - 1) : m.start()]
        after = s[m.end() : m.end() + 1]
        in_parens = before == "(" and after == ")"
        if in_parens or _DATELINE.search(s, max(0, m.start() - 45), m.start()):
            emit(m.start(), m.end(), agency[1], agency[0])
    out.sort(key=lambda c: c.start)
    return tuple(out)
