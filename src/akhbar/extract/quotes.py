"""Quotes and their speakers: direct speech in quotation marks or after a colon, reported speech.

A cue is a verb of saying (`قال`, `أكد`, `أوضح`, `أشار`, ...) or its participle (`مشيرا`,
`قائلا`). What follows the cue decides the quote: a colon or a quotation mark opens direct
speech, a complementizer (`أن`, `إن`, `إلى أن`, `على أن`) reported speech, which runs to the end of
the sentence or to the next cue in it. The speaker is the noun phrase between the verb and the
quote (a PER mention overlapping it, when given); a verb alone (`وتابع:`, `وأضاف أن`) or a
participle takes the subject of the clause it follows (`توقع الأمين العام ... ، مرجحا أن`) or
else the last speaker named in the article; a bare title (`ورأى وزير الخارجية`) is the person
named with it before. A quote nobody can be said to have said is not reported. Rules match on
a folded copy of the text (`akhbar.extract.folding`) and report offsets into the original.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from akhbar.extract.folding import Folded, at_word_start, fold, word_alternation
from akhbar.extract.model import Mention, Quote, QuoteKind
from akhbar.extract.roles import BODY_HEADS, INSTITUTION_WORDS, TITLE_WORDS

__all__ = ["find_quotes"]


def _f(pattern: str) -> str:
    """A pattern written in ordinary spelling, folded like the text it runs on."""
    return fold(pattern).text


def _word_set(words: str) -> frozenset[str]:
    """The folded forms of space-separated words."""
    return frozenset(_f(w) for w in words.split())


def _verbs(stems: str, suffixes: tuple[str, ...]) -> list[str]:
    """Every stem with every suffix, folded."""
    return [_f(stem + suffix) for stem in stems.split() for suffix in suffixes]


# Verbs that report speech wherever they stand before a quote.
_FREE_VERBS = _verbs(
    "قال أضاف أكد أوضح أشار لفت شدد ذكر أعلن صرح أفاد نوه كشف اعتبر حذر نفى اعترف أبلغ أبان رجح",
    ("", "ت", "وا"),
)
_PRESENT_VERBS = _verbs("يقول تقول يضيف تضيف يؤكد تؤكد يوضح توضح يشير تشير يرى ترى", ("",))
# Verbs that go on with speech (`وتابع:`) but also take an object (`أكملت دورها`, `تابع
# المباراة`): speech only when what introduces it comes within a few words.
_NEAR_VERBS = _verbs("أردف استطرد تابع أكمل ختم تدارك", ("", "ت", "وا"))
# Verbs that are also other words (`بين` "between", `رأي` "opinion", `روى` "watered"): only
# with a conjunction.
_BOUND_VERBS = [*_verbs("بين رأى روى", ("", "ت", "وا")), _f("رأت"), _f("روت")]
_PARTICIPLES = _verbs(
    "قائل مضيف مؤكد موضح مشير لافت مبين مشدد منوه معتبر مردف متابع مستطرد مختتم محذر كاشف نافي "
    "مرجح",
    ("ا", "ة", "ين"),
)
# Participles that end a reported clause without opening a quote (`داعيا`, `معربا عن`).
_BOUNDARY = re.compile(
    r"[,،]\s*(?:و)?(?:"
    + "|".join(
        _verbs(
            "داعي مطالب معرب مبدي متمني سائل مهيب مقدم متطلع معبر مثمن مشيد منتقد واصف",
            ("ا", "ة"),
        )
        + _PARTICIPLES
    )
    + r")(?![^\W\d_])"
)
# `نقلت الوكالة عن الوزير قوله إن`: the verbal noun with the speaker's pronoun; the speaker is
# the one it is reported from (`عن ...`).
_SAYING_NOUNS = _verbs("قول", ("ه", "ها", "هم"))
_VERB_KIND: dict[str, str] = {
    **dict.fromkeys(_FREE_VERBS + _PRESENT_VERBS, "verb"),
    **dict.fromkeys(_NEAR_VERBS, "near"),
    **dict.fromkeys(_BOUND_VERBS, "bound"),
    **dict.fromkeys(_PARTICIPLES + _SAYING_NOUNS, "part"),
}
_CUE_WORD = re.compile(word_alternation(_VERB_KIND) + r"(?![^\W\d_])")


@dataclass(frozen=True, slots=True)
class _CueWord:
    """A cue verb found in the folded text, with its conjunction (`و`, `ف`, `ثم`) if any."""

    start: int
    end: int
    verb_start: int
    kind: str  # "verb", "bound" (needs a conjunction), "near" (a short window) or "part"


def _cue_at(s: str, m: re.Match[str]) -> _CueWord | None:
    """The cue a verb match makes, if it starts a word (after at most a conjunction)."""
    kind = _VERB_KIND[m.group()]
    start = at_word_start(s, m.start(), "وف", 1)
    if start is None:
        return None
    if start == m.start() and s[m.start() - len(_THUMMA) : m.start()] == _THUMMA:
        start = m.start() - 4
    if kind == "bound" and start == m.start():
        return None  # `بين` alone is "between"; `وبين` opens reported speech
    before = _word_before(s, start)
    if before in _NOUN_MAKERS:
        return None  # `طالبا عدم كشف اسمه`: the verbal noun, nobody saying anything
    if before in _SUBJUNCTIVE and m.group() in _PRESENT_SET:
        return None  # `الحق في أن يقول رأيه`: what one may say, not what was said
    if before in _WHICH and m.group() in _PRESENT_SET:
        return None  # `ضبطت شحنة أسلحة، مما يؤكد أن`: a fact that shows, nobody speaking
    return _CueWord(start, m.end(), m.start(), kind)


# Words after which a cue word is a verbal noun (`عدم كشف`, `دون ذكر`), not a verb.
_NOUN_MAKERS = _word_set("عدم بعدم لعدم وعدم دون بدون ودون")
_SUBJUNCTIVE = _word_set("أن لن كي لكي")
_WHICH = _word_set("مما بما")
_RELATIVES = _word_set("الذي التي الذين اللذين اللتين اللذان اللتان")
_PRESENT_SET = frozenset(_PRESENT_VERBS)


def _word_before(s: str, pos: int) -> str:
    """The word ending just before `pos` (past spaces), or ''."""
    j = pos
    while j > 0 and s[j - 1] == " ":
        j -= 1
    i = j
    while i > 0 and s[i - 1].isalpha():
        i -= 1
    return s[i:j]


def _cues_in(s: str, pos: int = 0, endpos: int | None = None) -> list[_CueWord]:
    """Every cue in s[pos:endpos]."""
    found = (
        _cue_at(s, m) for m in _CUE_WORD.finditer(s, pos, len(s) if endpos is None else endpos)
    )
    return [c for c in found if c is not None]


def _cue_starting(s: str, pos: int) -> _CueWord | None:
    """The cue whose word starts exactly at `pos` (with its conjunction), if any."""
    for skip in (0, 1):
        m = _CUE_WORD.match(s, pos + skip)
        if m is not None and (skip == 0 or s[pos] in "وف"):
            cue = _cue_at(s, m)
            if cue is not None and cue.start == pos:
                return cue
    return None


def _is_cue(word: str) -> bool:
    """Whether a folded word is a cue verb (with or without its conjunction)."""
    return word in _VERB_KIND or (word[:1] in "وف" and word[1:] in _VERB_KIND)


_THUMMA = "ثم "
_OPENERS = '"«“'
_CLOSERS = '"»”'
# A complementizer opening reported speech: `أن`, `إن`, `بأن`, `إلى أن`, `على أن`.
_COMP = (
    r"(?<![^\W\d_])(?:(?:"
    + _f("إلى|على|من|عن")
    + "|على"
    + r")\s+)?(?P<comp>"
    + _f(
        "بأن|بأنه|بأنها|بأنهم|أن|أنه|أنها|أنهم|أنهما|أننا|أني|إنه|إنها|إنهم|إننا|إني|فإن|فإنه|فإنها"
    )
    + r")(?=\s)"
)
# What introduces the quote after a cue (first one found wins).
_INTRO = re.compile(
    rf"(?P<colon>:)|(?P<open>[{_OPENERS}])|{_COMP}|(?P<stop>(?<!\d)[.!?؟](?!\d)|\n)"
)
_COMP_AHEAD = re.compile(r"(?:\s*[^\W\d_]+){0,2}\s*[,،]?\s*" + _COMP)
_CLOSER_OR_NEWLINE = re.compile(f"[{_CLOSERS}\n]")
_SENTENCE_END = re.compile(r"(?<!\d)[.!?؟](?!\d)|\n")
_MAX_WINDOW = 260  # characters between a cue and what introduces its quote
_MAX_WINDOW_WORDS = 24
_MAX_BOUND_WORDS = 6
_MAX_QUOTE = 2000
_MIN_MARKED_WORDS = 3  # a quoted span shorter than this is a name or a term, not speech
_MIN_SHORT_SPEECH_WORDS = 5  # a shorter quoted span is speech only right after its cue
_MIN_LONE_MARKED_WORDS = 8  # a quoted paragraph with no cue at all must be this long

_WORD = re.compile(r"[^\W_]+")
# Words that end the speaker's noun phrase: prepositions, time words, pronouns, "also".
_ALA = "على"
_OBJECT_PRONOUNS = _word_set("به بها بهم فيه فيها")  # `أشارت فيه المتحدثة إلى أن`
_NP_STOP = _word_set(
    "في فى على عن من إلى الى خلال أمام عبر ضمن حول بشأن أثناء عقب بعد قبل منذ حيث "
    "اليوم أمس غدا يوم صباح مساء ظهر الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت "
    "الأحد له لها لهم لنا لي إنه أيضا كذلك بدوره بدورها تعليقا ردا لدى للصحفيين "
    "للصحافيين لوسائل لوكالة لصحيفة لقناة لموقع لجريدة لشبكة لإذاعة لمجلة لتلفزيون "
    "وهو وهي وذلك مع قد لقد ما لما مما أن إن أنه أنها بأن ذلك هذا هذه تلك كل "
    "فيه فيها فيهم عنه عنها عنهم منه منها منهم عليه عليها عليهم إليه إليها إليهم "
    "تم تمت يتم"
) - {_f("على")} | {_ALA}
# `على` keeps its final ى in the text the rules read (see `_mark_ala`): folded, the preposition
# would be the name `علي`.

# Words that open a role phrase: its name may sit after `في وزارة ...`, up to the first comma.
_ROLE_HEADS = TITLE_WORDS | _word_set(
    "رئيس الرئيس وزير الوزير نائب السفير سفير المتحدث متحدث الناطق ناطق مدير المدير "
    "أمين الأمين مساعد مستشار المستشار قائد القائد رئيسة وزيرة مديرة المتحدثة الناطقة "
    "عضو عضوة محافظ المحافظ أمير الأمير الملك ولي المبعوث مبعوث المندوب مندوب الممثل "
    "اللواء العميد العقيد المقدم الرائد الدكتور الشيخ المهندس د أ م معالي سمو"
)
_APPOSITION_WORDS = 4
_QUOTED_NAME_CHARS = 40
_ABBREVIATION_LETTERS = 3  # `إن.بي.سي`: a dot between short letter runs is no full stop
_ABBREVIATIONS = frozenset({"د", "ا", "م"})  # د. (doctor), أ. (professor), م. (engineer)
_MAX_NP_WORDS = 8
_MAX_ROLE_WORDS = 16
_ROLE_LINKS = frozenset({*(_f(w) for w in ("في", "فى", "لدى", "ب", "باسم")), "على"})
# `المشرف العام على العلاقات العامة`, `المتحدث باسم الوزارة`: these run on to a definite noun
_DEFINITE_LINKS = frozenset({"على", _f("باسم")})
_INSTITUTIONS = INSTITUTION_WORDS


@dataclass(frozen=True, slots=True)
class _Speaker:
    """A speaker as named in the text (folded offsets are converted when emitted)."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Cue:
    """One cue with what introduces its quote."""

    start: int
    end: int
    verb_start: int
    verb_end: int
    participle: bool
    intro: re.Match[str]


