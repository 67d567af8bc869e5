"""Line-level helpers shared by the cleaning rules and the boilerplate detector.

Everything here is pure and cheap: splitting a raw text into whitespace-clean lines, the
matching key of a line, the shape tests (is this line shaped like a headline?) and the light
stemming used to decide whether a short line is about the paragraph that follows it.
"""

from __future__ import annotations

import re

from akhbar.text.normalize import normalize

__all__ = [
    "content_stems",
    "first_word_is_continuation",
    "has_quotation",
    "is_headline_shaped",
    "is_list_item",
    "is_number_heavy",
    "is_quoted_whole",
    "key_of_norm",
    "line_key",
    "split_lines",
]

# Any run of Unicode whitespace (str regexes match U+00A0, U+2000-U+200A, U+202F, U+3000 ...)
# plus the invisible zero-width space and BOM, which scrapers leave on "empty" lines.
_SPACES = re.compile(r"[\s\u200b\ufeff]+")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_WORD = re.compile(r"[^\W_]+")

# A line that ends a sentence: final punctuation, possibly followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"[.!?؟…:;؛,،][\s\"'”’»)\]]*$")
_QUOTES = re.compile(r"[\"“”„«»﴿﴾]|\(\(")
# A leading source label in quotes, `“العربية”: ...`, is how headlines cite outlets.
_SOURCE_LABEL = re.compile(r"^[\"“”„«»][^\"“”„«»]{1,40}[\"“”„«»]\s*:")
_WHOLE_QUOTE = re.compile(r"[\"“”„«»][^\"“”„«»]+[\"“”„«»]")
_LIST_MARKER = re.compile(r"^(?:\d+\s*[-.)]|[-•*·▪●◦–—]|[\u0621-\u064a]\s*[-)]\s)")
_DIGIT = re.compile(r"\d")

# Words that begin a sentence continuing the previous one; a line starting with one of them is
# running text, never a headline (normalised spelling).
_CONTINUATION_WORDS = (
    "كما لكن لكنه لكنها الا اذ اذا حيث بينما ثم او ام بل فيما فقد فان فانه فانها فلا فلم فلن "
    "فهو فهي فكان فكانت فقال فاكد فاشار فاوضح لذا لذلك كذلك ايضا اما"
)
_CONTINUATIONS = frozenset(_CONTINUATION_WORDS.split())
# Frequent headline nouns starting with a root و (normalised), which is not a conjunction.
_ROOT_WAW = (
    "وزير",
    "وزار",
    "وكال",
    "وكيل",
    "وفد",
    "وفا",
    "ولي",
    "ولايه",
    "وطن",
    "وحد",
    "واشنطن",
    "وسط",
    "وادي",
    "وثيق",
    "ورش",
    "وظاء",
    "وظيف",
    "وقود",
    "وقف",
    "ولاد",
    "وصول",
    "وضع",
    "وعد",
    "وصف",
)

# Function words that carry no topic (normalised spelling); they do not count towards overlap.
_STOPWORD_LIST = (
    "في من علي الي عن مع بين ان لم لن لا ما ثم او هذا هذه ذلك تلك هو هي هم التي الذي الذين "
    "كان كانت قد بعد قبل عند حول خلال منذ حتي كل غير اي به بها له لها فيه فيها منه منها عليه "
    "عليها اليوم امس يوم وقد ولم ولا وان وفي ومن وعلي وهو وهي كما اما"
)
_STOPWORDS = frozenset(_STOPWORD_LIST.split())
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف")
_SUFFIXES = ("ات", "ون", "ين", "ان", "يه", "ه", "ي", "ا")
# The first prefix (in that order) leaving three letters, then the first suffix leaving three:
# the engine tries the alternatives in order, and the lazy stem finds a two-letter suffix
# before a one-letter one, as the lists put them.
_STEM = re.compile(
    "(?:" + "|".join(f"{p}(?=.{{3}})" for p in _PREFIXES) + ")?"
    "(?P<stem>.{3,}?)(?:" + "|".join(_SUFFIXES) + ")?$",
    re.DOTALL,
)


