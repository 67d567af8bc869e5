"""Quotes and speakers: direct and reported speech, verb-only cues taking the last speaker, and
the gate on the hand-labelled SaudiNewsNet set (see `tests/extract/gold.py` for the labels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.extract.model import Mention, Quote
from akhbar.extract.quotes import find_quotes
from akhbar.text.normalize import normalize
from tests.extract import gold
from tests.extract.seeds import PEOPLE_000, PEOPLE_001, mentions_of, read_clean

# Floors pinned a little below the figures of `python -m tests.extract.gold`: on the product
# path (NER mentions passed, as `Extractor.extract` does) and with no mentions (the rules alone),
# on the dev labels and on the held-out labels (fewer quotes: looser floors).
FLOORS = {
    # (set, with NER): (span P, span R, speaker P, speaker R)
    ("dev", True): (0.96, 0.92, 0.95, 0.91),
    ("dev", False): (0.96, 0.92, 0.92, 0.88),
    ("heldout", True): (0.95, 0.92, 0.92, 0.88),
    ("heldout", False): (0.95, 0.90, 0.92, 0.88),
    ("heldout_b", True): (0.92, 0.86, 0.88, 0.84),
    ("heldout_b", False): (0.92, 0.84, 0.89, 0.83),
    ("heldout_c", True): (0.92, 0.85, 0.90, 0.84),
    ("heldout_c", False): (0.92, 0.85, 0.90, 0.84),
    ("heldout_d", True): (0.95, 0.82, 0.85, 0.75),
    ("heldout_d", False): (0.95, 0.80, 0.90, 0.75),
}


def said_by(q: Quote, name: str) -> bool:
    """Whether the quote's speaker names `name`."""
    return q.speaker is not None and name in q.speaker


def test_direct_quote_after_colon_with_quotation_marks() -> None:
    text = (
        'وقال المتحدث الرسمي الرائد يحيى القحطاني: "فرقة الدفاع المدني تمكنت من إخراج تسعة أشخاص".'
    )
    (q,) = find_quotes(text)
    assert (q.kind, q.cue) == ("direct", "قال")
    assert q.text == '"فرقة الدفاع المدني تمكنت من إخراج تسعة أشخاص"'
    assert said_by(q, "يحيى القحطاني")


def test_guillemets_and_verb_only_continuation() -> None:
    text = (
        "من جهته، هنأ د. عبدالعزيز بن طالب الملحق الثقافي المبتعث بالإنجاز. "
        "وقال: «يعد إنجازاً وفخراً للوطن يضاف للعديد من الإنجازات». "
        "وأضاف: «الآمال تحدونا بأن يكون هؤلاء الطلبة خير ركائز للنهضة»."
    )
    quotes = find_quotes(text)
    assert [q.kind for q in quotes] == ["direct", "direct"]
    assert all(said_by(q, "عبدالعزيز بن طالب") for q in quotes)


def test_reported_speech_runs_to_the_next_cue() -> None:
    text = (
        "وأكد وزير الخارجية عادل الجبير أن المملكة حريصة على تطوير علاقاتها مع إيران، "
        "مشيرا إلى أن تدخل التحالف كان بناء على طلب من الرئيس الشرعي."
    )
    first, second = find_quotes(text)
    assert (first.kind, first.cue) == ("indirect", "أكد")
    assert first.text == "المملكة حريصة على تطوير علاقاتها مع إيران"
    assert said_by(first, "عادل الجبير")
    assert (second.cue, second.speaker) == ("مشيرا", first.speaker)
    assert second.text == "تدخل التحالف كان بناء على طلب من الرئيس الشرعي"


def test_speaker_between_commas_after_a_title() -> None:
    text = "وقال الرئيس الأوكراني، فولوديمير زيلينسكي، إن بنية الطاقة في روسيا أهداف مشروعة."
    (q,) = find_quotes(text)
    assert said_by(q, "فولوديمير زيلينسكي")


