"""Each cleaning rule on small hand-written Arabic examples, and invariants on any text."""

from __future__ import annotations

import dataclasses
import pickle
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.model import Block, CleanArticle
from akhbar.settings import CleanSettings
from akhbar.text.boilerplate import load_patterns
from akhbar.text.clean import (
    _COMPACT,
    _MIN_SEGMENT,
    BoilerplateDetector,
    _Paragraphs,
    candidate_lines,
    clean,
    clean_with_lines,
    line_key,
)
from akhbar.text.clean import split_glued_heading as glued
from akhbar.text.normalize import normalize
from tests.text.helpers import article, lost_words, offsets_ok

S = CleanSettings()
P1 = "قال وزير الصحة اليوم إن الوزارة افتتحت ثلاثة مستشفيات جديدة في المنطقة الشرقية."
P2 = "وأوضح الوزير أن المستشفيات الجديدة تضم أكثر من ألف سرير وتخدم نصف مليون نسمة."
P3 = "وأشار إلى أن العمل جار على إنشاء خمسة مستشفيات أخرى خلال العام المقبل."


def reasons(view: object) -> dict[str, str]:
    return {r.text: r.reason for r in view.removed}  # type: ignore[attr-defined]


# -- rule 1: whitespace


def test_whitespace_lines_are_blank_and_spaces_collapse() -> None:
    spaced = P2.replace(" ", "  \u00a0", 2)
    raw = article(f"{P1}\n\u00a0\n \u2003 \u00a0\n\u200b\n{spaced}")
    view = clean(raw, S)
    assert [b.text for b in view.blocks] == [P1, P2]
    assert view.removed == ()


# -- rule 2: title


def test_given_title_and_its_repeats() -> None:
    title = "الصحة تفتتح ثلاثة مستشفيات"
    view = clean(article(f"{title}\n{P1}\n«الصحة» تفتتح ثلاثة مستشفيات\n{P2}", title), S)
    assert view.title == title
    assert view.title_source == "given"
    assert [r.reason for r in view.removed] == ["duplicate-title", "duplicate-title"]


def test_first_line_title_only_when_headline_shaped() -> None:
    view = clean(article(f"الصحة تفتتح ثلاثة مستشفيات\n{P1}\n{P2}"), S)
    assert (view.title, view.title_source) == ("الصحة تفتتح ثلاثة مستشفيات", "first-line")
    view = clean(article(f"{P1}\n{P2}"), S)
    assert view.title is None
    assert len(view.paragraphs) == 2
    # A dateline full of numbers is not a title.
    view = clean(article(f"الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م\n{P1}"), S)
    assert view.title is None


# -- rule 3: duplicates


def test_verbatim_duplicate_paragraph() -> None:
    view = clean(article(f"{P1}\n{P2}\n{P1.replace('إن', 'إنّ')}\n{P3}"), S)
    assert [b.text for b in view.blocks] == [P1, P2, P3]
    assert list(reasons(view).values()) == ["duplicate-paragraph"]


def test_concatenated_paragraphs() -> None:
    view = clean(article(f"{P1}\n{P2}{P3}\n{P2}\n{P3}"), S)
    assert [b.text for b in view.blocks] == [P1, P2, P3]
    assert reasons(view) == {P2 + P3: "concatenated-paragraphs"}


def test_paragraph_with_more_than_others_is_kept() -> None:
    extra = P2 + " وأضاف أن الافتتاح الرسمي سيكون الأسبوع المقبل بحضور أمير المنطقة." + P3
    view = clean(article(f"{P1}\n{extra}\n{P2}\n{P3}"), S)
    assert len(view.paragraphs) == 4
    assert view.removed == ()


# -- rule 4: boilerplate


def test_boilerplate_lines_and_tails() -> None:
    text = (
        f"{P1}\n{P2} رابط الخبر بصحيفة الوئام: الصحة تفتتح ثلاثة مستشفيات\nاقرأ أيضاً: "
        "عنوان آخر\nتابعونا على تويتر\nجميع الحقوق محفوظة © 2026\n// انتهى //\nزيارة مصدر الخبر"
    )
    view = clean(article(text), S)
    assert [b.text for b in view.blocks] == [P1, P2]
    assert all(r.reason == "boilerplate" for r in view.removed)
    assert "رابط الخبر بصحيفة الوئام: الصحة تفتتح ثلاثة مستشفيات" in reasons(view)
    assert len(view.removed) == 6


