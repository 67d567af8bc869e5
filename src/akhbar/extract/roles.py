"""Roles and titles of people, from the phrase the text puts next to their name.

News Arabic names people with their office: before the name (`الرئيس الفرنسي إيمانويل
ماكرون`, `مدير إدارة شؤون الشرق الأوسط في وزارة الخارجية الفرنسية جان دوبون`, `نائبة
وزير الخارجية البريطاني، سارة براون`) or after it, as an apposition (`جان دوبون، مدير
إدارة ...،`, `فيصل السديري القنصل العام ...`). A role phrase opens with a title
word and runs to the name (or to the next punctuation after it); bare honorifics (`الدكتور`,
`الشيخ`, `معالي`) are not roles and are trimmed from a role's ends.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from akhbar.extract.folding import Folded, fold
from akhbar.extract.model import Mention

__all__ = ["BODY_HEADS", "INSTITUTION_WORDS", "TITLE_WORDS", "attach_roles", "heads_a_body"]


def _word_set(words: str) -> frozenset[str]:
    """The folded forms of space-separated words."""
    return frozenset(fold(w).text for w in words.split())


# Words that open a role phrase (folded); a leading و/ف is allowed.
TITLE_WORDS = _word_set(
    "رئيس الرئيس رئيسة الرئيسة وزير الوزير وزيرة الوزيرة نائب النائب نائبة السفير سفير سفيرة "
    "السفيرة القنصل قنصل المتحدث متحدث المتحدثة الناطق ناطق الناطقة مدير المدير مديرة المديرة "
    "أمين الأمين أمينة مساعد المساعد مساعدة مستشار المستشار مستشارة المستشارة قائد القائد "
    "محافظ المحافظ أمير الأمير الملك ملك ولي المبعوث مبعوث المبعوثة المندوب مندوب الممثل ممثل "
    "عضو العضو عضوة مدرب المدرب لاعب اللاعب المهاجم المدافع الحارس المطرب المطربة الفنان "
    "الفنانة الشاعر الكاتب الكاتبة الإعلامي الإعلامية اللواء العميد العقيد المقدم الرائد "
    "النقيب الفريق المشير الجنرال عميد وكيل الوكيل المشرف مشرف الملحق ملحق زعيم الزعيم "
    "المرشد البابا المفوض المحامي القاضي السيناتور رئيسا مفتي المفتي إمام الإمام خطيب "
    "المحلل محلل الخبير خبير الباحث باحث الأستاذ أستاذ مؤسس"
)
# Honorifics: part of how a name is written, not an office.
_HEADS = TITLE_WORDS
_HONORIFICS = _word_set(
    "الدكتور الدكتورة د م أ المهندس المهندسة الشيخ الشيخة الأستاذ الأستاذة معالي سمو فضيلة "
    "السيد السيدة صاحب السمو الملكي الأمير سعادة"
)
_WORD = re.compile(r"[^\W_]+(?:\.(?=\s))?")
_BREAK = re.compile(r"[.،,:;؛!?؟()\"«»“”\n\[\]{}/|\-–—]")
_AFTER_STOP = _word_set(
    "اليوم أمس غدا أن إن أنه أنها بأن خلال عن الذي التي الذين حيث قال قالت أكد أكدت أوضح "
    "أوضحت أشار أشارت وقال وأكد وأوضح وأشار ويقول يقول و"
)
_MAX_BEFORE = 200  # characters searched before a name for its role
_MAX_ROLE_WORDS = 14
_MIN_ROLE_CHARS = 3


def _head(word: str) -> bool:
    """Whether a folded word opens a role phrase (with or without a leading conjunction)."""
    return word in _HEADS or (word[:1] in "وف" and word[1:] in _HEADS)


def _trim_honorifics(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """Drop honorific words at both ends of a role phrase, and a military rank that ends a
    longer one (`المتحدث الرسمي للدفاع المدني الرائد`: the office, the rank going with the
    name; a rank alone, `الرائد`, stays the role)."""
    while words and (
        _bare(words[-1].group()) in _HONORIFICS
        or (len(words) > 1 and _bare(words[-1].group()) in _RANKS)
    ):
        words = words[:-1]
    while words and _bare(words[0].group()) in _HONORIFICS:
        words = words[1:]
    return words


_RANKS = _word_set("الرائد العقيد المقدم اللواء العميد النقيب الملازم الفريق المشير الركن")


def _bare(word: str) -> str:
    """A folded word without a trailing abbreviation dot."""
    return word.rstrip(".")


_LINKS = _word_set("في لدى باسم على عن من ب")
_LADA = fold("لدى").text
# Nouns naming an institution: a title runs on through them (`في وزارة الخارجية`).
INSTITUTION_WORDS = _word_set(
    "وزارة الوزارة إدارة الإدارة هيئة الهيئة مجلس المجلس جامعة الجامعة منظمة المنظمة "
    "شركة الشركة بنك البنك الأمم الاتحاد وكالة الوكالة مديرية المديرية رئاسة الرئاسة "
    "جهاز مكتب المكتب فرع محافظة منطقة أمانة الأمانة بلدية لجنة اللجنة الحكومة مؤسسة "
    "المؤسسة الديوان ديوان السفارة القنصلية الجيش القوات حزب الحزب حركة الحركة نادي "
    "النادي البيت الكرملين البنتاغون الخارجية الداخلية"
)
# Nouns whose phrase names a body or a relative, not the person in their complement
# (`مكتب رئيس الوزراء فلان`, `عائلة الطفل`, `محامي فلان`).
BODY_HEADS = INSTITUTION_WORDS | _word_set(
    "عائلة أسرة والد والدة شقيق شقيقة نجل ابنة زوجة زوج أقارب ذوو ذوي محامي محامو أنصار "
    "مقربون مقربين مساعدو مكتب حكومة بيان تقرير رسالة كلمات نص مقطع تغريدة"
)


def heads_a_body(word: str) -> bool:
    """Whether a phrase opening with `word` names a body or a relative (see `BODY_HEADS`)."""
    return fold(word).text in BODY_HEADS


def _fits(words: list[str]) -> int:
    """How many leading words form a title phrase: a head, then definite nouns and adjectives
    (`الخارجية الروسية`, `للمملكة`), construct chains right after a head (`رئيس إدارة شؤون
    شمال`), and a preposition leading to a definite noun (`في وزارة`, `لدى أمريكا`)."""
    if not words or not _head(words[0]):
        return 0
    n = 1
    chain = True  # still in the construct chain opened by the head
    while n < len(words):
        w = words[n]
        if w in _HEADS:
            chain = True
        elif w.startswith(("ال", "لل")) or (w[:1] in "بك" and w[1:].startswith("ال")):
            chain = False
        elif w in _LINKS and n + 1 < len(words):
            nxt = words[n + 1]
            if not (nxt.startswith("ال") or _head(nxt) or nxt in INSTITUTION_WORDS or w == _LADA):
                break
            chain = True
        elif w in INSTITUTION_WORDS or (w[:1] in "لب" and w[1:] in INSTITUTION_WORDS):
            chain = True  # `بوزارة الحج`, `لمديرية الدفاع المدني`
        elif chain and not w.startswith("و") and w not in _AFTER_STOP:
            pass  # `إدارة` in `رئيس إدارة`: a noun the head governs
        else:
            break
        n += 1
    return n


def _role_before(f: Folded, start: int, floor: int) -> tuple[int, int] | None:
    """Folded span of the role phrase ending just before a name starting at folded `start`."""
    s = f.text
    lo = max(floor, start - _MAX_BEFORE)
    segment_end = start
    tail = s[lo:start].rstrip()
    if tail.endswith(("،", ",")):  # `نائبة وزير الخارجية البريطاني، سارة براون`
        segment_end = lo + len(tail) - 1
    breaks = [m.end() for m in _BREAK.finditer(s, lo, segment_end)]
    seg_start = breaks[-1] if breaks else lo
    words = list(_WORD.finditer(s, seg_start, segment_end))
    if not words:
        return None
    texts = [w.group() for w in words]
    chosen: list[re.Match[str]] = []
    for i in range(len(words)):
        # the earliest title phrase that runs all the way to the name
        if (
            _head(texts[i])
            and len(words) - i <= _MAX_ROLE_WORDS
            and _fits(texts[i:]) == len(words) - i
        ):
            chosen = words[i:]
            break
    chosen = _trim_honorifics(chosen)
    if not chosen:
        return None
    begin = chosen[0].start()
    if chosen[0].group() not in _HEADS and chosen[0].group()[1:] in _HEADS:
        begin += 1  # the conjunction `و` is not part of the role
    return begin, chosen[-1].end()


def _role_after(f: Folded, end: int, ceiling: int) -> tuple[int, int] | None:
    """Folded span of an apposition role right after a name ending at folded `end`."""
    s = f.text
    pos = end
    while pos < ceiling and s[pos] in " \t":
        pos += 1
    comma = pos < ceiling and s[pos] in "،,"
    if comma:
        pos += 1
    words: list[re.Match[str]] = []
    for w in _WORD.finditer(s, pos, ceiling):
        if _BREAK.search(s, words[-1].end() if words else pos, w.start()):
            break
        if words and (w.group() in _AFTER_STOP or len(words) >= _MAX_ROLE_WORDS):
            break
        words.append(w)
    if not words or words[0].group() not in _HEADS:
        return None
    words = words[: _fits([w.group() for w in words])]
    words = _trim_honorifics(words)
    if not words:
        return None
    return words[0].start(), words[-1].end()


def attach_roles(
    text: str, mentions: Sequence[Mention], *, folded: Folded | None = None
) -> tuple[Mention, ...]:
    """`mentions` with `role` filled for people the text gives a title to (others unchanged)."""
    if not any(m.type == "PER" for m in mentions):
        return tuple(mentions)
    f = folded if folded is not None else fold(text)
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    out = list(mentions)
    roles_by_key: dict[str, str] = {}
    for rank, i in enumerate(order):
        m = mentions[i]
        if m.type != "PER" or m.role:
            if m.type == "PER" and m.role:
                roles_by_key.setdefault(m.key, m.role)
            continue
        start, last = f.folded(m.start), f.folded(m.end - 1)
        if start is None or last is None:
            continue
        end = last + 1
        floor = 0
        if rank > 0:
            prev = mentions[order[rank - 1]]
            floor = (f.folded(prev.end - 1) or -1) + 1
        ceiling = len(f.text)
        if rank + 1 < len(order):
            nxt = mentions[order[rank + 1]]
            ceiling = f.folded(nxt.start) or ceiling
        span = _role_before(f, start, min(floor, start)) or _role_after(f, end, max(ceiling, end))
        if span is None:
            continue
        role = text[f.orig(span[0]) : f.orig(span[1])].strip(" ،,").removesuffix(".")
        if len(role) >= _MIN_ROLE_CHARS:
            out[i] = dataclasses.replace(m, role=role)
            roles_by_key.setdefault(m.key, role)
    for i, m in enumerate(out):
        if m.type == "PER" and not m.role and m.key in roles_by_key:
            out[i] = dataclasses.replace(m, role=roles_by_key[m.key])
    return tuple(out)