def test_mention_gives_the_speaker_and_its_offsets() -> None:
    text = "وقال وزير الخارجية عادل الجبير إن على إيران تغيير سياستها العدوانية."
    start = text.index("عادل الجبير")
    m = Mention(start, start + len("عادل الجبير"), "عادل الجبير", "PER", "عادل الجبير")
    (q,) = find_quotes(text, [m])
    assert (q.speaker, q.speaker_start, q.speaker_end) == ("عادل الجبير", m.start, m.end)


def test_subject_before_the_verb() -> None:
    text = "المتحدث الرسمي للدفاع المدني الرائد يحيى القحطاني أكد أن الفرق أنقذت تسعة أشخاص."
    (q,) = find_quotes(text)
    assert said_by(q, "يحيى القحطاني")


def test_a_bare_title_is_the_speaker_who_carried_it() -> None:
    text = (
        "أكد وزير الخارجية عادل بن أحمد الجبير أن المملكة حريصة على علاقات جيدة. "
        "وقال الجبير في مؤتمر صحفي إنه يجب على إيران تغيير سياستها. "
        "ورأى معالي وزير الخارجية أن امتناع إيران يعني عزمها تصنيع أسلحة نووية. "
        "وأكد معاليه أن المملكة لا تتدخل في شؤون الدول الأخرى."
    )
    speakers = [q.speaker for q in find_quotes(text)]
    assert len(speakers) == 4
    assert speakers[1] == speakers[2] == speakers[3] == speakers[0]
    assert said_by(find_quotes(text)[0], "عادل بن أحمد الجبير")


def test_quote_followed_by_its_speaker() -> None:
    text = "«لن نتراجع عن قرارنا مهما كانت الضغوط الخارجية»، قال وزير الخارجية سامح شكري."
    (q,) = find_quotes(text)
    assert q.kind == "direct"
    assert said_by(q, "سامح شكري")


def test_an_epithet_alone_is_the_one_named_with_it() -> None:
    text = (
        "وفيما يلي نص البيان: قال الله تعالى: «يا أيها الذين آمنوا اتقوا الله». "
        "وقال تعالى: «ولكم في القصاص حياة يا أولي الألباب»."
    )
    first, second = find_quotes(text)
    assert said_by(first, "الله")
    assert said_by(second, "الله")