def test_boilerplate_words_inside_sentences_are_kept() -> None:
    sentence = "وشارك على مدى يومين أكثر من خمسمائة خبير في المؤتمر الذي زار مصدر الخبر."
    view = clean(article(f"{P1}\n{sentence}"), S)
    assert len(view.paragraphs) == 2
    assert view.removed == ()


def test_extra_and_outlet_boilerplate() -> None:
    footer = "حمّلوا تطبيق صحيفة المثال"
    custom = CleanSettings(extra_boilerplate=("line: اعلانات مبوبه",))
    view = clean(article(f"{P1}\nإعلانات مبوبة\n{P2}\n{footer}"), custom, frozenset())
    assert reasons(view) == {"إعلانات مبوبة": "boilerplate", footer: "boilerplate"}
    view = clean(
        article(f"{P1}\nصحيفة المثال الإلكترونية\n{P2}"),
        S,
        frozenset({line_key("صحيفة المثال الإلكترونية")}),
    )
    assert reasons(view) == {"صحيفة المثال الإلكترونية": "outlet-boilerplate"}


def test_patterns_are_compiled_once() -> None:
    assert load_patterns(()) is load_patterns(())


# -- rule 5: glued headings


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        (
            "افتتاح مستشفيات جديدةوأشار الوزير إلى أن العمل جار على إنشاء خمسة أخرى",
            "افتتاح مستشفيات جديدة",
        ),
        ("زيارة المدرسةوأكد المدير أن العام الدراسي يبدأ في موعده", "زيارة المدرسة"),
        ("ضبط مخالفينودعت الشرطة المواطنين إلى الإبلاغ عن المخالفات", "ضبط مخالفين"),
        ("تطوير الخدمات الصحيةفي ظل النمو السكاني المتسارع تعمل الوزارة على", None),
        (
            "خطة الوزارة للتوسعوقال الوزير إن الخطة تشمل مستشفيات جديدة في كل منطقة",
            "خطة الوزارة للتوسع",
        ),
    ],
)
def test_glued_heading_split(line: str, heading: str | None) -> None:
    parts = glued(line, S)
    if heading is None:
        assert parts is None
    else:
        assert parts is not None
        assert parts[0] == heading
        assert (parts[0] + parts[1]).replace(" ", "") == line.replace(" ", "")
        assert parts[1].split()[0] in ("وأشار", "وأكد", "وقال", "ودعت")


@pytest.mark.parametrize(
    "line",
    [
        "توفيت والدة الفنان المعروف بعد صراع طويل مع المرض في المستشفى",
        "أعلنت قيادة القوات المشتركة اعتقال عدد من المطلوبين في المنطقة الحدودية",
        "وفي سياق متصل أعلنت الوزارة عن خطة جديدة للتطوير تشمل عدة مناطق",
        "أكد المتوفي قبل وفاته أن الأرض ملك للعائلة منذ عقود طويلة من الزمن",
        "وقعت المملكةوالإمارات اتفاقية جديدة للتعاون في مجال الطاقة المتجددة",
        # `مستودعات` ends with `ودعات` (no verb: `دعت`), `الواكد` with `واكد` after `ال`,
        # `تطورات` with `ورات` (`رأت` folded)
        "حازت مستودعات الشركة في المنطقة على شهادة الجودة العالمية هذا العام",
        "احتفل الشاب سلمان سعود الواكد بزواجه في قاعة الأفراح بالرياض",
        "ترسم التطورات الميدانية في سوريا خريطة جديدة للبلاد",
    ],
)
def test_real_words_are_never_split(line: str) -> None:
    assert glued(line, S) is None


# -- rules 6 and 7: inserted headlines and sub-headings


def test_subheading_linked_to_its_paragraph_is_a_heading() -> None:
    text = f"{P1}\nمستشفيات جديدة بألف سرير\n{P2}\n{P3}"
    view = clean(article(text), S)
    assert [h.text for h in view.headings] == ["مستشفيات جديدة بألف سرير"]
    assert view.removed == ()


def test_inserted_headlines_on_and_off_topic() -> None:
    on = "وزير الصحة يفتتح مستشفيات جديدة في المنطقة الشرقية"
    off = "الهلال يفوز على النصر بهدفين في ديربي العاصمة"
    view = clean(article(f"{P1}\n{on}\n{off}\n{P2}\n{P3}"), S)
    assert reasons(view) == {
        on: "inserted-headline-on-topic",
        off: "inserted-headline-off-topic",
    }
    assert (view.title, view.title_source) == (on, "inserted-headline")
    assert "الهلال" not in view.text


