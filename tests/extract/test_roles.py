"""Roles of people from the title phrase next to their name, before it or in apposition."""

from __future__ import annotations

from pathlib import Path

from akhbar.extract.model import Mention
from akhbar.extract.roles import attach_roles
from tests.extract.seeds import PEOPLE_000, PEOPLE_001, mentions_of, read_clean


def role_of(text: str, name: str, *others: str) -> str | None:
    mentions = mentions_of(text, (name, *others))
    by_text = {m.text: m.role for m in attach_roles(text, mentions)}
    return by_text[name]


def test_title_before_the_name() -> None:
    text = "وقال الرئيس الأوكراني فولوديمير زيلينسكي إن بنية الطاقة أهداف مشروعة."
    assert role_of(text, "فولوديمير زيلينسكي") == "الرئيس الأوكراني"


def test_long_role_with_institution() -> None:
    text = "قال رئيس إدارة شؤون شمال الأطلسي في وزارة الخارجية الروسية ألكسندر غوساروف، اليوم، إن"
    assert (
        role_of(text, "ألكسندر غوساروف") == "رئيس إدارة شؤون شمال الأطلسي في وزارة الخارجية الروسية"
    )


def test_ambassador_to() -> None:
    text = "حوارا جرى بين السفير الروسي لدى الولايات المتحدة ألكسندر دارتشيف ونظيره."
    assert role_of(text, "ألكسندر دارتشيف") == "السفير الروسي لدى الولايات المتحدة"


def test_role_before_a_comma() -> None:
    text = "بين السفير ألكسندر دارتشيف، ونائبة مساعد وزير الخارجية الأمريكي، سوناتا كولتر، أفضى"
    assert role_of(text, "سوناتا كولتر", "ألكسندر دارتشيف") == "نائبة مساعد وزير الخارجية الأمريكي"


def test_apposition_after_the_name() -> None:
    text = "صرّح ألكسندر غوساروف، رئيس إدارة شؤون شمال الأطلسي في وزارة الخارجية الروسية، اليوم"
    assert (
        role_of(text, "ألكسندر غوساروف") == "رئيس إدارة شؤون شمال الأطلسي في وزارة الخارجية الروسية"
    )
    text2 = "وأكد عبد الله السواط مدير عام الهيئة العامة للسياحة في الطائف، أن النسخة التاسعة"
    assert role_of(text2, "عبد الله السواط") == "مدير عام الهيئة العامة للسياحة في الطائف"


def test_an_apposition_stops_where_the_title_ends() -> None:
    text = "نفى عزام الدخيل وزير التعليم ما يتم تداوله بشأن تأجيل الدراسة."
    assert role_of(text, "عزام الدخيل") == "وزير التعليم"
    text2 = "وانتقد فلورنتينو بيريز رئيس النادي وألقت الصحف باللائمة عليه."
    assert role_of(text2, "فلورنتينو بيريز") == "رئيس النادي"
    text3 = "وقال عبدالله بن زايد وزير الخارجية الإماراتي. وأضاف"
    assert role_of(text3, "عبدالله بن زايد") == "وزير الخارجية الإماراتي"
    text4 = "أعلن رئيس الوزراء عن تعيين لويس كيسي مستشارا"
    assert role_of(text4, "لويس كيسي") is None


def test_honorifics_are_not_roles() -> None:
    text = "وأوضح معالي وزير العدل الشيخ وليد بن محمد الصمعاني أن الأمر الكريم"
    assert role_of(text, "وليد بن محمد الصمعاني") == "وزير العدل"
    assert role_of("استقبل الدكتور خالد العنقري الوفد", "خالد العنقري") is None


def test_no_role_and_other_types_untouched() -> None:
    text = "قال محمد إن الاجتماع في الرياض ناجح"
    loc = Mention(text.index("الرياض"), text.index("الرياض") + 6, "الرياض", "LOC", "الرياض")
    out = attach_roles(text, [*mentions_of(text, ("محمد",)), loc])
    assert [m.role for m in out] == [None, None]


def test_later_mentions_of_a_person_share_the_role() -> None:
    text = "قال الرئيس الأوكراني فولوديمير زيلينسكي إن الطاقة هدف. وأوضح فولوديمير زيلينسكي أن"
    out = attach_roles(text, mentions_of(text, ("فولوديمير زيلينسكي",)))
    assert [m.role for m in out] == ["الرئيس الأوكراني", "الرئيس الأوكراني"]


def test_seeds_roles(seed_paths: dict[str, Path]) -> None:
    _, view000 = read_clean(seed_paths["000"])
    roles = {
        m.text: m.role for m in attach_roles(view000.text, mentions_of(view000.text, PEOPLE_000))
    }
    assert roles["ألكسندر جوساروف"] == "رئيس إدارة شؤون شمال الأطلسى فى وزارة الخارجية الروسية"
    assert roles["ألكسندر دارتشيف"] == "السفير الروسي لدى أمريكا"
    assert roles["سوناتا كولتر"] == "نائبة مساعد وزير الخارجية الأمريكي"
    assert roles["فولوديمير زيلينسكي"] == "الرئيس الأوكراني"
    _, view001 = read_clean(seed_paths["001"])
    roles = {
        m.text: m.role for m in attach_roles(view001.text, mentions_of(view001.text, PEOPLE_001))
    }
    assert roles["ألكسندر غوساروف"] == "رئيس إدارة شؤون شمال الأطلسي في وزارة الخارجية الروسية"


def test_a_military_rank_ends_no_longer_role() -> None:
    text = "وقال المتحدث الرسمي للدفاع المدني بمنطقة جازان الرائد يحيى القحطاني إن الفرق باشرت."
    assert role_of(text, "يحيى القحطاني") == "المتحدث الرسمي للدفاع المدني بمنطقة جازان"
    # the rank alone is all the role there is
    assert role_of("وأوضح الرائد يحيى القحطاني أن الحادث بسيط.", "يحيى القحطاني") == "الرائد"
