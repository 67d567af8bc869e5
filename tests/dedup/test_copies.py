"""Copy detection: edited and trimmed copies found, same-topic articles kept apart, stable."""

from __future__ import annotations

import copy
import pickle
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.dedup import CopyDetector, CopySettings, copies, shared_passages
from akhbar.dedup.copies import _KeySet, _map_of, _row_counts
from akhbar.dedup.minhash import MinHasher, SketchBatch
from akhbar.io import read
from akhbar.model import CleanArticle, RawArticle
from akhbar.settings import Settings
from akhbar.text.clean import clean
from akhbar.text.normalize import normalize

from .conftest import EDITED, LONG_ROUNDUP_TAIL, SAME_TOPIC, WIRE

REPO = Path(__file__).resolve().parents[2]

ITEMS = [
    ("a1", normalize(WIRE)),
    ("a2", normalize(SAME_TOPIC)),
    ("a3", normalize(EDITED)),
    ("a4", normalize(WIRE.split(". ")[0] + ". " + WIRE.split(". ")[1])),
]


def test_retitled_lightly_edited_copy_found() -> None:
    det = CopyDetector()
    det.add("wire", normalize(WIRE))
    match = det.add("edited", normalize(EDITED))
    assert match.is_copy
    assert match.group_id == "wire"
    assert match.copies[0].article_id == "wire"
    assert match.copies[0].jaccard >= 0.45


def test_same_topic_is_not_a_copy() -> None:
    det = CopyDetector()
    det.add("wire", normalize(WIRE))
    match = det.add("other", normalize(SAME_TOPIC))
    assert not match.is_copy
    assert match.group_id == "other"


@pytest.mark.parametrize(
    "stub",
    [
        "شاهد الفيديو",
        "التفاصيل في الرابط المرفق",
        "محافظ الطائف",
        # a feed's teaser under every title: four unrelated articles were one copy group
        "للاطلاع على تفاصيل الخبر كاملا يرجى زيارة الرابط التالي على الموقع الرسمي للصحيفة",
    ],
)
def test_articles_whose_whole_body_is_one_stub_are_not_copies(stub: str) -> None:
    """Two unrelated articles with the same stub body (a link, a caption) share no text
    worth calling a copy: a copy would force them into one story."""
    det = CopyDetector(Settings.load().copies)
    det.add("match", normalize(stub))
    assert not det.add("blast", normalize(stub)).is_copy


def test_a_short_release_republished_whole_is_still_a_copy() -> None:
    brief = normalize(WIRE.split(". ")[0])
    assert len(brief.split()) >= 10
    det = CopyDetector(Settings.load().copies)
    det.add("wire", brief)
    assert det.add("again", brief).is_copy


def test_trimmed_copy_found_by_containment() -> None:
    # the first half of the release only: Jaccard is low, containment is 1
    sentences = WIRE.split(". ")
    trimmed = ". ".join(sentences[:3])
    det = CopyDetector()
    det.add("wire", normalize(WIRE + LONG_ROUNDUP_TAIL))
    match = det.add("trimmed", normalize(trimmed))
    assert match.is_copy
    link = match.copies[0]
    assert link.containment >= 0.95
    assert link.jaccard < 0.5  # found by containment, not by Jaccard


def test_fragment_in_a_roundup_is_not_a_copy() -> None:
    # one short sentence of a long article is quoted, not a copy of it
    det = CopyDetector(CopySettings(min_length_ratio=0.2))
    det.add("long", normalize(WIRE + LONG_ROUNDUP_TAIL))
    match = det.add("fragment", normalize(WIRE.split(". ")[0]))
    assert not match.is_copy


AUDIENCE = (
    "استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز في قصر السلام بجدة مساء أمس رئيس "
    "حزب القوات اللبنانية سمير جعجع والوفد المرافق له، وجرى خلال الاستقبال استعراض مستجدات "
    "الأوضاع في لبنان والجهود المبذولة لانتخاب رئيس جديد للجمهورية، إضافة إلى بحث عدد من "
    "القضايا الإقليمية ذات الاهتمام المشترك. حضر الاستقبال الأمير محمد بن سلمان ولي ولي العهد "
    "ووزير الخارجية عادل الجبير وسفير المملكة لدى لبنان علي عواض عسيري."
)
CABLE = (
    "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز برقية تهنئة لفخامة الرئيس خوان "
    "مانويل سانتوس رئيس جمهورية كولومبيا بمناسبة ذكرى استقلال بلاده. وعبر الملك في البرقية "
    "عن أصدق التهاني وأطيب التمنيات بالصحة والسعادة لفخامته ولحكومة وشعب جمهورية كولومبيا "
    "الصديق المزيد من التقدم والازدهار، مؤكدا حرص المملكة على تعزيز العلاقات الثنائية بين "
    "البلدين في المجالات كافة."
)