def _ends_sentence(s: str, i: int) -> bool:
    """Whether the terminator at `i` ends a sentence (not `د.` or `إن.بي.سي`)."""
    if s[i] != ".":
        return True
    j = i
    while j > 0 and s[j - 1].isalpha():
        j -= 1
    word = i - j
    if word == 1 and j > 0 and not s[j - 1].isalnum():
        return False  # `د. عبدالعزيز`, `م. صالح`
    return not (0 < word <= _ABBREVIATION_LETTERS and s[i + 1 : i + 2].isalpha())


def _sentence_end(s: str, pos: int) -> int:
    """Index of the end of the sentence containing `pos`."""
    for m in _SENTENCE_END.finditer(s, pos):
        if _ends_sentence(s, m.start()):
            return m.start()
    return len(s)


def _closer(s: str, pos: int) -> int | None:
    """Index of the quotation mark closing one opened just before `pos`, in the paragraph."""
    m = _CLOSER_OR_NEWLINE.search(s, pos, min(len(s), pos + _MAX_QUOTE))
    return m.start() if m is not None and m.group() != "\n" else None


def _trim(s: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past spaces and punctuation at both ends."""
    while start < end and (s[start].isspace() or s[start] in ",،:;-–—"):
        start += 1
    while end > start and (s[end - 1].isspace() or s[end - 1] in ",،:;-–—("):
        end -= 1
    return start, end


def _speaker_phrase(s: str, start: int, end: int) -> tuple[int, int] | None:
    """The noun phrase opening s[start:end] (the subject after the verb), if any.

    A phrase opening with a title (`رئيس`, `وزير`, `السفير`) may run through `في`/`لدى` +
    an institution (`مدير إدارة ... في وزارة الخارجية الفرنسية جان دوبون`) and take a
    short apposition between commas (`الرئيس الفرنسي، إيمانويل ماكرون، إن`).
    """
    words = list(_WORD.finditer(s, start, end))
    if words and words[0].group() in _OBJECT_PRONOUNS:  # `أفاد به المتحدث ...`
        start = words[0].end()
        words = words[1:]
    start, words = _past_circumstances(s, start, end, words)
    if not words or words[0].group() in _NP_STOP or _is_cue(words[0].group()):
        return None
    if words[0].group().startswith(_PREPOSITIONAL) and len(words[0].group()) > 4:
        return None  # `وأشاد بالاجتماع قائلا`: the verb's object, no subject
    lead = s[start : words[0].start()].strip()
    if lead in _OPENERS and lead:
        close = _closer(s, words[0].start())
        if close is not None and close < end and close - words[0].start() < _QUOTED_NAME_CHARS:
            return _trim(s, words[0].start(), close)  # `وذكرت " وكالة الأنباء اليمنية " أن`
    if lead:
        return None  # punctuation first: no subject follows the verb
    role = words[0].group() in _ROLE_HEADS
    limit = _MAX_ROLE_WORDS if role else _MAX_NP_WORDS
    last = words[0].end()
    i = 1
    while i < len(words) and i < limit:
        w = words[i]
        token = w.group()
        gap = s[last : w.start()].strip()
        if gap in _OPENERS and gap:  # `إذاعة "راديو مونت كارلو"`: a quoted name ends the phrase
            close = _closer(s, w.start())
            if close is not None and close < end and close - w.start() < _QUOTED_NAME_CHARS:
                last = close + 1
            break
        if (gap and not (gap == "." and s[last - 1 : last] in _ABBREVIATIONS)) or _is_cue(token):
            break
        if token in _TAIL_STOPS or (token in _RELATIVES and i >= 2):
            # `المرصد ومقره بريطانيا`, `مسؤولون أمريكيون لرويترز`, `فان غال الذي يتحضر` (a
            # one-word head keeps its clause: `التقرير الذي أصدرته شركة الأبحاث ...`)
            break
        if token in _WITHHOLDING and i + 1 < len(words) and words[i + 1].group() in _NOT:
            if words[i - 1].group() in _RELATIVES and i > 1:
                last = words[i - 2].end()  # `المسؤولون الذين طلبوا عدم ذكر أسمائهم`
            break  # `مسؤولون أمريكيون اشترطوا عدم نشر أسمائهم`
        if token == "ل" and _medium_at(s, w.end(), end, role, i):
            break  # `مصادر مطلعة لـ"سبق" أن`: the paper spoken to, not the speaker's name
        if token in _NP_STOP:
            linked = (
                role
                and token in _ROLE_LINKS
                and i + 1 < len(words)
                and (
                    token == _f("لدى")
                    or words[i + 1].group() in _INSTITUTIONS
                    or (token in _DEFINITE_LINKS and words[i + 1].group().startswith("ال"))
                )
                and not s[w.end() : words[i + 1].start()].strip()
            )
            if not linked:
                break
        last = w.end()
        i += 1
    if role and i < len(words) and words[i].group() in _ROLE_LINKS:
        # `مدير عام الإدارة ... رئيس لجنة التدريب في الحج الدكتور منصور اليامي أن`: a role may
        # run to the complementizer when nothing between says when, where or how it was said
        rest = words[i:]
        if (
            len(words) <= _MAX_ROLE_WORDS
            and not s[rest[-1].end() : end].strip(" ،,")
            and not s[words[i].start() : rest[-1].end()].translate(_KEEP_PUNCT).strip()
            and not any(_hard_stop(w.group()) for w in rest)
        ):
            return words[0].start(), rest[-1].end()
    if role and i < len(words):
        gap = s[last : words[i].start()].strip()
        if gap in (",", "،"):
            j = i
            while j < len(words) and not s[words[j - 1].end() : words[j].start()].strip(",، "):
                if j > i and s[words[j - 1].end() : words[j].start()].strip():
                    break
                j += 1
            segment = words[i:j]
            after = s[segment[-1].end() : segment[-1].end() + 2].strip() if segment else ""
            if (
                0 < len(segment) <= _APPOSITION_WORDS
                and segment[0].group() not in _NP_STOP
                and not any(_is_cue(x.group()) for x in segment)
                and (after[:1] in (",", "،") or segment[-1].end() >= end - 2)
            ):
                return words[0].start(), segment[-1].end()
    return words[0].start(), last


# Words that end a speaker's phrase wherever they come (its seat, the agency spoken to).
_TAIL_STOPS = _word_set("ومقره ومقرها مقره مقرها لرويترز لفرانس")
# `اشترطوا عدم نشر أسمائهم`: the speaker's anonymity, no part of the name.
_WITHHOLDING = frozenset(_verbs("اشترط طلب رفض فضل", ("", "ت", "وا")))
_NOT = _word_set("عدم")


_OPENER_AHEAD = re.compile(rf"\s*[{_OPENERS}]")


def _medium_at(s: str, pos: int, end: int, role: bool, i: int) -> bool:
    """Whether `لـ` ending at `pos` opens the medium spoken to (`لـ"الوطن"`): a quoted name
    after it, and for a role (`الأمين العام لـ«أوبك» عبدالله البدري`) nothing but the
    quote's introduction after that name, some words into the phrase."""
    m = _OPENER_AHEAD.match(s, pos, end)
    if m is None:
        return False
    if not role:
        return True
    close = _closer(s, m.end())
    return close is not None and close < end and not s[close + 1 : end].strip(" ،,:") and i >= 3


def _past_circumstances(
    s: str, start: int, end: int, words: list[re.Match[str]]
) -> tuple[int, list[re.Match[str]]]:
    """The words after what may stand between a verb and its subject: a time (`وقال الأسبوع
    الماضي للصحفيين ...`) or the medium spoken to (`وأوضح لـ"الاقتصادية" مصدر مسؤول`), never
    the speaker themselves."""
    while words:
        first = words[0].group()
        if first == "ل":  # `لـ"الاقتصادية"`, `لـ«عكاظ»` (the tatweel folded away)
            gap = s[words[0].end() : words[1].start()].strip() if len(words) > 1 else ""
            close = _closer(s, words[1].start()) if gap in _OPENERS and gap else None
            if close is None or close >= end:
                break
            start = close + 1
            words = [w for w in words if w.start() > close]
        elif first in _TIME_OPENERS:
            n = 2 if len(words) > 1 and words[1].group() in _TIME_DIRECTIONS else 1
            if first in _TIME_SPANS and n == 1:
                break  # `العام` alone may begin a name (`العام الهجري`): not a time here
            start = words[n - 1].end()
            words = words[n:]
        else:
            break
    return start, words


# A word opening with these is a preposition's phrase (`بالاجتماع`, `للمواطنين`), no subject.
_PREPOSITIONAL = (_f("بال"), _f("لل"))
# Times that may come between a verb and its subject (`قال الشهر الماضي`, `وأكد مؤخرا`).
_TIME_SPANS = _word_set("الشهر الأسبوع العام السنة")
_TIME_OPENERS = _TIME_SPANS | _word_set("مؤخرا سابقا أخيرا للصحفيين للصحافيين")
_TIME_DIRECTIONS = _word_set("الماضي المنصرم الفائت السابق الماضية المنصرمة الفائتة الجاري")

_LOOK_BACK_SENTENCES = 3
_KEEP_PUNCT = str.maketrans("", "", "".join(chr(c) for c in range(0x0621, 0x064B)) + "0123456789")
_HARD_STOPS = _word_set(
    "اليوم أمس غدا يوم صباح مساء خلال عبر أمام ضمن عقب بعد قبل أثناء حيث له لها لهم أيضا "
    "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد مع قد"
)
_HARD_STOP_STEMS = tuple(_f(w) for w in ("تصريح", "بيان", "مؤتمر", "مقابل", "حديث", "لقاء", "كلم"))


def _hard_stop(word: str) -> bool:
    """Whether a word tells the circumstances of speaking (no part of the speaker's name)."""
    core = word[1:] if word[:1] in "وفبل" and len(word) > 3 else word
    return word in _HARD_STOPS or core.startswith(_HARD_STOP_STEMS) or _is_cue(word)


_NOT_VERBS = frozenset(
    _PARTICIPLES
    + _verbs(
        "داعي مطالب معرب مبدي متمني سائل مهيب مقدم متطلع معبر مثمن مشيد منتقد واصف",
        ("ا", "ة"),
    )
)
# Particles that open a sentence in the verb's place (`وفيما يخص ...`, `ولا يزال ...`).
_NOT_OPENING_VERBS = _word_set("فيما بينما عندما إذا إذ")
# Negations before a sentence's verb (`ولم تشرح الغرفة ...`, `ولا يزال مدرب الفريق ...`).
_NEGATIONS = _word_set("لا لم لن ولا ولم ولن")
_LEADING_WORDS = frozenset(_f(w) for w in ("كما", "ثم", "وقد", "فقد", "قد", "وكان", "كان"))
_LEAD_COMMA_WORDS = 4
_KANA = _word_set("كان وكان")
_AN_WORD = _f(" عن ")
_MAX_CLAUSE_LOOK_BACK = 400  # characters searched back for the clause a participle follows
_ABBARA = _f("عبر")  # `عبر` opening a clause is the verb "expressed", not "via"
_FROM = _word_set("من ومن")
_SIDE = (_f("جانب"), _f("جهت"))
_IN_TURN = (_f("بدور"), _f("وبدور"))


def _sentence_start(s: str, pos: int) -> int:
    """Index where the sentence containing `pos` starts."""
    end = pos
    while True:
        i = max(s.rfind(c, 0, end) for c in ".!?؟\n")
        if i == -1:
            return 0
        if s[i] == "\n" or (
            not (s[i - 1 : i].isdigit() and s[i + 1 : i + 2].isdigit()) and _ends_sentence(s, i)
        ):
            return i + 1
        end = i


def _sentence_subject(
    s: str, sentence: int, limit: int, commas: bool = True
) -> tuple[int, int] | None:
    """The subject after the verb opening a sentence (`وثمن المهندس محمد المخرج ...`)."""
    words = list(_WORD.finditer(s, sentence, limit))
    if commas and len(words) > _LEAD_COMMA_WORDS:
        head = s[sentence : words[_LEAD_COMMA_WORDS].start()]
        comma = max(head.rfind(","), head.rfind("،"))
        if comma != -1 and _time_aside(head, comma):
            comma = -1  # `أعلنت الإمارات، أمس، وصول سفينة`: a time between commas
        if comma != -1:  # `من جانبه، هنأ ...`: the clause starts after the comma
            words = [w for w in words if w.start() > sentence + comma]
    if len(words) > 2 and words[0].group() in _KANA and words[1].group() not in _LEADING_WORDS:
        # `وكان دبلوماسي أميركي صرح`: the subject comes right after كان (unless a verb does,
        # `وكان أكد الوزير`)
        phrase = _speaker_phrase(s, words[1].start(), limit)
        if phrase is not None and phrase[1] >= limit - 2:  # it runs up to the cue: S then V
            return phrase
    while words and words[0].group() in _LEADING_WORDS:
        words = words[1:]
    if words and words[0].group() in _NEGATIONS:
        words = words[1:]
    if len(words) > 2 and words[0].group() in _FROM and words[1].group().startswith(_SIDE):
        words = words[2:]  # `من جانبها انتقدت روسيا`: no comma after the opener
    elif words and words[0].group().startswith(_IN_TURN):
        words = words[1:]  # `بدوره أكد ...`
    if len(words) < 2:
        return None
    verb = words[0].group()
    bare = verb[1:] if verb[:1] in "وف" else verb
    if bare != _ABBARA and (
        verb.startswith("ال")
        or verb in _NP_STOP
        or bare in _NP_STOP
        or bare in _NOT_VERBS
        or bare in _NOT_OPENING_VERBS
    ):
        return None  # no verb opens this sentence (`مثمناً ذلك ...`): no subject to take
    return _speaker_phrase(s, words[0].end(), limit)


# when, set off by commas after a verb and its subject (`، أمس،`, `، اليوم (الاثنين)،`)
_ASIDE_TIMES = (
    _word_set(
        "أمس اليوم الليلة غدا أول مساء صباح ظهر عصر فجر ليل الأحد الاثنين الثلاثاء الأربعاء "
        "الخميس الجمعة السبت"
    )
    | _TIME_DIRECTIONS
)


def _time_aside(head: str, comma: int) -> bool:
    """Whether the words between the comma at `comma` and the one before it are a time alone."""
    before = max(head.rfind(",", 0, comma), head.rfind("،", 0, comma))
    words = _WORD.findall(head, before + 1, comma) if before != -1 else []
    return bool(words) and all(w in _ASIDE_TIMES for w in words)


class _Mentions:
    """PER mentions in folded offsets, sorted, for overlap and nearest-before look-ups."""

    def __init__(self, mentions: Sequence[Mention], folded: Folded) -> None:
        self.text = folded.text
        spans: list[tuple[int, int, Mention]] = []
        for m in mentions:
            if m.type != "PER":
                continue
            fs, fe = folded.folded(m.start), folded.folded(m.end - 1)
            if fs is not None and fe is not None:
                spans.append((fs, fe + 1, m))
        spans.sort(key=lambda t: t[0])
        self.spans = spans
        self.starts = [t[0] for t in spans]

    def overlapping(self, start: int, end: int) -> Mention | None:
        """The PER mention overlapping folded [start, end) with the most words (the full name
        in `أمين الطائف ... المهندس محمد بن عبدالرحمن المخرج`), the first on a tie."""
        i = bisect.bisect_left(self.starts, start)
        if i > 0 and self.spans[i - 1][1] > start:
            i -= 1
        best: Mention | None = None
        while i < len(self.spans) and self.spans[i][0] < end:
            m = self.spans[i][2]
            if best is None or len(m.text.split()) > len(best.text.split()):
                best = m
            i += 1
        return best

    def ending_at(self, pos: int) -> tuple[int, int] | None:
        """Folded span of the PER mention that ends right before folded `pos` (spaces between)."""
        i = bisect.bisect_left(self.starts, pos)
        while i > 0:
            i -= 1
            start, end, _ = self.spans[i]
            if end <= pos:
                return (start, end) if pos - end <= 2 and not self.text[end:pos].strip() else None
        return None

    def folded_start(self, mention: Mention) -> int:
        """Folded start of one of these mentions."""
        for start, _, m in self.spans:
            if m is mention:
                return start
        raise ValueError(mention)

    def holding(self, title: set[str], pos: int) -> Mention | None:
        """The PER mention before folded `pos` whose role has every word of `title` and the
        fewest others (`وزير الخارجية` is not `وزير الخارجية الألماني`), the last on a tie."""
        best: Mention | None = None
        extra = 0
        for _, end, m in self.spans:
            if end > pos:
                break
            if m.role:
                words = {_bare_title(w) for w in _WORD.findall(fold(m.role).text)}
                if title <= words and (best is None or len(words - title) <= extra):
                    best, extra = m, len(words - title)
        return best

    def before(self, pos: int) -> Mention | None:
        """The PER mention ending nearest before folded `pos`."""
        i = bisect.bisect_right(self.starts, pos)
        while i > 0:
            i -= 1
            if self.spans[i][1] <= pos:
                return self.spans[i][2]
        return None


def _find_cues(s: str) -> list[_Cue]:
    """Every cue with the first thing that introduces a quote after it."""
    cues: list[_Cue] = []
    for m in _cues_in(s):
        group = m.kind
        limit = min(len(s), m.end + _MAX_WINDOW)
        intro = _INTRO.search(s, m.end, limit)
        while intro is not None and (
            (intro.group("stop") is not None and not _ends_sentence(s, intro.start()))
            or (intro.group("comp") is not None and _after_time_word(s, intro.start()))
            or _proviso(s, intro, s[m.verb_start : m.end])
            or (
                intro.group("comp") == _FA_INNA
                and (_NAME_AFTER_VAN.match(s, intro.end()) or not s[m.end : intro.start()].strip())
            )  # `فإن` right after the verb is the `فان` of a name: `أكد فان غال أن`
        ):
            intro = _INTRO.search(s, intro.end(), limit)
        while intro is not None and intro.group("open") is not None:
            close = _closer(s, intro.end())
            if close is not None and not _quoted_name(s, m.end, intro.start(), close):
                break
            if close is None:
                intro = None
                break
            intro = _INTRO.search(s, close + 1, limit)  # a quoted name, not speech: look on
        if intro is None or intro.group("stop") is not None:
            continue
        if _cues_in(s, m.end, intro.start()):
            continue  # a nearer cue (`وأضاف قائلا:`) introduces this quote
        n_words = len(_WORD.findall(s, m.end, intro.start()))
        max_words = _MAX_BOUND_WORDS if group in ("bound", "near") else _MAX_WINDOW_WORDS
        if n_words > max_words:
            continue
        if group == "part" and n_words > 2:
            continue
        cues.append(_Cue(m.start, m.end, m.verb_start, m.end, group == "part", intro))
    return cues


_VAN = frozenset({"فان", "فون"})  # Dutch and German name particles, as written
# `فإن` folded is the Dutch `فان` of a name (`لويس فان غال:`): one word, then what ends a name.
_FA_INNA = _f("فإن")
_NAME_AFTER_VAN = re.compile(rf"\s+[^\W\d_]+\s*(?:[:،,]|[{_OPENERS}])")

# `بعد أن`, `قبل أن`: a time clause, not what was said.
_TIME_WORDS = _word_set("بعد قبل منذ ريثما وبعد وقبل ومنذ")


# cue verbs whose complement opens with على (`شدد على أن`): a comma before it is sloppy
# punctuation, not a proviso
_ALA_VERBS = frozenset(_verbs("أكد شدد ركز أصر اتفق نص حرص وافق", ("", "ت", "وا")))


def _proviso(s: str, intro: re.Match[str], verb: str) -> bool:
    """Whether the intro is a proviso after a comma (`أعلنت البلدية عن وظائف شاغرة، على أن
    يبدأ التقديم`): a condition the announcement sets, not what was said."""
    if intro.group("comp") is None or verb in _ALA_VERBS:
        return False
    if s[intro.start() : intro.start("comp")].split() != [_ALA]:  # `على` as `_mark_ala` marks it
        return False
    j = intro.start()
    while j > 0 and s[j - 1] == " ":
        j -= 1
    return j > 0 and s[j - 1] in ",،"


def _after_time_word(s: str, pos: int) -> bool:
    """Whether the word before `pos` makes the `أن` at `pos` open a time clause."""
    return _word_before(s, pos) in _TIME_WORDS


# words that open a new clause with أن after a quotation (`«...» غير أن المعارضة`, `في حين
# أن`): the quotation was speech, not the subject's name
_LINKING = _word_set("غير إلا الا حين حيث بيد رغم برغم مع بعد قبل كما لكن علما")


def _quoted_name(s: str, cue_end: int, opener: int, close: int) -> bool:
    """Whether a quoted span after a cue names something (`ذكرت إذاعة "راديو مونت كارلو" أن`)."""
    n_words = len(_WORD.findall(s, opener + 1, close))
    if n_words < _MIN_MARKED_WORDS:
        return True
    ahead = _COMP_AHEAD.match(s, close + 1)
    if (
        ahead is not None
        and not _cues_in(s, close + 1, ahead.start("comp"))
        and _LINKING.isdisjoint(_WORD.findall(s, close + 1, ahead.start("comp")))
    ):
        return True  # a complementizer follows: the quoted words were the subject's name
    directly = not s[cue_end:opener].strip(" :")
    return n_words < _MIN_SHORT_SPEECH_WORDS and not directly


def _quote_span(s: str, cue: _Cue, next_cue_start: int) -> tuple[int, int, QuoteKind] | None:
    """Folded span and kind of the quote a cue introduces."""
    intro = cue.intro
    if intro.group("comp") is not None:
        start = intro.end()
        end = min(_sentence_end(s, start), next_cue_start)
        boundary = _BOUNDARY.search(s, start, end)
        if boundary is not None:
            end = boundary.start()
        opened = next((i for i in range(start, min(end, start + 3)) if s[i] in _OPENERS), None)
        if opened is not None:
            close = _closer(s, opened + 1)
            if close is not None:
                end = max(end, close + 1)
        start, end = _trim(s, start, end)
        tail = _TRAILING_LINK.search(s, start, end)
        if tail is not None:
            start, end = _trim(s, start, tail.start())
        return (start, end, "indirect") if end - start > 3 else None
    pos = intro.end() if intro.group("colon") is not None else intro.start()
    while pos < len(s) and s[pos] in " \t":
        pos += 1
    if pos < len(s) and s[pos] in _OPENERS:
        close = _closer(s, pos + 1)
        if close is None:
            return None
        return (pos, close + 1, "direct") if close > pos + 1 else None
    if intro.group("open") is not None:
        return None
    start, end = _trim(s, pos, min(_sentence_end(s, pos), next_cue_start))
    return (start, end, "direct") if end - start > 3 else None


def _marked_spans(s: str) -> list[tuple[int, int]]:
    """Every quotation-marked span of enough words (open mark to close mark, inclusive)."""
    out: list[tuple[int, int]] = []
    i = 0
    n = len(s)
    while i < n:
        if s[i] in _OPENERS:
            close = _closer(s, i + 1)
            if close is None:
                i += 1
                continue
            if len(_WORD.findall(s, i + 1, close)) >= _MIN_MARKED_WORDS:
                out.append((i, close + 1))
            i = close + 1
            continue
        nxt = min((p for p in (s.find(c, i) for c in _OPENERS) if p != -1), default=n)
        i = nxt
    return out


# a conjunction (and the next cue's pronoun) left at the end of reported speech: `، ولكنه أضاف`
_TRAILING_LINK = re.compile(
    r"[\s,،]+(?:" + _f("ولكن|لكن|ولكنه|لكنه|لكنها|ولكنها|لكنهم|ولكنهم|كما|وقد") + r")$"
)
_AFTER_QUOTE = re.compile(r"\s*[,،.]?\s*")
# Verbs that go on with the speech before them: only these take a quotation that ends the
# paragraph before (`«...».\n\nوأضاف المصدر`); `وقال الوزير` opening a paragraph says nothing of it.
_GOING_ON = frozenset(_verbs("أضاف تابع أردف استطرد", ("", "ت", "وا")))


def _post_cue(s: str, end: int) -> _CueWord | None:
    """The cue right after a quotation ending at `end` that names its speaker, if any."""
    after = _AFTER_QUOTE.match(s, end)
    post = _cue_starting(s, after.end()) if after else None
    crossed = post is not None and after is not None and "\n" in s[end : after.end()]
    if crossed and post is not None and s[post.verb_start : post.end] not in _GOING_ON:
        return None
    return post


# The literal comes first (the lookbehind re-reads it) so that the engine scans for it fast.
_ALA_WORD = re.compile(r"على(?<![^\W\d_]على)(?![^\W\d_])")


def _mark_ala(text: str, folded: Folded) -> Folded:
    """The fold with the preposition `على` spelled as written (folding makes it `علي`, a name)."""
    if "على" not in text:
        return folded
    pieces: list[str] = []
    done = 0
    s = folded.text
    for m in _ALA_WORD.finditer(text):
        i = folded.folded(m.end() - 1)
        if i is not None and s[i] == "ي":
            pieces.append(s[done:i])
            pieces.append("ى")
            done = i + 1
    pieces.append(s[done:])
    return Folded("".join(pieces), folded.original_length, folded.offsets)


def find_quotes(
    text: str, mentions: Sequence[Mention] = (), *, folded: Folded | None = None
) -> tuple[Quote, ...]:
    """Every quote in `text` with its kind, cue verb and speaker, in text order."""
    folded = _mark_ala(text, folded if folded is not None else fold(text))
    s = folded.text
    per = _Mentions(mentions, folded)
    cues = _find_cues(s)
    candidates: list[tuple[int, int, QuoteKind, _Cue | None]] = []
    for i, cue in enumerate(cues):
        next_start = len(s)
        for later in cues[i + 1 :]:
            if later.start >= cue.intro.end():
                next_start = later.start
                break
        span = _quote_span(s, cue, next_start)
        if span is not None:
            candidates.append((span[0], span[1], span[2], cue))
    claimed = [(c[0], c[1]) for c in candidates]
    for start, end in _marked_spans(s):
        if any(start < e and b < end for b, e in claimed):
            continue
        post = _post_cue(s, end)
        paragraph_start = start == 0 or s[start - 1] == "\n"
        if post is not None or (
            paragraph_start and len(_WORD.findall(s, start, end)) >= _MIN_LONE_MARKED_WORDS
        ):
            candidates.append((start, end, "direct", None))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))

    quotes: list[Quote] = []
    state = _SpeakerState(text, folded, per)
    taken_end = -1
    for start, end, kind, quote_cue in candidates:
        if start < taken_end:
            continue
        verb, speaker = state.speaker_of(start, end, quote_cue)
        if speaker is None:
            continue  # nobody is said to have said it: no quote to attribute
        head = _WORD.match(_f(speaker.name))
        if head is not None and head.group() in _NOT_SPEAKERS:
            continue  # `أشارت المادة (28) إلى أن`, `تشير التقديرات إلى أن`: no one speaking
        o_start, o_end = folded.orig(start), folded.orig(end)
        quotes.append(
            Quote(
                start=o_start,
                end=o_end,
                text=text[o_start:o_end],
                kind=kind,
                cue=verb,
                speaker=speaker.name if speaker else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
            )
        )
        taken_end = end
    return tuple(quotes)


