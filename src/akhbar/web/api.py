"""JSON routes under /api/: a thin adapter over the store, the ingestor and the digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse

from akhbar.errors import NotFoundError
from akhbar.io.jsonl import FIELD_NAMES
from akhbar.store.sqlite import MAX_OFFSET
from akhbar.web.schemas import (
    ArticleIn,
    ArticleOut,
    ArticleResult,
    EntityListOut,
    EntityOut,
    ErrorOut,
    HealthOut,
    IngestOut,
    SearchOut,
    StoryDigestOut,
    StoryListOut,
)
from akhbar.web.state import WebState
from akhbar.web.views import (
    StoryFilter,
    article_out,
    entity_brief_out,
    entity_not_found,
    entity_out,
    resolve_entity,
    search_hit_out,
    story_out,
)

__all__ = ["api_router"]

_TEXT_FIELDS = FIELD_NAMES["text"] + FIELD_NAMES["html"]
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No object with this id."},
    422: {"model": ErrorOut, "description": "Invalid input; `fields` names each bad field."},
}


def _has_text(record: Mapping[str, Any]) -> bool:
    """Whether a record carries a non-blank text (under any of the JSONL text field names)."""
    return any(isinstance(record.get(n), str) and record[n].strip() for n in _TEXT_FIELDS)


def _check_texts(records: Sequence[Mapping[str, Any]], batch: bool) -> None:
    """422 naming the field of every record without text (nothing is ingested then)."""
    errors = [
        {
            "type": "missing",
            "loc": ("body", n, "text") if batch else ("body", "text"),
            "msg": "no text: give `text` (or html, content, body, article) as a non-empty string",
            "input": None,
        }
        for n, record in enumerate(records)
        if not _has_text(record)
    ]
    if errors:
        raise RequestValidationError(errors)


def _named(result: ArticleResult, records: list[dict[str, Any]]) -> ArticleResult:
    """A record skipped before it became an article still answers with the id it was sent
    with, so the client can tell which of its articles it was."""
    if result.id is not None:
        return result
    given = records[result.index].get("id")
    if given is None or not str(given).strip():
        return result
    return result.model_copy(update={"id": str(given).strip()})


def api_router(state: WebState, max_body_bytes: int) -> APIRouter:
    """The /api routes, bound to one app's state."""
    router = APIRouter(prefix="/api", tags=["api"], responses=_ERRORS)

    @router.post(
        "/articles",
        response_model=IngestOut,
        max_body_size=max_body_bytes,
        responses={413: {"model": ErrorOut, "description": "Request body too large."}},
    )
    async def post_articles(
        body: Annotated[ArticleIn | list[ArticleIn], Body(description="An article or a list.")],
    ) -> IngestOut:
        """Ingest one article or a list; per article: new, duplicate, updated or skipped."""
        batch = isinstance(body, list)
        records = [
            a.model_dump(exclude_none=True) for a in (body if isinstance(body, list) else [body])
        ]
        if not records:
            raise RequestValidationError(
                [{"type": "too_short", "loc": ("body",), "msg": "no article given", "input": []}]
            )
        _check_texts(records, batch)
        items = await run_in_threadpool(state.parse, records)  # HTML extraction takes a while
        results = [_named(r, records) for r in await state.ingest(items)]
        count = {s: sum(r.status == s for r in results) for s in ("new", "duplicate", "updated")}
        return IngestOut(
            results=results,
            new=count["new"],
            duplicate=count["duplicate"],
            updated=count["updated"],
            skipped=sum(r.status == "skipped" for r in results),
        )

    @router.get("/stories", response_model=StoryListOut)
    def list_stories(
        *,
        limit: Annotated[int, Query(ge=1, le=500)] = 20,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        outlet: Annotated[str | None, Query(min_length=1)] = None,
        entity: Annotated[
            str | None, Query(min_length=1, description="Entity id, or a spelling of it.")
        ] = None,
        since: Annotated[dt.date | None, Query(description="Stories active on or after.")] = None,
        until: Annotated[dt.date | None, Query(description="Stories begun on or before.")] = None,
    ) -> StoryListOut:
        """Stories, newest first, optionally of one outlet, entity or date range (together)."""
        entity_id = None
        if entity is not None:
            state.linked()
            with state.reader() as store:
                found = resolve_entity(store, entity)
            if found is None:
                raise entity_not_found(entity)
            entity_id = found.id
        page, more = state.stories(StoryFilter(outlet, since, until, entity_id), limit, offset)
        return StoryListOut(
            items=[story_out(s) for s in page],
            limit=limit,
            offset=offset,
            next_offset=offset + limit if more else None,
        )

    @router.get(
        "/stories/{story_id:path}",
        response_model=StoryDigestOut,
        responses={
            202: {"model": StoryDigestOut, "description": "Digest still being built (retry)."}
        },
    )
    async def get_story(request: Request, story_id: str) -> Response:
        """A story's articles and digest (202 without the digest while it is built)."""
        if not story_id:  # /api/stories/ is the list, not a story without an id
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/api/stories{query}", status_code=307)
        body = state.kept_story(story_id)  # a built story is sent without a thread hop
        ready = body is not None
        if body is None:
            body, ready = await run_in_threadpool(state.story, story_id)
        if ready:
            return Response(body, media_type="application/json")
        return Response(
            body, status_code=202, media_type="application/json", headers={"Retry-After": "2"}
        )

    @router.get("/health", response_model=HealthOut)
    def health() -> HealthOut:
        """Whether the store answers, its size and the digests kept and being built."""
        with state.reader() as store:
            articles = len(store)
        return HealthOut(
            status="ok", articles=articles, digests=state.kept_digests, warming=state.warming
        )

    @router.get("/articles/{article_id:path}", response_model=ArticleOut)
    def get_article(article_id: str) -> ArticleOut:
        """A stored article, cleaned, with its raw text, its story, names, quotes, sources
        and dates."""
        state.linked()
        with state.reader() as store:
            return article_out(store, article_id)

    @router.get("/search", response_model=SearchOut)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find.")],
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> SearchOut:
        """Full-text search over normalised text (`فى` finds `في`)."""
        with state.reader() as store:
            hits = store.search(q, limit)
        return SearchOut(query=q, hits=[search_hit_out(h) for h in hits])

    @router.get("/entities", response_model=EntityListOut)
    def list_entities(
        *,
        name: Annotated[
            str | None, Query(min_length=1, description="Only entities with a spelling like this.")
        ] = None,
        kind: Annotated[Literal["PER", "LOC", "ORG", "MISC"] | None, Query(alias="type")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> EntityListOut:
        """Linked entities, most mentioned first, optionally of one type or spelling."""
        state.linked()
        with state.reader() as store:
            found = store.entities(kind, name, limit + 1, offset)
        return EntityListOut(
            items=[entity_brief_out(e) for e in found[:limit]],
            limit=limit,
            offset=offset,
            next_offset=offset + limit if len(found) > limit else None,
        )

    @router.get("/entities/{entity_id:path}", response_model=EntityOut)
    def get_entity(
        entity_id: str,
        limit: Annotated[int, Query(ge=1, le=500, description="Stories per page.")] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> EntityOut:
        """An entity by id: its spelling variants, roles, stories and quotes."""
        state.linked()
        with state.reader() as store:
            try:
                entity = store.entity(entity_id)
            except NotFoundError:
                raise entity_not_found(entity_id, spelling=False) from None
            return entity_out(store, entity, limit, offset)

    return router