def _per(text: str, name: str, role: str | None = None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(start, start + len(name), name, "PER", name, role)


def test_a_bare_title_is_the_person_the_article_gave_it_to() -> None:
    text = (
        "استقبل وزير الخارجية سامي الحربي نظيره الألماني كارل فيبر في الرياض. "
        "ورأى وزير الخارجية أن الحوار بين البلدين مثمر."
    )
    mentions = [
        _per(text, "سامي الحربي", "وزير الخارجية"),
        _per(text, "كارل فيبر", "وزير الخارجية الألماني"),
    ]
    (q,) = find_quotes(text, mentions)
    assert q.speaker == "سامي الحربي"


def test_a_title_runs_through_a_place_to_the_name_before_a_comma() -> None:
    text = (
        "أكد القنصل العام للمملكة في مدينة نيس السفير الدكتور ماجد الشهري ، أنه لا يوجد "
        "أي مواطن قريب من الحرائق."
    )
    (q,) = find_quotes(text)
    assert said_by(q, "ماجد الشهري")


def test_a_participle_takes_the_subject_of_the_clause_before_it() -> None:
    text = (
        "في الوقت الذي استقرت فيه أسعار النفط أمس، توقع الأمين العام للمنظمة سالم العتيبي "
        "استقرار الأسعار العام المقبل، مرجحا أن يكون هذا الاستقرار طويلا."
    )
    (q,) = find_quotes(text)
    assert said_by(q, "سالم العتيبي")


def test_a_participle_after_an_opener_takes_the_new_subject() -> None:
    text = (
        "وقال وزير الخارجية سامي الحربي إن العلاقات ممتازة.\n"
        "من جانبه عبر وزير الخارجية الألماني عن تفهمه للقلق، مبينا أن العقوبات ستعود."
    )
    first, second = find_quotes(text)
    assert said_by(first, "سامي الحربي")
    assert said_by(second, "وزير الخارجية الألماني")


def test_a_time_clause_is_not_reported_speech() -> None:
    text = "كما أفاد المرصد عن مقتل تسعة جنود بعد أن شنت جماعات مسلحة هجوما على القاعدة."
    assert find_quotes(text) == ()


def test_a_body_or_relative_of_a_named_person_is_the_speaker() -> None:
    text = "قالت عائلة الزعيم الراحل منصور الكبير اليوم إنها لم تدعم خليفته المعلن."
    (q,) = find_quotes(text, [_per(text, "منصور الكبير")])
    assert q.speaker is not None
    assert q.speaker.startswith("عائلة")


def test_a_mention_starting_inside_a_word_takes_the_whole_word() -> None:
    text = 'وقالت هالة بارون جيبس "بدأنا نؤمن أن كثرة الجلوس أمر مختلف".'
    (q,) = find_quotes(text, [_per(text, "ارون جيبس")])
    assert q.speaker == "بارون جيبس"
    assert q.speaker_start is not None
    assert text[q.speaker_start :].startswith("بارون")


def test_a_pronoun_after_the_verb_is_not_the_speaker() -> None:
    text = 'وأصدرت الممثلة ليلى سمير بيانا قالت فيه "أشعر بصدمة تامة من هذا الخبر المؤلم".'
    (q,) = find_quotes(text)
    assert said_by(q, "ليلى سمير")


def test_said_as_reported_from_someone() -> None:
    text = 'ونقلت وسائل إعلام عن المدرب كمال حسن قوله "سنقاتل حتى النهاية في كل مباراة".'
    (q,) = find_quotes(text)
    assert said_by(q, "كمال حسن")


def test_a_verbal_noun_is_no_cue() -> None:
    text = 'وقال المسؤول لوكالة الأنباء طالبا عدم كشف اسمه إن "العمليات تهدف إلى حماية الحدود".'
    (q,) = find_quotes(text)
    assert said_by(q, "المسؤول")


def test_a_participle_right_after_a_name_is_said_by_that_name() -> None:
    text = (
        "نظمت الغرفة التجارية حفلا لموظفيها وفي مقدمتهم أمينها العام الدكتور سالم الحربي "
        "مشيرا أن هذه المناسبات تزيد المحبة بين الموظفين."
    )
    (q,) = find_quotes(text, [_per(text, "سالم الحربي")])
    assert q.speaker == "سالم الحربي"


def test_a_masculine_participle_does_not_take_a_feminine_object() -> None:
    text = (
        "وأوضح والد الطفلة فهد العلي أن حالتها مستقرة.\n"
        "وشكر سفارة المملكة في مسقط على جهودها، مبينا أن المسؤولين في السفارة تابعوا حالتها."
    )
    first, second = find_quotes(text)
    assert said_by(first, "فهد العلي")
    assert second.speaker == first.speaker


def test_a_verb_that_goes_on_with_speech_needs_its_quote_close() -> None:
    text = (
        "وأوضح رئيس الجالية فهد العلي أن المملكة ساندت اليمن.\n"
        "وأكملت المملكة دورها الرائد بأعمال الخير والإغاثة التي تضطلع بها في كل مكان حيث وجهت "
        "رسالة للعالم مفادها أن هذا الوطن عنوان للسلام."
    )
    (q,) = find_quotes(text)
    assert said_by(q, "فهد العلي")
    text = "وتابع أفضل لاعب في التاريخ حديثه: «يجب التوقف عن معاملته بشكل مختلف عن الآخرين»."
    (q,) = find_quotes(text)
    assert said_by(q, "أفضل لاعب")


def test_what_one_may_say_is_not_what_was_said() -> None:
    text = "تجربته الطويلة تعطيه الحق في أن يقول رأيه فيمن تستحق أن تكون مطربة الخليج الأولى."
    assert find_quotes(text) == ()


def test_words_of_a_text_are_said_by_the_text() -> None:
    text = (
        'وتقول كلمات الأغنية التي أطلقها المطرب ماجد سالم قبل أيام: "سجة مع الهاجوس طبيعة لي '
        'طبيعة باموت ما جزت عنه".'
    )
    (q,) = find_quotes(text, [_per(text, "ماجد سالم")])
    assert q.speaker is not None
    assert q.speaker.startswith("كلمات الأغنية")


def test_a_quote_nobody_is_said_to_have_said_is_dropped() -> None:
    assert find_quotes('قال: "هذا نص طويل بما يكفي ليكون كلاما منقولا عن أحد".') == ()


@pytest.mark.parametrize(
    "text",
    [
        'وذكرت إذاعة "راديو مونت كارلو" أن اللاعب سيوقع عقدا لمدة أربعة أعوام.',
        "فاجأ المطرب جمهور مهرجان «صيف دبي» بأغنية بعنوان «وقفة ضمير».",
        "وكانت «الغذاء والدواء» ضبطت فيلا سكنية بمدينة جدة.",
    ],
)
def test_quoted_names_are_not_speech(text: str) -> None:
    assert not [q for q in find_quotes(text) if q.kind == "direct"]


def test_abbreviation_dots_do_not_end_the_sentence() -> None:
    text = "وقال كاميرون لشبكة (إن.بي.سي) الأمريكية: أود أن تبذل بريطانيا المزيد. وأضاف"
    (q,) = find_quotes(text)
    assert (q.kind, q.text) == ("direct", "أود أن تبذل بريطانيا المزيد")


def test_no_quotes_without_a_speech_cue() -> None:
    assert find_quotes("ارتفعت أسعار النفط أمس مع تراجع الدولار إلى أدنى مستوى له.") == ()
    assert find_quotes("يقع الملعب بين مدينتي الرياض وجدة.") == ()


@given(st.text(alphabet='وقال أكد أن إن: "«»“” مشيرا إلى الوزير محمد،.\nًّ', max_size=120))
def test_spans_point_into_the_text(text: str) -> None:
    for q in find_quotes(text):
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert q.speaker_end is not None
            assert text[q.speaker_start : q.speaker_end] == q.speaker


# -- seeds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_mentions", [False, True])
def test_seed_001_every_quote_is_gusarov(seed_paths: dict[str, Path], with_mentions: bool) -> None:
    _, view = read_clean(seed_paths["001"])
    mentions = mentions_of(view.text, PEOPLE_001) if with_mentions else ()
    quotes = find_quotes(view.text, mentions)
    assert quotes
    for q in quotes:
        assert said_by(q, "غوساروف"), q
    cues = {(q.cue, q.kind) for q in quotes}
    assert {("تابع", "direct"), ("أكمل", "direct"), ("قال", "direct")} <= cues
    assert {("أوضح", "indirect"), ("أشار", "indirect")} <= cues
    continued = [q for q in quotes if q.cue in ("تابع", "أكمل")]
    assert len(continued) == 2
    assert all(q.text.startswith('"') and q.text.endswith('"') for q in continued)


@pytest.mark.parametrize("with_mentions", [False, True])
def test_seed_000_gusarov_and_zelensky(seed_paths: dict[str, Path], with_mentions: bool) -> None:
    _, view = read_clean(seed_paths["000"])
    mentions = mentions_of(view.text, PEOPLE_000) if with_mentions else ()
    quotes = find_quotes(view.text, mentions)
    zelensky = [q for q in quotes if q.cue == "قائلًا"]
    assert len(zelensky) == 1
    (z,) = zelensky
    assert z.kind == "direct"
    assert z.text.startswith("إما أن نستهدف الأسلحة نفسها")
    assert said_by(z, "زيلينسكي")
    reported = [q for q in quotes if q.cue in ("أوضح", "أشار") and "جوساروف" in (q.speaker or "")]
    assert len(reported) >= 2
    if with_mentions:
        assert {q.speaker for q in quotes} <= {
            "ألكسندر جوساروف",
            "جوساروف",
            "فولوديمير زيلينسكي",
            "زيلينسكي",
        }
        for q in quotes:
            assert q.speaker_start is not None
            assert q.speaker_end is not None
            assert normalize(view.text[q.speaker_start : q.speaker_end]) == normalize(
                q.speaker or ""
            )


# -- gate on the hand-labelled set ---------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled(shared: Path) -> dict[str, tuple[dict[str, list[gold.GoldQuote]], dict[str, str]]]:
    dev = gold.load_gold()
    assert sum(1 for q in dev.values() if q) >= 50
    heldout = gold.load_gold(gold.HELDOUT)
    heldout_b = gold.load_gold(gold.HELDOUT_B)
    heldout_c = gold.load_gold(gold.HELDOUT_C)
    heldout_d = gold.load_gold(gold.HELDOUT_D)
    for batch in (heldout, heldout_b, heldout_c, heldout_d):
        assert sum(1 for q in batch.values() if q) >= 14
    ids = [*dev, *heldout, *heldout_b, *heldout_c, *heldout_d]
    assert len(ids) == len(set(ids))
    zips = shared / "data" / "saudinewsnet"
    return {
        "dev": (dev, gold.load_texts(shared / "eval" / "dev.jsonl", set(dev))),
        "heldout": (heldout, gold.load_zip_texts(zips)),
        "heldout_b": (heldout_b, gold.load_zip_texts(zips, gold.HELDOUT_B)),
        "heldout_c": (heldout_c, gold.load_zip_texts(zips, gold.HELDOUT_C)),
        "heldout_d": (heldout_d, gold.load_zip_texts(zips, gold.HELDOUT_D)),
    }


@pytest.mark.shared
@pytest.mark.parametrize(("name", "with_ner"), list(FLOORS))
def test_gate_on_labelled_saudinewsnet_quotes(
    labelled: dict[str, tuple[dict[str, list[gold.GoldQuote]], dict[str, str]]],
    name: str,
    with_ner: bool,
) -> None:
    labels, texts = labelled[name]
    extract = gold.product_quotes() if with_ner else find_quotes  # the tagger loads once
    scores = gold.evaluate(extract, texts, labels)
    span_p, span_r, speaker_p, speaker_r = FLOORS[(name, with_ner)]
    assert scores.span_precision >= span_p, scores
    assert scores.span_recall >= span_r, scores
    assert scores.speaker_precision >= speaker_p, scores
    assert scores.speaker_recall >= speaker_r, scores


def test_a_sentence_opening_with_a_preposition_has_no_subject_to_give() -> None:
    text = (
        "قال الوزير محمد العلي إن المشروع يسير وفق الخطة. في المؤتمر الصحفي مؤكدا أن الاتفاق قريب."
    )
    speakers = [q.speaker for q in find_quotes(text)]
    assert "المؤتمر الصحفي" not in speakers
    assert speakers[-1] == "الوزير محمد العلي"


def test_her_words_take_a_feminine_speaker() -> None:
    text = "استقبلت وزيرة الخارجية الوفد أمس، ونقلت الصحف قولها إن الزيارة ناجحة."
    assert find_quotes(text)  # `قولها` is no masculine participle


def test_a_speaker_keeps_the_clitic_the_tagger_left_out() -> None:
    text = "وقال صديق لدونالد ترامب إن الأمر محسوم."
    start = text.index("دونالد")
    name = Mention(start, start + len("دونالد ترامب"), "دونالد ترامب", "PER", "دونالد ترامب")
    (quote,) = find_quotes(text, [name])
    assert quote.speaker == "دونالد ترامب"
    assert quote.speaker_start == start


def speakers(text: str) -> list[str | None]:
    """The speaker of each quote found in `text` (the rules alone)."""
    return [q.speaker for q in find_quotes(text)]


def test_a_time_between_verb_and_subject_is_not_the_speaker() -> None:
    (q,) = find_quotes("وقال الأسبوع الماضي وزير الخارجية عادل الجبير إن المحادثات مثمرة.")
    assert said_by(q, "وزير الخارجية عادل الجبير")
    text = (
        "ويتفاوض رئيس الوزراء ديفيد كاميرون مع قادة أوروبا. "
        "وقد قال الشهر الماضي للصحافيين إن هدفه هو إعادة التفاوض."
    )
    (q,) = find_quotes(text)
    assert said_by(q, "ديفيد كاميرون")


def test_the_outlet_spoken_to_is_not_the_speaker() -> None:
    for outlet in ('لـ"الاقتصادية"', "لـ«عكاظ»", "لـ «الشرق الأوسط»"):
        (q,) = find_quotes(f"وأوضح {outlet} مصدر مسؤول في الوزارة أن القرار سيصدر قريبا.")
        assert q.speaker is not None, outlet
        assert q.speaker.startswith("مصدر مسؤول"), outlet


def test_a_relative_clause_speaks_for_the_noun_before_it() -> None:
    text = (
        "ووقع إطلاق النار أثناء عرض الفيلم، بحسب ما نقلت الصحيفة عن متحدث باسم الشرطة "
        "الذي أكد أن الشرطيين دخلوا الصالة."
    )
    assert speakers(text) == ["متحدث باسم الشرطة"]
    assert speakers("والتقى الوزير بالسفير الذي أكد أن العلاقات قوية.") == ["السفير"]


def test_which_confirms_is_no_one_speaking() -> None:
    text = "وضبطت السلطات شحنة أسلحة مصدرها إيران، مما يؤكد أن إيران تواصل نهجها."
    assert find_quotes(text) == ()
    assert find_quotes("وجاءت النتائج بما يؤكد أن الخطة نجحت في تحقيق أهدافها كاملة.") == ()
    # what someone says, with `ما` before the verb, is still speech
    assert speakers("وبحسب ما يقول الخبراء فإن الأسعار سترتفع في الأشهر المقبلة.") == ["الخبراء"]


def test_an_object_or_a_particle_is_not_the_sentence_subject() -> None:
    text = (
        "وقال وزير الرياضة خالد العلي إن الدعم كبير. "
        "وأشاد بالاجتماع قائلا: «ناقشنا كثيرا من المواضيع المهمة في الاجتماع». "
        "وفيما يخص مشروع خصخصة الأندية، قال: «إن هذا الملف تم الانتهاء منه»."
    )
    quotes = find_quotes(text)
    assert len(quotes) == 3
    assert all(said_by(q, "خالد العلي") for q in quotes)
    # a negation before the verb: its subject follows the verb after it
    (q,) = find_quotes("ولم تشرح الغرفة كيفية تسرب الفيديو، لكنها قالت إن التعذيب كان متعمدا.")
    assert said_by(q, "الغرفة")


def test_the_dutch_van_of_a_name_is_not_the_word_that_opens_speech() -> None:
    (q,) = find_quotes("وقال المدرب لويس فان غال: «لست قلقا من قلة المهاجمين في الفريق».")
    assert (q.kind, q.text) == ("direct", "«لست قلقا من قلة المهاجمين في الفريق»")
    assert said_by(q, "لويس فان غال")
    (q,) = find_quotes("وقال الوزير فإن الوضع مستقر تماما في المنطقة.")  # the word itself
    assert (q.kind, q.text) == ("indirect", "الوضع مستقر تماما في المنطقة")
    (q,) = find_quotes("وأكد فان غال أن الفريق جاهز للموسم.")  # right after the verb: a name
    assert (q.speaker, q.text) == ("فان غال", "الفريق جاهز للموسم")
    (q,) = find_quotes("وقال فان غال الذي يتحضر للموسم: «نحن جاهزون».")
    assert (q.speaker, q.text) == ("فان غال", "«نحن جاهزون»")


def test_a_name_opening_with_van_keeps_its_first_letter() -> None:
    text = "وقال فان غال: «لست قلقا من قلة المهاجمين»."
    assert text[6:12] == "ان غال"
    (q,) = find_quotes(text, [Mention(6, 12, "ان غال", "PER", "ان غال")])
    assert q.speaker == "فان غال"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('وأكدت مصادر مطلعة لـ"سبق" أن القرار سيصدر قريبا.', "مصادر مطلعة"),
        ("وقال المرصد السوري لحقوق الانسان ومقره بريطانيا إن القتال استمر.", "المرصد السوري"),
        ("وقال مسؤولون أمريكيون اشترطوا عدم نشر أسمائهم إن الخطة جاهزة.", "مسؤولون أمريكيون"),
        ("وقال مسؤولون أمريكيون لرويترز إن الخطة جاهزة للتنفيذ.", "مسؤولون أمريكيون"),
        ("وكان دبلوماسي أميركي صرح بأن المحادثات متعثرة منذ أسابيع.", "دبلوماسي أميركي"),
    ],
)
def test_what_follows_a_speakers_name_is_no_part_of_it(text: str, speaker: str) -> None:
    (q,) = find_quotes(text)
    assert q.speaker is not None
    assert q.speaker.startswith(speaker)
    assert not any(w in q.speaker for w in ("سبق", "ومقره", "اشترطوا", "لرويترز", "صرح"))