class _SpeakerState:
    """Who spoke last, walking the quotes of one article in text order."""

    def __init__(self, text: str, folded: Folded, per: _Mentions) -> None:
        self.text = text
        self.folded = folded
        self.s = folded.text
        self.per = per
        self.last: _Speaker | None = None
        self.history: list[tuple[_Speaker, set[str]]] = []
        self.last_sentence = -1
        self.last_end = -1  # folded end of the previous quote

    def _named(self, phrase: tuple[int, int] | None) -> _Speaker | None:
        """The speaker a phrase names, remembered as the last named speaker.

        A bare title (`وزير الخارجية`, `معاليه`) that the last named speaker's phrase already
        carried is that speaker again (`أكد وزير الخارجية عادل الجبير ... ورأى وزير الخارجية`).
        """
        if phrase is None:
            return None
        words = [w.group() for w in _WORD.finditer(self.s, *phrase)]
        if words and self.per.overlapping(*phrase) is None:
            if all(w in _EPITHETS for w in words):
                # `وقال تعالى`: the epithet stands for the one it was said of (`قال الله تعالى`)
                for speaker, titles in reversed(self.history):
                    if titles & _EPITHETS:
                        self.last = speaker
                        return speaker
            elif all(_title_word(w) for w in words):
                wanted = {_bare_title(w) for w in words if w not in _TITLE_PRONOUNS}
                wanted -= _HONOURS_BARE
                if not wanted and self.last is not None:
                    return self.last  # `معاليه`: the one just named
                for speaker, titles in reversed(self.history):
                    if wanted and wanted <= {_bare_title(t) for t in titles}:
                        self.last = speaker
                        return speaker
                # `ورأى وزير الخارجية أن`: the person the article gave that title to
                holder = self.per.holding(wanted, phrase[0]) if wanted else None
                if holder is not None:
                    self.last = _Speaker(holder.text, holder.start, holder.end)
                    self.history.append((self.last, set(words)))
                    return self.last
        self.last = _resolve(self.text, self.folded, self.per, phrase)
        self.history.append((self.last, set(words)))
        return self.last

    def _agrees(self, cue: _Cue, phrase: tuple[int, int]) -> bool:
        """Whether a phrase can be the subject of a cue: a masculine participle (`مبينا`) does
        not take a feminine noun (`وشكر سفارة المملكة ...، مبينا أن`: the embassy is thanked)."""
        cue_word = self.s[cue.verb_start : cue.verb_end]
        if not cue.participle or not cue_word.endswith("ا") or cue_word in _SAYING_NOUNS:
            return True  # `قولها` says `her` words: no masculine participle
        head = _WORD.match(self.text, self.folded.orig(phrase[0]))
        return head is None or not head.group().endswith("ة")

    def _clause_subject(self, floor: int, anchor: int) -> tuple[int, int] | None:
        """The subject of the nearest clause after a comma in s[floor:anchor] that opens with
        a verb and a title or a person's name, if any."""
        s = self.s
        pos = anchor
        floor = max(floor, anchor - _MAX_CLAUSE_LOOK_BACK)
        while True:
            comma = max(s.rfind(",", floor, pos), s.rfind("،", floor, pos))
            if comma == -1:
                return None
            pos = comma
            if not _WORD.search(s, comma + 1, anchor):
                continue
            phrase = _sentence_subject(s, comma + 1, anchor, commas=False)
            if (
                phrase is not None
                and (self.per.overlapping(*phrase) is not None or _role_headed(s, phrase))
                and self.per.overlapping(comma + 1, phrase[0]) is None  # `، ليونيل ميسي،`
            ):
                return phrase

    def _antecedent(self, cue_start: int) -> tuple[int, int] | None:
        """The person or title a relative pronoun right before `cue_start` stands for: a name
        ending there, else a phrase opening with a title a few words back (no punctuation
        between)."""
        s = self.s
        relative = cue_start
        while relative > 0 and s[relative - 1] == " ":
            relative -= 1
        relative -= len(_word_before(s, cue_start))
        named = self.per.ending_at(relative)
        if named is not None:
            return named
        floor = max(0, relative - _MAX_CLAUSE_LOOK_BACK)
        words = list(_WORD.finditer(s, floor, relative))[-_MAX_NP_WORDS:]
        for i in range(len(words) - 1, -1, -1):
            if s[words[i].end() : words[i + 1].start() if i + 1 < len(words) else relative].strip():
                return None  # punctuation: the clause's noun is not in this stretch
            word = words[i].group()
            clitic = word[:1] in "وفبل" and word[1:] in _ROLE_HEADS  # `بالسفير الذي`
            if word in _ROLE_HEADS or clitic:
                phrase = _speaker_phrase(s, words[i].start() + clitic, relative)
                return phrase if phrase is not None and phrase[1] >= relative - 1 else None
        return None

    def speaker_of(self, start: int, end: int, cue: _Cue | None) -> tuple[str, _Speaker | None]:
        """The cue verb and speaker of the quote at folded [start, end)."""
        s, text, folded = self.s, self.text, self.folded
        anchor = cue.start if cue is not None else start
        sentence = _sentence_start(s, anchor)
        same_sentence = sentence == self.last_sentence
        self.last_sentence = sentence
        previous_end, self.last_end = self.last_end, end
        if cue is not None:
            verb = text[folded.orig(cue.verb_start) : folded.orig(cue.verb_end)]
            if cue.participle and s[cue.verb_start : cue.verb_end] in _SAYING_NOUNS:
                source = s.rfind(_AN_WORD, sentence, cue.verb_start)
                if source != -1:
                    found = self._named(_speaker_phrase(s, source + len(_AN_WORD), cue.start))
                    if found is not None:
                        return verb, found
            if not cue.participle and _word_before(s, cue.start) in _RELATIVES:
                # `متحدث باسم الشرطة الذي أكد أن`: the one the relative clause is about
                phrase = self._antecedent(cue.start)
                if phrase is not None:
                    return verb, self._named(phrase)
            if not cue.participle:
                found = self._named(_speaker_phrase(s, cue.verb_end, cue.intro.start()))
                if found is not None:
                    return verb, found
                # `المتحدث الرسمي ... الرائد يحيى القحطاني أكد أن`: the subject before the verb
                if not _first_word_is(s, sentence, cue.start):
                    phrase = _speaker_phrase(s, sentence, cue.start)
                    if (
                        phrase is not None
                        and phrase[1] >= cue.start - 2
                        and (_role_headed(s, phrase) or self.per.overlapping(*phrase) is not None)
                    ):
                        return verb, self._named(phrase)
        else:
            post = _post_cue(s, end)
            verb = ""
            if post is not None:
                verb = text[folded.orig(post.verb_start) : folded.orig(post.end)]
                phrase = _speaker_phrase(s, post.end, _sentence_end(s, post.end))
                found = self._named(phrase)
                if found is not None:
                    return verb, found
        if cue is not None:
            # `وفي مقدمتهم أمينها العام الدكتور فلان الفلاني مشيرا أن`: the name just before a
            # participle; before a verb, only as the subject a particle opens (`غير أن عريقات
            # أكد أن`): `وعن راموس قال` names whom he spoke of
            named = self.per.ending_at(cue.start)
            if (
                named is not None
                and not cue.participle
                and (cue.start != cue.verb_start or _word_before(s, named[0]) not in _PARTICLES)
            ):
                named = None
            if named is not None:
                return verb, self._named(named)
            # `..., توقع الأمين العام لأوبك عبدالله البدري استقرار الأسعار، مرجحا أن`: the subject
            # of a clause opened since the last quote, between commas, that names a person
            floor = max(sentence, previous_end) if same_sentence else sentence
            phrase = self._clause_subject(floor, cue.start)
            if phrase is not None and self._agrees(cue, phrase):
                return verb, self._named(phrase)
        if same_sentence and self.last is not None:
            return verb, self.last
        # the subject of the verb opening this sentence (`وثمن المهندس ... ، مشيرا إلى أن`)
        phrase = _sentence_subject(s, sentence, anchor)
        if phrase is not None and (cue is None or self._agrees(cue, phrase)):
            return verb, self._named(phrase)
        # `ونوه الدكتور باز ألدرين بجهود ... . وقال: «...»`: the subject of a recent sentence
        # (up to a few back, none of them quoting anyone) that names a person or a title
        if sentence > 0 and _only_leading_words(s, sentence, anchor):
            here = sentence
            for _ in range(_LOOK_BACK_SENTENCES):
                k = here - 1
                while k > 0 and (s[k].isspace() or s[k] in ".!?؟"):
                    k -= 1
                previous = _sentence_start(s, k)
                if self.last is not None and self.last.start >= folded.orig(previous):
                    break  # a speaker named since then is the better guess
                phrase = _sentence_subject(s, previous, k + 1)
                if phrase is not None and (
                    self.per.overlapping(*phrase) is not None or _role_headed(s, phrase)
                ):
                    return verb, self._named(phrase)
                if previous == 0:
                    break
                here = previous
        if self.last is not None:
            return verb, self.last
        nearest = self.per.before(start)
        if nearest is not None:
            return verb, _Speaker(nearest.text, nearest.start, nearest.end)
        return verb, None