def test_a_hard_wrapped_paragraph_is_kept_whole() -> None:
    text = (
        "استقبل صاحب السمو الملكي الأمير فيصل بن بندر بن عبدالعزيز أمير منطقة\n"
        "الرياض في مكتب سموه بقصر الحكم اليوم سفير جمهورية البيرو لدى المملكة\n"
        "إدوارد مارتينيتي الذي ودع سموه بمناسبة انتهاء فترة عمله سفيرًا لبلاده\n"
        "لدى المملكة ."
    )
    view = clean(article(text, title="أمير الرياض يستقبل سفير البيرو"), S)
    assert view.removed == ()
    assert view.text.split() == text.split()


def test_verse_and_lists_are_kept_while_a_run_of_headlines_goes() -> None:
    poem = [
        "يا من يبادلني بحظي وأزيده",
        "من جاز له بالزود ما فيه ردّه",
        "يقدم على حظ ترى يوم عيده",
        "وإلى برك يبسط على القاع خده",
    ]
    view = clean(article("\n".join([P1, *poem, P2])), S)
    assert view.removed == ()
    items = ["موافقة الوزير المختص", "المتبرع غير مرتبط بعقد مع الجهة", "عدم مخالفة الأنظمة"]
    intro = "حددت اللائحة الجديدة شروط قبول التبرعات للجهات الحكومية، وأبرزها:"
    view = clean(article("\n".join([intro, *items, P2])), S)
    assert view.removed == ()
    related = [
        "الهلال يفوز على النصر بهدفين في ديربي العاصمة",
        "ارتفاع أسعار النفط في تعاملات الأسبوع",
        "أمطار غزيرة على منطقة جازان",
    ]
    view = clean(article("\n".join([P1, P2, *related, P3])), S)
    assert set(reasons(view)) == set(related)


def test_conservative_guards_keep_lines() -> None:
    candidates = [
        "الهلال يفوز على النصر بهدفين.",  # sentence punctuation
        "وقال المدرب إن الفريق جاهز",  # و-prefixed opening word
        'المدرب: "الفريق جاهز للمباراة"',  # a quotation
        "النتائج 3 - 1 و 2 - 0 و 4 - 2",  # number-heavy
        "1- توجيه تحذير للنادي",  # list item
    ]
    for line in candidates:
        view = clean(article(f"{P1}\n{line}\n{P2}"), S)
        assert view.removed == (), line
    last = "الهلال يفوز على النصر بهدفين في ديربي العاصمة"
    view = clean(article(f"{P1}\n{P2}\n{last}"), S)
    assert view.removed == ()
    assert view.blocks[-1].text == last


# -- invariants on arbitrary text

_WORDS = st.sampled_from(
    [*P1.split(), *P2.split(), "زيارة", "مصدر", "الخبر", "روسيةوأشار", "\u00a0", "«", "»", "."]
)
_LINE = st.lists(_WORDS, min_size=0, max_size=25).map(" ".join)
_TEXT = st.lists(_LINE, min_size=1, max_size=8).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.one_of(st.none(), _LINE))
def test_clean_invariants(text: str, title: str | None) -> None:
    raw = article(text, title)
    view = clean(raw, S)
    assert raw.text == text
    assert offsets_ok(view)
    assert lost_words(raw, view) == []
    assert view.normalized_text == normalize(view.text)
    assert all(b.kind in ("paragraph", "heading") and b.text for b in view.blocks)
    assert pickle.loads(pickle.dumps(view)) == view  # as ingest workers send it
    same, _, norms = clean_with_lines(raw, S)
    assert same == view
    assert norms == tuple(normalize(b.text) for b in view.blocks)  # what matching reuses


def test_a_view_whose_blocks_are_not_its_slices_pickles_as_it_is() -> None:
    """Blocks are pickled as offsets only when they are slices of the text; a view built by
    hand with other blocks comes back unchanged, not re-cut from its text."""
    view = clean(article(P1 + "\n\n" + P2), S)
    odd = dataclasses.replace(view, blocks=(Block("paragraph", "نص آخر", 0, 6), *view.blocks))
    assert pickle.loads(pickle.dumps(view)) == view
    assert pickle.loads(pickle.dumps(odd)) == odd
    spans = tuple((b.kind, b.start, b.end) for b in view.blocks)
    assert spans in view.__reduce__()[1][1]  # the compact form: offsets, not Block objects
    assert odd.blocks in odd.__reduce__()[1]
    own = _View(*(getattr(view, f.name) for f in dataclasses.fields(view)))
    back = pickle.loads(pickle.dumps(own))
    assert type(back) is _View  # a subclass comes back as itself
    assert back == own