def test_a_title_keeps_the_body_it_names_with_li() -> None:
    (q,) = find_quotes("وقال الأمين العام لـ«أوبك» عبدالله البدري إن الأسعار ستستقر.")
    assert said_by(q, "الأمين العام لـ«أوبك»")  # the body of the title, not a paper


@pytest.mark.parametrize(
    "text",
    [
        "وأشارت المادة (28) إلى أنه لا يجوز ترشح المقاول لعضوية المجلس البلدي.",
        "وتشير التقديرات إلى أن نحو 700 بريطاني سافروا إلى سوريا والعراق.",
        "وأفادت المعلومات الأولية بأن الحريق ناتج عن تماس كهربائي في المبنى.",
    ],
)
def test_a_law_figures_or_details_are_no_speaker(text: str) -> None:
    assert find_quotes(text) == ()


def test_a_pronoun_after_the_verb_is_no_speaker() -> None:
    (q,) = find_quotes("وأصدرت الوزارة بيانا أشارت فيه المتحدثة باسم الوزارة إلى أن القرار نهائي.")
    assert said_by(q, "المتحدثة باسم الوزارة")


def test_a_quotation_ending_a_paragraph_is_not_given_to_the_next_paragraphs_speaker() -> None:
    """The cue after a quotation was looked for across the paragraph break: a slogan (or
    another party's call) was given to whoever opened the next paragraph."""
    text = (
        'ورفع المتظاهرون لافتات كتب عليها "لا للفساد في بلادنا بعد اليوم".\n\n'
        "وقال وزير الداخلية خالد العمر إن الشرطة لم تعتقل أحدا."
    )
    assert [q.text for q in find_quotes(text) if said_by(q, "العمر")] == ["الشرطة لم تعتقل أحدا"]


