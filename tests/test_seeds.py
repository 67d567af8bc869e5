"""EXPECTED.md sections 1-3 on the two founding seeds, through the real readers and cleaner."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.io import read
from akhbar.model import CleanArticle, RawArticle
from akhbar.settings import Settings
from akhbar.text import normalize
from akhbar.text.clean import clean

TITLE_001 = "موسكو: الاتصالات بين وزارتي الخارجية الروسية والأمريكية متواصلة بشكل نشط ولم تتوقف قط"
ON_TOPIC = "الخارجية الروسية: الاتصالات مع واشنطن متواصلة ولم تتوقف"
OFF_TOPIC = "“القاهرة الإخبارية”: مفاوضات أبوظبي أسفرت عن تبادل أسرى بين روسيا وأوكرانيا"
HEADINGS_000 = [
    "اتصالات أمريكية روسية",
    "إعادة صياغة صيغة المفاوضات",
    "زيلينسكي: مواقع الطاقة الروسية أهداف مشروعة في إطار الحرب",
]


def _one(path: Path) -> tuple[RawArticle, CleanArticle]:
    settings = Settings.load()
    items = list(read([path], settings.read))
    assert len(items) == 1
    raw = items[0]
    assert isinstance(raw, RawArticle), raw
    return raw, clean(raw, settings.clean)


@pytest.fixture(scope="module")
def seed000(seed_paths: dict[str, Path]) -> tuple[RawArticle, CleanArticle]:
    return _one(seed_paths["000"])


@pytest.fixture(scope="module")
def seed001(seed_paths: dict[str, Path]) -> tuple[RawArticle, CleanArticle]:
    return _one(seed_paths["001"])


# -- 1. Reading ------------------------------------------------------------------------------


def test_001_header_is_metadata_not_text(seed001: tuple[RawArticle, CleanArticle]) -> None:
    raw, _ = seed001
    assert raw.published == "2026-02-09"
    assert raw.language == "ar"
    assert not raw.language_detected
    assert "date 2026-02-09" not in raw.text
    assert raw.text.lstrip().startswith("موسكو:")


def test_000_has_no_date_and_is_detected_arabic(seed000: tuple[RawArticle, CleanArticle]) -> None:
    raw, _ = seed000
    assert raw.published is None
    assert raw.language == "ar"
    assert raw.language_detected


def test_each_seed_counts_as_its_own_source(
    seed000: tuple[RawArticle, CleanArticle], seed001: tuple[RawArticle, CleanArticle]
) -> None:
    assert seed000[0].outlet is None
    assert seed000[0].source != seed001[0].source
    assert seed000[0].id != seed001[0].id


# -- 2. Cleaning -----------------------------------------------------------------------------


def test_001_title_kept_once_and_seven_paragraphs(seed001: tuple[RawArticle, CleanArticle]) -> None:
    raw, view = seed001
    assert view.title == TITLE_001
    paragraphs = [b.text for b in view.paragraphs]
    assert len(paragraphs) == 7
    assert len(set(paragraphs)) == 7
    assert paragraphs[0].startswith("صرّح ألكسندر غوساروف")
    assert TITLE_001 not in view.text
    reasons = [r.reason for r in view.removed]
    assert "duplicate-title" in reasons
    assert "concatenated-paragraphs" in reasons
    # the raw text keeps everything, the duplicates included
    assert raw.text.count(TITLE_001) == 2


def test_000_footer_and_inserted_headlines_removed(
    seed000: tuple[RawArticle, CleanArticle],
) -> None:
    _, view = seed000
    removed = {r.text.strip(): r.reason for r in view.removed}
    assert removed.get("زيارة مصدر الخبر") == "boilerplate"
    assert removed.get(OFF_TOPIC) == "inserted-headline-off-topic"
    assert removed.get(ON_TOPIC) == "inserted-headline-on-topic"
    assert "أبوظبي" not in view.text
    assert "زيارة مصدر الخبر" not in view.text
    assert ON_TOPIC not in [b.text for b in view.blocks]
    assert view.title == ON_TOPIC


def test_000_glued_heading_split_and_headings_kept(
    seed000: tuple[RawArticle, CleanArticle],
) -> None:
    _, view = seed000
    headings = [b.text for b in view.headings]
    assert headings == HEADINGS_000
    blocks = list(view.blocks)
    first = next(i for i, b in enumerate(blocks) if b.text == HEADINGS_000[0])
    assert blocks[first + 1].kind == "paragraph"
    assert blocks[first + 1].text.startswith("وأشار جوساروف")
    assert "روسيةوأشار" not in view.text
    assert any(e.rule == "split-glued-heading" for e in view.edits)
    for heading in HEADINGS_000[1:]:
        nxt = blocks[blocks.index(next(b for b in blocks if b.text == heading)) + 1]
        assert nxt.kind == "paragraph"


def test_000_blank_nbsp_lines_are_not_paragraphs(seed000: tuple[RawArticle, CleanArticle]) -> None:
    _, view = seed000
    assert all(b.text.strip() for b in view.blocks)
    assert "\u00a0" not in view.text
    assert len(view.paragraphs) == 4


def test_offsets_point_into_the_cleaned_text(
    seed000: tuple[RawArticle, CleanArticle], seed001: tuple[RawArticle, CleanArticle]
) -> None:
    for _, view in (seed000, seed001):
        for block in view.blocks:
            assert view.text[block.start : block.end] == block.text


# -- 3. Normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("egyptian", "standard"),
    [
        ("فى", "في"),
        ("وزارتى", "وزارتي"),
        ("الأطلسى", "الأطلسي"),
        ("صرّح", "صرح"),
        ("قدّمت", "قدمت"),
        ("مشيرًا", "مشيرا"),
    ],
)
def test_seed_spellings_match_after_normalisation(
    seed000: tuple[RawArticle, CleanArticle],
    seed001: tuple[RawArticle, CleanArticle],
    egyptian: str,
    standard: str,
) -> None:
    assert normalize(egyptian) == normalize(standard)
    in_seeds = seed000[0].text + seed001[0].text
    assert egyptian in in_seeds or standard in in_seeds


def test_display_keeps_the_original_spelling(seed000: tuple[RawArticle, CleanArticle]) -> None:
    _, view = seed000
    assert "وزارتى" in view.text
    assert "وزارتي" in view.normalized_text or "وزارتي" in normalize(view.text)
    assert view.normalized_text == normalize(view.text)
