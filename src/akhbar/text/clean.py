"""Cleaning: a readable view of a scraped article, with a record of everything left out.

`clean` never touches `RawArticle.text`; it returns a `CleanArticle` whose body is a list of
paragraph and heading blocks, plus `removed` (every piece left out, with a machine-readable
reason) and `edits` (reshaping that keeps the words, such as a sub-heading split off the
paragraph it was glued to). The work is a fixed sequence of small rules, run in this order:

1. whitespace       lines of only (no-break) spaces are blank; spaces collapse; lines strip
2. boilerplate      packaged patterns, `extra_boilerplate`, the outlet's recurring lines; a
                    leading or trailing boilerplate part is cut from its paragraph
3. title            the given title (an agency's section label, `عام / `, off), else a
                    headline-shaped first line; repeats of it go
4. duplicates       verbatim repeats, and paragraphs that are other paragraphs glued together
5. glued headings   `عنوان فرعيوأشار ...` -> heading `عنوان فرعي` + paragraph `وأشار ...`
6. headlines        short headline-shaped lines: a sub-heading when it is about the paragraph
                    it heads, otherwise an inserted headline of another article (removed;
                    on-topic or off-topic); an on-topic one is the title when there is none

Boilerplate runs before the title so that a byline or footer never becomes the title. Every
rule is conservative: a line ending a sentence, quoting someone, full of numbers, opening with
و or being the last line of the body is never taken for an inserted headline, nor is a line of
a run of short lines that reads as verse, a list or a hard-wrapped paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from akhbar.model import Block, BlockKind, CleanArticle, Edit, RawArticle, Removal
from akhbar.settings import CleanSettings
from akhbar.text.boilerplate import (
    BoilerplateDetector,
    BoilerplatePatterns,
    candidate_lines,
    load_patterns,
)
from akhbar.text.clean_lines import (
    content_stems,
    first_word_is_continuation,
    has_quotation,
    is_headline_shaped,
    is_list_item,
    is_number_heavy,
    is_quoted_whole,
    key_of_norm,
    line_key,
    reads_on,
    split_lines,
)
from akhbar.text.normalize import fold_letters, normalize, strip_diacritics

__all__ = [
    "BoilerplateDetector",
    "CleanedLines",
    "candidate_lines",
    "clean",
    "clean_with_lines",
    "line_key",
]

_COMPACT = re.compile(r"[\W_]+")
_PLAIN_WORDS = re.compile(r"[^\W_]+(?: [^\W_]+)*")
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u0640"
_HAS_MARK = re.compile(f"[{_MARKS}]")
# ة and ى only ever end a word: one followed by a letter marks two words written together.
_FINAL_LETTER_GLUE = re.compile(f"[ةى][{_MARKS}]*(?=[^\\W\\d_])")

# Verbs that open a news paragraph (folded spelling: no hamza on alef).
_OPENER_STEMS = (
    "اشار قال اكد اوضح اضاف تابع لفت شدد ذكر اعلن كشف افاد نوه اعتبر راي بين اكمل "
    "استطرد ختم دعا طالب"
)
# with the feminine ending: `قالت`, on a stem ending in a vowel `دعت` (never `دعات`, which ends
# `مستودعات`); `رأت` is left out, as `ورات` ends `تطورات` and `دورات`
_OPENER_VERBS = frozenset(
    form
    for v in _OPENER_STEMS.split()
    for form in (v, f"{v[:-1]}ت" if v.endswith("ا") else f"{v}ت" if v != "راي" else v)
)
# The same verbs with a conjunction, as found glued to the end of a heading. `وبين` and `وفي`
# are left out on purpose: they end ordinary words (`المطلوبين`, `توفي`, `الكوفي`).
_GLUED_VERBS = "|".join(
    sorted((v for v in _OPENER_VERBS if v not in ("بين", "بينت")), key=len, reverse=True)
)
# three letters at least before the glue point: `ال` + `واكد` is the name `الواكد`
_GLUED_OPENER = re.compile(f"(?<=[^\\W\\d_]{{3}})[وف](?:{_GLUED_VERBS})$")
_SPELLINGS = str.maketrans({"ا": "[اأإآ]", "ي": "[يى]"})
# Cheap first test over a line's opening words: anything that could be a glue point at all.
_ANY_GLUE = re.compile(
    f"[ةى][{_MARKS}]*[^\\W\\d_]|[^\\W\\d_]{{3}}[وف](?:{_GLUED_VERBS.translate(_SPELLINGS)})(?!\\w)"
)
_MIN_SEGMENT = 12  # shortest compact paragraph that may be a piece of a concatenation


@dataclass(slots=True)
class _Line:
    """A line of the body being cleaned; `norm` is its normalised form."""

    text: str
    norm: str
    kind: BlockKind = "paragraph"
    glued: bool = False  # a heading split off a glued line: it heads what follows by construction
    _key: str | None = None

    @property
    def key(self) -> str:
        """The line's `line_key`, computed once."""
        if self._key is None:
            self._key = key_of_norm(self.norm)
        return self._key