def test_a_quotation_goes_on_with_a_continuation_verb_across_the_paragraph() -> None:
    """`وأضاف المصدر` opening the next paragraph does name the quotation's speaker."""
    text = (
        "أكد مصدر أمني أن الحادث وقع مساء أمس.\n\n"
        '"ولم يصب أحد من المارة بأذى في الحادث".\n\n'
        "وأضاف المصدر أن التحقيقات مستمرة."
    )
    quotes = find_quotes(text)
    marked = [q for q in quotes if q.text.startswith('"')]
    assert len(marked) == 1
    assert said_by(marked[0], "مصدر")


def test_a_quoted_name_with_an_adjective_before_its_complementizer_is_no_quote() -> None:
    """`أعلن «مكتب أخبار سوريا» المعارض، أن ...` gave the name as the quote and lost the
    statement."""
    text = "في حين أعلن «مكتب أخبار سوريا» المعارض، أن قوات المعارضة السورية قصفت مدينة القرداحة."
    (quote,) = find_quotes(text)
    assert quote.text == "قوات المعارضة السورية قصفت مدينة القرداحة"
    assert quote.speaker is not None
    assert "مكتب أخبار سوريا" in quote.speaker


@pytest.mark.parametrize("name", ["الوزير خالد العمر", "السفير محمد الحربي"])
def test_a_speaker_named_in_the_sentence_before_keeps_his_last_letter(name: str) -> None:
    text = f"ونوه {name}. وقال: «نحن سعداء بهذه الزيارة المهمة للمملكة»"
    (quote,) = find_quotes(text)
    assert quote.speaker == name