# Particles a clause's subject follows (`غير أن`, `إلا أن`, `لكن`, `بينما`)
_PARTICLES = _word_set("ان أن إن لكن ولكن بينما فيما")
# Heads of phrases that "say" without anyone speaking: a law's article, figures, details (a
# song's lyrics, `يقول مقطع من الأغنية`, stay: the labelled quotes count them as quoted).
_NOT_SPEAKERS = _word_set(
    "المادة مادة التفاصيل تفاصيل المعلومات معلومات البيانات التقديرات تقديرات الأرقام أرقام "
    "الإحصاءات إحصاءات الإحصائيات إحصائيات"
)
_TITLE_PRONOUNS = _word_set("معاليه سموه فضيلته سعادته")
_HONOURS = _word_set("معالي سمو فضيلة سعادة الأستاذ الدكتور الشيخ المهندس")
# Epithets of God that stand alone for the name after a first `قال الله تعالى`.
_EPITHETS = _word_set("تعالى سبحانه وتعالى عز وجل")


def _bare_title(word: str) -> str:
    """An office without its article (`الوزير` and `وزير` name the same office; `الوزارة` and
    `وزارة الداخلية` are left apart)."""
    return word[2:] if word.startswith("ال") and word[2:] in _ROLE_HEADS else word


_HONOURS_BARE = frozenset(_bare_title(w) for w in _HONOURS)


