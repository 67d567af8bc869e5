"""Date expressions: relative ones resolved against the publication date, explicit Gregorian
dates with every region's month names, Hijri dates (Umm al-Qura calendar) and years."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.extract.dates import find_dates, hijri_to_gregorian, tabular_hijri
from tests.extract.seeds import read_clean

MONDAY = date(2026, 2, 9)


def values(text: str, published: date | None = MONDAY) -> list[tuple[str, str, str | None]]:
    return [(d.text, d.kind, d.value) for d in find_dates(text, published)]


def test_today_monday_is_the_publication_day() -> None:
    assert values("صرّح ألكسندر غوساروف، اليوم الاثنين، أن الاتصالات") == [
        ("اليوم الاثنين", "relative", "2026-02-09")
    ]


def test_relative_words() -> None:
    got = values("قال أمس إن الوفد يصل غداً بعد أن زار الرياض أمس الأول والأسبوع الماضي")
    assert got == [
        ("أمس", "relative", "2026-02-08"),
        ("غداً", "relative", "2026-02-10"),
        ("أمس الأول", "relative", "2026-02-07"),
        ("الأسبوع الماضي", "relative", "2026-02-02"),
    ]


def test_day_before_yesterday_and_doubled_month_names() -> None:
    assert values("عند التسوية يوم أول من أمس السبت") == [
        ("أول من أمس السبت", "relative", "2026-02-07")
    ]
    assert values("منذ فبراير شباط 2014") == [("فبراير شباط 2014", "gregorian", "2014-02")]
    assert values("اعترض قاربا في 15 يوليو تموز") == [("15 يوليو", "gregorian", "2026-07-15")]


def test_a_named_weekday_outranks_the_offset_from_a_day_off_publication_date() -> None:
    # published on a Monday by the feed's clock, written on the Tuesday (or the day before)
    assert values("قال اليوم الثلاثاء إن") == [("اليوم الثلاثاء", "relative", "2026-02-10")]
    assert values("وصل أمس الاثنين") == [("أمس الاثنين", "relative", "2026-02-09")]
    assert values("ويصل غدا الأربعاء") == [("غدا الأربعاء", "relative", "2026-02-11")]
    # the day of that name nearest the offset's: three days off at most
    assert values("التقى أمس الخميس") == [("أمس الخميس", "relative", "2026-02-05")]
    assert values("التقى أمس الأحد") == [("أمس الأحد", "relative", "2026-02-08")]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 6))
def test_a_relative_day_with_a_weekday_falls_on_that_weekday(published: date, day: int) -> None:
    names = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
    for word, offset in (("اليوم", 0), ("أمس", -1), ("غدا", 1)):
        (ref,) = find_dates(f"قال {word} {names[day]} إن", published)
        value = date.fromisoformat(ref.value or "")
        assert value.weekday() == day
        assert abs((value - published).days - offset) <= 3


def test_month_and_year_relative() -> None:
    assert values("تراجعت الأسعار الشهر الماضي وتتوقع ارتفاعها العام المقبل") == [
        ("الشهر الماضي", "relative", "2026-01"),
        ("العام المقبل", "relative", "2027"),
    ]


def test_bare_weekday_is_the_last_such_day_on_or_before_publication() -> None:
    assert values("وكان الوزير قد التقى نظيره يوم الخميس في جدة") == [
        ("يوم الخميس", "weekday", "2026-02-05")
    ]
    assert values("وتقام المباراة يوم الثلاثاء المقبل") == [
        ("يوم الثلاثاء المقبل", "weekday", "2026-02-10")
    ]
    assert values("افتتح المعرض الاثنين") == [("الاثنين", "weekday", "2026-02-09")]


def test_relative_without_publication_date_is_unresolved() -> None:
    assert values("قال اليوم الاثنين إن", None) == [("اليوم الاثنين", "relative", None)]


def test_today_before_a_definite_noun_is_a_phrase_not_a_date() -> None:
    assert values("احتفلت المملكة باليوم الوطني") == []
    assert values("بمناسبة اليوم العالمي للمرأة") == []


def test_year_reference() -> None:
    assert values("حوارا جرى عام 2025 بين السفير الروسي") == [("عام 2025", "year", "2025")]
    assert values("خلال العام ٢٠١٤ ارتفعت") == [("العام ٢٠١٤", "year", "2014")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10 أغسطس 2015", "2015-08-10"),
        ("10 آب 2015", "2015-08-10"),
        ("١٥ كانون الثاني ٢٠٢٤", "2024-01-15"),
        ("3 تشرين الأول 2019", "2019-10-03"),
        ("1 جانفي 2020", "2020-01-01"),
        ("5 أوت 2018", "2018-08-05"),
        ("يوم 12 آب (أغسطس) 2015", "2015-08-12"),
        ("في 3 أبريل من عام 2016", "2016-04-03"),
    ],
)
def test_gregorian_month_names_of_every_region(text: str, value: str) -> None:
    dates = find_dates(text, None)
    assert [(d.kind, d.value) for d in dates] == [("gregorian", value)]


def test_month_with_year_only_and_relative_month() -> None:
    assert values("منذ أبريل 2015") == [("أبريل 2015", "gregorian", "2015-04")]
    assert values("في تشرين الأول الماضي") == [("تشرين الأول الماضي", "gregorian", "2025-10")]


def test_a_bare_month_name_is_not_a_date() -> None:
    assert values("مارس الرياضة منذ صغره") == []


def test_numeric_dates() -> None:
    assert values("بتاريخ 12/3/2020") == [("12/3/2020", "gregorian", "2020-03-12")]
    assert values("الموافق 2015-08-10") == [("2015-08-10", "gregorian", "2015-08-10")]


def test_hijri_dates_convert_with_the_umm_al_qura_calendar() -> None:
    """Saudi outlets date by Umm al-Qura: the Hijri date falls on the Gregorian one the
    dateline pairs it with, and on the weekday the text names (the tabular calendar put
    both a day later)."""
    text = "الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م"
    assert values(text, None) == [
        ("25 شوال 1436 هـ", "hijri", "2015-08-10"),
        ("10 أغسطس 2015 م", "gregorian", "2015-08-10"),
    ]
    found = values("اليوم الأربعاء الموافق 20 / 10 / 1436هـ", None)[-1]
    assert found == ("20 / 10 / 1436هـ", "hijri", "2015-08-05")
    assert date.fromisoformat(found[2] or "").weekday() == 2  # a Wednesday
    monday = values("صباح اليوم الاثنين الموافق 18/10/1436هـ", None)[-1]
    assert date.fromisoformat(monday[2] or "").weekday() == 0


def test_tabular_hijri_known_dates() -> None:
    assert tabular_hijri(1, 1, 1) == date(622, 7, 19)  # 16 July 622 Julian
    assert tabular_hijri(1445, 9, 1) == date(2024, 3, 11)
    assert tabular_hijri(1436, 9, 1) == date(2015, 6, 18)
    # outside Umm al-Qura's tables (1343-1500 AH) the tabular calendar answers
    assert hijri_to_gregorian(1, 1, 1) == tabular_hijri(1, 1, 1)
    assert hijri_to_gregorian(1600, 1, 1) == tabular_hijri(1600, 1, 1)
    assert hijri_to_gregorian(1445, 9, 1) == date(2024, 3, 11)  # Ramadan 1445 began then


@given(st.text(alphabet="أمس اليوم غدا ٠١٢٣٤٥ 2015 عام شوال هـ أغسطس/-.ًٌّ،\n", max_size=60))
def test_spans_point_into_the_text(text: str) -> None:
    for d in find_dates(text, MONDAY):
        assert text[d.start : d.end] == d.text


def test_seed_001_monday_and_seed_000_year(seed_paths: dict[str, Path]) -> None:
    raw, view = read_clean(seed_paths["001"])
    assert raw.published is not None
    published = date.fromisoformat(raw.published[:10])
    assert ("اليوم الاثنين", "relative", "2026-02-09") in values(view.text, published)
    _, view000 = read_clean(seed_paths["000"])
    assert ("عام 2025", "year", "2025") in values(view000.text, None)


@pytest.mark.parametrize(
    ("text", "published"),
    [("الأسبوع المقبل وغدا", date(9999, 12, 31)), ("أمس والأسبوع الماضي", date(1, 1, 1))],
)
def test_dates_beyond_the_calendar_stay_unresolved(text: str, published: date) -> None:
    found = find_dates(text, published)
    assert found
    assert all(d.value is None for d in found)


def test_a_hijri_day_without_a_year_is_the_one_nearest_the_publication_date() -> None:
    published = date(2015, 8, 2)  # 17 Shawwal 1436
    assert values("وصل في 15 شعبان", published) == [("15 شعبان", "hijri", "2015-06-02")]
    assert values("ويبدأ في 1 محرم", published) == [("1 محرم", "hijri", "2015-10-14")]
    assert values("فاز 3 صفر على منافسه", published) == []  # a score, not the month Safar
    assert values("في 15 شعبان", None) == [("15 شعبان", "hijri", None)]
    # on the side the text gives, nearest or not
    june = date(2015, 6, 20)  # 3 Ramadan 1436
    assert values("وفي يوم 26 رمضان الماضي", june) == [("26 رمضان الماضي", "hijri", "2014-07-23")]
    assert values("يبدأ يوم 2 رجب المقبل", date(2015, 4, 25)) == [
        ("2 رجب المقبل", "hijri", "2016-04-09")
    ]


_HIJRI_NAMES = ["محرم", "ربيع الأول", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]


@given(
    st.dates(min_value=date(700, 1, 1), max_value=date(9900, 1, 1)),
    st.sampled_from(_HIJRI_NAMES),
    st.integers(1, 29),
)
def test_a_yearless_hijri_day_falls_within_half_a_year(
    published: date, month: str, day: int
) -> None:
    (ref,) = find_dates(f"في {day} {month}", published)
    assert abs((date.fromisoformat(ref.value or "") - published).days) <= 178


def test_a_30th_of_a_29_day_month_is_the_next_months_first() -> None:
    """Shawwal 1437 had 29 days by Umm al-Qura: its `30th` (as a writer may count) is the
    day after the 29th, never a tabular date after the 1st of the next month."""
    assert hijri_to_gregorian(1437, 10, 30) == hijri_to_gregorian(1437, 10, 29) + timedelta(1)
    assert hijri_to_gregorian(1437, 10, 30) <= hijri_to_gregorian(1437, 11, 1)