# Invisible format characters (Unicode category Cf) that editors leave around lines.
_FORMAT_MARKS = (
    "".join(
        map(chr, (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), 0x2060))
    )
    + "".join(map(chr, (*range(0x2066, 0x206A), 0xFEFF)))
    + " "
)
_FORMAT_SET = frozenset(_FORMAT_MARKS[:-1])


def split_lines(text: str) -> list[str]:
    """Whitespace rule: every line stripped, inner runs of any Unicode space made one space.

    Lines of only (no-break, zero-width, ...) spaces come out empty; callers drop them.
    """
    if "\u200b" in text or "\ufeff" in text:
        lines = [_SPACES.sub(" ", line).strip() for line in _LINE_BREAKS.split(text)]
    else:
        # str.split() breaks on exactly the characters `\s` matches, and is much faster
        lines = [" ".join(line.split()) for line in _LINE_BREAKS.split(text)]
    # direction and joiner marks (RLM, PDF, ZWNJ, ...) at a line's ends are invisible: a line
    # of only them is blank, and `ين.\u200f` ends its sentence as `ين.` does (the ends alone
    # are looked at: a search of the whole text cost a fifth of this function's time)
    marks = _FORMAT_SET
    return [
        line.strip(_FORMAT_MARKS) if line and (line[0] in marks or line[-1] in marks) else line
        for line in lines
    ]


def line_key(line: str) -> str:
    """The matching key of a line: normalised words only, so punctuation variants count as one."""
    return " ".join(_WORD.findall(normalize(line)))


def _stem(word: str) -> str:
    """Strip one clitic prefix and one suffix, keeping at least three letters, so `والروسية`
    and `الروسي` meet."""
    m = _STEM.match(word)
    return word if m is None else m.group("stem")


def content_stems(norm: str) -> set[str]:
    """Lightly stemmed content words of a normalised text, for topic overlap between lines."""
    return {_stem(w) for w in _WORD.findall(norm) if w not in _STOPWORDS and len(w) > 1}


def first_word_is_continuation(norm: str) -> bool:
    """Whether a normalised line opens with و-, a ف- continuation or a linking word like كما.

    Common nouns whose first letter is a root و (`وزير`, `وزارة`, `واشنطن` ...) are not و-.
    """
    first = norm.split(" ", 1)[0].lstrip("\"'(-")
    if first.startswith("و"):
        return not first.startswith(_ROOT_WAW)
    return first in _CONTINUATIONS


def is_headline_shaped(line: str, norm: str, min_words: int, max_words: int) -> bool:
    """Short, no sentence-final punctuation, not opening with a conjunction: shaped like a title."""
    n = norm.count(" ") + 1
    if not (min_words <= n <= max_words) or _SENTENCE_END.search(line):
        return False
    return not first_word_is_continuation(norm)


def reads_on(line: str, norm: str) -> bool:
    """Whether a line ends a sentence or a clause, or opens with a continuation: prose or verse
    cut into lines, which a headline never does."""
    return _SENTENCE_END.search(line) is not None or first_word_is_continuation(norm)


def has_quotation(line: str) -> bool:
    """Whether the line quotes someone (quotation marks beyond a leading `"outlet":` label)."""
    return _QUOTES.search(_SOURCE_LABEL.sub("", line, count=1)) is not None


def is_quoted_whole(line: str) -> bool:
    """Whether the whole line is one quoted phrase (`"تدفيع الثمن"`), a common sub-heading."""
    return _WHOLE_QUOTE.fullmatch(line) is not None


def is_list_item(line: str) -> bool:
    """Whether the line is an item of a list (`1- ...`, `• ...`, `أ- ...`), not a headline."""
    return _LIST_MARKER.match(line) is not None


def is_number_heavy(norm: str) -> bool:
    """Whether a third or more of the words contain digits: tables, scores, datelines."""
    words = norm.split(" ")
    return 3 * sum(1 for w in words if _DIGIT.search(w)) >= len(words)


def key_of_norm(norm: str) -> str:
    """`line_key` of a line whose normalised form is already known (saves a normalize call)."""
    return " ".join(_WORD.findall(norm))
