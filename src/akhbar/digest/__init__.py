"""Story digests: every claim with the outlets that carry it, what each outlet adds, quotes,
entities, cited sources, disagreeing numbers and a timeline, as JSON, Markdown or HTML."""

from __future__ import annotations

from akhbar.digest.align import AlignSettings
from akhbar.digest.build import DigestSettings, PreparedArticle, build_digest, prepare_article
from akhbar.digest.model import (
    Claim,
    Conflict,
    ConflictValue,
    DateRange,
    Digest,
    DigestArticle,
    EntityRow,
    OnlyItem,
    OutletRow,
    QuoteRow,
    SourceRow,
    Support,
    TimelineEntry,
)
from akhbar.digest.render import render_html, render_markdown
from akhbar.digest.sentences import Span, split_clauses, split_sentences, units
from akhbar.digest.stored import story_articles, story_digest

__all__ = [
    "AlignSettings",
    "Claim",
    "Conflict",
    "ConflictValue",
    "DateRange",
    "Digest",
    "DigestArticle",
    "DigestSettings",
    "EntityRow",
    "OnlyItem",
    "OutletRow",
    "PreparedArticle",
    "QuoteRow",
    "SourceRow",
    "Span",
    "Support",
    "TimelineEntry",
    "build_digest",
    "prepare_article",
    "render_html",
    "render_markdown",
    "split_clauses",
    "split_sentences",
    "story_articles",
    "story_digest",
    "units",
]
