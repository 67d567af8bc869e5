"""Readers for the NER corpora (NewsFANE Gold, ANERcorp) and the train/test de-overlap.

NewsFANE re-annotates ANERcorp text, so training on it unfiltered would score the test set on
sentences the model has seen; `drop_overlapping` removes them before anything is trained.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from akhbar.errors import InputError
from akhbar.extract.model import EntityType
from akhbar.text.normalize import normalize

__all__ = [
    "FANE_TYPES",
    "Sentence",
    "chunk_set",
    "drop_overlapping",
    "overlap_fraction",
    "read_anercorp",
    "read_newsfane",
    "rejoin_clitics",
    "spans_of",
]

# NewsFANE's fine-grained types mapped to the coarse ones; the rest (nationality groups,
# generic facility parts) are not names in ANERcorp's sense and become O.
FANE_TYPES: dict[str, EntityType] = {
    **dict.fromkeys(
        (
            "Politician",
            "Athlete",
            "Artist",
            "Other_PER",
            "Religious_PER",
            "Scientist",
            "Businessperson",
            "Lawyer",
            "Engineer",
            "Police",
        ),
        "PER",
    ),
    **dict.fromkeys(
        (
            "Nation",
            "Population-Center",
            "State-or-Province",
            "GPE-Cluster",
            "Continent",
            "Water-Body",
            "Land-Region-Natural",
            "County-or-District",
            "Celestial",
            "Path",
        ),
        "LOC",
    ),
    **dict.fromkeys(
        (
            "Non-Governmental",
            "Government",
            "Sports",
            "Media",
            "Commercial",
            "Educational",
            "Medical-Science",
            "Entertainment",
            "Religious_ORG",
        ),
        "ORG",
    ),
    **dict.fromkeys(
        (
            "Book",
            "Movie",
            "Software",
            "Hardware",
            "Land",
            "Air",
            "Shooting",
            "Projectile",
            "Food",
            "Drug",
            "Plant",
            "Water",
            "Building-Grounds",
            "Airport",
        ),
        "MISC",
    ),
}
_ANER_TYPES: dict[str, EntityType] = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG"}

_PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك"})
_ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا", "ي", "ني", "ت"})
_NOISE = frozenset({"ء"})


@dataclass(frozen=True, slots=True)
class Sentence:
    """One corpus sentence: its tokens and their coarse BIO tags (``B-PER``, ``I-LOC``, ``O``)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        """The tokens joined by spaces, as the tagger would see the sentence."""
        return " ".join(self.tokens)


def _is_word(token: str) -> bool:
    """True for a token made of letters (a clitic can attach to it)."""
    return token.isalpha()


def _coarse(tag: str, table: dict[str, EntityType]) -> str:
    """Map a fine BIO tag to a coarse one; unmapped types become O."""
    if tag in ("", "O") or "-" not in tag:
        return "O"
    prefix, _, kind = tag.partition("-")
    coarse = table.get(kind)
    if coarse is None or prefix not in ("B", "I"):
        return "O"
    return f"{prefix}-{coarse}"


def _repair_bio(tags: list[str]) -> list[str]:
    """Turn an I- that does not continue an entity of its type into a B-."""
    out: list[str] = []
    for tag in tags:
        opens = tag.startswith("I-") and (not out or out[-1][2:] != tag[2:])
        out.append("B-" + tag[2:] if opens else tag)
    return out