def test_reported_speech_does_not_end_with_the_next_cues_conjunction() -> None:
    text = (
        "وقال لافروف في مؤتمر صحفي إن تسوية الحرب في سوريا بحاجة إلى حوار بين كل الأطراف ، "
        "ولكنه أضاف أن تنظيم داعش هو الخطر الرئيسي."
    )
    first, second = find_quotes(text)
    assert first.text.endswith("بين كل الأطراف")
    assert second.text == "تنظيم داعش هو الخطر الرئيسي"


def _people(text: str, *names: str) -> list[Mention]:
    """PER mentions of `names` (their first occurrence) in `text`, as the tagger gives them."""
    out = []
    for name in names:
        at = text.index(name)
        out.append(Mention(at, at + len(name), name, "PER", name))
    return out


def test_a_name_a_particle_opens_before_the_verb_is_the_speaker() -> None:
    """`غير ان عريقات أكد انه` was given to the sources of an earlier sentence."""
    text = (
        "كما نقل جريح رابع اشارت بعض المصادر الى انه فتاة.\n\n"
        'غير ان عريقات أكد انه "لا يمكن فصل هذا الهجوم الوحشي عن الحكومة".'
    )
    quotes = find_quotes(text, _people(text, "عريقات"))
    assert [q.speaker for q in quotes if "الهجوم" in q.text] == ["عريقات"]