@dataclass(slots=True)
class _Run:
    """What the rules of one `clean` call share: settings and the record being built."""

    settings: CleanSettings
    removed: list[Removal] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    title: str | None = None
    title_source: str | None = None

    def remove(self, text: str, reason: str, detail: str) -> None:
        """Record a piece left out of the body."""
        self.removed.append(Removal(text, reason, detail))


def _fold(word: str) -> str:
    """A word without diacritics, with alef/yeh/teh-marbuta forms folded, for word lists."""
    return fold_letters(strip_diacritics(word))


# -- rule 1: whitespace -------------------------------------------------------------------------


def rule_whitespace(text: str) -> list[_Line]:
    """Rule 1: non-blank lines, whitespace-collapsed; blank ones (NBSP-only too) just go."""
    return [_Line(line, normalize(line)) for line in split_lines(text) if line]


# -- rule 2: boilerplate ------------------------------------------------------------------------


def _cut_tail(line: _Line, start: int) -> tuple[str, str] | None:
    """Split a line where its normalised tail starts; None when the words do not line up."""
    tail = line.norm[start:]
    tail_words = tail.count(" ") + 1
    tokens = line.text.split(" ")
    seen = 0
    for cut in range(len(tokens) - 1, -1, -1):
        seen += len(normalize(tokens[cut]).split())
        if seen == tail_words:
            first, wanted = tokens[cut], tail.split(" ", 1)[0]
            if normalize(first).startswith(wanted):
                return " ".join(tokens[:cut]), " ".join(tokens[cut:])
            # the tail starts inside the word, after a sentence's end with no space
            # (`النهائية.زيارة مصدر الخبر`, `النهائية...المزيد`): cut there, not before the
            # sentence's last word
            for at in range(1, len(first)):
                after_close = first[at - 1] in _TAIL_CLOSERS or first[at] in _TAIL_CLOSERS
                if after_close and normalize(first[at:]) == wanted:
                    kept = " ".join([*tokens[:cut], first[:at]])
                    return kept, " ".join([first[at:], *tokens[cut + 1 :]])
            return None
        if seen > tail_words:
            return None
    return None


_TAIL_CLOSERS = ".!?\"')]"


def _cut_head(line: _Line, end: int) -> tuple[str, str] | None:
    """Split a line where its normalised head ends; None when the words do not line up."""
    head_words = line.norm[:end].count(" ") + 1
    tokens = line.text.split(" ")
    seen = 0
    for cut, token in enumerate(tokens[:-1]):
        seen += len(normalize(token).split())
        if seen == head_words:
            return " ".join(tokens[: cut + 1]), " ".join(tokens[cut + 1 :])
        if seen > head_words:
            return None
    return None


# Where a byline or a signature stands: among the first two or the last three lines of the body
# (`edge:` patterns); in the middle a line of that shape is a sub-heading, a fixture or a name
_EDGE_LINES = (2, 3)


