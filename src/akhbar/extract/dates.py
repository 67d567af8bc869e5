"""Date expressions of an article, resolved to ISO dates against its publication date.

Explicit Gregorian dates (month names of every region: أغسطس / آب / أوت, numeric d/m/y), Hijri
dates (converted with the Umm al-Qura calendar, the tabular one outside its years, see
`hijri_to_gregorian`; a day and month with no year, `15 شعبان`, in the year nearest the
publication date),
years (`عام 2025`), and relative expressions (`اليوم الاثنين`, `أمس`, `الأسبوع الماضي`, bare
weekday names), which need the publication date and are left unresolved without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Hijri

from akhbar.extract.folding import Folded, at_word_start, fold, word_alternation
from akhbar.extract.model import DateRef

__all__ = ["MONTH_NAMES", "find_dates", "hijri_to_gregorian", "tabular_hijri"]

# Folded spellings (no hamza on alef, ي for ى, ه for ة) -> month number.
_GREGORIAN_MONTHS: dict[str, int] = {
    "يناير": 1,
    "جانفي": 1,
    "كانون الثاني": 1,
    "فبراير": 2,
    "فيفري": 2,
    "شباط": 2,
    "مارس": 3,
    "اذار": 3,
    "ابريل": 4,
    "افريل": 4,
    "نيسان": 4,
    "مايو": 5,
    "ماي": 5,
    "ايار": 5,
    "يونيو": 6,
    "يونيه": 6,
    "جوان": 6,
    "حزيران": 6,
    "يوليو": 7,
    "يوليه": 7,
    "جويليه": 7,
    "تموز": 7,
    "اغسطس": 8,
    "اوت": 8,
    "اب": 8,
    "سبتمبر": 9,
    "ايلول": 9,
    "اكتوبر": 10,
    "تشرين الاول": 10,
    "نوفمبر": 11,
    "تشرين الثاني": 11,
    "ديسمبر": 12,
    "كانون الاول": 12,
}
_HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1,
    "صفر": 2,
    "ربيع الاول": 3,
    "ربيع الثاني": 4,
    "ربيع الاخر": 4,
    "جمادي الاولي": 5,
    "جمادي الاول": 5,
    "جمادي الثانيه": 6,
    "جمادي الاخره": 6,
    "جمادي الثاني": 6,
    "جمادي الاخر": 6,
    "رجب": 7,
    "شعبان": 8,
    "رمضان": 9,
    "شوال": 10,
    "ذو القعده": 11,
    "ذي القعده": 11,
    "ذو الحجه": 12,
    "ذي الحجه": 12,
}
# Every month's name, as folded above (one name may be two words: `كانون الأول`).
MONTH_NAMES = (*_GREGORIAN_MONTHS, *_HIJRI_MONTHS)
# Folded weekday names -> Python weekday (Monday 0).
_WEEKDAYS: dict[str, int] = {
    "الاثنين": 0,
    "الاتنين": 0,
    "الثلاثاء": 1,
    "الثلاثا": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
}


_E = r"(?![^\W\d_])"  # no letter just after
_GM = word_alternation(_GREGORIAN_MONTHS)
_HM = word_alternation(_HIJRI_MONTHS)
_HM_YEARLESS = word_alternation([m for m in _HIJRI_MONTHS if m != "صفر"])
_WD = word_alternation(_WEEKDAYS)
_DAY = r"(?P<day>\d{1,2})\s*(?:من\s+)?(?:شهر\s+)?"
_SEP = r"(?:\s?[-/]\s?|\.)"  # `12/3/2020`, `20 / 10 / 1436`, `20-10- 1436`
_HIJRI_MARK = r"(?:\s*(?:هـ|ه\b|هجري[هة]?|للهجره))"
_HIJRI_TAIL = rf"{_E}\s*(?:لعام\s+|عام\s+)?(?P<year>1[34]\d\d){_HIJRI_MARK}?"
_GREGORIAN_TAIL = (
    rf"{_E}(?:\s*(?:[/(]?\s*(?:{_GM})\s*\)?\s*)?(?:من\s+)?(?:عام\s+|العام\s+)?"
    rf"(?P<year>(?:19|20)\d\d)(?:\s*م{_E})?"
    rf"|\s+(?P<gdir>الماضي|المنصرم|الفاءت|المقبل|القادم|الجاري|الحالي){_E})?"
)
_RELATIVE_WORDS = word_alternation(
    ("اليوم", "امس الاول", "اول امس", "اول من امس", "امس", "غدا", "بعد غد")
)
_YEAR_WORDS = word_alternation(("عام", "العام", "لعام", "للعام", "سنه", "السنه", "لسنه", "للسنه"))


@dataclass(frozen=True, slots=True)
class _Rule:
    """One date pattern; matches must start a word, after at most `max_prefix` clitics."""

    kind: str
    pattern: re.Pattern[str]
    prefixes: str = ""
    max_prefix: int = 0


# Every pattern starts with a plain character or digit (fast scanning); word boundaries before
# a match are checked in code (`at_word_start`), clitics (و ف ب ل) allowed where they may stand.
_RULES: tuple[_Rule, ...] = (
    _Rule("hijri", re.compile(rf"{_DAY}(?P<month>{_HM}){_HIJRI_TAIL}")),
    _Rule("hijri", re.compile(rf"(?P<month>{_HM}){_HIJRI_TAIL}")),
    # a day of a Hijri month with no year (`15 شعبان`): the year nearest the publication date;
    # not صفر, which after a number is a score (`3 صفر`)
    _Rule(
        "hijri",
        re.compile(
            rf"{_DAY}(?P<month>{_HM_YEARLESS}){_E}(?!\s*[/-]?\s*\d)"
            rf"(?:\s+(?P<hdir>الماضي|المنصرم|الفاءت|المقبل|القادم|الجاري|الحالي){_E})?"
        ),
    ),
    _Rule("gregorian", re.compile(rf"{_DAY}(?P<month>{_GM}){_GREGORIAN_TAIL}")),
    _Rule("gregorian", re.compile(rf"(?P<month>{_GM}){_GREGORIAN_TAIL}"), "وفبل", 2),
    _Rule(
        "numeric",
        re.compile(
            rf"(?:(?P<y1>\d{{4}}){_SEP}(?P<m1>\d{{1,2}}){_SEP}(?P<d1>\d{{1,2}})"
            rf"|(?P<d2>\d{{1,2}}){_SEP}(?P<m2>\d{{1,2}}){_SEP}(?P<y2>\d{{4}}))(?![\d/.-])"
            rf"(?P<mark>{_HIJRI_MARK})?"
        ),
    ),
    _Rule(
        "year",
        re.compile(
            rf"(?:{_YEAR_WORDS}|منذ|خلال)\s+(?P<year>\d{{4}})(?P<mark>{_HIJRI_MARK}|\s*م{_E})?"
        ),
        "وف",
        1,
    ),
    _Rule(
        "relative",
        re.compile(
            rf"(?P<core>(?P<word>{_RELATIVE_WORDS})"
            rf"(?:\s+(?P<wd>{_WD}))?{_E}"
            rf"|(?P<span>الاسبوع|الشهر|العام|السنه)\s+"
            rf"(?P<dir>الماضي|المنصرم|الفاءت|السابق|المقبل|القادم|الجاري|الحالي){_E})"
        ),
        "وفبل",
        2,
    ),
    _Rule(
        "weekday",
        re.compile(
            rf"(?P<core>(?P<wdx>{word_alternation([*_WEEKDAYS, *(f'يوم {w}' for w in _WEEKDAYS)])})"
            rf"(?:\s+(?P<dir>الماضي|المقبل|القادم|المنصرم|الفاءت))?){_E}"
        ),
        "وفبل",
        2,
    ),
)
_DIGITS = re.compile(r"\d+")
_DIGIT_RULES = tuple(r for r in _RULES if r.kind == "numeric" or "?P<day>" in r.pattern.pattern)
_WORD_RULES = tuple(r for r in _RULES if r not in _DIGIT_RULES)
# Words that can open a date expression: every word rule starts with one of them.
_TRIGGERS = re.compile(
    word_alternation(
        [
            *_HIJRI_MONTHS,
            *_GREGORIAN_MONTHS,
            *_WEEKDAYS,
            "يوم",
            "منذ",
            "خلال",
            "عام",
            "العام",
            "لعام",
            "للعام",
            "سنه",
            "السنه",
            "لسنه",
            "للسنه",
            "اليوم",
            "امس",
            "اول",
            "غدا",
            "بعد",
            "الاسبوع",
            "الشهر",
        ]
    )
)
# `اليوم` followed by a definite noun is a phrase (`اليوم الوطني`), not "today".
_DEFINITE_NEXT = re.compile(r"\s+ال")

_PAST = frozenset({"الماضي", "المنصرم", "الفاءت", "السابق"})
_NEXT = frozenset({"المقبل", "القادم"})


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """The Umm al-Qura calendar (Saudi Arabia's, which Saudi and most Gulf outlets date by;
    `hijridate`'s tables, 1343-1500 AH), else the tabular one (see `tabular_hijri`): the
    tabular date is a day or two off Umm al-Qura's for many months (`الاثنين 18/10/1436`
    fell on a Tuesday)."""
    try:
        return Hijri(year, month, day).to_gregorian()
    except OverflowError:  # out of the tables' years
        return tabular_hijri(year, month, day)
    except ValueError:  # a 30th of a 29-day month: the day after its 29th (the 1st of the next)
        if day != 30:
            return tabular_hijri(year, month, day)
        try:
            return Hijri(year, month, 29).to_gregorian() + timedelta(days=1)
        except (OverflowError, ValueError):
            return tabular_hijri(year, month, day)


def tabular_hijri(year: int, month: int, day: int) -> date:
    """Tabular Islamic calendar (civil epoch 16 July 622 Julian, leap years 2,5,7,10,13,16,18,
    21,24,26,29 of 30): the arithmetic standard, for years no table covers."""
    ordinal = day + (59 * (month - 1) + 1) // 2 + (year - 1) * 354 + (3 + 11 * year) // 30
    return date.fromordinal(ordinal + 227014)


def _nearest_hijri(month: int, day: int, published: date, side: str | None = None) -> date:
    """The Gregorian date of a Hijri day and month in the year that puts it nearest
    `published`, on the side the text gives (`الماضي`: on or before it, `المقبل`: after)."""
    # the Hijri year of `published`, give or take one (a mean year of 10,631/30 days)
    year = (published.toordinal() - _HIJRI_EPOCH) * 30 // 10631 + 1
    found = [hijri_to_gregorian(y, month, day) for y in range(year - 1, year + 2) if y > 0]
    if side in _PAST:
        found = [d for d in found if d <= published] or found
    elif side in _NEXT:
        found = [d for d in found if d > published] or found
    return min(found, key=lambda d: abs((d - published).days))


_HIJRI_EPOCH = 227015  # the ordinal of 1 Muharram 1 (see `tabular_hijri`)


def _month_key(raw: str) -> str:
    """A matched month name in the spelling of the tables (runs of spaces as one)."""
    return " ".join(raw.split())


def _valid(year: int, month: int, day: int) -> str | None:
    """ISO date, or None for an impossible one."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _shift_month(base: date, months: int) -> str:
    """`YYYY-MM` of the month `months` away from `base`."""
    index = base.year * 12 + base.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _relative(m: re.Match[str], published: date | None) -> tuple[str, str | None]:
    """Kind and value of a relative expression."""
    word = m.group("word")
    if word is not None:
        offset = {"اليوم": 0, "امس": -1, "غدا": 1}.get(word.split()[0])
        if offset is None:
            offset = 2 if word.startswith("بعد") else -2
        if word.startswith("امس") and len(word.split()) > 1:
            offset = -2
        if published is None:
            return "relative", None
        day = published + timedelta(days=offset)
        named = m.group("wd")
        if named is not None:
            # the weekday the writer named outranks the offset from a publication time that
            # is often a day off (a feed's UTC clock, an evening piece dated the next day):
            # the day of that name nearest the offset's
            day += timedelta(days=(_WEEKDAYS[named] - day.weekday() + 3) % 7 - 3)
        return "relative", day.isoformat()
    span, direction = m.group("span"), m.group("dir")
    if published is None:
        return "relative", None
    step = -1 if direction in _PAST else 1 if direction in _NEXT else 0
    if span == "الاسبوع":
        return "relative", (published + timedelta(weeks=step)).isoformat()
    if span == "الشهر":
        return "relative", _shift_month(published, step)
    return "relative", f"{published.year + step:04d}"


