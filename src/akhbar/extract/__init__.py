"""Extraction: entities, quotes with speakers, cited sources and dates, as spans into the text."""

from __future__ import annotations

from akhbar.extract.model import CitedSource, DateRef, Extraction, Mention, Quote

__all__ = ["CitedSource", "DateRef", "Extraction", "Mention", "Quote"]
