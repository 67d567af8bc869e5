"""The training data keeps no sentence that overlaps the ANERcorp test split."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.extract.ner.corpus import (
    Sentence,
    chunk_set,
    drop_overlapping,
    overlap_fraction,
    read_anercorp,
    read_newsfane,
)

NEWSFANE = "data/newsfane-gold/NewsFANE_Gold_2014_170K.txt"
ANERCORP = "data/anercorp-camellab-test/ANERCorp_CamelLab_test.txt"


@pytest.mark.shared
def test_kept_training_sentences_do_not_overlap_test(shared: Path) -> None:
    train = read_newsfane(shared / NEWSFANE)
    test = read_anercorp(shared / ANERCORP)
    kept, removed = drop_overlapping(train, test)
    assert removed >= 700  # NewsFANE re-annotates most of the test text
    assert len(kept) + removed == len(train)
    chunks = chunk_set(test)
    assert all(overlap_fraction(s, chunks) < 0.10 for s in kept)

    # Independent check at the word level: no kept sentence shares an 8-word run with the test.
    def grams(s: Sentence) -> set[str]:
        words = s.text.split()
        return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}

    test_grams = set().union(*(grams(s) for s in test))
    shared_runs = [s for s in kept if grams(s) & test_grams]
    assert len(shared_runs) <= 5, [s.text[:80] for s in shared_runs[:5]]


def test_drop_overlapping_removes_a_copied_sentence() -> None:
    test = [Sentence(("قال", "الرئيس", "الروسي", "فلاديمير", "بوتين", "اليوم"), ("O",) * 6)]
    copy = Sentence(("وقال", "الرئيس", "الروسي", "فلاديمير", "بوتين", "اليوم"), ("O",) * 6)
    other = Sentence(("أعلنت", "وزارة", "الصحة", "السعودية", "عن", "حالات", "جديدة"), ("O",) * 7)
    kept, removed = drop_overlapping([copy, other], test)
    assert removed == 1
    assert kept == [other]
