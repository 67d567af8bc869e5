"""Readers: files, folders, archives and URLs in, `RawArticle`s (or `Skipped` records) out.

Everything is streamed: a reader never holds more than one record of a large input, and a bad
record or file becomes a `Skipped` with the reason instead of stopping the batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path

from akhbar.io.blob import Context
from akhbar.io.dates import parse_published
from akhbar.io.langid import UNDETERMINED, LanguageDetector, normalize_language
from akhbar.io.paths import expand_input, read_input
from akhbar.model import RawArticle, Skipped
from akhbar.settings import ReadSettings

__all__ = [
    "UNDETERMINED",
    "LanguageDetector",
    "expand",
    "normalize_language",
    "parse_published",
    "read",
]


def read(
    inputs: Iterable[str | Path], settings: ReadSettings, *, outlet: str | None = None
) -> Iterator[RawArticle | Skipped]:
    """Read every input (file, folder, .gz/.zip, http(s) URL) into articles, in order.

    `outlet` (the CLI's `--outlet`) names the outlet of inputs that do not say it themselves.
    Articles without a declared language get a detected one when `settings.detect_language`.
    """
    ctx = Context(settings=settings, outlet=outlet)
    detector = LanguageDetector(settings.language_min_chars) if settings.detect_language else None
    for item in inputs:
        for record in read_input(item, ctx):
            if detector is not None and isinstance(record, RawArticle) and not record.language:
                yield dataclasses.replace(
                    record, language=detector.detect(record.text), language_detected=True
                )
            else:
                yield record


def expand(inputs: Iterable[str | Path]) -> Iterator[str | Skipped]:
    """The single files and URLs named by `inputs`, folders walked as `read` walks them.

    `read(expand(x), ...)` reads the same records as `read(x, ...)`; the units let callers
    read several files in parallel.
    """
    for item in inputs:
        yield from expand_input(item)