def test_a_name_after_a_preposition_before_the_verb_is_whom_he_spoke_of() -> None:
    text = 'وقال بنيتيز في ملبورن إن الأمر بسيط، وعن راموس قال "راموس لاعب فريقنا وعنصر أساسي".'
    quotes = find_quotes(text, _people(text, "بنيتيز", "راموس"))
    assert [q.speaker for q in quotes if "فريقنا" in q.text] == ["بنيتيز"]


def test_a_proviso_after_an_announcement_is_no_reported_speech() -> None:
    """`، على أن يبدأ التقديم` is a condition the announcement sets: it was reported as what
    the municipality said."""
    text = (
        "أعلنت بلدية محايل عسير عن وجود وظائف نسائية شاغرة على بند الأجور، "
        "على أن يبدأ التقديم عليها خلال هذا الشهر."
    )
    assert find_quotes(text) == ()
    for verb in ("وشدد", "وأكد"):  # verbs that take على: a comma before it is no proviso
        (quote,) = find_quotes(f"{verb} الوزير، على أن المملكة ماضية في دعم الشعب اليمني.")
        assert quote.text == "المملكة ماضية في دعم الشعب اليمني"


def test_a_time_set_off_by_commas_does_not_open_a_new_clause() -> None:
    """`أعلنت الإمارات، أمس، وصول سفينة ...، حيث أشارت إلى أن`: the clause was taken to start
    after `أمس،`, and the ship spoke."""
    text = (
        "أعلنت الإمارات، أمس، وصول سفينة إغاثة تابعة لها لميناء عدن في اليمن، "
        "حيث أشارت إلى أن السفينة تحمل مواد غذائية."
    )
    (quote,) = find_quotes(text)
    assert quote.speaker == "الإمارات"


