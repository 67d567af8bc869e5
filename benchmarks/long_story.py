"""Story clustering cost per article while one story runs for months.

Usage: python benchmarks/long_story.py [--days 180] [--per-day 24] [--events-per-day 2]

A synthetic stream: one story (its own words) with new happenings every day (their own
words), each article placed into that story (the story decision is not what is timed here) and
into the event the clusterer chooses. Prints the clusterer's CPU time per article for each
stretch of 30 days, and the story's events: those still candidates for articles in time, and
all of them. The cost must stay flat however long the story runs (issue 3: "cost per article
stays flat as the corpus grows"); before events idle for two windows were closed to
candidates, every article joining the story scanned every event it ever had. Document terms
are computed before timing (ingest computes them in worker processes). The packaged parameters
end a story a week after its first article (`max_span_days`); here that limit is lifted, as a
user may, and as a copy of an old article lifts it for its story.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from akhbar.stories import StoryClusterer, StoryDoc, StoryParams

_LETTERS = "بتثجحخدذرزسشصضطظعغفقكمنهي"
_START = datetime(2024, 1, 1, tzinfo=UTC)


def _words(seed: int, n: int = 12) -> list[str]:
    """Random six-letter Arabic words: one vocabulary per seed."""
    rng = random.Random(seed)
    return ["".join(rng.choice(_LETTERS) for _ in range(6)) for _ in range(n)]


def _article(n: int, happening: int, hours: float) -> StoryDoc:
    """An article of the story on one happening: the story's words and the happening's."""
    rng = random.Random(n)
    story, event = _words(1), _words(1000 + happening)
    title = " ".join(rng.sample(story, 2) + rng.sample(event, 3))
    paragraphs = tuple(" ".join(rng.sample(story, 4) + rng.sample(event, 5)) for _ in range(3))
    return StoryDoc(f"a{n}", _START + timedelta(hours=hours), title, paragraphs, f"outlet{n % 14}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--per-day", type=int, default=24)
    parser.add_argument("--events-per-day", type=int, default=2)
    args = parser.parse_args()
    clusterer = StoryClusterer(dataclasses.replace(StoryParams.load(), max_span_days=None))
    docs = [
        _article(
            n, day * args.events_per_day + k % args.events_per_day, day * 24 + k * 24 / args.per_day
        )
        for day in range(args.days)
        for k in range(args.per_day)
        for n in [day * args.per_day + k]
    ]
    terms = [clusterer.vectorizer_.doc_terms(doc) for doc in docs]
    print(f"{'days':>9} {'us/article':>11} {'events open':>12} {'events in all':>14}")
    story = None
    stretch = 30 * args.per_day
    for start in range(0, len(docs), stretch):
        t0 = time.process_time()
        part = zip(docs[start : start + stretch], terms[start : start + stretch], strict=True)
        for doc, doc_terms in part:
            pending = clusterer.prepare(doc, doc_terms)
            event = clusterer.choose_event(pending, story) if story else None
            story = clusterer.commit(pending, story, event).story_id
        spent = time.process_time() - t0
        s = clusterer.stories_[story] if story else None
        held = len(s.events) if s else 0
        closed = len(getattr(s, "closed", ())) if s else 0
        first = start // args.per_day
        last = min(len(docs), start + stretch) // args.per_day
        print(
            f"{first:>4}-{last:<4} {1e6 * spent / len(docs[start : start + stretch]):>11.1f} "
            f"{held:>12} {held + closed:>14}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
