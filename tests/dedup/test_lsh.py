"""LSH banding: candidates found, removed keys gone, probabilities as the formula says."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.dedup.lsh import (
    LSHIndex,
    collision_probability,
    distinct,
    fences,
    group_end,
    radix_order,
    search,
)
from akhbar.dedup.minhash import MinHasher
from akhbar.text.normalize import normalize

from .conftest import EDITED, SAME_TOPIC, WIRE


@pytest.mark.parametrize("rows", [1, 2, 4])
def test_query_finds_near_duplicate_not_unrelated(rows: int) -> None:
    h = MinHasher()
    index: LSHIndex[str] = LSHIndex(128, 128 // (2 * rows), rows)
    index.add("wire", h.signature(normalize(WIRE)))
    index.add("other", h.signature(normalize(SAME_TOPIC)))
    assert "wire" in index.query(h.signature(normalize(EDITED)))
    assert index.query(h.signature(normalize(WIRE))) >= {"wire"}
    assert len(index) == 2


def test_remove() -> None:
    h = MinHasher()
    index: LSHIndex[str] = LSHIndex()
    sig = h.signature(normalize(WIRE))
    index.add("a", sig)
    index.add("b", sig)
    index.remove("a")
    assert index.query(sig) == {"b"}
    index.remove("b")
    assert index.query(sig) == set()
    assert "b" not in index
    with pytest.raises(KeyError):
        index.remove("b")


def test_duplicate_key_and_bad_shape_rejected() -> None:
    index: LSHIndex[int] = LSHIndex(16, 8, 2)
    index.add(1, np.zeros(16, np.uint32))
    with pytest.raises(KeyError):
        index.add(1, np.zeros(16, np.uint32))
    with pytest.raises(ValueError, match="16"):
        index.query(np.zeros(8, np.uint32))
    with pytest.raises(ValueError, match="bands"):
        LSHIndex(16, 9, 2)


def test_collision_rate_matches_formula() -> None:
    rng = np.random.default_rng(0)
    bands, rows, j, trials = 16, 2, 0.4, 400
    hits = 0
    for t in range(trials):
        a = rng.integers(0, 2**32, 32, dtype=np.uint32)
        b = rng.integers(0, 2**32, 32, dtype=np.uint32)
        same = rng.random(32) < j
        b[same] = a[same]
        index: LSHIndex[int] = LSHIndex(32, bands, rows)
        index.add(t, a)
        hits += bool(index.query(b))
    assert abs(hits / trials - collision_probability(j, bands, rows)) < 0.08


def test_batch_query_respects_limits_and_removal() -> None:
    h = MinHasher()
    sigs = np.stack([h.signature(normalize(t)) for t in (WIRE, EDITED, SAME_TOPIC, WIRE)])
    index: LSHIndex[str] = LSHIndex(128, 32, 2)
    index.add_many(["w", "e", "s", "w2"], sigs)
    rows, pos = index.query_pairs(sigs, np.arange(4))
    assert set(zip(rows.tolist(), pos.tolist(), strict=True)) >= {(1, 0), (3, 0), (3, 1)}
    assert all(p < r for r, p in zip(rows.tolist(), pos.tolist(), strict=True))
    index.remove("w")
    assert "w" not in index.query(sigs[1])
    assert index.query(sigs[3]) >= {"e", "w2"}


def test_add_query_equals_add_many_then_limited_query() -> None:
    # random signatures over a few values share bands often, repeats inside a call included
    rng = np.random.default_rng(3)
    sigs = rng.integers(0, 3, size=(60, 16), dtype=np.uint32)
    sigs[25] = sigs[20]
    sigs[26] = sigs[20]
    one: LSHIndex[int] = LSHIndex(16, 8, 2)
    two: LSHIndex[int] = LSHIndex(16, 8, 2)
    for lo, hi in ((0, 10), (10, 30), (30, 31), (31, 31), (31, 60)):
        if hi == 60:
            for index in (one, two):
                index.remove(3)
        keys = list(range(lo, hi))
        row, pos = two.add_query(keys, sigs[lo:hi])
        first = len(one._keys)
        one.add_many(keys, sigs[lo:hi])
        want_row, want_pos = one.query_pairs(sigs[lo:hi], first + np.arange(hi - lo))
        assert row.tolist() == want_row.tolist()
        assert pos.tolist() == want_pos.tolist()
    assert one.query(sigs[20]) == two.query(sigs[20]) >= {20, 25, 26}


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 5000),
    st.integers(1, 2**64 - 1),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["left", "right"]),
)
def test_fenced_search_is_searchsorted(n: int, spread: int, seed: int, side: str) -> None:
    # runs above and below the size searched plainly, with long runs of one key across
    # fences, and queries before, inside, between and after the keys
    rng = np.random.default_rng(seed)
    keys = np.sort(rng.integers(0, spread, n, dtype=np.uint64, endpoint=True))
    if n > 100:
        keys[10:90] = keys[10]
    q = np.sort(
        np.concatenate(
            [
                keys[rng.integers(0, n, 50)] if n else keys,
                rng.integers(0, spread, 50, dtype=np.uint64, endpoint=True),
                np.array([0, 2**64 - 1], np.uint64),
            ]
        )
    )
    got = search(keys, fences(keys), q, side=side)  # type: ignore[arg-type]
    assert np.array_equal(got, np.searchsorted(keys, q, side=side))  # type: ignore[call-overload]


@settings(deadline=None)
@given(
    st.integers(1, 5000), st.integers(1, 2**40), st.integers(0, 2**32 - 1), st.sampled_from([0, 32])
)
def test_group_end_is_searchsorted_right(n: int, spread: int, seed: int, shift: int) -> None:
    # keys found at their start: the end of their entries (all keys with the same top bits
    # when shifted), single entries, long runs of one key across fences, and the last key
    rng = np.random.default_rng(seed)
    keys = np.sort(rng.integers(0, spread, n, dtype=np.uint64, endpoint=True))
    if n > 100:
        keys[10:90] = keys[10]
    top = keys >> np.uint64(shift)
    q = np.unique(top[rng.integers(0, n, 50)])
    lo = np.searchsorted(top, q)
    end = np.searchsorted(top, q, side="right")
    assert np.array_equal(group_end(keys, fences(keys), q, lo, shift), end)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 20000), st.integers(1, 2**64 - 1), st.integers(0, 2**32 - 1))
def test_radix_order_is_a_stable_argsort(n: int, spread: int, seed: int) -> None:
    keys = np.random.default_rng(seed).integers(0, spread, n, dtype=np.uint64, endpoint=True)
    assert np.array_equal(radix_order(keys), np.argsort(keys, kind="stable"))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 12000),
    st.integers(1, 2**62),
    st.sampled_from(["uint64", "int64", "int64-signed", "uint32"]),
    st.integers(0, 2**32 - 1),
)
def test_distinct_is_unique_with_counts(n: int, spread: int, kind: str, seed: int) -> None:
    # radix-sorted (64-bit, not negative, many) or np.sort-ed: the same distinct values
    rng = np.random.default_rng(seed)
    x = rng.integers(0, spread, n, dtype=np.uint64, endpoint=True)
    if kind == "int64":
        x = x.astype(np.int64)
    elif kind == "int64-signed":
        x = x.astype(np.int64) - spread // 2
    elif kind == "uint32":
        x = (x & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    values, counts = distinct(x, counts=True)
    want, times = np.unique(x, return_counts=True)
    assert values.dtype == x.dtype
    assert np.array_equal(values, want)
    assert np.array_equal(counts, times)


def test_signatures_of_another_type_are_refused() -> None:
    """float64 values (a signature built by hand, say) would band differently without a word."""
    index: LSHIndex[str] = LSHIndex(num_perm=8, bands=4, rows=2)
    with pytest.raises(ValueError, match="uint32"):
        index.add("a", np.arange(8, dtype=np.float64))
