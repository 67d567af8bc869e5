"""The founding seed articles cleaned as EXPECTED.md section 2 says."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.model import CleanArticle, RawArticle
from akhbar.settings import Settings
from akhbar.text.clean import clean
from akhbar.text.normalize import normalize
from tests.text.helpers import article, lost_words, offsets_ok

TITLE_001 = "موسكو: الاتصالات بين وزارتي الخارجية الروسية والأمريكية متواصلة بشكل نشط ولم تتوقف قط"
ON_TOPIC_000 = "الخارجية الروسية: الاتصالات مع واشنطن متواصلة ولم تتوقف"
OFF_TOPIC_000 = "“القاهرة الإخبارية”: مفاوضات أبوظبي أسفرت عن تبادل أسرى بين روسيا وأوكرانيا"


def _read_seed(path: Path) -> RawArticle:
    """Read a seed file; a leading ` date YYYY-MM-DD lang` header line is metadata, not text."""
    text = path.read_text("utf-8")
    first, _, rest = text.partition("\n")
    if first.startswith(" date "):
        text = rest
    return article(text)


@pytest.fixture(scope="module")
def cleaned(seed_paths: dict[str, Path]) -> dict[str, tuple[RawArticle, CleanArticle]]:
    """Both seeds, raw and cleaned with the packaged settings."""
    settings = Settings.load().clean
    out = {}
    for key, path in seed_paths.items():
        raw = _read_seed(path)
        out[key] = (raw, clean(raw, settings))
    return out


def test_001_single_title(cleaned: dict[str, tuple[RawArticle, CleanArticle]]) -> None:
    _, view = cleaned["001"]
    assert view.title == TITLE_001
    assert view.title_source == "first-line"
    assert TITLE_001 not in view.text
    dup = [r for r in view.removed if r.reason == "duplicate-title"]
    assert [r.text for r in dup] == [TITLE_001]


def test_001_seven_paragraphs_each_once(
    cleaned: dict[str, tuple[RawArticle, CleanArticle]],
) -> None:
    raw, view = cleaned["001"]
    paragraphs = [b.text for b in view.paragraphs]
    assert len(paragraphs) == 7
    assert paragraphs[0].startswith("صرّح ألكسندر غوساروف")
    assert len({normalize(p) for p in paragraphs}) == 7
    body_lines = [line for line in raw.text.splitlines() if line.strip()]
    assert paragraphs == body_lines[3:]
    concatenated = [r for r in view.removed if r.reason == "concatenated-paragraphs"]
    assert [r.text for r in concatenated] == [body_lines[2]]


def test_000_footer_and_blank_lines(cleaned: dict[str, tuple[RawArticle, CleanArticle]]) -> None:
    _, view = cleaned["000"]
    assert any(r.text == "زيارة مصدر الخبر" and r.reason == "boilerplate" for r in view.removed)
    assert "زيارة مصدر الخبر" not in view.text
    # No paragraph made only of (no-break) spaces: str.strip() removes U+00A0 too.
    assert all(b.text.strip() for b in view.blocks)
    assert len(view.blocks) == 7


def test_000_inserted_headlines(cleaned: dict[str, tuple[RawArticle, CleanArticle]]) -> None:
    _, view = cleaned["000"]
    reasons = {r.text: r.reason for r in view.removed}
    assert reasons[OFF_TOPIC_000] == "inserted-headline-off-topic"
    assert reasons[ON_TOPIC_000] == "inserted-headline-on-topic"
    assert "أبوظبي" not in view.text
    assert all("أبوظبي" not in h.text for h in view.headings)
    assert ON_TOPIC_000 not in [b.text for b in view.blocks]


def test_000_title_is_on_topic_headline(
    cleaned: dict[str, tuple[RawArticle, CleanArticle]],
) -> None:
    _, view = cleaned["000"]
    assert view.title == ON_TOPIC_000
    assert view.title_source == "inserted-headline"


def test_000_glued_heading_split(cleaned: dict[str, tuple[RawArticle, CleanArticle]]) -> None:
    _, view = cleaned["000"]
    blocks = list(view.blocks)
    i = next(k for k, b in enumerate(blocks) if b.text == "اتصالات أمريكية روسية")
    assert blocks[i].kind == "heading"
    assert blocks[i + 1].kind == "paragraph"
    assert blocks[i + 1].text.startswith("وأشار جوساروف")
    assert any(e.rule == "split-glued-heading" for e in view.edits)


def test_000_own_subheadings_kept(cleaned: dict[str, tuple[RawArticle, CleanArticle]]) -> None:
    _, view = cleaned["000"]
    assert [h.text for h in view.headings] == [
        "اتصالات أمريكية روسية",
        "إعادة صياغة صيغة المفاوضات",
        "زيلينسكي: مواقع الطاقة الروسية أهداف مشروعة في إطار الحرب",
    ]
    assert len(view.paragraphs) == 4


def test_seeds_invariants(cleaned: dict[str, tuple[RawArticle, CleanArticle]]) -> None:
    for raw, view in cleaned.values():
        assert offsets_ok(view)
        assert lost_words(raw, view) == []
        assert view.normalized_text == normalize(view.text)
        assert view.normalized_title == normalize(view.title or "")
