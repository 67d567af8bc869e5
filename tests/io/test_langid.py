"""Declared languages are normalised to ISO codes; undeclared ones are detected cheaply."""

from __future__ import annotations

from typing import Any

import pytest

from akhbar.io import langid
from akhbar.io.langid import UNDETERMINED, LanguageDetector, normalize_language
from tests.io._helpers import ARABIC, ENGLISH


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ar", "ar"),
        ("AR", "ar"),
        ("ara", "ar"),
        ("Arabic", "ar"),
        ("عربي", "ar"),
        ("العربية", "ar"),
        ("ar-SA", "ar"),
        ("en", "en"),
        ("English", "en"),
        ("eng", "en"),
        ("klingon", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_normalize_language(value: object, expected: str | None) -> None:
    assert normalize_language(value) == expected


def test_detects_arabic_and_english() -> None:
    detector = LanguageDetector(min_chars=20)
    assert detector.detect(ARABIC) == "ar"
    assert detector.detect(ENGLISH) == "en"


def test_short_text_is_undetermined() -> None:
    assert LanguageDetector(min_chars=20).detect("قال الوزير") == UNDETERMINED


def test_egyptian_arabic_counts_as_arabic() -> None:
    egyptian = "وأشار الوزير فى تصريحاته إلى أن وزارتى الخارجية تعملان على ملفات كثيرة فى المنطقة"
    assert LanguageDetector(min_chars=20).detect(egyptian) == "ar"


def test_only_a_short_newline_free_sample_reaches_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def fake_detect(text: str, **kwargs: Any) -> list[dict[str, Any]]:
        seen.append((text, kwargs))
        return [{"lang": "ar", "score": 0.99}]

    monkeypatch.setattr(langid, "_load_detector", lambda: fake_detect)
    assert LanguageDetector(min_chars=20).detect(ARABIC * 50) == "ar"
    ((text, kwargs),) = seen
    assert len(text) <= 500
    assert "\n" not in text
    assert kwargs == {"model": "lite"}