def rule_boilerplate(
    lines: list[_Line], run: _Run, patterns: BoilerplatePatterns, outlet_lines: frozenset[str]
) -> list[_Line]:
    """Rule 2: drop known boilerplate lines and cut leading and trailing boilerplate off
    paragraphs."""
    max_words = run.settings.boilerplate_max_words
    out: list[_Line] = []
    last = len(lines) - _EDGE_LINES[1]
    for i, given in enumerate(lines):
        line = given
        if line.norm.count(" ") < max_words:
            if outlet_lines and line.key in outlet_lines:
                run.remove(line.text, "outlet-boilerplate", "recurs across the outlet's articles")
                continue
            at_edge = i < _EDGE_LINES[0] or i >= last
            source = patterns.match_line(line.norm, at_edge=at_edge)
            if source is not None:
                run.remove(line.text, "boilerplate", f"line pattern: {source}")
                continue
        # a leading part is cut in the body's first lines only (a share bar, a byline glued
        # to the lead): further down, `X - أيضا - Y:` is a writer's aside, not a byline
        head = patterns.match_head(line.norm) if patterns.head and i < _EDGE_LINES[0] else None
        if head is not None:
            cut = _cut_head(line, head[0])
            if cut is not None:
                run.remove(cut[0], "boilerplate", f"leading pattern: {head[1]}")
                line = _Line(cut[1], normalize(cut[1]))
        found = patterns.search_tail(line.norm, at_end=i >= last)
        if found is not None:
            start, source = found
            cut = None if start == 0 else _cut_tail(line, start)
            if start == 0:
                run.remove(line.text, "boilerplate", f"line pattern: {source}")
                continue
            if cut is not None and cut[0]:
                kept, tail = cut
                run.remove(tail, "boilerplate", f"trailing pattern: {source}")
                out.append(_Line(kept, normalize(kept)))
                continue
        out.append(line)
    return out


# -- rule 3: title ------------------------------------------------------------------------------


def _title_like(line: _Line, settings: CleanSettings) -> bool:
    """Whether a line could be an article's title: headline-shaped, not a list item or dateline."""
    return (
        is_headline_shaped(
            line.text, line.norm, settings.headline_min_words, settings.headline_max_words
        )
        and not is_list_item(line.text)
        and not is_number_heavy(line.norm)
    )


# A news agency's section label in front of its titles (SPA: `عام / ...`, `اقتصادي / ...`):
# no part of the headline a reader is shown
_SECTION_LABEL = re.compile(
    r"(?:عام|سياسي|اقتصادي|إقتصادي|ثقافي|رياضي|اجتماعي|تقرير|صحي|محلي|دولي) ?/ ?(?=\S)"
)


def rule_title(lines: list[_Line], run: _Run, given: str | None) -> list[_Line]:
    """Rule 3: the given title, else a headline-shaped first line; drop repeats of the title."""
    title = " ".join(split_lines(given or "")).strip()
    label = _SECTION_LABEL.match(title)
    if label is not None and title.count(" ", label.end()) >= 1:
        run.edits.append(Edit("title-section-label", title, (title[label.end() :],)))
        title = title[label.end() :]
    if title:
        run.title, run.title_source = title, "given"
    elif len(lines) > 1 and _title_like(lines[0], run.settings):
        first = lines.pop(0)
        run.title, run.title_source = first.text, "first-line"
        run.edits.append(Edit("first-line-title", first.text, (first.text,)))
    if run.title is None:
        return lines
    key = line_key(run.title)
    out: list[_Line] = []
    for line in lines:
        if key and line.key == key:
            run.remove(line.text, "duplicate-title", "repeats the title")
        else:
            out.append(line)
    return out


# -- rule 4: duplicates -------------------------------------------------------------------------


class _Paragraphs:
    """The compact paragraphs of an article, indexed to find the longest one that starts at a
    place in another: by opening, the lengths there are (longest first), and by text, which
    paragraphs have it; a look-up costs the distinct lengths, not the paragraphs sharing an
    opening (thousands, in a long list of look-alike lines)."""

    def __init__(self, compact: Sequence[str]) -> None:
        self.compact = compact
        self.holders: dict[str, list[int]] = {}
        lengths: dict[str, set[int]] = {}
        for j, c in enumerate(compact):
            if len(c) >= _MIN_SEGMENT:
                self.holders.setdefault(c, []).append(j)
                lengths.setdefault(c[:_MIN_SEGMENT], set()).add(len(c))
        self.lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def longest_at(self, i: int, pos: int) -> int:
        """Length of the longest paragraph other than `i` that paragraph `i` has at `pos`."""
        text = self.compact[i]
        for n in self.lengths.get(text[pos : pos + _MIN_SEGMENT], ()):
            holders = self.holders.get(text[pos : pos + n]) if pos + n <= len(text) else None
            if holders and (len(holders) > 1 or holders[0] != i):
                return n
        return 0


