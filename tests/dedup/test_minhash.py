"""MinHash: fixed hashing, byte round-trip, Jaccard estimates close to the truth."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from akhbar.dedup import minhash
from akhbar.dedup.minhash import (
    EMPTY,
    SCHEME,
    MinHasher,
    Sketch,
    SketchBatch,
    from_bytes,
    jaccard,
    to_bytes,
)
from akhbar.text.normalize import normalize

from .conftest import EDITED, SAME_TOPIC, WIRE

# Pinned: a change to tokenising, hashing or binning changes these and fails loudly, because
# stored signatures would silently stop matching new ones (a new scheme needs a new number).
PINNED_FIRST = [2015067145, 47171154, 94606698, 3571204454]
# The shingle hashes are those of scheme 0 (before one-permutation hashing): stored sketches'
# shingles stay valid, and their signatures are re-derived from them.
PINNED_SHINGLES = [47171154, 94606698, 179254130, 232832779]


def test_signature_is_uint32_of_num_perm() -> None:
    sig = MinHasher(num_perm=64).signature(normalize(WIRE))
    assert sig.dtype == np.uint32
    assert sig.shape == (64,)


def test_signature_bytes_identical_across_instances_and_batches() -> None:
    text = normalize(WIRE)
    one = to_bytes(MinHasher().signature(text))
    two = to_bytes(MinHasher().signature(text))
    batch = MinHasher().signatures([normalize(SAME_TOPIC), text, ""])
    assert one == two == to_bytes(batch[1])
    assert len(one) == 128 * 4


def test_signature_bytes_are_pinned_little_endian() -> None:
    sig = MinHasher().signature(normalize(WIRE))
    raw = to_bytes(sig)
    assert [int.from_bytes(raw[i : i + 4], "little") for i in range(0, 16, 4)] == PINNED_FIRST


def test_shingle_hashes_are_pinned() -> None:
    shingles = MinHasher().shingles(normalize(WIRE))
    assert shingles[:4].tolist() == PINNED_SHINGLES
    assert shingles.size == 117


def test_characters_outside_the_bmp_hash_as_code_points() -> None:
    # a text with an astral character is hashed from its code points (UTF-32), the others
    # from UTF-16 units: a shingle is the same whichever way its block was read
    h = MinHasher()
    astral = "كلمة \U0001d4b3بعد 😀 ثم كلمة"
    alone = [h.shingles(t) for t in (normalize(WIRE), "\ud800 x y", astral)]
    batch = h.sketches([normalize(WIRE), "\ud800 x y", astral])
    assert all(np.array_equal(a, b.shingles) for a, b in zip(alone, batch, strict=True))
    assert batch[0].shingles[:4].tolist() == PINNED_SHINGLES
    assert np.intersect1d(h.shingles("كلمة \U0001d4b3بعد ثم"), batch[2].shingles).size == 1


def test_byte_round_trip() -> None:
    sig = MinHasher().signature(normalize(EDITED))
    back = from_bytes(to_bytes(sig))
    assert back.dtype == np.uint32
    assert np.array_equal(back, sig)


def test_sketch_round_trip() -> None:
    sketch = MinHasher().sketches([normalize(WIRE)])[0]
    back = Sketch.from_bytes(sketch.to_bytes())
    assert np.array_equal(back.signature, sketch.signature)
    assert np.array_equal(back.shingles, sketch.shingles)
    assert back.scheme == sketch.scheme == SCHEME == 1


def test_old_scheme_bytes_read_as_scheme_zero_and_resketched() -> None:
    h = MinHasher(lead_size=16)
    new = h.sketches([normalize(WIRE)])[0]
    stale = np.arange(128, dtype=np.uint32)  # whatever the old permutations gave
    old_bytes = Sketch(stale, new.shingles, new.lead, scheme=0).to_bytes()
    assert old_bytes[:4] == (128 | new.lead.size << 16).to_bytes(4, "little")  # old head
    old = Sketch.from_bytes(old_bytes)
    assert old.scheme == 0
    (fresh,) = h.resketch([old])
    assert fresh.scheme == SCHEME
    assert np.array_equal(fresh.signature, new.signature)
    assert np.array_equal(fresh.shingles, new.shingles)
    assert np.array_equal(fresh.lead, new.lead)


def test_blocks_of_texts_give_the_same_sketches(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [normalize(t) for t in (WIRE, "", EDITED, "كلمة", SAME_TOPIC, WIRE)]
    whole = MinHasher(lead_size=16).sketches(texts)
    monkeypatch.setattr(minhash, "_CHARS", 100)  # every text a block of its own
    parts = MinHasher(lead_size=16).sketches(texts)
    for a, b in zip(whole, parts, strict=True):
        assert np.array_equal(a.signature, b.signature)
        assert np.array_equal(a.shingles, b.shingles)
        assert np.array_equal(a.lead, b.lead)


def test_lead_found_past_a_repetitive_opening() -> None:
    h = MinHasher(lead_size=4)  # looks at 8 shingles first: all repeats of two here
    words = "a b " * 20 + "c d e f g"
    lead = h.sketches([words])[0].lead
    tokens = words.split()
    order = [h.shingles(" ".join(tokens[i : i + 3]))[0] for i in range(len(tokens) - 2)]
    assert lead.tolist() == list(dict.fromkeys(order))[:4]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefghij"), max_size=40), min_size=1, max_size=8))
def test_leads_in_a_batch_are_first_distinct_shingles(docs: list[list[str]]) -> None:
    # windows with and without repeats side by side: the repeat-free ones skip the
    # value-by-value comparison, and every lead is still the text's first distinct shingles
    h = MinHasher(lead_size=4)
    texts = [" ".join(words) for words in docs]
    for text, sketch in zip(texts, h.sketches(texts), strict=True):
        tokens = text.split()
        if len(tokens) < 3:
            continue
        order = [h.shingles(" ".join(tokens[i : i + 3]))[0] for i in range(len(tokens) - 2)]
        assert sketch.lead.tolist() == list(dict.fromkeys(order))[:4]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.booleans(), min_size=8, max_size=8), max_size=50))
def test_first_of_eight_is_argmax(rows: list[list[bool]]) -> None:
    hit = np.array(rows, bool).reshape(-1, 8)
    got, pick = minhash._first_of_eight(hit)
    assert got.tolist() == hit.any(axis=1).tolist()
    assert pick[got].tolist() == hit.argmax(axis=1)[got].tolist()


def test_seed_changes_permutations() -> None:
    text = normalize(WIRE)
    assert not np.array_equal(MinHasher(seed=1).signature(text), MinHasher(seed=2).signature(text))


def test_wordless_text_has_empty_signature() -> None:
    sig = MinHasher().signature("... !!")
    assert (sig == EMPTY).all()


def test_short_text_has_one_shingle() -> None:
    assert MinHasher(shingle_size=3).shingles("كلمة واحدة").size == 1


def test_shingles_count_word_trigrams() -> None:
    words = [f"w{i}" for i in range(10)]
    assert MinHasher(shingle_size=3).shingles(" ".join(words)).size == 8
    # punctuation is not part of a word: the same trigrams
    assert np.array_equal(
        MinHasher().shingles(" ".join(words)), MinHasher().shingles(", ".join(words) + ".")
    )


def test_similarity_is_symmetric() -> None:
    h = MinHasher()
    a, b = h.signature(normalize(WIRE)), h.signature(normalize(EDITED))
    assert jaccard(a, b) == jaccard(b, a)
    assert jaccard(a, a) == 1.0


VOCAB = [f"ك{i}" for i in range(60)]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(VOCAB), min_size=30, max_size=120),
    st.lists(st.sampled_from(VOCAB), min_size=30, max_size=120),
    st.integers(0, 100),
)
def test_estimate_close_to_true_jaccard(a: list[str], tail: list[str], cut: int) -> None:
    b = a[: cut % len(a)] + tail  # shares a prefix with a, so similarities spread over [0, 1]
    h = MinHasher(num_perm=256)
    sa, sb = h.shingles(" ".join(a)), h.shingles(" ".join(b))
    # one-permutation bins: with a handful of distinct shingles, two of them sharing a bin
    # decides the whole estimate (copies are verified on exact shingle sets anyway)
    assume(min(np.unique(sa).size, np.unique(sb).size) >= 16)
    inter = np.intersect1d(sa, sb).size
    true = inter / (sa.size + sb.size - inter)
    est = jaccard(h.signature(" ".join(a)), h.signature(" ".join(b)))
    # standard error of a 256-value estimate is at most 0.031: 5 of them
    assert abs(est - true) <= 0.16


def test_sketch_lead_is_first_distinct_shingles_and_old_bytes_read() -> None:
    h = MinHasher(lead_size=4)
    text = "a b c d a b c e f g h"
    sketch = h.sketches([text])[0]
    firsts = [h.shingles(" ".join(text.split()[i : i + 3]))[0] for i in range(5)]
    assert sketch.lead.tolist() == [firsts[0], firsts[1], firsts[2], firsts[3]]
    back = Sketch.from_bytes(sketch.to_bytes())
    assert back.lead.tolist() == sketch.lead.tolist()
    old = Sketch(sketch.signature, sketch.shingles, scheme=0).to_bytes()  # no lead, scheme 0
    assert old[:4] == (sketch.signature.size).to_bytes(4, "little")
    assert Sketch.from_bytes(old).lead.size == 0
    assert Sketch.from_bytes(old).scheme == 0


def test_sketch_batch_rows_are_the_sketches() -> None:
    h = MinHasher()
    texts = [normalize(WIRE), "", "one", normalize(EDITED), "a b"]
    batch = h.sketch_batch(texts)
    assert len(batch) == len(texts)
    for i, sk in enumerate(h.sketches(texts)):
        assert batch[i].to_bytes() == sk.to_bytes()
    again = SketchBatch.of(batch.sketches(), h.num_perm)
    assert [s.to_bytes() for s in again.sketches()] == [s.to_bytes() for s in batch.sketches()]
    joined = SketchBatch.join([h.sketch_batch(texts[:2]), h.sketch_batch(texts[2:])])
    assert [s.to_bytes() for s in joined.sketches()] == [s.to_bytes() for s in batch.sketches()]


@pytest.mark.parametrize("num_perm", [128, 100, 16])
def test_few_filled_bins_densify_as_probing_does(num_perm: int) -> None:
    """Texts with few filled bins take their values from the first-probe table: the same
    signatures as probing them (the table switched off), texts of 1 to 40 words."""
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(200)]
    texts = [" ".join(rng.choice(words, int(rng.integers(1, 40)))) for _ in range(500)]
    fast = MinHasher(num_perm=num_perm)
    probing = MinHasher(num_perm=num_perm)
    probing._first_probes = np.zeros((0, 0), np.int16)
    assert np.array_equal(fast.signatures(texts), probing.signatures(texts))


def test_few_filled_bins_take_the_cyclic_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """With only eight probes, most empty bins of a short text take the next filled bin (the
    fallback): the first-probe table says so too."""
    monkeypatch.setattr(minhash, "_PROBES", 8)
    minhash._probe_tables.cache_clear()
    try:
        rng = np.random.default_rng(4)
        words = [f"w{i}" for i in range(100)]
        texts = [" ".join(rng.choice(words, int(rng.integers(1, 12)))) for _ in range(300)]
        fast = MinHasher()
        probing = MinHasher()
        probing._first_probes = np.zeros((0, 0), np.int16)
        assert np.array_equal(fast.signatures(texts), probing.signatures(texts))
    finally:
        minhash._probe_tables.cache_clear()


def test_one_text_given_where_texts_are_expected_is_an_error() -> None:
    """A string is a sequence too: each of its characters would be sketched as a text."""
    with pytest.raises(TypeError, match=r"\[text\]"):
        MinHasher().signatures("قالت الوزارة")
