"""Cited sources: agencies, platforms, media and statements the outlet credits, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.extract.sources import find_sources, load_source_table
from tests.extract.seeds import read_clean


def found(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.name) for s in find_sources(text)]


def test_agency_named_in_parentheses() -> None:
    text = "قال جوساروف، اليوم الاثنين، في تصريحات نقلتها وكالة الأنباء الروسية (سبوتنيك) : إن"
    (source,) = find_sources(text)
    assert (source.kind, source.name) == ("agency", "سبوتنيك")
    assert source.text == "وكالة الأنباء الروسية (سبوتنيك)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الرياض - واس: أعلنت وزارة الداخلية", ("agency", "واس")),
        ("القاهرة (رويترز) - قال مسؤولون", ("agency", "رويترز")),
        ("بحسب ما نقلته وكالة رويترز عن مصادر", ("agency", "رويترز")),
        ("نقلا عن وكالة الأنباء السعودية (واس)", ("agency", "واس")),
        ("وذكرت وكالة فرانس برس أن", ("agency", "فرانس برس")),
        ("حسبما أفادت وكالة الأناضول", ("agency", "الأناضول")),
        ("وفقا لوكالة الأنباء الألمانية", ("agency", "د ب أ")),
        ("ذكرت صحيفة نيويورك تايمز الأمريكية أن", ("media", "نيويورك تايمز")),
        ("في تصريح لـ«سبق» أمس", ("media", "سبق")),
        ("خلال مقابلة مع وسائل إعلام روسية: إن", ("media", "وسائل إعلام روسية")),
        ("وكتب على حسابه في تويتر", ("platform", "تويتر")),
        (
            "عبر صفحتها الرسمية على موقع التواصل الاجتماعي «فيسبوك»، أن",
            ("platform", "فيسبوك"),
        ),
        ("وأوضح زيلينسكي، عبر منصة “إكس”، أن", ("platform", "إكس")),
        ("وقالت الوزارة في بيان لها إن", ("statement", "بيان")),
        ("وجاء ذلك في بيان صادر عن وزارة الداخلية أمس", ("statement", "وزارة الداخلية")),
    ],
)
def test_attributed_sources(text: str, expected: tuple[str, str]) -> None:
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "يستخدم الشباب تويتر وفيسبوك كثيرا",
        "عبرت السفينة قناة السويس أمس",
        "وقال في «الرياض» إن المشروع يكتمل",
        "افتتح الأمير معرض وكالة السيارات",
        "فازت بتنظيم الدورة على حساب براشوف الرومانية",
        "اللغات المتحدث بها في المدينة تشمل العربية والتركية",
        "وقعت الهجمات في جنوب شرق الأناضول",
    ],
)
def test_a_mention_is_not_a_citation(text: str) -> None:
    assert found(text) == []


def test_source_table_is_packaged_and_folds_spellings() -> None:
    table = load_source_table()
    assert table.lookup("أ ف ب") == ("فرانس برس", "agency")
    assert table.lookup("فيس بوك") == ("فيسبوك", "platform")


@given(st.text(alphabet="نقلا عن وكالة رويترز (واس) بحسب صحيفة «سبق» في بيان ًّ،.\n", max_size=80))
def test_spans_point_into_the_text(text: str) -> None:
    for s in find_sources(text):
        assert text[s.start : s.end] == s.text


def test_seeds_cite_sputnik_and_russian_media(seed_paths: dict[str, Path]) -> None:
    _, view000 = read_clean(seed_paths["000"])
    assert ("agency", "سبوتنيك") in found(view000.text)
    _, view001 = read_clean(seed_paths["001"])
    assert ("media", "وسائل إعلام روسية") in found(view001.text)


def test_a_known_name_ends_its_source_before_what_follows() -> None:
    (found,) = find_sources("وقال الوزير إن ما ذكرته وكالة رويترز أخبارا كاذبة عن الاجتماع.")
    assert (found.text, found.name) == ("وكالة رويترز", "رويترز")
    (found,) = find_sources("ونقلت وكالة رويترز للأنباء عن مصدر أن الاجتماع تأجل.")
    assert found.text == "وكالة رويترز للأنباء"  # its describing words stay