def _title_word(word: str) -> bool:
    """Whether a folded word belongs to a bare title (no name in it)."""
    return (
        word in _ROLE_HEADS
        or word in _TITLE_PRONOUNS
        or word.startswith("ال")
        or (word[:1] in "بل" and word[1:].startswith("ال"))
        or word in _ROLE_LINKS
    )


def _first_word_is(s: str, sentence: int, anchor: int) -> bool:
    """Whether `anchor` is the first word of the sentence starting at `sentence`."""
    return not _WORD.search(s, sentence, anchor)


def _only_leading_words(s: str, sentence: int, anchor: int) -> bool:
    """Whether nothing but openers (`وقد`, `كما`) comes before `anchor` in its sentence."""
    return all(w.group() in _LEADING_WORDS for w in _WORD.finditer(s, sentence, anchor))


def _role_headed(s: str, phrase: tuple[int, int]) -> bool:
    """Whether a phrase opens with a title word or a name particle (a person, not a thing)."""
    first = _WORD.match(s, phrase[0])
    return first is not None and first.group() in _ROLE_HEADS


def _resolve(text: str, folded: Folded, per: _Mentions, phrase: tuple[int, int]) -> _Speaker:
    """The speaker a noun phrase names: an overlapping PER mention, else the phrase itself.

    A phrase headed by a body or a relative of the person named in it (`عائلة زعيم الحركة
    الراحل فلان`, `مكتب الرئيس فلان`, `محامي فلان`) names the body or the relative, not the
    person. A mention that starts inside a word of the phrase (`بارون` read as `ارون`) takes
    the whole word.
    """
    o_start, o_end = folded.orig(phrase[0]), folded.orig(phrase[1])
    mention = per.overlapping(*phrase)
    if mention is not None:
        head = _WORD.match(folded.text, phrase[0])
        if head is None or head.end() > per.folded_start(mention) or head.group() not in BODY_HEADS:
            start = mention.start
            while start > o_start and text[start - 1].isalpha():
                start -= 1
            word = _WORD.match(text, start)
            if (
                mention.start - start == 1
                and text[start] in _NAME_CLITICS
                and (word is None or word.group() not in _VAN)  # `فان غال` is no `ف` + `ان غال`
            ):
                start = mention.start  # `لدونالد ترامب`: the tagger left the clitic out
            return _Speaker(text[start : mention.end], start, mention.end)
    return _Speaker(text[o_start:o_end], o_start, o_end)


# One-letter proclitics often written onto a name (`وزيلينسكي`, `لدونالد`); where a mention
# starts after some other letter, the tagger's split is more likely wrong (`بارون` as `ارون`).
_NAME_CLITICS = frozenset("وفل")