@pytest.mark.parametrize(
    "order",
    [("audience", "roundup", "cable"), ("audience", "cable", "roundup"),
     ("cable", "roundup", "audience")],
)  # fmt: skip
def test_a_roundup_of_two_reports_does_not_make_them_one_group(order: tuple[str, ...]) -> None:
    """A round-up holding two reports (the king's audience, then his cable) is a copy of
    each: each report joined its group, or it joined both reports' groups, making one copy
    group (and one story) of unrelated news."""
    texts = {"audience": AUDIENCE, "cable": CABLE, "roundup": AUDIENCE + "\n" + CABLE}
    det = CopyDetector()
    matches = {name: det.add(name, normalize(texts[name])) for name in order}
    groups = det.groups()
    assert groups["audience"] != groups["cable"]
    assert groups["roundup"] in (groups["audience"], groups["cable"])
    assert matches["roundup"].is_copy or matches[order[-1]].is_copy


def test_a_trimmed_copy_joins_a_group_of_whole_copies() -> None:
    """The part-of rule keeps what it should: a trimmed wire text inside the wire's group."""
    det = CopyDetector()
    det.add("wire", normalize(WIRE))
    det.add("edited", normalize(EDITED))
    match = det.add("trimmed", normalize(". ".join(WIRE.split(". ")[:3])))
    assert match.is_copy
    assert det.groups()["trimmed"] == "wire"


def test_groups_are_deterministic_and_batch_equals_stream() -> None:
    first = CopyDetector().fit(ITEMS)
    second = CopyDetector().fit(ITEMS)
    stream = CopyDetector()
    for aid, text in ITEMS:
        stream.add(aid, text)
    assert first == second == stream.groups()
    assert first == {"a1": "a1", "a2": "a2", "a3": "a1", "a4": "a1"}


