"""Boilerplate: the packaged pattern list, and lines that recur across one outlet's articles.

Two sources of boilerplate: patterns everyone knows (`data/boilerplate.txt`, extended by
`CleanSettings.extra_boilerplate`), and lines that an outlet repeats under many of its articles
(learnt from a corpus by `BoilerplateDetector`, or counted incrementally by the store using
`candidate_lines`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import chain

from akhbar.model import RawArticle
from akhbar.text.clean_lines import line_key, split_lines
from akhbar.text.normalize import fold_letters, strip_diacritics

__all__ = [
    "BoilerplateDetector",
    "BoilerplatePatterns",
    "candidate_lines",
    "candidate_text_lines",
    "load_patterns",
    "packaged_patterns",
]

# A tail must start the line or follow the end of a sentence (optionally closed by a quote or
# bracket), so that cutting it never takes half a sentence.
_SENTENCE_CLOSE = re.compile(r"[.!?\"')\]]")


@dataclass(frozen=True, slots=True)
class BoilerplatePatterns:
    """Compiled patterns, each with its source: whole-line ones (`line:`; `edge:` for the
    first and last lines of the body only), trailing parts (`tail:`; `end:` for the last lines
    only) and leading parts (`head:`)."""

    line: tuple[tuple[str, re.Pattern[str]], ...]
    tail: tuple[tuple[str, re.Pattern[str]], ...]
    any_line: re.Pattern[str] | None
    any_tail: re.Pattern[str] | None
    edge: tuple[tuple[str, re.Pattern[str]], ...] = ()
    end: tuple[tuple[str, re.Pattern[str]], ...] = ()
    any_end: re.Pattern[str] | None = None  # the tail and end patterns together
    head: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def match_line(self, norm: str, *, at_edge: bool = False) -> str | None:
        """The source of the whole-line pattern that `norm` matches, if any; `at_edge` (the
        line is among the first or last of the body) tries the `edge:` patterns too."""
        if self.any_line is not None and self.any_line.fullmatch(norm) is not None:
            return next(src for src, rx in self.line if rx.fullmatch(norm))
        if at_edge:
            return next((src for src, rx in self.edge if rx.fullmatch(norm)), None)
        return None

    def search_tail(self, norm: str, *, at_end: bool = False) -> tuple[int, str] | None:
        """Where the leftmost trailing boilerplate of `norm` starts, and its pattern's source;
        `at_end` (the line is among the last of the body) tries the `end:` patterns too.

        Only the line's start and sentence ends are tried (few places: the engine finds the
        closing marks fast), rather than the patterns at every character.
        """
        found = self.any_end if at_end and self.end else self.any_tail
        if found is None:
            return None
        match = found.match
        for start in _tail_starts(norm):
            if match(norm, start) is not None:
                rest = norm[start:]
                patterns = chain(self.tail, self.end) if at_end else self.tail
                return start, next(src for src, rx in patterns if rx.fullmatch(rest))
        return None

    def match_head(self, norm: str) -> tuple[int, str] | None:
        """Where a leading boilerplate of `norm` ends (at a word's end, with more words after
        it), and its pattern's source."""
        for src, rx in self.head:
            m = rx.match(norm)
            if m is not None and norm[m.end() : m.end() + 1] == " ":
                return m.end(), src
        return None


def _tail_starts(norm: str) -> Iterator[int]:
    """Where a trailing boilerplate may start, in order: the start of the line, and after a
    sentence's closing mark (and its space)."""
    yield 0
    for m in _SENTENCE_CLOSE.finditer(norm):
        end = m.end()
        yield end
        if norm[end : end + 1] == " ":
            yield end + 1


def _fold_pattern(pattern: str) -> str:
    """Fold a pattern's Arabic letters like normalize() does, leaving regex syntax untouched."""
    return strip_diacritics(fold_letters(pattern.strip()))


