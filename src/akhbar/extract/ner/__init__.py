"""Named-entity tagging of Arabic news: a CRF with clitic-aware features and word clusters."""

from __future__ import annotations

from akhbar.extract.ner.tagger import EntityTagger

__all__ = ["EntityTagger"]