def _weekday(m: re.Match[str], published: date | None) -> str | None:
    """The named weekday nearest the publication date in the direction the text gives."""
    if published is None:
        return None
    target = _WEEKDAYS[m.group("wdx").split()[-1]]
    if m.group("dir") in _NEXT:
        return (published + timedelta(days=(target - published.weekday() - 1) % 7 + 1)).isoformat()
    back = (published.weekday() - target) % 7
    if m.group("dir") in _PAST and back == 0:
        back = 7
    return (published - timedelta(days=back)).isoformat()


def _value(kind: str, m: re.Match[str], published: date | None) -> tuple[str, str | None] | None:
    """Kind and ISO value of one match, or None when it is no date at all."""
    groups = m.groupdict()
    if kind == "hijri":
        month = _HIJRI_MONTHS[_month_key(groups["month"])]
        if groups.get("day") is None:
            return "hijri", None
        day = int(groups["day"])
        if not 1 <= day <= 30:
            return None
        if groups.get("year") is None:
            if published is None:
                return "hijri", None
            side = groups.get("hdir")
            return "hijri", _nearest_hijri(month, day, published, side).isoformat()
        return "hijri", hijri_to_gregorian(int(groups["year"]), month, day).isoformat()
    if kind == "gregorian":
        month = _GREGORIAN_MONTHS[_month_key(groups["month"])]
        year_text, day_text = groups.get("year"), groups.get("day")
        if year_text is None and day_text is None and groups.get("gdir") is None:
            return None  # a bare month name (`مارس`, `اب`) is too often another word
        if year_text is None:
            if published is None:
                return "gregorian", None
            year = published.year
            direction = groups.get("gdir")
            if direction in _PAST and month >= published.month:
                year -= 1
            elif direction in _NEXT and month <= published.month:
                year += 1
            if day_text is None:
                return "gregorian", f"{year:04d}-{month:02d}"
            value = _valid(year, month, int(day_text))
            return ("gregorian", value) if value else None
        if day_text is None:
            return "gregorian", f"{int(year_text):04d}-{month:02d}"
        value = _valid(int(year_text), month, int(day_text))
        return ("gregorian", value) if value else None
    if kind == "numeric":
        y, mo, d = (
            (groups["y1"], groups["m1"], groups["d1"])
            if groups["y1"]
            else (groups["y2"], groups["m2"], groups["d2"])
        )
        year, month, day = int(y), int(mo), int(d)
        if groups.get("mark") or 1300 <= year < 1500:
            if not (1 <= month <= 12 and 1 <= day <= 30):
                return None
            return "hijri", hijri_to_gregorian(year, month, day).isoformat()
        value = _valid(year, month, day)
        return ("gregorian", value) if value else None
    if kind == "year":
        year = int(groups["year"])
        mark = (groups.get("mark") or "").strip()
        if mark.startswith("ه") or (1300 <= year < 1500 and not mark):
            return "hijri", None
        if not 1800 <= year <= 2100:
            return None
        return "year", f"{year:04d}"
    if kind == "relative":
        return _relative(m, published)
    return "weekday", _weekday(m, published)


