"""Request and response models of the HTTP API, so the OpenAPI schema documents every field."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

__all__ = [
    "ArticleIn",
    "ArticleOut",
    "ArticleResult",
    "BlockOut",
    "CitedSourceOut",
    "DateOut",
    "EntityBriefOut",
    "EntityListOut",
    "EntityOut",
    "EntityQuoteOut",
    "ErrorOut",
    "FieldErrorOut",
    "HealthOut",
    "IngestOut",
    "MentionOut",
    "QuoteOut",
    "RemovalOut",
    "SearchHitOut",
    "SearchOut",
    "StoryArticleOut",
    "StoryDigestOut",
    "StoryListOut",
    "StoryOut",
]


class ArticleIn(BaseModel):
    """One article in the JSONL input fields; other fields (and alternative names) are kept."""

    model_config = ConfigDict(extra="allow")

    # strict numbers: JSON's true is no id (it took article "1"'s) and no date (1970)
    id: str | StrictInt | None = Field(
        default=None, description="Stable id; a content hash when absent."
    )
    url: str | None = None
    outlet: str | None = Field(default=None, description="Outlet name (also read from `source`).")
    published: str | StrictInt | StrictFloat | None = Field(
        default=None, description="ISO date or timestamp."
    )
    title: str | None = None
    text: str | None = Field(default=None, description="Body text (or `html`, `content`, `body`).")
    html: str | None = None
    lang: str | None = None


class ArticleResult(BaseModel):
    """What happened to one posted article."""

    index: int = Field(description="Position of the article in the request, from 0.")
    id: str | None = None
    status: Literal["new", "duplicate", "updated", "skipped"]
    reason: str | None = Field(default=None, description="Why the article was skipped.")
    copy_of: str | None = Field(default=None, description="The article this one is a copy of.")
    story: str | None = None
    story_action: Literal["opened", "joined"] | None = None
    event: str | None = None
    warnings: list[str] = Field(
        default_factory=list,
        description="What the reader or ingest noticed about this article (a broken date, a "
        "body that cleaning removed whole, an extraction that failed); it is stored anyway.",
    )


class IngestOut(BaseModel):
    """The outcome of a POST: one result per article, in request order, and the totals."""

    results: list[ArticleResult]
    new: int
    duplicate: int
    updated: int
    skipped: int


class StoryOut(BaseModel):
    """A story as listed."""

    id: str
    headline: str | None
    articles: int
    events: int
    outlets: list[str]
    first: str | None
    last: str | None


class StoryListOut(BaseModel):
    """One page of stories, newest first."""

    items: list[StoryOut]
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")


class StoryArticleOut(BaseModel):
    """An article of a story, with where it was clustered."""

    id: str
    outlet: str
    published: str | None
    title: str | None
    event: str
    copy_of: str | None


class StoryDigestOut(BaseModel):
    """A story: its articles and its digest (null while a large story's digest is built)."""

    id: str
    headline: str | None
    outlets: list[str]
    first: str | None
    last: str | None
    articles: list[StoryArticleOut]
    digest: dict[str, Any] | None = Field(
        default=None,
        description="The attributed digest (claims, outlet-only claims, quotes, entities).",
    )
    digest_status: Literal["ready", "building"] = Field(
        default="ready",
        description="`building`: the digest of this large story is being built (HTTP 202); "
        "ask again after the Retry-After seconds.",
    )


class BlockOut(BaseModel):
    """A paragraph or sub-heading of the cleaned text, with offsets."""

    kind: str
    text: str
    start: int
    end: int


class RemovalOut(BaseModel):
    """A piece of raw text that cleaning removed, and why."""

    text: str
    reason: str


class MentionOut(BaseModel):
    """A name in the article's clean text, with the stored entity it was linked to."""

    start: int
    end: int
    text: str
    type: str = Field(description="PER, LOC, ORG or MISC.")
    role: str | None = Field(description="A title or office written beside the name.")
    entity: str | None = Field(description="The linked entity's id (`/api/entities/{id}`).")


class QuoteOut(BaseModel):
    """A quote in the article's clean text: its cue, its speaker and the speaker's entity."""

    start: int
    end: int
    text: str
    kind: str = Field(description="`direct` (quoted words) or `indirect` (reported).")
    cue: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_entity: str | None = Field(description="The speaker's linked entity id, if any.")


class CitedSourceOut(BaseModel):
    """A source the outlet says its information came from (agency, platform, statement...)."""

    start: int
    end: int
    text: str
    kind: str
    name: str


class DateOut(BaseModel):
    """A date expression and its ISO value where it could be resolved."""

    start: int
    end: int
    text: str
    kind: str
    value: str | None


class ArticleOut(BaseModel):
    """A stored article: metadata, cleaned blocks, what cleaning removed, its story and what
    was extracted from it (offsets into `text`)."""

    id: str
    title: str | None
    outlet: str
    source: str
    url: str | None
    published: str | None
    language: str | None
    ingested_at: str
    text: str
    paragraphs: list[BlockOut]
    removed: list[RemovalOut]
    raw_text: str
    story: str | None = Field(default=None, description="The story it was clustered into.")
    extracted: bool = Field(
        default=False, description="Whether anything was extracted (false: extraction off)."
    )
    entities: list[MentionOut] = []
    quotes: list[QuoteOut] = []
    cited_sources: list[CitedSourceOut] = []
    dates: list[DateOut] = []


class SearchHitOut(BaseModel):
    """One search result: a window of its text, and where the matched words are in it."""

    id: str
    title: str | None
    outlet: str
    published: str | None
    snippet: str
    marks: list[tuple[int, int]] = Field(
        default_factory=list,
        description="the matched words: [start, end) character offsets into `snippet`",
    )


class SearchOut(BaseModel):
    """Search results, best first."""

    query: str
    hits: list[SearchHitOut]


class EntityQuoteOut(BaseModel):
    """A quote whose speaker is the entity, with where it stands in its article's clean text."""

    speaker: str | None = Field(description="The speaker as the article spells them.")
    text: str
    kind: str = Field(description="`direct` (quoted words) or `indirect` (reported).")
    cue: str = Field(description="The word that introduces the quote (قال، أكد، ...).")
    article: str
    outlet: str | None
    start: int
    end: int


class EntityBriefOut(BaseModel):
    """A linked entity as listed: its spellings, roles and how often it is mentioned."""

    id: str
    type: str = Field(description="PER, LOC, ORG or MISC.")
    name: str
    variants: list[str] = Field(description="Every spelling the articles use for it.")
    roles: list[str]
    mentions: int
    articles: int = Field(description="Articles that mention it.")


class EntityListOut(BaseModel):
    """One page of entities, most mentioned first."""

    items: list[EntityBriefOut]
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")


class EntityOut(EntityBriefOut):
    """A linked entity: its spellings, roles, the stories it appears in and its quotes."""

    story_count: int = Field(description="Stories with an article that mentions it.")
    stories: list[StoryOut] = Field(description="One page of those stories, newest first.")
    next_offset: int | None = Field(description="Offset of the next page of stories, or null.")
    quotes: list[EntityQuoteOut]


class HealthOut(BaseModel):
    """The server's state: the store's size, digests kept, digests still being built."""

    status: Literal["ok"]
    articles: int
    digests: int
    warming: int


class FieldErrorOut(BaseModel):
    """One invalid input field, named by its path (`body.0.text`, `query.limit`)."""

    field: str
    message: str


class ErrorOut(BaseModel):
    """Every error response: the HTTP status, a message and, for 422, the fields at fault."""

    status: int
    message: str
    fields: list[FieldErrorOut] = []
