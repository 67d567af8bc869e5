"""Synthetic StoryDocs: each story has its own rare words, so the right answer is known."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from akhbar.stories import StoryDoc

_LETTERS = "بتثجحخدذرزسشصضطظعغفقكمنهي"
_START = datetime(2024, 1, 1, tzinfo=UTC)


def word(rng: random.Random) -> str:
    """A random Arabic-letter word unlikely to be a stopword or to collide."""
    return "".join(rng.choice(_LETTERS) for _ in range(6))


def story_words(seed: int, n: int = 12) -> list[str]:
    """The distinctive vocabulary of story `seed`."""
    rng = random.Random(seed)
    return [word(rng) for _ in range(n)]


def doc(
    doc_id: str,
    story: int,
    hours: float,
    seed: int,
    copy_of: str | None = None,
    *,
    outlet: str | None = None,
) -> StoryDoc:
    """An article of story `story`, published `hours` after the start; each seed its own
    outlet unless `outlet` is given (one outlet's second piece within a day is weaker
    evidence to the clusterer, so synthetic articles should not share outlets by accident)."""
    rng = random.Random(seed)
    vocab = story_words(story)
    title = " ".join(rng.sample(vocab, 5))
    paragraphs = tuple(
        " ".join(rng.sample(vocab, 6) + [word(rng) for _ in range(3)]) for _ in range(3)
    )
    return StoryDoc(
        id=doc_id,
        published=_START + timedelta(hours=hours),
        title=title,
        paragraphs=paragraphs,
        outlet=f"outlet{seed}" if outlet is None else outlet,
        copy_of=copy_of,
    )
