"""Plain-text articles: one file is one article, with an optional `date ... <language>` header."""

from __future__ import annotations

import re
from dataclasses import dataclass

from akhbar.io.blob import Blob, Context
from akhbar.io.dates import checked_published, parse_published
from akhbar.io.langid import normalize_language
from akhbar.model import RawArticle, Skipped, make_article_id

__all__ = ["Header", "parse_header", "text_article"]

_HEADER = re.compile(r"[ \t\u00a0\ufeff]*date[ \t]+(\S+)[ \t]+(\S+)[ \t\u00a0]*", re.IGNORECASE)
_LINE_END = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True, slots=True)
class Header:
    """The metadata line some scraped text files start with."""

    line: str
    date: str
    language: str


def parse_header(first_line: str) -> Header | None:
    """The header in a first line like ` date 2026-02-09 عربي`, or None when it is plain text."""
    match = _HEADER.fullmatch(first_line.rstrip("\r"))
    if match is None:
        return None
    return Header(line=first_line.rstrip("\r"), date=match.group(1), language=match.group(2))


def text_article(content: str, blob: Blob, ctx: Context) -> RawArticle | Skipped:
    """Turn a decoded text file into an article, its header (if any) moved to metadata."""
    origin = blob.origin
    # the first line ends at the first line break of any convention (old Mac files use CR)
    cut = _LINE_END.search(content)
    first, rest = (content[: cut.start()], content[cut.end() :]) if cut else (content, "")
    header = parse_header(first)
    body = rest if header is not None else content
    if not body.strip():
        return Skipped(origin, "empty text")
    if len(body) > ctx.settings.max_record_chars:
        return Skipped(
            origin,
            f"text too long ({len(body)} chars > max_record_chars {ctx.settings.max_record_chars})",
        )
    warnings: list[str] = []
    published: str | None = None
    language: str | None = None
    metadata: dict[str, object] = {}
    if header is not None:
        metadata["header"] = header.line
        published, why = checked_published(
            parse_published(header.date), header.date, "header date", ctx.settings.max_future_days
        )
        if why is not None:
            warnings.append(f"{origin}: {why}")
        language = normalize_language(header.language)
        if language is None:
            warnings.append(
                f"{origin}: header language {header.language!r} is not a known language; "
                "it will be detected from the text"
            )
    source = ctx.outlet or blob.name
    return RawArticle(
        id=make_article_id(None, source=source, url=None, title=None, text=body),
        text=body,
        origin=origin,
        source=source,
        outlet=ctx.outlet,
        published=published,
        language=language,
        metadata=metadata,
        warnings=tuple(warnings),
    )