def _is_concatenation(i: int, paragraphs: _Paragraphs) -> bool:
    """Whether paragraph `i` is made of two or more other paragraphs, end to end (greedy)."""
    text = paragraphs.compact[i]
    pos, pieces, gap, gaps = 0, 0, 0, 0
    while pos < len(text):
        best = paragraphs.longest_at(i, pos)
        if best:
            pos += best
            pieces += 1
            gap = 0
            continue
        # A tiny separator between two pieces (a digit, a stray letter) is allowed.
        pos += 1
        gap += 1
        gaps += 1
        if gap > 2 or gaps > 2 + pieces:
            return False
    return pieces >= 2


def rule_duplicates(lines: list[_Line], run: _Run) -> list[_Line]:
    """Rule 4: later verbatim copies of a paragraph go, and so do glued-together paragraphs."""
    seen: set[str] = set()
    unique: list[_Line] = []
    for line in lines:
        key = line.key
        if key in seen:
            run.remove(line.text, "duplicate-paragraph", "repeats an earlier paragraph")
        else:
            seen.add(key)
            unique.append(line)
    if len(unique) < 3:
        return unique
    # A concatenation starts like another paragraph: compare openings before anything costly.
    starts = [_COMPACT.sub("", line.norm[: 3 * _MIN_SEGMENT])[:_MIN_SEGMENT] for line in unique]
    opening_count: dict[str, int] = {}
    for start in starts:
        opening_count[start] = opening_count.get(start, 0) + 1
    suspects = {
        i
        for i, start in enumerate(starts)
        if len(start) == _MIN_SEGMENT and opening_count[start] > 1
    }
    if not suspects:
        return unique
    compact = [_COMPACT.sub("", line.norm) for line in unique]
    paragraphs = _Paragraphs(compact)
    out: list[_Line] = []
    for i, line in enumerate(unique):
        if (
            i in suspects
            and len(compact[i]) >= 2 * _MIN_SEGMENT
            and _is_concatenation(i, paragraphs)
        ):
            run.remove(
                line.text,
                "concatenated-paragraphs",
                "the other paragraphs of the article written together",
            )
        else:
            out.append(line)
    return out


# -- rule 5: glued sub-headings -----------------------------------------------------------------


def _opens_paragraph(word: str, after_final_letter: bool) -> bool:
    """Whether `word` can start a paragraph: an opener verb, or (after ة/ى) a و/ف clitic."""
    folded = _fold(word)
    if folded in _OPENER_VERBS or (folded[1:] in _OPENER_VERBS and folded[:1] in ("و", "ف")):
        return True
    return (
        after_final_letter
        and folded[:1] in ("و", "ف")
        and len(folded) >= 3
        and not folded.startswith(("وال", "فال"))
    )


def _glue_point(token: str) -> int | None:
    """Where in `token` a heading's last word ends and a paragraph's first word begins."""
    m = _FINAL_LETTER_GLUE.search(token)
    if m is not None and m.start() >= 2 and _opens_paragraph(token[m.end() :], True):
        return m.end()
    if _HAS_MARK.search(token):
        return None
    m = _GLUED_OPENER.search(fold_letters(token))
    return None if m is None else m.start()


def split_glued_heading(text: str, settings: CleanSettings) -> tuple[str, str] | None:
    """A sub-heading written onto its paragraph with no break, as (heading, paragraph)."""
    tokens = text.split(" ", settings.glued_heading_max_words)
    limit = min(settings.glued_heading_max_words, len(tokens))
    if _ANY_GLUE.search(" ".join(tokens[:limit])) is None:
        return None
    for j in range(max(settings.headline_min_words - 1, 0), limit):
        cut = _glue_point(tokens[j])
        if cut is None:
            continue
        heading = " ".join([*tokens[:j], tokens[j][:cut]])
        paragraph = " ".join([tokens[j][cut:], *tokens[j + 1 :]])
        if (
            _PLAIN_WORDS.fullmatch(heading)
            and not first_word_is_continuation(normalize(heading))
            and paragraph.count(" ") >= 3
        ):
            return heading, paragraph
        return None
    return None