class _View(CleanArticle):
    """A caller's own kind of cleaned view."""


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_clean_never_fails_on_any_text(text: str) -> None:
    raw = article(text)
    view = clean(raw, S)
    assert offsets_ok(view)
    assert lost_words(raw, view) == []


# -- the boilerplate detector


def test_detector_learns_an_outlets_recurring_lines() -> None:
    footer = "تابعوا صحيفة المثال على منصاتها"
    arts = [article(f"{P1} رقم {i}\n{P2}\n{footer}", outlet="mithal") for i in range(8)] + [
        article(f"{P3} رقم {i}\n{footer}", outlet="other") for i in range(3)
    ]
    det = BoilerplateDetector(min_articles=5, min_share=0.2).fit(arts)
    assert det.lines_for("mithal") == frozenset({line_key(footer), line_key(P2)})
    assert det.lines_for("other") == frozenset()  # only 3 articles: below min_articles
    assert det.lines_for("unknown") == frozenset()
    view = clean(arts[0], S, det.lines_for("mithal"))
    assert reasons(view)[footer] == "outlet-boilerplate"
    assert line_key(footer) in candidate_lines(arts[0])


def test_detector_ignores_long_lines() -> None:
    long_line = " ".join(["كلمة"] * 40)
    arts = [article(f"{P1} {i}\n{long_line}", outlet="o") for i in range(6)]
    assert BoilerplateDetector(max_words=30).fit(arts).lines_for("o") == frozenset()


def test_clean_is_fast() -> None:
    raw = article("\n".join([P1, P2, P3] * 8), "الصحة تفتتح ثلاثة مستشفيات")
    clean(raw, S)
    start = time.perf_counter()
    for _ in range(200):
        clean(raw, S)
    assert (time.perf_counter() - start) / 200 < 0.005


def test_a_byline_is_boilerplate_at_the_edges_of_the_body_only() -> None:
    byline = "عبدالرحمن الشهري - عسير"
    heading = "الأرمن والدولة الصفوية - إيران"
    fixture = "تشاد او سيراليون - مصر"
    more = [
        "ويتوقع أن تبدأ المستشفيات الجديدة استقبال المرضى مطلع الشهر المقبل بكامل طاقتها.",
        "وتعمل الوزارة على توظيف ألفي طبيب وممرض للعمل في المستشفيات الجديدة هذا العام.",
        "وكانت الوزارة قد أعلنت العام الماضي خطة لتوسيع الخدمات الصحية في جميع المناطق.",
    ]
    view = clean(article("\n".join([byline, P1, heading, P2, fixture, P3, *more])), S)
    found = reasons(view)
    assert found[byline] == "boilerplate"
    assert found.get(heading) != "boilerplate"  # in the middle: a sub-heading, a fixture
    assert found.get(fixture) != "boilerplate"


def test_a_sentence_ending_in_a_direction_mark_is_no_headline() -> None:
    short = "الرئيس يصل إلى جدة في زيارة رسمية تستغرق يومين."
    for mark in ("\u200f", "\u200e", "\u202c"):
        view = clean(article("\n".join([P1, short + mark, P2, "\u200f", P3])), S)
        assert view.removed == ()
        assert len(view.blocks) == 4


def test_a_tag_list_is_cut_at_the_end_of_the_body_only() -> None:
    heading = "سمات القائد الناجح"
    more = [
        "ويتوقع أن تبدأ المستشفيات الجديدة استقبال المرضى مطلع الشهر المقبل بكامل طاقتها.",
        "وتعمل الوزارة على توظيف ألفي طبيب وممرض للعمل في المستشفيات الجديدة هذا العام.",
        "وكانت الوزارة قد أعلنت العام الماضي خطة لتوسيع الخدمات الصحية في جميع المناطق.",
    ]
    tags = "سمات الصحة المستشفيات الشرقية"
    view = clean(article("\n".join([P1, heading, P2, P3, *more, tags])), S)
    assert reasons(view).get(heading) != "boilerplate"
    assert reasons(view)[tags] == "boilerplate"


