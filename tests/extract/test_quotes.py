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

# Measured with no NER mentions (`python -m tests.extract.gold`); floors pinned a little below.
SPAN_P, SPAN_R = 0.95, 0.92
SPEAKER_P, SPEAKER_R = 0.85, 0.83


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


@pytest.mark.shared
def test_gate_on_labelled_saudinewsnet_quotes(shared: Path) -> None:
    labels = gold.load_gold()
    assert sum(1 for q in labels.values() if q) >= 50
    texts = gold.load_texts(shared / "eval" / "dev.jsonl", set(labels))
    scores = gold.evaluate(find_quotes, texts, labels)
    assert scores.span_precision >= SPAN_P, scores
    assert scores.span_recall >= SPAN_R, scores
    assert scores.speaker_precision >= SPEAKER_P, scores
    assert scores.speaker_recall >= SPEAKER_R, scores
