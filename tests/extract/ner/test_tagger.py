"""The shipped tagger on real Arabic sentences: spans, clitics, consistency, seed names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.errors import InputError
from akhbar.extract.model import Mention
from akhbar.extract.ner import EntityTagger
from akhbar.extract.ner import tagger as tagger_module
from akhbar.extract.ner.features import TOKEN_RE
from akhbar.extract.ner.tagger import MODEL_FILES
from akhbar.text.normalize import normalize


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger.load()


def by_text(mentions: tuple[Mention, ...]) -> dict[str, Mention]:
    return {m.text: m for m in mentions}


def test_offsets_and_clitics(tagger: EntityTagger) -> None:
    text = (
        "وقال الرئيس الأوكراني فولوديمير زيلينسكي إن بلاده ستواصل الدفاع عن أراضيها، "
        "وأضاف وزيلينسكي أن الضربات على روسيا ستستمر. وأعلنت موسكو أنها سترد."
    )
    mentions = tagger.tag(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    found = by_text(mentions)
    assert found["فولوديمير زيلينسكي"].type == "PER"
    assert "زيلينسكي" in found  # the و of وزيلينسكي is left out of the span
    assert found["زيلينسكي"].key == normalize("فولوديمير زيلينسكي")
    assert found["روسيا"].type == "LOC"


@pytest.mark.parametrize(
    ("sentence", "name", "kind"),
    [
        ("وأكد المتحدث أن الوفد سيتوجه لروسيا الأسبوع المقبل لإجراء محادثات.", "روسيا", "LOC"),
        ("وعقد الاجتماع بموسكو بحضور وزيري الخارجية.", "موسكو", "LOC"),
        ("وقال السفير إن المحادثات بموسكو كانت بناءة.", "موسكو", "LOC"),
        ("وصل وزير الخارجية السعودي بموسكو مساء أمس في زيارة رسمية.", "موسكو", "LOC"),
        (
            "قالت وزارة الخارجية الروسية في بيان إن المحادثات مستمرة.",
            "وزارة الخارجية الروسية",
            "ORG",
        ),
        ("وتعهد الرئيس الأمريكي بدعم أوكرانيا في مواجهة الهجمات.", "أوكرانيا", "LOC"),
    ],
)
def test_names_in_sentences(tagger: EntityTagger, sentence: str, name: str, kind: str) -> None:
    found = by_text(tagger.tag(sentence))
    assert name in found, found
    assert found[name].type == kind
    assert normalize(name) == found[name].key


def test_short_mentions_take_the_full_name(tagger: EntityTagger) -> None:
    text = (
        "قال رئيس إدارة شؤون شمال الأطلسي في وزارة الخارجية الروسية ألكسندر غوساروف إن "
        "الاتصالات مستمرة. وأوضح غوساروف أن روسيا قدمت مقترحاتها. وأكد غوساروف أن الحوار مستمر."
    )
    mentions = tagger.tag(text)
    gusarov = [m for m in mentions if "غوساروف" in m.text]
    assert len(gusarov) == 3
    assert {m.type for m in gusarov} == {"PER"}
    assert {m.key for m in gusarov} == {normalize("ألكسندر غوساروف")}


def test_seed_names(tagger: EntityTagger, seed_paths: dict[str, Path]) -> None:
    for seed, person in (("000", "ألكسندر جوساروف"), ("001", "ألكسندر غوساروف")):
        text = seed_paths[seed].read_text(encoding="utf-8")
        mentions = tagger.tag(text)
        assert all(text[m.start : m.end] == m.text for m in mentions)
        types: dict[str, set[str]] = {}
        for m in mentions:
            types.setdefault(m.key, set()).add(m.type)
        assert "PER" in types.get(normalize(person), set()), sorted(types)
        for place in ("موسكو", "روسيا"):
            assert "LOC" in types.get(normalize(place), set()), (seed, place, sorted(types))
    text = seed_paths["000"].read_text(encoding="utf-8")
    keys = {m.key: m.type for m in tagger.tag(text)}
    assert keys.get(normalize("أوكرانيا")) == "LOC"
    assert keys.get(normalize("وزارة الخارجية الروسية")) == "ORG"


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('وبلكفالروسياموسكزينتقدعه أإآىةـًٌٍَُِّْ،.؟!\n"«»()-0123456789abc')),
        max_size=200,
    )
)
def test_offsets_hold_for_any_text(tagger: EntityTagger, text: str) -> None:
    for m in tagger.tag(text):
        assert text[m.start : m.end] == m.text
        assert m.start < m.end
        assert m.type in ("PER", "LOC", "ORG", "MISC")


def test_a_lone_tatweel_is_no_word(tagger: EntityTagger) -> None:
    """A tatweel between spaces (`قال ـ محمد`) neither starts nor ends a name, nor is one."""
    assert all(m.start < m.end for m in tagger.tag("ـ«د."))
    text = "قال ـ محمد بن سلمان ـ في الرياض"
    names = {m.text for m in tagger.tag(text) if m.type == "PER"}
    assert names == {"محمد بن سلمان"}


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing or unreadable"):
        EntityTagger.load(tmp_path)


def test_corrupt_model_is_a_clear_error(tmp_path: Path) -> None:
    packaged = Path(__file__).resolve().parents[3] / "src" / "akhbar" / "data" / "ner"
    for name in MODEL_FILES:
        (tmp_path / name).write_bytes((packaged / name).read_bytes())
    (tmp_path / MODEL_FILES[0]).write_bytes(b"not a crfsuite model")
    with pytest.raises(InputError, match="corrupt"):
        EntityTagger.load(tmp_path)


def _sentences(text: str) -> list[str]:
    """Lines cut after sentence ends: each is one CRF sequence."""
    out = []
    for line in text.splitlines():
        out += [s for s in re.split(r"(?<=[.!?؟؛])", line) if s.strip()]
    return out


def test_numpy_decoding_is_crfsuites_labelling(seed_paths: dict[str, Path]) -> None:
    # With no shift towards names, the NumPy Viterbi must label exactly as crfsuite does.
    plain = EntityTagger.load(o_penalty=0.0)
    sentences = [
        s
        for seed in ("000", "001")
        for s in _sentences(seed_paths[seed].read_text(encoding="utf-8"))
        if len(TOKEN_RE.findall(s)) <= 120
    ]
    assert len(sentences) > 20
    names = 0
    for sentence in sentences:
        decoded = plain.crf_labels(sentence)
        tokens = [sentence[start:end] for start, end, _ in decoded]
        expected = plain.label_tokens(tokens)
        assert [label for _, _, label in decoded] == expected, sentence
        names += sum(label != "O" for label in expected)
    assert names > 10  # the check covered names, not only O runs


def test_an_article_decodes_as_its_sentences_one_by_one(
    tagger: EntityTagger, seed_paths: dict[str, Path]
) -> None:
    # Sentences of many lengths are decoded in one padded batch; each must come out as alone.
    text = seed_paths["001"].read_text(encoding="utf-8")
    whole = tagger.crf_labels(text)
    alone = []
    offset = 0
    for line in text.splitlines(keepends=True):
        for sentence in re.split(r"(?<=[.!?؟؛])", line):
            alone += [(s + offset, e + offset, lab) for s, e, lab in tagger.crf_labels(sentence)]
            offset += len(sentence)
    assert whole == alone
    assert len({end - start for start, end, _ in whole}) > 1


def test_a_full_word_table_keeps_recent_words_and_tags_the_same(
    monkeypatch: pytest.MonkeyPatch, seed_paths: dict[str, Path]
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in seed_paths.values()]
    texts += [t[: len(t) // 2] for t in texts] + texts
    roomy = EntityTagger.load()
    expected = [roomy.tag(t) for t in texts]
    monkeypatch.setattr(tagger_module, "_CACHE_LIMIT", 120)
    small = EntityTagger.load()
    assert [small.tag(t) for t in texts] == expected
    assert len(small._words.ids) <= 120 + max(len(TOKEN_RE.findall(t)) for t in texts)


def test_texts_tagged_together_are_tagged_as_alone(seed_paths: dict[str, Path]) -> None:
    # A batch is decoded as one sequence of sentences and looked up in one pass over the word
    # table (which may shrink on the way); every text must come out as it does on its own.
    texts = [p.read_text(encoding="utf-8") for p in seed_paths.values()]
    texts = ["", *texts, "،.؟", texts[0][: len(texts[0]) // 3], "وقال الرئيس", *texts]
    expected = [EntityTagger.load().tag(t) for t in texts]
    assert any(expected)
    assert EntityTagger.load().tag_many(texts) == expected
    assert EntityTagger.load().tag_many([]) == []


def test_a_small_word_table_tags_a_batch_as_alone(
    monkeypatch: pytest.MonkeyPatch, seed_paths: dict[str, Path]
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in seed_paths.values()] * 2
    expected = [EntityTagger.load().tag(t) for t in texts]
    monkeypatch.setattr(tagger_module, "_CACHE_LIMIT", 120)
    small = EntityTagger.load()
    assert small.tag_many(texts[:1]) == expected[:1]
    assert small.tag_many(texts) == expected


def test_a_model_that_knows_only_o_names_nothing(tmp_path: Path) -> None:
    import pycrfsuite

    packaged = Path(__file__).resolve().parents[3] / "src" / "akhbar" / "data" / "ner"
    for name in MODEL_FILES[1:]:
        (tmp_path / name).write_bytes((packaged / name).read_bytes())
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.append([["w=قال"], ["w=الوزير"]], ["O", "O"])
    trainer.train(str(tmp_path / MODEL_FILES[0]))
    only_o = EntityTagger.load(tmp_path)
    text = "قال الوزير إن الاجتماع عقد في الرياض."
    assert {label for _, _, label in only_o.crf_labels(text)} == {"O"}
    assert all(m.type == "LOC" for m in only_o.tag(text))  # gazetteer places only


# The token pattern, a character at a time: TOKEN_RE matches a run at a time for speed.
_PLAIN_TOKENS = re.compile(
    r"\d+(?:[.,٫٬]\d+)*%?"
    r"|[^\W\d_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed])*"
    r"|[^\w\s]"
)


@given(st.text(alphabet=st.sampled_from(list("وبلكالرس٣45.,٫٬%ًٌَّـۖ_ \n،«»-aé")), max_size=80))
def test_tokens_are_the_plain_patterns_tokens(text: str) -> None:
    assert TOKEN_RE.findall(text) == _PLAIN_TOKENS.findall(text)
    bounds, words = tagger_module._tokens(text)
    assert words == _PLAIN_TOKENS.findall(text)
    assert [text[s:e] for s, e in bounds.tolist()] == words


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("واستقبل الأمير عبدالله بن مساعد رئيس الاتحاد السعودي وفد النادي.", "عبدالله بن مساعد"),
        ("وقال الشيخ محمد آل الشيخ إن القرار صائب.", "محمد آل الشيخ"),
    ],
)
def test_a_person_never_ends_on_a_name_link(tagger: EntityTagger, text: str, name: str) -> None:
    people = [m.text for m in tagger.tag(text) if m.type == "PER"]
    assert name in people
    assert not any(p.split()[-1] in ("بن", "آل") for p in people)


_HOSPITAL = "مستشفى الأمير محمد بن عبدالعزيز"
_CROWN_PRINCE = "محمد بن نايف بن عبدالعزيز"


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (f"ونقل المصاب إلى {_HOSPITAL} لتلقي العلاج.", _HOSPITAL, "LOC"),
        ("وافتتح طريق الملك فهد الجديد في الرياض.", "طريق الملك فهد", "LOC"),
        (f"واستقبل الأمير {_CROWN_PRINCE} ولي العهد الوفد.", _CROWN_PRINCE, "PER"),
    ],
)
def test_places_named_after_people_and_titles_after_names(
    tagger: EntityTagger, text: str, name: str, kind: str
) -> None:
    found = {m.text: m.type for m in tagger.tag(text)}
    assert found.get(name) == kind, found


def test_good_neighbourliness_is_no_person(tagger: EntityTagger) -> None:
    text = "وأكد الرئيس حسن روحاني أهمية علاقات تقوم على حسن الجوار والاحترام المتبادل."
    people = [m.text for m in tagger.tag(text) if m.type == "PER"]
    assert "حسن الجوار" not in people
    assert not any(p in ("على", "حسن") for p in people)


def test_a_nationality_before_a_name_is_no_part_of_it(tagger: EntityTagger) -> None:
    text = "وسجل السويدي زلاتان إبراهيموفيتش هدفين في المباراة."
    people = [m.text for m in tagger.tag(text) if m.type == "PER"]
    assert people == ["زلاتان إبراهيموفيتش"]


def test_a_family_name_before_a_closing_quote_is_not_taken_for_a_nationality(
    tagger: EntityTagger,
) -> None:
    # the CRF runs `الحقباني» مغرداً` into one span: its first word stays, shaped like a
    # nationality as it is (only a word right before more name is one)
    text = (
        "أكد الإعلامي عبدالرحمن الحقباني أن الفقيد كان محبوبا.\n"
        "وقال «الحقباني» مغرداً: «غفر الله لأخي سعود ورحمه ولطف به»."
    )
    people = [m.text for m in tagger.tag(text) if m.type == "PER"]
    assert "مغرداً" not in people


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            "وغاب جاريث بيل وكريم بنزيمة عن تدريبات ريال مدريد أمس.",
            ["جاريث بيل", "كريم بنزيمة"],
        ),
        (
            "ويشارك في بطولة الفيلم سايمون بيج وجيريمي رينر ومايكل دوجلاس.",
            ["سايمون بيج", "جيريمي رينر", "مايكل دوجلاس"],
        ),
        # one word after the `و` names no one by itself: the person ends before it
        ("وحضر اللقاء الدكتور عزام الدخيل ومديرو التعليم في المناطق.", ["عزام الدخيل"]),
    ],
)
def test_two_names_joined_by_wa_are_two_people(
    tagger: EntityTagger, text: str, people: list[str]
) -> None:
    found = [m for m in tagger.tag(text) if m.type == "PER"]
    assert [m.text for m in found] == people
    assert all(text[m.start : m.end] == m.text for m in found)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("وأدار المباراة الحكم الإنجليزي هاورد ويب.", "هاورد ويب"),
        ("وقال المبعوث الأممي إسماعيل ولد الشيخ أحمد إن المشاورات مستمرة.",
         "إسماعيل ولد الشيخ أحمد"),
        ("وقال الرئيس جيمس ويلسون إن الشركة ستتوسع.", "جيمس ويلسون"),
        ("وقال خالد وضاح العمري إن العمل مستمر.", "خالد وضاح العمري"),
        ("وقال المدير سعد وهبة الشمري إن النتائج جيدة.", "سعد وهبة الشمري"),
    ],
)  # fmt: skip
def test_a_name_that_opens_with_wa_stays_whole(
    tagger: EntityTagger, text: str, person: str
) -> None:
    assert [m.text for m in tagger.tag(text) if m.type == "PER"] == [person]


@pytest.mark.parametrize(
    "text",
    [
        "واستقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز وسمو ولي العهد الوفد المرافق.",
        "ورفع التهنئة لخادم الحرمين الشريفين وسمو ولي العهد وسمو ولي ولي العهد.",
    ],
)
def test_an_honorific_after_wa_is_no_name(tagger: EntityTagger, text: str) -> None:
    people = [m.text for m in tagger.tag(text) if m.type == "PER"]
    assert not [p for p in people if "سمو" in p or "العهد" in p]