@pytest.mark.parametrize(
    ("line", "kept", "cut"),
    [
        (
            "قال الوزير إن المفاوضات وصلت إلى مراحلها النهائية.زيارة مصدر الخبر",
            "قال الوزير إن المفاوضات وصلت إلى مراحلها النهائية.",
            "زيارة مصدر الخبر",
        ),
        (
            "أعلنت الشركة نتائجها للربع الثاني من العام الجاري.المصدر: رويترز",
            "أعلنت الشركة نتائجها للربع الثاني من العام الجاري.",
            "المصدر: رويترز",
        ),
        (
            "وقال الوزير إن المباراة النهائية ستقام في الرياض...المزيد",
            "وقال الوزير إن المباراة النهائية ستقام في الرياض.",
            "..المزيد",
        ),
    ],
)
def test_a_footer_glued_to_the_last_sentence_leaves_its_last_word(
    line: str, kept: str, cut: str
) -> None:
    view = clean(article(f"{P1}\n{line}"), S)
    assert view.text.endswith(kept)
    assert reasons(view) == {cut: "boilerplate"}


def test_a_columns_contact_footer_and_list_of_other_columns_are_boilerplate() -> None:
    footer = [
        "للتواصل مع الكاتب ارسل رسالة SMS",
        "تبدأ بالرمز (34) ثم مسافة ثم نص الرسالة إلى",
        "88591 - Stc",
        "635031 - Mobily",
        "737221 - Zain",
    ]
    others = "مقالات أخرى للكاتبمرور الرياض وتحويلات المترو!البريد السعودي يكسب الرهان"
    view = clean(article("\n".join([P1, P2, *footer])), S)
    assert reasons(view) == dict.fromkeys(footer, "boilerplate")
    view = clean(article("\n".join([P1, P2, others])), S)
    assert reasons(view) == {others: "boilerplate"}


_PIECES = [P1, P2, P3, "قال", P1 + " " + P2, P2 + P3, "وزير الصحة"]


@given(st.lists(st.sampled_from(_PIECES), max_size=8))
def test_concatenations_are_found_as_by_a_scan_of_every_paragraph(parts: list[str]) -> None:
    # the indexed look-up against the plain definition: the longest other paragraph at a place
    compact = [_COMPACT.sub("", normalize(p)) for p in parts]
    paragraphs = _Paragraphs(compact)
    for i, text in enumerate(compact):
        for pos in range(len(text)):
            fits = [
                len(c)
                for j, c in enumerate(compact)
                if j != i and len(c) >= _MIN_SEGMENT and text.startswith(c, pos)
            ]
            assert paragraphs.longest_at(i, pos) == max(fits, default=0)


def test_an_agency_section_label_leaves_the_title() -> None:
    view = clean(article(P1, title="عام / أمير الرياض يستقبل سفير البيرو"), S)
    assert view.title == "أمير الرياض يستقبل سفير البيرو"
    assert [e.rule for e in view.edits] == ["title-section-label"]
    kept = clean(article(P1, title="عام 2015 / حصاد الاقتصاد السعودي"), S)
    assert kept.title == "عام 2015 / حصاد الاقتصاد السعودي"  # a year, no label


def test_a_share_bar_glued_in_front_of_the_first_paragraph_is_cut() -> None:
    bar = "شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك"
    view = clean(article(f"{bar} {P1}\n{P2}"), S)
    assert view.text.split("\n\n") == [P1, P2]
    assert reasons(view) == {bar: "boilerplate"}


def test_a_byline_glued_in_front_of_the_lead_is_cut() -> None:
    """`NAME - outlet - CITY:` before the lead (603 sabq articles): the reporters' names
    are no part of the story; the same shape further down is a writer's aside, kept."""
    for byline in (
        "عمر عريبي - سبق - جازان:",
        "قاسم الخبراني، فهد الكاملي- سبق- جازان:",
        "سبق- الرياض:",  # an outlet's or agency's dateline, no names
        "واس - الرياض:",
    ):
        view = clean(article(f"{byline} {P1}\n{P2}"), S)
        assert view.text.split("\n\n") == [P1, P2]
        assert reasons(view) == {byline: "boilerplate"}
    aside = "وقال الشاعر في قصيدته - أيضا - الأبيات التالية: " + P2
    view = clean(article(f"{P1}\n{P2}\n{aside}"), S)
    assert view.text.split("\n\n") == [P1, P2, aside]


def test_spas_dateline_line_is_cut() -> None:
    """SPA's dateline on a line of its own is where and when it was filed, not the lead."""
    dateline = "الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس"
    view = clean(article(f"{dateline}\n{P1}\n{P2}"), S)
    assert view.text.split("\n\n") == [P1, P2]
    assert reasons(view) == {dateline: "boilerplate"}