def rule_glued_headings(lines: list[_Line], run: _Run) -> list[_Line]:
    """Rule 5: split a sub-heading glued to the start of its paragraph into its own block."""
    out: list[_Line] = []
    for line in lines:
        parts = split_glued_heading(line.text, run.settings)
        if parts is None:
            out.append(line)
            continue
        heading, paragraph = parts
        run.edits.append(Edit("split-glued-heading", line.text, parts))
        out.append(_Line(heading, normalize(heading), "heading", glued=True))
        out.append(_Line(paragraph, normalize(paragraph)))
    return out


# -- rule 6: sub-headings and inserted headlines ------------------------------------------------


def _overlap(words: set[str], other: set[str]) -> float:
    """Share of `words` found in `other`."""
    return len(words & other) / len(words) if words else 0.0


def _heads_section(
    i: int, shaped: Sequence[bool], stems: Sequence[set[str]], threshold: float
) -> bool:
    """Whether line `i` is about the paragraph after it, or the two after it (its section)."""
    if i + 1 >= len(shaped) or shaped[i + 1]:
        return False
    if _overlap(stems[i], stems[i + 1]) >= threshold:
        return True
    return (
        i + 2 < len(shaped)
        and not shaped[i + 2]
        and _overlap(stems[i], stems[i + 1] | stems[i + 2]) >= threshold
    )


class _Body:
    """How many of the body's lines (inserted headlines left out) hold each word: a line's
    share of words found in the rest of the body without a union per line (quadratic in the
    lines of a long text)."""

    def __init__(self, stems: Sequence[set[str]]) -> None:
        self.stems = stems
        self.counts: Counter[str] = Counter(w for st in stems for w in st)
        self.left_out: set[int] = set()

    def leave_out(self, i: int) -> None:
        """Line `i` is an inserted headline: its words are no longer the body's."""
        self.left_out.add(i)
        self.counts.subtract(self.stems[i])

    def on_topic_share(self, i: int) -> float:
        """Share of line `i`'s words found in the rest of the body."""
        words = self.stems[i]
        if not words:
            return 0.0
        own = 0 if i in self.left_out else 1
        counts = self.counts
        return sum(1 for w in words if counts[w] > own) / len(words)


_VERSE_LINES = 3  # a run of this many short lines may be verse, a wrapped paragraph or a list
_VERSE_WORDS = 10  # a line of verse, or a wrapped paragraph's last, has fewer words than this