def rejoin_clitics(tokens: Sequence[str], tags: Sequence[str]) -> tuple[list[str], list[str]]:
    """Re-attach clitics NewsFANE splits off (``و قال`` -> ``وقال``, ``ان ه`` -> ``انه``).

    A proclitic takes the tag of the word it joins (the entity is that word); an enclitic joins
    the word before it and keeps that word's tag. ``ل`` + ``ال`` becomes ``لل`` as written.
    """
    out_tok: list[str] = []
    out_tag: list[str] = []
    pending = ""
    n = len(tokens)
    for i, (written, tag) in enumerate(zip(tokens, tags, strict=True)):
        tok = written
        if tok in _NOISE and tag == "O":
            continue
        nxt = tokens[i + 1] if i + 1 < n else ""
        if tok in _PROCLITICS and tag == "O" and _is_word(nxt) and nxt not in _ENCLITICS:
            pending += tok
            continue
        if (
            tok in _ENCLITICS
            and tag == "O"
            and not pending
            and out_tok
            and _is_word(out_tok[-1])
            and _is_word(tok)
        ):
            out_tok[-1] += tok
            continue
        if pending:
            if pending.endswith("ل") and tok.startswith("ال") and len(tok) > 2:
                tok = pending + tok[1:]
            else:
                tok = pending + tok
            pending = ""
        out_tok.append(tok)
        out_tag.append(tag)
    if pending:
        out_tok.append(pending)
        out_tag.append("O")
    return out_tok, _repair_bio(out_tag)


def read_newsfane(path: Path) -> list[Sentence]:
    """Read NewsFANE Gold (``TOKEN<TAB>TAG``, BOM, CRLF, U+200E marks) with coarse tags."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            str(path), f"cannot read the NewsFANE file ({exc}); check the path"
        ) from exc
    raw = raw.replace("\r\n", "\n").replace("\u200e", "").replace("\u200f", "")
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*raw.split("\n"), ""]:
        token, _, tag = line.partition("\t")
        token = token.strip()
        if not token:
            if tokens:
                joined, joined_tags = rejoin_clitics(tokens, tags)
                sentences.append(Sentence(tuple(joined), tuple(joined_tags)))
            tokens, tags = [], []
            continue
        tokens.append(token)
        tags.append(_coarse(tag.strip(), FANE_TYPES))
    return sentences


def read_anercorp(path: Path) -> list[Sentence]:
    """Read an ANERcorp split (``TOKEN TAG`` lines, blank line between sentences)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            str(path), f"cannot read the ANERcorp file ({exc}); check the path"
        ) from exc
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*raw.replace("\r\n", "\n").split("\n"), ""]:
        parts = line.split()
        if not parts:
            if tokens:
                sentences.append(Sentence(tuple(tokens), tuple(_repair_bio(tags))))
            tokens, tags = [], []
            continue
        tokens.append(parts[0])
        tags.append(_coarse(parts[-1] if len(parts) > 1 else "O", _ANER_TYPES))
    return sentences


def spans_of(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans ``(first token, end token, type)`` of a BIO sequence, conlleval-style."""
    spans: set[tuple[int, int, str]] = set()
    start = -1
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == kind):
            spans.add((start, i, kind))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, kind = i, tag[2:]
    return spans


_CHUNK = 25


def _chunks(text: str) -> list[str]:
    """Every 25-character window (each offset) of the normalised text without spaces."""
    flat = normalize(text).replace(" ", "")
    return [flat[i : i + _CHUNK] for i in range(max(len(flat) - _CHUNK + 1, 1))]


def chunk_set(sentences: Iterable[Sentence]) -> frozenset[str]:
    """Every 25-character window of the normalised test text (any offset), for overlap tests."""
    flat = "".join(normalize(sentence.text).replace(" ", "") for sentence in sentences)
    return frozenset(flat[i : i + _CHUNK] for i in range(max(len(flat) - _CHUNK + 1, 1)))


def overlap_fraction(sentence: Sentence, test_chunks: frozenset[str]) -> float:
    """Share of the sentence's 25-character windows that also occur in the test text.

    Windows at every offset (not fixed 25-character steps): a short sentence copied from the
    test text shares nearly all its windows, however the two texts were cut into sentences.
    """
    chunks = _chunks(sentence.text)
    return sum(chunk in test_chunks for chunk in chunks) / len(chunks)


def drop_overlapping(
    train: Sequence[Sentence], test: Sequence[Sentence], threshold: float = 0.10
) -> tuple[list[Sentence], int]:
    """Training sentences sharing under `threshold` of their chunks with the test; count dropped."""
    test_chunks = chunk_set(test)
    kept = [s for s in train if overlap_fraction(s, test_chunks) < threshold]
    return kept, len(train) - len(kept)