@pytest.mark.parametrize("size", [1, 2, 3])
def test_fit_across_batches_equals_stream(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(copies, "FIT_BATCH", size)  # copies fall across batch boundaries
    stream = CopyDetector()
    for aid, text in ITEMS:
        stream.add(aid, text)
    assert CopyDetector().fit(ITEMS) == stream.groups()


def test_fit_sketches_the_next_batch_on_a_helper_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(copies, "FIT_BATCH", 1)
    sketched_on: list[str] = []
    sketch_batch = MinHasher.sketch_batch

    def recording(self: MinHasher, texts: Sequence[str]) -> SketchBatch:
        sketched_on.append(threading.current_thread().name)
        return sketch_batch(self, texts)

    monkeypatch.setattr(MinHasher, "sketch_batch", recording)
    stream = CopyDetector()
    for aid, text in ITEMS:
        stream.add(aid, text)
    sketched_on.clear()
    assert CopyDetector().fit(ITEMS) == stream.groups()
    assert len(sketched_on) == len(ITEMS)
    assert threading.current_thread().name not in sketched_on


def test_fit_stops_at_a_repeated_id_in_a_later_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(copies, "FIT_BATCH", 2)
    det = CopyDetector()
    with pytest.raises(ValueError, match="already added: 'a1'"):
        det.fit([*ITEMS[:3], ("a1", ITEMS[3][1])])
    assert det.ids_ == ["a1", "a2", "a3"]  # everything before the repeated id is kept


def test_fit_keeps_what_comes_before_an_item_that_is_not_a_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As for a repeated id: the batch already checked was lost with the bad item's."""
    monkeypatch.setattr(copies, "FIT_BATCH", 2)
    det = CopyDetector()
    with pytest.raises(TypeError, match="item 3 is not"):
        det.fit([*ITEMS[:3], (4, ITEMS[3][1])])
    assert det.ids_ == ["a1", "a2", "a3"]
    assert det.groups() == CopyDetector().fit(ITEMS[:3])


def test_an_article_edited_again_and_again_keeps_its_trimmed_copies() -> None:
    """A forgotten article's lead leaves the lead index: its shingles counted against the
    boilerplate cut (a lead shingle of 32 articles) once for every version of the article,
    and after 32 edits its trimmed copy, which only the lead route finds, was missed."""
    text = normalize((REPO / "samples" / "desalination_alsahil.txt").read_text("utf-8"))
    words = text.split()
    trimmed = " ".join(words[: len(words) // 4])
    det = CopyDetector()
    det.add("story", text)
    for k in range(40):  # the article stored again with new text, as tracking does
        det.forget("story")
        det.add("story", f"{text} تحديث {k}")
    det.forget("story")
    det.add("story", text)
    fresh = CopyDetector()
    fresh.add("story", text)
    assert fresh.add("trimmed", trimmed).copies  # the lead route finds it
    assert [c.article_id for c in det.add("trimmed", trimmed).copies] == ["story"]


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        (lambda: CopyDetector().fit(dict(ITEMS)), "item 0 is not an (article_id, normalized_text)"),
        (lambda: CopyDetector().fit([aid for aid, _ in ITEMS]), "item 0 is not"),
        (lambda: CopyDetector().fit([*ITEMS[:2], (3, ITEMS[2][1])]), "item 2 is not"),
        (lambda: CopyDetector().add(7, ITEMS[0][1]), "an article id is a str, not int: 7"),
        (lambda: CopyDetector().add("n1", None), "article 'n1': the text is a str, not NoneType"),
    ],
)
def test_what_is_not_an_id_and_a_text_is_refused_naming_it(bad: Any, said: str) -> None:
    """A dict or a list of ids was unpacked letter by letter into articles 'a', 'b', ..."""
    with pytest.raises(TypeError) as caught:
        bad()
    assert said in str(caught.value)


def test_group_id_is_earliest_article_after_bridging() -> None:
    det = CopyDetector()
    det.add("x", normalize(SAME_TOPIC))
    det.add("b", normalize(WIRE))
    det.add("c", normalize(EDITED))
    assert det.groups() == {"x": "x", "b": "b", "c": "b"}


def test_add_sketch_matches_without_text() -> None:
    det = CopyDetector()
    det.add("wire", normalize(WIRE))
    stored = det.sketch("wire")
    other = CopyDetector()
    other.add_sketch("wire", type(stored).from_bytes(stored.to_bytes()))
    assert other.add("edited", normalize(EDITED)).group_id == "wire"


def test_duplicate_id_rejected() -> None:
    det = CopyDetector()
    det.add("a", normalize(WIRE))
    with pytest.raises(ValueError, match="already"):
        det.add("a", normalize(WIRE))


def test_empty_text_is_its_own_group() -> None:
    det = CopyDetector()
    det.add("a", "")
    assert det.add("b", "").group_id == "b"


def _clean_seed(path: Path) -> CleanArticle:
    settings = Settings.load()
    raw = next(r for r in read([path], settings.read) if isinstance(r, RawArticle))
    return clean(raw, settings.clean)


def test_seeds_not_copies_but_share_passages(seed_paths: dict[str, Path]) -> None:
    a, b = _clean_seed(seed_paths["000"]), _clean_seed(seed_paths["001"])
    det = CopyDetector()
    det.add("000", a.normalized_text)
    assert not det.add("001", b.normalized_text).is_copy
    passages = shared_passages(a.text, b.text)
    flights = [
        p for p in passages if "استئناف الرحلات الجوية المباشرة" in a.text[p.a_start : p.a_end]
    ]
    assert flights
    p = flights[0]
    assert "الرحلات الجوية المباشرة" in b.text[p.b_start : p.b_end]
    assert p.words >= 8


def test_text_inside_a_combined_release_is_not_a_copy() -> None:
    # the release sits at the end of a longer one that leads with other news: no shared lead
    release = ". ".join(WIRE.split(". ")[:3])
    det = CopyDetector()
    det.add("combined", normalize(" ".join([SAME_TOPIC, LONG_ROUNDUP_TAIL, release])))
    match = det.add("release", normalize(release))
    assert not match.is_copy
    # the same release trimmed from the combined text's own lead is a copy
    assert det.add(
        "lead", normalize(SAME_TOPIC.split(". ")[0] + ". " + SAME_TOPIC.split(". ")[1])
    ).is_copy


def test_trimmed_copy_found_when_banding_misses_it() -> None:
    # a short trimmed copy (Jaccard well under any banding threshold) comes by its lead
    long_text = normalize(" ".join([WIRE, LONG_ROUNDUP_TAIL, SAME_TOPIC]))
    det = CopyDetector(CopySettings(bands=1, rows=64))
    det.add("full", long_text)
    match = det.add("trimmed", normalize(". ".join(WIRE.split(". ")[:3])))
    assert match.is_copy
    assert match.copies[0].jaccard < 0.3


def test_wordless_articles_do_not_shift_candidates() -> None:
    # wordless articles are stored but not indexed: later matches must still name the right one
    det = CopyDetector(CopySettings(lead_size=0))
    det.add("empty1", "")
    det.add("other", normalize(SAME_TOPIC))
    det.add("empty2", "")
    det.add("wire", normalize(WIRE))
    match = det.add("edited", normalize(EDITED))
    assert [link.article_id for link in match.copies] == ["wire"]


def test_add_sketches_equals_one_at_a_time() -> None:
    texts = [*ITEMS, ("e", ""), ("a5", normalize(WIRE + LONG_ROUNDUP_TAIL)), ("a6", ITEMS[0][1])]
    one = CopyDetector()
    singles = [one.add(aid, text) for aid, text in texts]
    many = CopyDetector()
    sketches = many.sketch_texts([text for _, text in texts])
    batch = many.add_sketches(list(zip([aid for aid, _ in texts], sketches, strict=True)))
    assert batch == singles
    assert many.groups() == one.groups()


def test_add_batch_equals_add_sketches() -> None:
    texts = [*ITEMS, ("e", ""), ("a5", normalize(WIRE + LONG_ROUNDUP_TAIL)), ("a6", ITEMS[0][1])]
    ids = [aid for aid, _ in texts]
    one = CopyDetector()
    sketches = one.sketch_texts([text for _, text in texts])
    singles = [one.add_sketch(aid, sk) for aid, sk in zip(ids, sketches, strict=True)]
    many = CopyDetector()
    many.add_batch(ids[:2], many.sketch_batch([text for _, text in texts[:2]]))
    got = many.add_batch(ids[2:], many.sketch_batch([text for _, text in texts[2:]]))
    assert got == singles[2:]
    assert many.groups() == one.groups()
    for aid, sk in zip(ids, sketches, strict=True):
        assert many.sketch(aid).to_bytes() == sk.to_bytes()
    with pytest.raises(ValueError, match="already"):
        many.add_batch(["n", "a1"], many.sketch_batch(["x y z", "y z w"]))
    assert "n" in many.groups()  # the articles before the bad one are added


def test_add_sketches_stops_at_a_duplicate_id() -> None:
    det = CopyDetector()
    sketches = det.sketch_texts([ITEMS[0][1], ITEMS[2][1]])
    with pytest.raises(ValueError, match="already"):
        det.add_sketches([("x", sketches[0]), ("x", sketches[1])])
    assert det.groups() == {"x": "x"}  # the articles before the bad one are added


def test_old_scheme_sketch_is_resigned_not_mixed() -> None:
    det = CopyDetector()
    det.add("edited", normalize(EDITED))
    fresh = det.sketch("edited")
    stale = type(fresh)(fresh.signature[::-1].copy(), fresh.shingles, fresh.lead, scheme=0)
    other = CopyDetector()
    other.add_sketch("edited", type(stale).from_bytes(stale.to_bytes()))
    assert other.sketch("edited").scheme == fresh.scheme
    assert (other.sketch("edited").signature == fresh.signature).all()
    assert other.add("wire", normalize(WIRE)).group_id == "edited"


def test_same_body_under_another_opening_is_not_a_copy() -> None:
    # a template statement: the same long body under a different lead (another case)
    body = normalize(WIRE)
    one = normalize(SAME_TOPIC.split(". ")[0]) + " " + body
    two = normalize(LONG_ROUNDUP_TAIL.split(". ")[0]) + " " + body
    det = CopyDetector()
    det.add("one", one)
    match = det.add("two", two)
    assert not match.is_copy
    # the same with the opening kept is a copy
    assert det.add("three", one + " " + normalize(SAME_TOPIC.split(". ")[1])).is_copy


def test_the_same_text_under_a_clause_added_to_its_lead_is_a_copy() -> None:
    # a wire copy republished with a clause inserted in its first sentence: its lead shares
    # almost nothing with the original's, the rest of the text is the same
    words = normalize(WIRE).split()
    clause = normalize(
        "بالتزامن مع إعلان منظمة الصحة العالمية استمرار انتشار الفيروس في عدد من دول المنطقة"
    ).split()
    added = " ".join(words[:3] + clause + words[3:])
    det = CopyDetector()
    det.add("wire", normalize(WIRE))
    match = det.add("added", added)
    assert match.is_copy
    assert match.copies[0].jaccard >= CopySettings().lead_free_jaccard
    # it is the lead rule that gives way to the shared text
    strict = CopyDetector(CopySettings(lead_free_jaccard=1.0))
    strict.add("wire", normalize(WIRE))
    assert not strict.add("added", added).is_copy


def test_storage_grows_also_while_viewed() -> None:
    # arrays grow by a copy, also while something else refers to them
    texts = [normalize(WIRE), normalize(EDITED), normalize(SAME_TOPIC)] * 40
    grown, viewed = CopyDetector(), CopyDetector()
    for i, text in enumerate(texts):
        grown.add(f"a{i}", text + f" {i}")
        viewed.add(f"a{i}", text + f" {i}")
        held = (viewed._shingles[:1], viewed._sigs[:1], viewed._offsets[:1])  # noqa: F841
    assert grown.groups() == viewed.groups()
    assert grown.sketch("a99").to_bytes() == viewed.sketch("a99").to_bytes()


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.integers(0, 2**64 - 2), max_size=300),
    st.lists(st.integers(0, 2**64 - 2), max_size=300),
)
def test_keyset_find_and_marks_agree_with_a_python_set(held: set[int], probe: list[int]) -> None:
    keys = np.array(sorted(held), np.uint64)
    table = _KeySet(keys)
    queries = np.array(probe + sorted(held), np.uint64)
    slot = table.find(queries)
    assert (slot >= 0).tolist() == [q in held for q in queries.tolist()]
    assert table.has(queries).tolist() == (slot >= 0).tolist()
    assert np.array_equal(table._table[slot[slot >= 0]], queries[slot >= 0])
    # marks: a subset of the keys (and keys not held, which mark nothing) looked up by slot
    some = np.array(probe, np.uint64)
    marked = table.marks(some)
    got = marked[slot[slot >= 0]]
    assert got.tolist() == [q in set(probe) for q in queries[slot >= 0].tolist()]
    assert int(marked.sum()) == len(set(probe) & held)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 300), st.integers(0, 20), st.integers(0, 2**32 - 1))
