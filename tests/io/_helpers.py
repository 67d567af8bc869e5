"""Small Arabic samples and helpers shared by the reader tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from akhbar.io import read
from akhbar.model import RawArticle, Skipped
from akhbar.settings import ReadSettings

FIXTURES = Path(__file__).resolve().parent / "fixtures"

ARABIC = (
    "قال وزير الخارجية اليوم الاثنين إن الاتصالات بين البلدين متواصلة بشكل نشط ولم تتوقف قط، "
    "مشيرا إلى أن الجانبين يعملان على استئناف الرحلات الجوية المباشرة في أقرب وقت.\n"
    "وأضاف الوزير أن المفاوضات ستستمر خلال الأسابيع المقبلة لبحث القضايا ذات الأولوية.\n"
)
ARABIC_2 = (
    "ارتفعت أسعار العقود الآجلة للنفط الخام في ختام تعاملات اليوم بعد بيانات المخزونات، "
    "وصعد خام برنت للتسليم في سبتمبر بنسبة واحد في المئة.\n"
)
ENGLISH = "The minister said on Monday that talks between the two countries continue actively."

SETTINGS = ReadSettings()
NO_LANGID = ReadSettings(detect_language=False)


def read_all(
    inputs: Iterable[str | Path], settings: ReadSettings = SETTINGS, outlet: str | None = None
) -> tuple[list[RawArticle], list[Skipped]]:
    """Read everything and split articles from skipped records, checking nothing else came."""
    articles: list[RawArticle] = []
    skipped: list[Skipped] = []
    for record in read(inputs, settings, outlet=outlet):
        if isinstance(record, RawArticle):
            articles.append(record)
        elif isinstance(record, Skipped):
            skipped.append(record)
        else:
            raise TypeError(f"unexpected record {record!r}")
    return articles, skipped