def _parse(lines: Iterable[str]) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Split pattern-file lines into whole-line, tail, edge, end and head patterns, skipping
    comments."""
    line_pats: list[str] = []
    tail_pats: list[str] = []
    edge_pats: list[str] = []
    end_pats: list[str] = []
    head_pats: list[str] = []
    for raw in lines:
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("tail:"):
            tail_pats.append(_fold_pattern(text[5:]))
        elif text.startswith("edge:"):
            edge_pats.append(_fold_pattern(text[5:]))
        elif text.startswith("end:"):
            end_pats.append(_fold_pattern(text[4:]))
        elif text.startswith("head:"):
            head_pats.append(_fold_pattern(text[5:]))
        elif text.startswith("line:"):
            line_pats.append(_fold_pattern(text[5:]))
        else:
            line_pats.append(_fold_pattern(text))
    return line_pats, tail_pats, edge_pats, end_pats, head_pats


@functools.lru_cache(maxsize=32)
def load_patterns(extra: tuple[str, ...] = ()) -> BoilerplatePatterns:
    """The packaged patterns plus `extra` (same syntax), compiled once per distinct `extra`."""
    text = resources.files("akhbar").joinpath("data/boilerplate.txt").read_text("utf-8")
    line_pats, tail_pats, edge_pats, end_pats, head_pats = _parse([*text.splitlines(), *extra])
    line = tuple((p, re.compile(p)) for p in line_pats)
    tail = tuple((p, re.compile(p)) for p in tail_pats)
    edge = tuple((p, re.compile(p)) for p in edge_pats)
    any_line = re.compile("|".join(f"(?:{p})" for p in line_pats)) if line_pats else None
    any_tail = _any_tail(tail_pats)
    end = tuple((p, re.compile(p)) for p in end_pats)
    any_end = _any_tail(tail_pats + end_pats)
    head = tuple((p, re.compile(p)) for p in head_pats)
    return BoilerplatePatterns(line, tail, any_line, any_tail, edge, end, any_end, head)


def _any_tail(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex for tail patterns, matched at a candidate start to the end of the line."""
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")$") if patterns else None


def packaged_patterns() -> BoilerplatePatterns:
    """The packaged list alone (cached)."""
    return load_patterns(())


def candidate_lines(article: RawArticle, max_words: int = 30) -> set[str]:
    """Distinct keys of an article's short lines: what is counted to find an outlet's boilerplate.

    Long lines are real paragraphs even when an outlet repeats them (a republished article), so
    only lines of at most `max_words` words take part.
    """
    return candidate_text_lines(article.text, max_words)


def candidate_text_lines(text: str, max_words: int = 30) -> set[str]:
    """`candidate_lines` of an article's text."""
    out: set[str] = set()
    for line in split_lines(text):
        if line and line.count(" ") < max_words:
            key = line_key(line)
            if key:
                out.add(key)
    return out


class BoilerplateDetector:
    """Learns, per outlet, the lines that recur in many of its articles (sklearn style).

    A line is an outlet's boilerplate when it is in at least `min_articles` of the outlet's
    articles and in at least `min_share` of them; `lines_for(outlet)` gives the keys to pass
    to `clean(..., outlet_boilerplate=...)`.
    """

    lines_: dict[str, frozenset[str]]

    def __init__(self, min_articles: int = 5, min_share: float = 0.2, max_words: int = 30) -> None:
        """Keep the thresholds; nothing is learnt until `fit`."""
        self.min_articles = min_articles
        self.min_share = min_share
        self.max_words = max_words
        self.lines_ = {}

    def fit(self, articles: Iterable[RawArticle]) -> BoilerplateDetector:
        """Count each candidate line once per article, per outlet, and keep the recurring ones."""
        totals: Counter[str] = Counter()
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for article in articles:
            outlet = article.outlet or ""
            totals[outlet] += 1
            counts[outlet].update(candidate_lines(article, self.max_words))
        self.lines_ = {
            outlet: frozenset(
                key
                for key, n in counts[outlet].items()
                if n >= self.min_articles and n >= self.min_share * total
            )
            for outlet, total in totals.items()
        }
        return self

    def lines_for(self, outlet: str | None) -> frozenset[str]:
        """The learnt boilerplate keys of `outlet` (empty for an outlet never seen)."""
        return self.lines_.get(outlet or "", frozenset())
