"""Variant linking across articles: phonetic keys, precision-first merges, the alias table, and
the gate on labelled SaudiNewsNet name pairs (`data/name_pairs.tsv`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.extract.link import EntityLinker, load_aliases, name_key, names_match, tokens_compatible
from akhbar.extract.model import Mention
from akhbar.extract.roles import attach_roles
from akhbar.text.normalize import normalize
from tests.extract.seeds import PEOPLE_000, PEOPLE_001, mentions_of, read_clean

PAIRS = Path(__file__).parent / "data" / "name_pairs.tsv"
# Measured P 1.000, R 0.902 on the 75 pairs; floors pinned a little below.
PAIRS_P, PAIRS_R = 0.97, 0.88


def mention(text: str, kind: str = "PER", role: str | None = None, start: int = 0) -> Mention:
    return Mention(start, start + len(text), text, kind, normalize(text), role)  # type: ignore[arg-type]


def test_g_spellings_share_a_key() -> None:
    assert name_key("غوساروف") == name_key("جوساروف")
    assert tokens_compatible("غوساروف", "جوساروف")
    assert tokens_compatible("زيلينسكي", "زيلنسكي")
    assert tokens_compatible("دارتشيف", "دارشيف")
    assert tokens_compatible("الجبير", "جبير")


def test_native_given_names_never_vary() -> None:
    assert not tokens_compatible("محمد", "محمود")
    assert not tokens_compatible("جمال", "كمال")
    assert not tokens_compatible("قاسم", "جاسم")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ألكسندر جوساروف", "ألكسندر غوساروف", True),
        ("عادل الجبير", "عادل بن أحمد الجبير", True),
        ("الرئيس فولوديمير زيلينسكي", "فولوديمير زيلنسكي", True),
        ("محمد بن سلمان", "محمد بن نايف", False),
        ("سعود الفيصل", "خالد الفيصل", False),
        ("محمود عباس", "محمد عباس", False),
        ("غوساروف", "جوساروف", False),  # bare family names need a shared context
    ],
)
def test_names_match(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same


def test_bare_family_name_joins_the_full_name_of_its_story_only() -> None:
    linker = EntityLinker()
    linker.add(mention("ألكسندر جوساروف"), "a1", "s1")
    linker.add(mention("جوساروف", start=40), "a1", "s1")
    linker.add(mention("ألكسندر غوساروف"), "a2", "s1")
    linker.add(mention("غوساروف", start=50), "a2", "s1")
    linker.add(mention("غوساروف"), "a9", "other-story")
    people = [e for e in linker.entities() if e.type == "PER"]
    main = max(people, key=lambda e: e.mentions)
    assert main.mentions == 4
    assert set(main.variants) == {"ألكسندر جوساروف", "جوساروف", "ألكسندر غوساروف", "غوساروف"}
    assert len(people) == 2  # the lone `غوساروف` of another story stays apart


def test_two_people_with_one_family_name_stay_apart_even_in_one_article() -> None:
    linker = EntityLinker()
    linker.add(mention("سعود الفيصل"), "a1")
    linker.add(mention("خالد الفيصل", start=30), "a1")
    linker.add(mention("الفيصل", start=60), "a1")  # ambiguous: joins neither
    people = {e.name: e.mentions for e in linker.entities()}
    assert people == {"سعود الفيصل": 1, "خالد الفيصل": 1, "الفيصل": 1}


def test_canonical_name_is_the_most_frequent_spelling_and_roles_are_kept() -> None:
    linker = EntityLinker()
    for i, article in enumerate(("a1", "a2", "a3")):
        linker.add(mention("سيرغي لافروف", role="وزير الخارجية الروسي"), article)
        if i < 2:
            linker.add(mention("سيرجي لافروف", start=40), article)
    linker.add(mention("سيرجي لافروف", start=80), "a3")
    linker.add(mention("سيرجي لافروف", start=120), "a3")
    (entity,) = linker.entities()
    assert entity.name == "سيرجي لافروف"
    assert entity.mentions == 7
    assert entity.roles == ("وزير الخارجية الروسي",)
    assert entity.articles == ("a1", "a2", "a3")
    assert linker.entity_id("a1", mention("سيرغي لافروف")) == entity.id


def test_alias_table_links_places_and_organisations() -> None:
    linker = EntityLinker()
    for i, name in enumerate(("أمريكا", "الولايات المتحدة الأمريكية", "واشنطن", "أميركا")):
        linker.add(mention(name, "LOC", start=i * 30), "a1")
    linker.add(mention("المملكة العربية السعودية", "LOC"), "a2")
    linker.add(mention("السعودية", "LOC", start=40), "a2")
    linker.add(mention("الأمم المتحدة", "ORG"), "a3")
    names = {e.name: e.mentions for e in linker.entities()}
    assert names == {"الولايات المتحدة": 4, "السعودية": 2, "الأمم المتحدة": 1}
    assert load_aliases().lookup("المملكة", metonymy=False) is not None


def test_capitals_stand_for_governments_only_with_metonymy() -> None:
    linker = EntityLinker(metonymy=False)
    linker.add(mention("واشنطن", "LOC"), "a1")
    linker.add(mention("أمريكا", "LOC", start=20), "a1")
    assert len(linker.entities()) == 2


def test_seeds_gusarov_is_one_entity_with_his_role(seed_paths: dict[str, Path]) -> None:
    linker = EntityLinker()
    for key, people in (("000", PEOPLE_000), ("001", PEOPLE_001)):
        _, view = read_clean(seed_paths[key])
        mentions = attach_roles(view.text, mentions_of(view.text, people))
        places = mentions_of(view.text, ("روسيا", "أمريكا", "واشنطن", "الولايات المتحدة"), "LOC")
        linker.add_all([*mentions, *places], key, story="gusarov")
    entities = {e.name: e for e in linker.entities()}
    gusarov = next(e for e in entities.values() if "غوساروف" in e.variants)
    assert {"ألكسندر جوساروف", "ألكسندر غوساروف", "جوساروف", "غوساروف"} <= set(gusarov.variants)
    assert gusarov.roles
    assert all(normalize(r).startswith("رءيس اداره شءون شمال الاطلسي") for r in gusarov.roles)
    us = entities["الولايات المتحدة"]
    assert {"أمريكا", "واشنطن"} <= set(us.variants)
    assert "زيلينسكي" in entities["فولوديمير زيلينسكي"].variants


def test_gate_on_labelled_name_pairs() -> None:
    tp = fp = fn = 0
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        a, b, label = line.split("\t")
        merged = names_match(a, b)
        tp += merged and label == "1"
        fp += merged and label == "0"
        fn += (not merged) and label == "1"
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn)
    assert precision >= PAIRS_P, (tp, fp, fn)
    assert recall >= PAIRS_R, (tp, fp, fn)


def test_entities_kept_apart_under_one_name_get_distinct_ids() -> None:
    linker = EntityLinker()
    linker.add(mention("الجبير"), "a1", "s1")
    linker.add(mention("الجبير"), "a2", "s2")
    people = [e for e in linker.entities() if e.type == "PER"]
    assert len(people) == 2
    assert len({e.id for e in people}) == 2
    assert linker.entity_id("a1", mention("الجبير")) != linker.entity_id("a2", mention("الجبير"))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("محمد بن زايد آل نهيان", "محمد بن زايد", True),  # the family may be left out
        ("سلمان بن عبدالعزيز آل سعود", "سلمان بن عبد العزيز", True),
        ("محمد بن زايد", "محمد بن راشد آل مكتوم", False),
        ("محمد بن راشد آل مكتوم", "محمد بن زايد آل نهيان", False),
        ("للشيخ محمد بن زايد", "محمد بن زايد", True),  # a title with a clitic is no name
        ("لويس فان غال", "لويس فان جال", True),  # three-letter variants
        # a long vowel more or less makes another short name; two families must agree
        ("محمد شرف", "محمد شريف", False),
        ("أحمد بدر", "أحمد بدير", False),
        ("جابر المبارك", "جبر المبارك", False),
        ("تميم بن حمد آل ثاني", "تميم بن حمد آل خليفة", False),
        ("عبدالله بن زايد آل نهيان", "عبدالله بن زايد آل خليفة", False),
    ],
)
def test_families_titles_and_short_variants(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same
    assert names_match(b, a) is same


def test_the_linker_joins_a_name_with_and_without_its_family() -> None:
    linker = EntityLinker()
    for i, name in enumerate(["محمد بن زايد آل نهيان", "محمد بن زايد", "محمد بن راشد آل مكتوم"]):
        linker.add(mention(name), f"a{i}")
    groups = sorted(sorted(e.variants) for e in linker.entities())
    assert groups == [["محمد بن راشد آل مكتوم"], ["محمد بن زايد", "محمد بن زايد آل نهيان"]]


def test_a_name_with_the_clitic_li_left_on_links_to_the_name() -> None:
    linker = EntityLinker()
    linker.add(mention("بشار الأسد"), "a")
    linker.add(mention("الأسد"), "a")
    linker.add(mention("للأسد"), "a")  # `ل` + `الأسد`
    linker.add(mention("الهلال", "ORG"), "b")
    linker.add(mention("للهلال", "ORG"), "b")
    groups = sorted(sorted(e.variants) for e in linker.entities())
    assert groups == [["الأسد", "بشار الأسد", "للأسد"], ["الهلال", "للهلال"]]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("سلطان بن سلمان", "سلطان بن سلمان بن عبدالعزيز", True),  # more forebears
        ("محمد بن نايف", "محمد بن نايف بن عبدالعزيز", True),
        ("محمد بن عبدالعزيز", "محمد بن نايف بن عبدالعزيز", False),  # another father
    ],
)
def test_a_chain_of_forebears(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same
    assert names_match(b, a) is same
