"""Clustering metrics: hand-checked cases, invariants, and agreement with shared/eval/score.py."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.errors import InputError
from akhbar.evaluate import load_gold, score_clustering


def test_perfect_clustering_scores_one() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    s = score_clustering(gold, {"a": "x", "b": "x", "c": "y"})
    assert (s.pair_f1, s.b3_f1, s.ari) == (1.0, 1.0, 1.0)


def test_hand_computed_example() -> None:
    gold = {"a": "1", "b": "1", "c": "1", "d": "2"}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    s = score_clustering(gold, pred)
    # gold pairs: ab ac bc; predicted pairs: ab cd; shared: ab
    assert s.pair_p == pytest.approx(1 / 2)
    assert s.pair_r == pytest.approx(1 / 3)
    # BCubed precision: a 1, b 1, c 1/2, d 1/2 -> 3/4; recall: a 2/3, b 2/3, c 1/3, d 1 -> 2/3
    assert s.b3_p == pytest.approx(3 / 4)
    assert s.b3_r == pytest.approx(2 / 3)
    assert (s.gold_clusters, s.pred_clusters) == (2, 2)


def test_ids_missing_from_the_prediction_are_counted() -> None:
    s = score_clustering({"a": "1", "b": "1"}, {"a": "x"})
    assert (s.n, s.missing) == (1, 1)


labels = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3), st.sampled_from("pqrs"), min_size=2, max_size=30
)


@given(labels, st.randoms())
def test_scores_are_within_bounds_and_swap_precision_and_recall(
    gold: dict[str, str], rnd: random.Random
) -> None:
    pred = {k: rnd.choice("xyz") for k in gold}
    s = score_clustering(gold, pred)
    t = score_clustering(pred, gold)
    for v in (s.pair_p, s.pair_r, s.b3_p, s.b3_r):
        assert 0.0 <= v <= 1.0
    assert s.b3_p == pytest.approx(t.b3_r)
    assert s.pair_f1 == pytest.approx(t.pair_f1)
    assert s.ari == pytest.approx(t.ari)


def test_agrees_with_the_shared_scorer(shared: Path) -> None:
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    gold = load_gold(shared / "eval" / "dev-gold.jsonl")
    rnd = random.Random(7)
    for level in ("story", "event", "copy"):
        g = gold[level]
        pred = {
            i: (lab if rnd.random() < 0.8 else f"noise{rnd.randrange(20)}") for i, lab in g.items()
        }
        ours = score_clustering(g, pred)
        theirs = module.score(g, pred)
        assert round(ours.pair_f1, 4) == theirs["pair_f1"]
        assert round(ours.b3_f1, 4) == theirs["b3_f1"]
        assert round(ours.ari, 4) == theirs["ari"]


@pytest.mark.parametrize("label", ["null", "true", "[1]"])
def test_a_label_that_is_no_cluster_name_names_its_line(tmp_path: Path, label: str) -> None:
    """A null label would make all such articles one gold cluster without a word."""
    path = tmp_path / "gold.jsonl"
    path.write_text(f'{{"id": "a", "story": "s"}}\n{{"id": "b", "story": {label}}}\n', "utf-8")
    with pytest.raises(InputError, match=r"line 2.*story"):
        load_gold(path)


def test_gold_with_a_bom_and_padded_ids_reads_as_the_articles_do(tmp_path: Path) -> None:
    """The article readers accept a BOM and strip ids; the gold labels do the same, so
    labels match the articles they name."""
    path = tmp_path / "gold.jsonl"
    rows = [{"id": " a ", "story": "s"}, {"id": 7, "story": "s"}]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(map(json.dumps, rows)).encode())
    assert load_gold(path)["story"] == {"a": "s", "7": "s"}


def test_bad_gold_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "a", "story": "s"}) + "\n{oops\n", "utf-8")
    with pytest.raises(InputError, match=r"line 2"):
        load_gold(path)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'[{"id": "a", "story": "s"}]\n', r"line 1.*an object with an \"id\""),
        (b'{"story": "s"}\n', r"line 1.*an object with an \"id\""),
        (b"\x1f\x8b\x08\x00\xff\xfe compressed", "line 1.*not UTF-8 text"),
        (b'{"id": "a", "story": "s"}\n{"id": "b", "story": "\xe9"}\n', "line 2.*not UTF-8"),
        (b'{"id": "", "story": "s"}\n', r"line 1.*a non-blank string or a number"),
        (b'{"id": true, "story": "s"}\n', r"line 1.*a non-blank string or a number"),
        (b'{"id": [1], "story": "s"}\n', r"line 1.*a non-blank string or a number"),
        (
            b'{"id": "a", "story": "s"}\n{"id": "b", "stroy": "s"}\n{"id": "c", "story": "t"}\n',
            r'line 2.*no "story" label, which 2 other row\(s\) have',
        ),
        (
            b'{"id": "a", "story": "s"}\n{"id": "b", "story": "s"}\n{"id": " a", "story": "t"}\n',
            r"line 3.*id 'a' is labelled on line 1 already",
        ),
    ],
)
def test_gold_that_is_not_label_rows_is_an_input_error(
    tmp_path: Path, content: bytes, said: str
) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=said):
        load_gold(path)


def test_a_number_label_is_a_label_of_its_own_as_the_reference_scorer_has_it(
    tmp_path: Path,
) -> None:
    """`1` and `"1"` are two gold clusters (score.py keeps JSON values apart); a fraction
    is a number too, not refused by a message asking for a number."""
    path = tmp_path / "gold.jsonl"
    rows = [{"id": "a", "story": 1}, {"id": "b", "story": "1"}, {"id": "c", "story": 1.5}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    story = load_gold(path)["story"]
    assert len(set(story.values())) == 3
    path.write_text('{"id": "a", "story": 1000}\n{"id": "b", "story": 1e3}\n', "utf-8")
    assert len(set(load_gold(path)["story"].values())) == 1  # one value, as Python has it
    scores = score_clustering(story, {"a": "x", "b": "x", "c": "y"})
    assert scores.gold_clusters == 3
    assert scores.pair_p == 0.0


def test_gold_lines_may_end_with_a_lone_carriage_return(tmp_path: Path) -> None:
    """Old Mac line endings, which text mode and the reference scorer split at."""
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b'{"id": "a", "story": "s1"}\r{"id": "b", "story": "s1"}\r')
    assert load_gold(path)["story"] == {"a": "s1", "b": "s1"}