def test_row_counts_equal_count_nonzero(cols: int, rows: int, seed: int) -> None:
    flags = np.random.default_rng(seed).random((rows, cols)) < 0.7
    assert _row_counts(flags).tolist() == np.count_nonzero(flags, axis=1).tolist()


def test_storage_on_memory_maps_grows_in_place_or_by_a_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every grown array on a map: remapped when nothing else views it, copied when something
    # does; the same groups and sketches as ordinary arrays, and a copy of a detector is one
    texts = [normalize(WIRE), normalize(EDITED), normalize(SAME_TOPIC)] * 60
    plain = CopyDetector()
    for i, text in enumerate(texts):
        plain.add(f"a{i}", text + f" {i}")
    monkeypatch.setattr(copies, "_MAPPED", 0)
    mapped, viewed = CopyDetector(), CopyDetector()
    for i, text in enumerate(texts):
        mapped.add(f"a{i}", text + f" {i}")
        viewed.add(f"a{i}", text + f" {i}")
        held = (viewed._shingles[:1], viewed._sigs[:1])  # noqa: F841
    assert _map_of(mapped._shingles) is not None
    assert _map_of(mapped._sigs) is not None
    assert mapped.mapped_bytes() >= mapped._shingles.nbytes + mapped._sigs.nbytes
    assert plain.mapped_bytes() == 0
    assert plain.groups() == mapped.groups() == viewed.groups()
    for det in (mapped, viewed, pickle.loads(pickle.dumps(mapped)), copy.deepcopy(mapped)):
        assert det.sketch("a179").to_bytes() == plain.sketch("a179").to_bytes()
    again = copy.deepcopy(mapped)
    assert again.add("b", texts[0] + " 0").group_id == mapped.add("b", texts[0] + " 0").group_id