def _verse_runs(lines: list[_Line], settings: CleanSettings) -> set[int]:
    """Lines of runs of short lines that read as verse, a hard-wrapped paragraph or a list, not
    as headlines of other articles: a short line of the run ends a sentence or a clause or
    opens with و (`وإلى برك يبسط على القاع خده`, `لدى المملكة .`), or the line before the run
    introduces it with a colon. A run of headlines (related articles) does neither. Over
    SaudiNewsNet this keeps 2,600 of the 3,843 lines removed as headlines before: poems,
    letters, lists, recipes and wrapped paragraphs. Headlines right before a one-sentence
    paragraph of under ten words are kept too; asking for two such lines in a run, or for
    a wrapped paragraph's width, removed 281 lines of verse, letters and signatures again."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _short(lines[j], settings):
            j += 1
        if j - i >= _VERSE_LINES and (
            any(_reads_on_short(lines[k]) for k in range(i, j))
            or (i > 0 and lines[i - 1].text.endswith(":"))
        ):
            out.update(range(i, j))
        i = j + 1
    return out


def _reads_on_short(line: _Line) -> bool:
    """Whether a line is a short piece of verse or prose cut into lines: it ends a clause or
    opens with و in fewer words than a prose paragraph (a run of one-sentence paragraphs with
    headlines between them is no verse)."""
    return line.norm.count(" ") < _VERSE_WORDS and reads_on(line.text, line.norm)


def _short(line: _Line, settings: CleanSettings) -> bool:
    """Whether a line is no longer than a headline may be."""
    return not line.glued and line.norm.count(" ") + 1 <= settings.headline_max_words


def rule_headlines(lines: list[_Line], run: _Run) -> list[_Line]:
    """Rule 6: headline-shaped lines head their paragraph (heading) or were inserted (removed).

    A sub-heading is about the paragraph it heads; a headline followed by another headline,
    or sharing too few words with the next paragraph, belongs to another article.
    """
    s = run.settings
    shaped = [
        line.glued
        or (_title_like(line, s) and (not has_quotation(line.text) or is_quoted_whole(line.text)))
        for line in lines
    ]
    if not any(shaped):
        return lines
    stems = [content_stems(line.norm) for line in lines]
    verse = _verse_runs(lines, s)
    body = _Body(stems)
    inserted: set[int] = set()
    for i, line in enumerate(lines):
        if line.glued or not shaped[i] or i == len(lines) - 1:
            continue
        if _heads_section(i, shaped, stems, s.heading_link_min_overlap):
            line.kind = "heading"
        elif has_quotation(line.text):
            continue
        elif not shaped[i + 1] and body.on_topic_share(i) >= s.on_topic_min_overlap:
            # On-topic and heading a paragraph: a section heading whose words are spread over
            # its section. Keeping it loses nothing; removing a real heading would.
            line.kind = "heading"
        elif i not in verse:
            inserted.add(i)
            body.leave_out(i)
    out: list[_Line] = []
    for i, line in enumerate(lines):
        if i not in inserted:
            out.append(line)
            continue
        share = body.on_topic_share(i)
        on_topic = share >= s.on_topic_min_overlap
        detail = f"{share:.0%} of its words in the body, not linked to the next paragraph"
        if on_topic and run.title is None:
            run.title, run.title_source = line.text, "inserted-headline"
            detail += "; used as the title"
        run.remove(
            line.text,
            "inserted-headline-on-topic" if on_topic else "inserted-headline-off-topic",
            detail,
        )
    return out


# -- assembly -----------------------------------------------------------------------------------


def _assemble(
    article: RawArticle, lines: list[_Line], norms: Sequence[str], run: _Run
) -> CleanArticle:
    """Join the blocks with blank lines, with offsets, and the normalised forms for matching."""
    blocks: list[Block] = []
    pos = 0
    for line in lines:
        if blocks:
            pos += 2
        blocks.append(Block(line.kind, line.text, pos, pos + len(line.text)))
        pos += len(line.text)
    text = "\n\n".join(line.text for line in lines)
    # normalize() of the joined text equals the normalised blocks joined by a space whenever
    # no block normalises to nothing (the "\n\n" separator is a starter that NFKC never joins).
    normalized_text = " ".join(norms) if all(norms) else normalize(text)
    return CleanArticle(
        article_id=article.id,
        title=run.title,
        title_source=run.title_source,
        text=text,
        blocks=tuple(blocks),
        removed=tuple(run.removed),
        edits=tuple(run.edits),
        normalized_title=normalize(run.title) if run.title else "",
        normalized_text=normalized_text,
    )


def clean(
    article: RawArticle,
    settings: CleanSettings,
    outlet_boilerplate: frozenset[str] = frozenset(),
) -> CleanArticle:
    """The cleaned view of `article`; `outlet_boilerplate` holds line keys known to recur
    across its outlet's articles (see `candidate_lines`, `BoilerplateDetector`)."""
    return clean_with_lines(article, settings, outlet_boilerplate).view


class CleanedLines(NamedTuple):
    """What `clean_with_lines` gives: the cleaned view, the article's `candidate_lines` keys,
    and each block's normalised text (`normalize(block.text)`, in the order of `view.blocks`),
    which cleaning computed anyway and matching would otherwise compute again."""

    view: CleanArticle
    keys: set[str]
    norms: tuple[str, ...]


def clean_with_lines(
    article: RawArticle,
    settings: CleanSettings,
    outlet_boilerplate: frozenset[str] = frozenset(),
) -> CleanedLines:
    """`clean`, plus the article's `candidate_lines` keys and its blocks' normalised texts,
    computed in the same pass (ingest needs them all, and normalising every line twice would
    double the cost)."""
    run = _Run(settings)
    patterns = load_patterns(tuple(settings.extra_boilerplate))
    lines = rule_whitespace(article.text)
    keys = {
        line.key
        for line in lines
        if line.text.count(" ") < settings.boilerplate_max_words and line.key
    }
    lines = rule_boilerplate(lines, run, patterns, outlet_boilerplate)
    lines = rule_title(lines, run, article.title)
    lines = rule_duplicates(lines, run)
    lines = rule_glued_headings(lines, run)
    lines = rule_headlines(lines, run)
    norms = tuple(line.norm for line in lines)
    return CleanedLines(_assemble(article, lines, norms, run), keys, norms)
