"""Digest building on small hand-written stories, and invariants on generated ones."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.digest import Digest, DigestArticle, build_digest, prepare_article, render_markdown
from akhbar.errors import InputError
from akhbar.extract.dates import find_dates
from akhbar.extract.model import DateRef, Extraction, Mention, Quote
from akhbar.text.normalize import normalize

CRASH_A = (
    "قتل 12 شخصا في حادث تصادم بين حافلة وشاحنة على طريق الرياض الدمام السريع صباح اليوم. "
    "وأوضح المتحدث باسم الدفاع المدني أن فرق الإسعاف نقلت المصابين إلى مستشفى الملك فهد. "
    "وأشار إلى أن التحقيقات جارية لمعرفة أسباب الحادث."
)
CRASH_B = (
    "لقي 15 شخصا مصرعهم، قتل 15 شخصا في تصادم حافلة وشاحنة على طريق الرياض الدمام السريع "
    "صباح اليوم. وقال الدفاع المدني إن فرق الإسعاف نقلت المصابين إلى مستشفى الملك فهد. "
    "وذكرت الصحيفة أن السائق كان يقود بسرعة عالية جدا قبل وقوع الحادث المروع."
)


def art(
    id_: str, outlet: str, text: str, copy: str | None = None, published: str | None = None
) -> DigestArticle:
    """A digest article without extraction."""
    return DigestArticle(id_, outlet, published, None, text, copy)


def check_invariants(digest: Digest, articles: list[DigestArticle]) -> None:
    """What every digest must satisfy: exact offsets, non-empty claims, one clause per article
    per claim, copies counted once, claims' outlets are their members' outlets, every
    article on the timeline, JSON-serialisable."""
    texts = {a.id: a for a in articles}
    for claim in digest.claims:
        assert claim.text
        assert claim.support
        ids = [s.article for s in claim.support]
        assert len(ids) == len(set(ids)), "two clauses of one article in one claim"
        for s in claim.support:
            assert texts[s.article].text[s.start : s.end] == s.text
            assert s.outlet == texts[s.article].outlet
            assert s.text.strip()
        assert set(claim.outlets) == {s.outlet for s in claim.support}
        voices = {texts[i].copy or f"solo:{i}" for i in ids}
        assert claim.voices == len(voices)
        assert claim.text in {s.text for s in claim.support}
    for _, items in digest.only:
        for item in items:
            assert item.support
            for s in item.support:
                assert texts[s.article].text[s.start : s.end] == s.text
            assert set(item.outlets) == {s.outlet for s in item.support}
    listed = [t.article for t in digest.timeline if t.kind == "article"]
    assert sorted(listed) == sorted(texts)
    json.dumps(digest.to_dict(), ensure_ascii=False)
    # ids number the claims in the order the views list them: shared ones (voices of
    # several outlets) first, so "c3" cited in a section is item 3 of the lists
    assert [c.id for c in digest.claims] == [f"c{n}" for n in range(1, len(digest.claims) + 1)]
    shared = [c.voices > 1 and len(c.outlets) > 1 for c in digest.claims]
    assert shared == sorted(shared, reverse=True)
    numbered = re.findall(r"^(\d+)\. (.*)$", render_markdown(digest), re.MULTILINE)
    assert [int(n) for n, _ in numbered] == list(range(1, len(digest.claims) + 1))


def test_conflicting_numbers_are_flagged() -> None:
    """قتل 12 against قتل 15 in aligned claims of two outlets is a conflict with both values."""
    articles = [art("a", "A", CRASH_A), art("b", "B", CRASH_B)]
    digest = build_digest("crash", articles)
    check_invariants(digest, articles)
    assert len(digest.conflicts) == 1
    conflict = digest.conflicts[0]
    values = {v.value: v.outlets for v in conflict.values}
    assert values == {"12": ("A",), "15": ("B",)}
    assert conflict.about == "قتل"
    for v in conflict.values:
        for s in v.support:
            assert s.text == v.value


def test_a_year_or_a_clock_time_is_no_count_in_conflict() -> None:
    """`منذ 16 عاما` and `منذ عام 1999` say one thing (the year is a date reference of the
    article), and `الساعة 0633` is a time: neither is a disagreement about a count."""
    base = (
        "سجلت أسعار النفط أطول موجة هبوط من نوعها منذ {since} بحلول الساعة {hour} بتوقيت "
        "جرينتش في تعاملات الأسواق العالمية اليوم."
    )
    a_text = base.format(since="16 عاما", hour="0633")
    b_text = base.format(since="عام 1999", hour="1404")
    year = _dated(b_text, "عام 1999", "1999")
    articles = [
        art("a", "A", a_text),
        DigestArticle("b", "B", None, None, b_text, None, Extraction(dates=(year,))),
    ]
    digest = build_digest("oil", articles)
    assert len(digest.claims) == 1  # one claim, aligned across the outlets
    assert digest.conflicts == ()
    figures = [art("c", "C", a_text.replace("16", "12")), articles[0]]
    assert len(build_digest("oil", figures).conflicts) == 1  # a count still disagrees


def test_counts_per_hour_and_of_years_still_disagree() -> None:
    """`في الساعة 5000` cannot be a time, and `منذ 2000 عام` (which the date extractor takes
    for a year reference, without a year's word before it) counts years."""
    base = "تنتج المحطة في الساعة {n} متر مكعب من المياه المحلاة منذ {y} عام وفق الشركة اليوم."
    a_text, b_text = base.format(n="5000", y="2000"), base.format(n="7000", y="2500")
    count = _dated(a_text, "منذ 2000", "2000")
    count = DateRef(count.start, count.end, count.text, "year", "2000")
    articles = [
        DigestArticle("a", "A", None, None, a_text, None, Extraction(dates=(count,))),
        art("b", "B", b_text),
    ]
    conflicts = build_digest("water", articles).conflicts
    assert sorted(sorted(v.value for v in c.values) for c in conflicts) == [
        ["2000", "2500"],
        ["5000", "7000"],
    ]


def test_agreeing_numbers_are_no_conflict() -> None:
    """The same figure in both outlets is no conflict."""
    articles = [art("a", "A", CRASH_A), art("b", "B", CRASH_B.replace("15", "12"))]
    assert build_digest("crash", articles).conflicts == ()


def test_copies_count_as_one_voice() -> None:
    """A wire text reprinted by two outlets is one voice, shown with both outlets."""
    articles = [
        art("a1", "A", CRASH_A, copy="wire"),
        art("a2", "C", CRASH_A, copy="wire"),
        art("b", "B", CRASH_B),
    ]
    digest = build_digest("crash", articles)
    check_invariants(digest, articles)
    top = digest.claims[0]
    assert top.outlets == ("A", "C", "B")
    assert top.voices == 2
    rows = {o.name: o.voices for o in digest.outlets}
    assert rows == {"A": 1, "C": 1, "B": 1}
    only = dict(digest.only)
    assert any("بسرعة" in i.text for i in only["B"])
    assert any("التحقيقات" in i.text for i in only["A + C"])


def test_one_article_never_aligns_with_itself() -> None:
    """Two sentences of one article saying the same thing stay two claims."""
    text = (
        "أعلنت الوزارة افتتاح المستشفى الجديد في جدة اليوم. "
        "وأعلنت الوزارة افتتاح المستشفى الجديد في جدة."
    )
    digest = build_digest("s", [art("a", "A", text)])
    assert len(digest.claims) == 2
    assert all(len(c.support) == 1 for c in digest.claims)
    assert digest.only == ()


def test_claims_ordered_by_voices_then_position() -> None:
    """Claims more voices carry come first; among equals, the earlier one."""
    articles = [art("a", "A", CRASH_A), art("b", "B", CRASH_B)]
    digest = build_digest("crash", articles)
    voices = [c.voices for c in digest.claims]
    assert voices == sorted(voices, reverse=True)
    shared = [c for c in digest.claims if c.voices == 2]
    assert [c.position for c in shared] == sorted(c.position for c in shared)
    assert shared[0].support[0].start == 0


def test_errors() -> None:
    """No articles, or one article twice, is an input error (not an assert)."""
    with pytest.raises(InputError):
        build_digest("s", [])
    with pytest.raises(InputError):
        build_digest("s", [art("a", "A", CRASH_A), art("a", "B", CRASH_B)])


def test_empty_and_heading_only_articles() -> None:
    """Articles without a sentence still show on the timeline; the digest is valid."""
    articles = [art("a", "A", ""), art("b", "B", "عنوان فقط\n\nنص")]
    digest = build_digest("s", articles)
    check_invariants(digest, articles)


def test_dates_from_published() -> None:
    """The range runs from the first to the last publication day; undated articles go last."""
    articles = [
        art("a", "A", CRASH_A, published="2015-08-04T10:00:00"),
        art("b", "B", CRASH_B, published="2015-08-02T09:00:00"),
        art("c", "C", CRASH_A),
    ]
    digest = build_digest("s", articles)
    assert (digest.dates.first, digest.dates.last) == ("2015-08-02", "2015-08-04")
    assert [t.article for t in digest.timeline] == ["b", "a", "c"]


def test_timeline_orders_articles_by_instant_not_by_the_text_of_the_date() -> None:
    """09:00+03:00 is 06:00 UTC: before 08:00+00:00, though its text sorts after."""
    articles = [
        art("london", "A", CRASH_A, published="2015-08-02T08:00:00+00:00"),
        art("riyadh", "B", CRASH_B, published="2015-08-02T09:00:00+03:00"),
    ]
    digest = build_digest("s", articles)
    assert [t.article for t in digest.timeline if t.kind == "article"] == ["riyadh", "london"]


_SENTENCES = [
    "أعلنت وزارة الصحة تسجيل 45 حالة إصابة جديدة بفيروس كورونا في الرياض.",
    "وقال المتحدث إن الحالات المسجلة تتلقى العلاج في المستشفيات.",
    "ارتفع مؤشر السوق 3.5 في المئة في ختام تعاملات اليوم.",
    "وأكد الأمير أن المشروع سيسهم في تنمية المنطقة، مشيرا إلى أن العمل سيبدأ قريبا.",
    'وقال الوزير: "لن نتهاون في تطبيق النظام. والعقوبات صارمة".',
    "عنوان فرعي قصير",
    "وأوضح أن عدد المصابين بلغ 60 شخصا، مؤكدا أن الوضع تحت السيطرة.",
    "<script>alert(1)</script> نص غريب & رموز | * _",
]


@st.composite
def stories(draw: st.DrawFn) -> list[DigestArticle]:
    """Stories of 1-6 articles from a small sentence pool, with outlets and copy groups."""
    n = draw(st.integers(1, 6))
    out: list[DigestArticle] = []
    for i in range(n):
        picked = draw(st.lists(st.sampled_from(_SENTENCES), max_size=6))
        sep = draw(st.sampled_from([" ", "\n\n", "\n"]))
        outlet = draw(st.sampled_from(["A", "B", "C"]))
        copy = draw(st.sampled_from([None, "k1", "k2"]))
        out.append(art(f"id{i}", outlet, sep.join(picked), copy=copy))
    return out


@settings(max_examples=120, deadline=None)
@given(stories())
def test_invariants_on_generated_stories(articles: list[DigestArticle]) -> None:
    """Every invariant holds whatever the articles, outlets and copy groups."""
    digest = build_digest("gen", articles)
    check_invariants(digest, articles)


@settings(max_examples=60, deadline=None)
@given(stories(), st.data())
def test_prepared_articles_give_the_same_digest(
    articles: list[DigestArticle], data: st.DataObject
) -> None:
    """A story redone with some articles prepared earlier (in any position) is the same."""
    plain = build_digest("gen", articles)
    mixed = [
        prepare_article(a) if data.draw(st.booleans(), label=f"prepare {a.id}") else a
        for a in articles
    ]
    assert build_digest("gen", mixed) == plain


def test_prepared_article_reused_when_a_story_grows() -> None:
    """What a store keeps per article serves again when the story gains one."""
    a, b = art("a", "A", CRASH_A), art("b", "B", CRASH_B)
    kept = prepare_article(a)
    assert build_digest("s", [kept, b]) == build_digest("s", [a, b])
    assert build_digest("s", [b, kept]) == build_digest("s", [b, a])


def test_same_value_written_differently_is_no_conflict() -> None:
    """`1.7%` and `1.7 بالمئة`, and pieces of a time (`06:47`), are no disagreement."""
    a = (
        "ونزل الخام الأمريكي في عقود سبتمبر ثلاثة سنتات بعدما أنهى الجلسة مرتفعا 81 سنتا "
        "أو 1.7 بالمئة بحلول الساعة 0647 بتوقيت جرينتش."
    )
    b = (
        "ونزل الخام الأميركي في عقود سبتمبر ثلاثة سنتات بعدما أنهى الجلسة مرتفعا 81 سنتا "
        "أي 1.7% بحلول الساعة 06:47 بتوقيت جرينتش."
    )
    digest = build_digest("oil", [art("a", "A", a), art("b", "B", b)])
    assert digest.claims[0].voices == 2
    assert digest.conflicts == ()


def test_quote_with_unknown_speaker_joins_the_named_one() -> None:
    """One outlet names the speaker, the other's extractor did not: one row, named."""
    text_a = 'وقال الوزير خالد الفالح: "سنواصل دعم الأسواق العالمية بكل ما نملك من إمكانات".'
    text_b = 'وأضاف: "سنواصل دعم الأسواق العالمية بكل ما نملك من إمكانات".'
    quote = "سنواصل دعم الأسواق العالمية بكل ما نملك من إمكانات"
    articles = []
    for id_, outlet, text, speaker in (("a", "A", text_a, "خالد الفالح"), ("b", "B", text_b, None)):
        start = text.index(quote)
        q = Quote(start, start + len(quote), quote, "direct", "قال", speaker)
        articles.append(DigestArticle(id_, outlet, None, None, text, None, Extraction(quotes=(q,))))
    digest = build_digest("q", articles)
    assert len(digest.quotes) == 1
    assert digest.quotes[0].speaker == "خالد الفالح"
    assert digest.quotes[0].outlets == ("A", "B")


def test_one_text_reprinted_everywhere_has_no_only() -> None:
    """Copies of one text in every outlet: one voice, nothing to compare, no "only" section."""
    articles = [art("a", "A", CRASH_A, copy="w"), art("b", "B", CRASH_A, copy="w")]
    digest = build_digest("s", articles)
    assert digest.only == ()
    assert all(c.voices == 1 for c in digest.claims)
    assert digest.claims[0].outlets == ("A", "B")


def test_entities_linked_across_spellings_and_aliases() -> None:
    """The project's variant linker groups mentions: one row for the US however it is named,
    one for a person whose name two outlets spell differently."""
    text_a = "قال الرئيس فولوديمير زيلينسكي إن الولايات المتحدة ستدعم أوكرانيا."
    text_b = "قال الرئيس فولوديمير زيلنسكي إن أمريكا ستدعم أوكرانيا."
    articles = []
    for id_, outlet, text, names in (
        ("a", "A", text_a, (("فولوديمير زيلينسكي", "PER"), ("الولايات المتحدة", "LOC"))),
        ("b", "B", text_b, (("فولوديمير زيلنسكي", "PER"), ("أمريكا", "LOC"))),
    ):
        mentions = []
        for name, kind in names:
            start = text.index(name)
            mentions.append(Mention(start, start + len(name), name, kind, normalize(name)))  # type: ignore[arg-type]
        articles.append(
            DigestArticle(id_, outlet, None, None, text, None, Extraction(tuple(mentions)))
        )
    digest = build_digest("e", articles)
    assert len(digest.entities) == 2, digest.entities
    for row in digest.entities:
        assert row.outlets == ("A", "B")
        assert len(row.variants) == 2


def _dated(text: str, piece: str, value: str, *, last: bool = False) -> DateRef:
    """A date reference to `piece` of `text` (its last occurrence with `last`)."""
    start = text.rindex(piece) if last else text.index(piece)
    return DateRef(start, start + len(piece), piece, "gregorian", value)


def test_timeline_events_are_dated_clauses_other_than_the_reporting_day() -> None:
    """An agency dateline (`الرياض 11 أغسطس 2015 واس`) dated the article's own day and is
    no clause of the story: it was an event with no text; a clause of the reporting day is
    the article's own entry, not an event."""
    dateline = "الرياض 11 أغسطس 2015 واس"
    text = (
        f"{dateline}\n\nأعلنت وزارة الصحة نتائج التحقيق في الحادث الذي وقع في 5 أغسطس 2015 "
        "في مستشفى جدة العام.\n\nوقالت الوزارة إن لجنة التحقيق بدأت عملها في 11 أغسطس 2015 "
        "بعد اجتماع طارئ."
    )
    dates = (
        _dated(text, "11 أغسطس 2015", "2015-08-11"),
        _dated(text, "5 أغسطس 2015", "2015-08-05"),
        _dated(text, "11 أغسطس 2015", "2015-08-11", last=True),
    )
    article = DigestArticle(
        "a", "A", "2015-08-11T10:00:00+03:00", None, text, None, Extraction(dates=dates)
    )
    events = [t for t in build_digest("s", [article]).timeline if t.kind == "event"]
    assert [(t.date, t.article) for t in events] == [("2015-08-05", "a")]
    assert events[0].text is not None
    assert "5 أغسطس 2015" in events[0].text


def test_a_day_ahead_or_back_is_named_not_reported_on() -> None:
    """The range covers the days reported on (publication, `أمس`), not a match announced
    for `الأربعاء المقبل` or a week back: those are the story's events or mentions."""
    text = (
        "فاز الهلال على أخيسار 2-0 أمس الخميس في مباراة ودية بالنمسا.\n\n"
        "ويلتقي الفريق يوم الأربعاء المقبل مع فريق نمساوي في مباراته الودية الثالثة.\n\n"
        "وكان الفريق قد خسر الأسبوع الماضي أمام فريق تركي."
    )
    published = "2015-07-31T10:00:00+03:00"
    dates = find_dates(text, date(2015, 7, 31))
    assert {d.text for d in dates} >= {"أمس الخميس", "يوم الأربعاء المقبل", "الأسبوع الماضي"}
    article = DigestArticle("a", "A", published, None, text, None, Extraction(dates=dates))
    digest = build_digest("s", [article])
    assert (digest.dates.first, digest.dates.last) == ("2015-07-30", "2015-07-31")
    assert {"2015-08-05", "2015-07-24"} <= set(digest.dates.mentioned)
    events = [(t.date, t.text) for t in digest.timeline if t.kind == "event"]
    assert [day for day, _ in events] == ["2015-08-05"]
    assert "الأربعاء المقبل" in (events[0][1] or "")


def test_a_month_is_no_anchor_and_a_share_no_price_in_conflict() -> None:
    """`عقود ديسمبر كانون الأول 1088.10` names when, not what: the price is set against the
    other outlet's price, never against a change in percent of a third."""
    base = (
        "وارتفعت العقود الأمريكية للذهب تسليم ديسمبر كانون الأول {price} دولار للأوقية في "
        "تعاملات اليوم بعد {change} في الجلسة السابقة وسط ترقب قرار المركزي."
    )
    texts = {
        "a": base.format(price="1088.10", change="ارتفاع طفيف"),
        "b": base.format(price="1085.70", change="ارتفاع طفيف"),
        "c": base.format(price="0.2%", change="ارتفاع طفيف"),
    }
    articles = [art(k, k.upper(), t) for k, t in texts.items()]
    conflicts = build_digest("gold", articles).conflicts
    assert [sorted(v.value for v in c.values) for c in conflicts] == [["1085.70", "1088.10"]]
    assert all(c.about not in ("كانون", "الأول") for c in conflicts)


def test_one_name_the_tagger_typed_two_ways_is_one_entity() -> None:
    """`جازان` tagged a place in one article and a body in another is one row (dev digests
    had 35 such pairs)."""
    texts = (
        "سقطت قذيفة على منطقة جازان صباح اليوم وقال محمد إن الأضرار محدودة جدا.",
        "أعلنت جازان حالة الطوارئ بعد سقوط القذيفة وقال محمد إن الفرق تعمل بلا توقف.",
    )
    articles = []
    for n, (text, kind) in enumerate(zip(texts, ("LOC", "ORG"), strict=True)):
        start = text.index("جازان")
        place = Mention(start, start + 5, "جازان", kind, "جازان")
        at = text.index("محمد")
        person = Mention(at, at + 4, "محمد", "PER", "محمد")
        extraction = Extraction(entities=(place, person))
        articles.append(DigestArticle(f"a{n}", f"O{n}", None, None, text, None, extraction))
    rows = [(e.name, e.type, e.mentions) for e in build_digest("s", articles).entities]
    assert [r for r in rows if r[0] == "جازان"] == [("جازان", "LOC", 2)]


def test_an_addition_names_the_copies_that_print_it_with_their_offsets() -> None:
    """A copy that writes the added words with another alef form still prints them: it is
    named and located (it was named with no offsets, or located only by exact text)."""
    shared = "قال الدفاع المدني إن حريقا اندلع في مستودع للأخشاب بحي الصناعية صباح اليوم"
    added = "وأن فرق الإطفاء احتاجت إلى ثلاث ساعات كاملة للسيطرة على النيران المشتعلة"
    a_text = f"{shared}، {added}."
    b_text = f"{shared}، {added.replace('إلى', 'الى')}."
    c_text = f"{shared} دون تسجيل إصابات بين العمال."
    articles = [
        art("a", "sabq", a_text, copy="g"),
        art("b", "okaz", b_text, copy="g"),
        art("c", "alwatan", c_text),
    ]
    digest = build_digest("fire", articles)
    check_invariants(digest, articles)
    items = [i for _, items in digest.only for i in items if i.kind == "addition"]
    assert items, digest.only
    (item,) = [i for i in items if "الإطفاء" in i.text]
    assert item.outlets == ("sabq", "okaz")
    assert [s.article for s in item.support] == ["a", "b"]


def _quoted(id_: str, outlet: str, text: str, quote: str, speaker: str) -> DigestArticle:
    """An article with one extracted quote, by `speaker`, and the person it names."""
    start = text.index(quote)
    q = Quote(start, start + len(quote), quote, "indirect", "قال", speaker)
    people = tuple(
        Mention(at, at + len(name), name, "PER", name)
        for name in ("عادل الجبير",)
        if (at := text.find(name)) >= 0
    )
    extraction = Extraction(entities=people, quotes=(q,))
    return DigestArticle(id_, outlet, None, None, text, None, extraction)


def test_one_quote_is_one_row_however_outlets_name_its_speaker() -> None:
    """Nearly the same words are the same quote when one outlet names the speaker by his
    office: one row, under the person's name, with every outlet."""
    quote = "المملكة حريصة على تطوير علاقاتها بشكل جيد مع إيران شرط أن تغير سياستها في المنطقة"
    articles = [
        _quoted("a", "A", f"وقال وزير الخارجية عادل الجبير إن {quote}.", quote, "عادل الجبير"),
        _quoted(
            "b", "B", f"وقال وزير الخارجية السعودي إن {quote}.", quote, "وزير الخارجية السعودي"
        ),
    ]
    rows = build_digest("q", articles).quotes
    assert [(r.speaker, r.outlets) for r in rows] == [("عادل الجبير", ("A", "B"))]


def test_an_office_is_not_the_person_its_phrase_ends_with() -> None:
    """`مكتب وزير الخارجية عادل الجبير` spoke, not the minister: its quote was listed under
    his name through the phrase's last word."""
    said = "المملكة حريصة على تطوير علاقاتها بشكل جيد مع جميع الدول الصديقة في المنطقة"
    office = "مكتب وزير الخارجية عادل الجبير"
    other = "الاجتماع المقبل سيعقد في الرياض خلال الأسبوع القادم لبحث القضايا الإقليمية العالقة"
    articles = [
        _quoted("a", "A", f"وقال وزير الخارجية عادل الجبير إن {said}.", said, "عادل الجبير"),
        _quoted("b", "B", f"وقال {office} في بيان إن {other}.", other, office),
    ]
    rows = build_digest("q", articles).quotes
    assert sorted((r.speaker, r.outlets) for r in rows) == [
        ("عادل الجبير", ("A",)),
        (office, ("B",)),
    ]


def test_a_spokesmans_notices_of_two_incidents_are_two_rows() -> None:
    """The same speaker's formula about two incidents shares most of its words, not its day
    and hour: two rows, each with the outlets that printed it."""
    notice = (
        "في تمام الساعة {hour} من مساء أمس {day} باشرت فرق الدفاع المدني بلاغا عن سقوط مقذوف "
        "أطلق من داخل الأراضي اليمنية على منطقة سكنية"
    )
    thursday = notice.format(hour="الثالثة", day="الخميس")
    friday = notice.format(hour="السابعة", day="الجمعة")
    speaker = "محمد بن حسن آل صمغان"
    articles = [
        _quoted("a", "A", f"وقال المتحدث {speaker} إنه {thursday}.", thursday, speaker),
        _quoted("b", "B", f"وقال المتحدث {speaker} إنه {friday}.", friday, speaker),
        _quoted("c", "C", f"وأوضح المتحدث {speaker} أنه {thursday}.", thursday, speaker),
    ]
    rows = build_digest("q", articles).quotes
    assert sorted(r.outlets for r in rows) == [("A", "C"), ("B",)]


def test_a_clause_that_states_two_claims_supports_both() -> None:
    """One outlet writes in one sentence what two others write in two: its clause joins one
    claim and carries the other, so both list all three outlets (the second was shown as
    what two outlets alone reported)."""
    first = "أعلنت الهيئة العامة للطيران المدني افتتاح صالة جديدة في مطار الملك خالد الدولي"
    second = "تستوعب الصالة الجديدة خمسة ملايين مسافر سنويا وتضم ثلاثين بوابة للرحلات الدولية"
    articles = [
        art("a", "A", f"{first}. {second}."),
        art("b", "B", f"{first} اليوم. {second} القادمة."),
        art("c", "C", f"{first} و{second}."),
    ]
    digest = build_digest("airport", articles)
    check_invariants(digest, articles)
    for words in ("افتتاح صالة", "خمسة ملايين"):
        (claim,) = [c for c in digest.claims if words in c.text]
        assert claim.outlets == ("A", "B", "C"), (words, claim)
    assert digest.only == ()


def test_a_syndicated_storys_headline_is_what_most_titles_say_not_the_longest() -> None:
    """Copies of one wire text under each outlet's own title: the headline is the title
    whose words most outlets' titles use, not the agency's long one that holds them all
    and many more (it won, with one voice to count words by)."""
    titles = {
        "A": "الجبير: المملكة حريصة على تطوير علاقاتها مع إيران شرط أن تغير سياستها",
        "B": "الجبير: المملكة حريصة على تطوير علاقاتها مع إيران",
        "C": "الجبير يؤكد حرص المملكة على تطوير علاقاتها مع إيران",
        "D": (
            "معالي وزير الخارجية يؤكد في مؤتمر صحفي مع نظيره الألماني حرص المملكة على تطوير "
            "علاقاتها بشكل جيد مع إيران شرط أن تغير سياستها بالتدخل في شئون دول الجوار"
        ),
    }
    body = f"{titles['D']}.\n\n{CRASH_A}"  # the wire's text says what its title says
    articles = [
        DigestArticle(o.lower(), o, None, title, body, "wire") for o, title in titles.items()
    ]
    headline = build_digest("s", articles).headline
    assert headline in set(titles.values()) - {titles["D"]}


def test_a_line_that_only_names_a_source_is_nothing_only_one_outlet_reports() -> None:
    """`وفقا لوكالة رويترز.` says where the text came from, not what happened: it was
    listed as what one outlet alone reported."""
    articles = [
        art("a", "A", f"{CRASH_A}\n\nوفقا لوكالة رويترز للأنباء."),
        art("b", "B", CRASH_B),
    ]
    digest = build_digest("s", articles)
    check_invariants(digest, articles)
    only = [i.text for _, items in digest.only for i in items]
    assert not [t for t in only if "رويترز" in t]


def test_the_same_words_given_to_two_named_people_stay_two_rows() -> None:
    """Outlets that give one statement to two people the story names disagree: one row
    under either name hid it (and gave the other outlets' quote to the minority's speaker)."""
    quote = "ستواصل الأمانة جولاتها الرقابية على المطاعم والمحال الغذائية طوال أيام الأسبوع"
    articles = []
    for id_, outlet, name in (("a", "A", "عبدالله الفاضل"), ("b", "B", "عبدالعلي المكرمي")):
        text = f"وقال {name} إن {quote}."
        start, at = text.index(quote), text.index(name)
        q = Quote(start, start + len(quote), quote, "indirect", "قال", name, at, at + len(name))
        person = Mention(at, at + len(name), name, "PER", name)
        extraction = Extraction(entities=(person,), quotes=(q,))
        articles.append(DigestArticle(id_, outlet, None, None, text, None, extraction))
    rows = build_digest("q", articles).quotes
    assert sorted((r.speaker, r.outlets) for r in rows) == [
        ("عبدالعلي المكرمي", ("B",)),
        ("عبدالله الفاضل", ("A",)),
    ]


def test_figures_in_words_and_in_digits_do_not_part_one_quote() -> None:
    """`خمسة` in one outlet is `5` in another: figures are set against figures of their
    own kind only."""
    speaker = "محمد بن حسن آل صمغان"
    words = "أسفر الحادث عن مقتل خمسة أشخاص وإصابة آخرين بجروح متفاوتة في موقع الحادث"
    digits = words.replace("خمسة", "5")
    articles = [
        _quoted("a", "A", f"وقال المتحدث {speaker} إنه {words}.", words, speaker),
        _quoted("b", "B", f"وقال المتحدث {speaker} إنه {digits}.", digits, speaker),
    ]
    rows = build_digest("q", articles).quotes
    assert [r.outlets for r in rows] == [("A", "B")]
