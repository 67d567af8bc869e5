"""Story and event clustering of Arabic news: streaming (`StoryClusterer`) and batch (`cluster`)."""

from __future__ import annotations

from akhbar.stories.batch import cluster, time_order
from akhbar.stories.doc import StoryDoc, parse_time, story_doc
from akhbar.stories.params import Decision, StoryParams
from akhbar.stories.represent import DocTerms, DocVector, Vectorizer, doc_terms
from akhbar.stories.stream import Assignment, StoryClusterer

__all__ = [
    "Assignment",
    "Decision",
    "DocTerms",
    "DocVector",
    "StoryClusterer",
    "StoryDoc",
    "StoryParams",
    "Vectorizer",
    "cluster",
    "doc_terms",
    "parse_time",
    "story_doc",
    "time_order",
]
