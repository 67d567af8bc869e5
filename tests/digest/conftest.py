"""Digest fixtures: the seeds read, cleaned and given a hand-built extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.digest import Digest, DigestArticle, build_digest
from akhbar.extract.model import CitedSource, DateRef, Extraction, Mention, Quote
from akhbar.io import read
from akhbar.model import CleanArticle, RawArticle
from akhbar.settings import Settings
from akhbar.text.clean import clean
from akhbar.text.normalize import normalize

OUTLETS = {"000": "outlet-000", "001": "outlet-001"}


def find(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of `piece` in `text` (the test fails if it is missing)."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(piece, pos + 1)
        if pos < 0:
            pytest.fail(f"{piece!r} not found in the cleaned seed text")
    return pos, pos + len(piece)


def mention(text: str, piece: str, kind: str, nth: int = 0, role: str | None = None) -> Mention:
    """A hand-made entity mention of `piece`."""
    start, end = find(text, piece, nth)
    return Mention(start, end, piece, kind, normalize(piece), role)  # type: ignore[arg-type]


def quote(
    text: str, piece: str, cue: str, speaker: str | None, kind: str = "direct", *, nth: int = 0
) -> Quote:
    """A hand-made quote of `piece` by `speaker`."""
    start, end = find(text, piece, nth)
    return Quote(start, end, piece, kind, cue, speaker)  # type: ignore[arg-type]


def all_mentions(text: str, piece: str, kind: str, role: str | None = None) -> list[Mention]:
    """Mentions of every occurrence of `piece` (the first one with `role`)."""
    out: list[Mention] = []
    n = text.count(piece)
    for k in range(n):
        out.append(mention(text, piece, kind, k, role if k == 0 else None))
    return out


def extraction_000(text: str) -> Extraction:
    """What the extractors should find in seed 000, written by hand."""
    role = "رئيس إدارة شؤون شمال الأطلسى فى وزارة الخارجية الروسية"
    full = mention(text, "ألكسندر جوساروف", "PER", role=role)
    short = [
        m for m in all_mentions(text, "جوساروف", "PER") if not (full.start <= m.start < full.end)
    ]
    entities = [
        full,
        *short,
        mention(text, "ألكسندر دارتشيف", "PER", role="السفير الروسي لدى أمريكا"),
        mention(text, "سوناتا كولتر", "PER"),
        mention(text, "فولوديمير زيلينسكي", "PER", role="الرئيس الأوكراني"),
        mention(text, "سبوتنيك", "ORG"),
        *all_mentions(text, "أنكوريج", "LOC"),
    ]
    zelensky = quote(
        text,
        "إما أن نستهدف الأسلحة نفسها، أو نستهدف المصدر الذي تولد منه الأموال ويستثمر في صنع "
        "الأسلحة، وهذا المصدر هو قطاع الطاقة",
        "قائلًا",
        "زيلينسكي",
    )
    reported = quote(
        text,
        "أن روسيا قدمت مقترحاتها لاستئناف الرحلات الجوية المباشرة إلى الولايات المتحدة الأمريكية",
        "وأوضح",
        "جوساروف",
        "indirect",
    )
    s0, s1 = find(text, "وكالة الأنباء الروسية (سبوتنيك)")
    source = CitedSource(s0, s1, text[s0:s1], "agency", "سبوتنيك")
    d0, d1 = find(text, "عام 2025")
    t0, t1 = find(text, "اليوم الاثنين")
    dates = (
        DateRef(t0, t1, text[t0:t1], "relative", None),
        DateRef(d0, d1, text[d0:d1], "year", "2025"),
    )
    return Extraction(tuple(entities), (reported, zelensky), (source,), dates)


def extraction_001(text: str) -> Extraction:
    """What the extractors should find in seed 001, written by hand."""
    role = "رئيس إدارة شؤون شمال الأطلسي في وزارة الخارجية الروسية"
    full = mention(text, "ألكسندر غوساروف", "PER", role=role)
    short = [
        m for m in all_mentions(text, "غوساروف", "PER") if not (full.start <= m.start < full.end)
    ]
    speaker = "غوساروف"
    quotes = [
        quote(
            text,
            "إن ظروف عمل دبلوماسيينا في الدول الخاضعة لإشراف إدارة شمال الأطلسي لا ترقى إلى "
            "المستوى المطلوب. فسلطات هذه الدول، ولا سيما بريطانيا وكندا، تواصل بشكل ممنهج فرض "
            "قيود مصطنعة وتمييزية على سير العمل الطبيعي للبعثات الدبلوماسية الروسية",
            "وقال",
            speaker,
        ),
        quote(
            text,
            "ستستمر سياسة لندن في تصعيد المواجهة متعددة الأوجه والواسعة النطاق مع روسيا. في "
            "جوهرها، لم تعد هذه مجرد أولوية في السياسة الخارجية، بل أصبحت ركيزة أساسية في "
            "أيديولوجية الدولة",
            "وتابع",
            speaker,
        ),
        quote(
            text,
            "أن روسيا قدّمت مقترحاتها لاستئناف الرحلات الجوية المباشرة إلى الولايات المتحدة "
            "الأمريكية",
            "وأوضح",
            speaker,
            "indirect",
        ),
        quote(
            text,
            "استئناف الرحلات الجوية المباشرة بين بلدينا من شأنه أن يعطي دفعة قوية لاستئناف "
            "العلاقات الإنسانية والتجارية والاستثمارية، بما يعود بالنفع على الولايات المتحدة "
            "بالدرجة الأولى. وقد قدمنا مقترحاتنا في هذا الشأن إلى السلطات الأمريكية، والقرار "
            "الآن بيدها",
            "قائلا",
            speaker,
        ),
        quote(
            text,
            "إذا لزم الأمر، وإذا لمسنا رغبة من زملائنا الأمريكيين في نقاش أكثر جدية حول القضايا "
            "المذكورة آنفاً، فسنكون مستعدين لإعادة صياغة صيغة المفاوضات",
            "وقال",
            speaker,
        ),
    ]
    s0, s1 = find(text, "مقابلة مع وسائل إعلام روسية")
    source = CitedSource(s0, s1, text[s0:s1], "media", "وسائل إعلام روسية")
    t0, t1 = find(text, "اليوم الاثنين")
    dates = (DateRef(t0, t1, text[t0:t1], "relative", "2026-02-09"),)
    entities = [full, *short, *all_mentions(text, "بريطانيا", "LOC")]
    return Extraction(tuple(entities), tuple(quotes), (source,), dates)


def _cleaned(paths: dict[str, Path]) -> dict[str, tuple[RawArticle, CleanArticle]]:
    """The seeds read and cleaned with the default settings."""
    settings = Settings.load()
    out: dict[str, tuple[RawArticle, CleanArticle]] = {}
    for key, path in sorted(paths.items()):
        for record in read([path], settings.read):
            assert isinstance(record, RawArticle), record
            out[key] = (record, clean(record, settings.clean))
    return out


@pytest.fixture(scope="session")
def seed_articles(seed_paths: dict[str, Path]) -> dict[str, DigestArticle]:
    """The two seeds as digest articles, with hand-built extractions."""
    cleaned = _cleaned(seed_paths)
    out: dict[str, DigestArticle] = {}
    builders = {"000": extraction_000, "001": extraction_001}
    for key, (raw, c) in cleaned.items():
        out[key] = DigestArticle(
            id=raw.id,
            outlet=OUTLETS[key],
            published=raw.published,
            title=c.title,
            text=c.text,
            copy=None,
            extraction=builders[key](c.text),
        )
    return out


@pytest.fixture(scope="session")
def seed_plain(seed_articles: dict[str, DigestArticle]) -> dict[str, DigestArticle]:
    """The seeds without any extraction (what the digest gets before the extractors run)."""
    return {
        k: DigestArticle(a.id, a.outlet, a.published, a.title, a.text, a.copy, None)
        for k, a in seed_articles.items()
    }


@pytest.fixture(scope="session")
def seed_digest(seed_articles: dict[str, DigestArticle]) -> Digest:
    """The digest of the seeds' story."""
    return build_digest("seed-story", [seed_articles["000"], seed_articles["001"]])