def find_dates(
    text: str, published: date | None = None, *, folded: Folded | None = None
) -> tuple[DateRef, ...]:
    """Every date expression in `text`, in text order, resolved where the text allows."""
    folded = folded if folded is not None else fold(text)
    s = folded.text
    taken: list[tuple[int, int]] = []
    found: list[DateRef] = []
    events = sorted(
        [(m.start(), _DIGIT_RULES) for m in _DIGITS.finditer(s)]
        + [(m.start(), _WORD_RULES) for m in _TRIGGERS.finditer(s)],
        key=lambda event: event[0],
    )
    for pos, rules in events:
        if any(b <= pos < e for b, e in taken):
            continue
        for rule in rules:
            kind = rule.kind
            m = rule.pattern.match(s, pos)
            if m is None or at_word_start(s, pos, rule.prefixes, rule.max_prefix) is None:
                continue
            if kind == "numeric" and s[pos - 1 : pos] in ("/", ".", "-"):
                continue
            start, end = m.span("core") if "core" in m.groupdict() else m.span()
            if any(start < e and b < end for b, e in taken):
                continue
            if (
                kind == "relative"
                and m.group("word") == "اليوم"
                and m.group("wd") is None
                and _DEFINITE_NEXT.match(folded.text, end)
            ):
                continue
            try:
                result = _value(kind, m, published)
            except (OverflowError, ValueError):  # resolves outside the calendar (year 1 / 9999)
                result = ("gregorian" if kind == "numeric" else kind, None)
            if result is None:
                continue
            taken.append((start, end))
            o_start, o_end = folded.orig(start), folded.orig(end)
            found.append(
                DateRef(
                    start=o_start,
                    end=o_end,
                    text=text[o_start:o_end],
                    kind=result[0],  # type: ignore[arg-type]
                    value=result[1],
                )
            )
            break
    found.sort(key=lambda d: d.start)
    return tuple(found)