def test_narrated_and_went_on_are_cues() -> None:
    """`وروى شاهد "..."` and `وتدارك: «...»` were missed (or the latter given the next
    paragraph's verb); `روى` alone is also "watered"."""
    (said,) = find_quotes('وروى شاهد "رأيت النيران تلتهم السيارة بالكامل أمام عيني".')
    assert (said.cue, said.speaker) == ("روى", "شاهد")
    text = "وقال الرئيس: «نحن لا ندعم الإرهاب بأي شكل». وتدارك: «ولكننا لن نسمح بلعبة الإرهاب»."
    assert [q.cue for q in find_quotes(text)] == ["قال", "تدارك"]
    assert find_quotes("روى المزارع حقله بماء البئر القريب من المزرعة.") == ()


@pytest.mark.parametrize("link", ["غير أن", "إلا أن", "، في حين أن"])
def test_a_quotation_before_a_clause_opened_by_a_linking_word_is_speech(link: str) -> None:
    """A quoted span followed by up to two words and أن is a name (`أعلن «مكتب أخبار سوريا»
    المعارض، أن`), unless those words open a new clause: the quotation was lost and the next
    clause given to the speaker."""
    text = (
        "وقال وزير الخارجية عادل الجبير «إن المملكة ستواصل دعم الشعب اليمني حتى تعود الشرعية» "
        f"{link} المعارضة شككت في جدوى الحملة."
    )
    quotes = find_quotes(text)
    assert quotes[0].text.startswith("«إن المملكة")
    assert said_by(quotes[0], "عادل الجبير")
