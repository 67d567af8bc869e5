"""Server-rendered Arabic pages (right to left): stories, a story, an article, compare, search."""

from __future__ import annotations

import itertools
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from akhbar.web.schemas import StoryDigestOut
from akhbar.web.state import WebState
from akhbar.web.views import (
    StoryFilter,
    article_extras,
    compare_view,
    digest_sections,
    entity_chips,
    entity_not_found,
    entity_out,
    resolve_entity,
    snippet_segments,
)

__all__ = ["PAGE_HEADERS", "make_templates", "pages_router"]

# Every page's own assets come from this server and it runs no inline script: a link or text
# that slips past escaping still cannot run script or load anything from elsewhere.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_PAGE = 30  # stories per page of the list
_MAX_PAIRS = 6  # compare links offered on a story page
_ENTITY_STORIES = 200  # stories listed on an entity page
_TYPES = {"PER": "شخص", "LOC": "مكان", "ORG": "منظمة", "MISC": "أخرى"}


def _when(value: str | None) -> str:
    """An ISO date or date-time as shown: `2026-02-09` or `2026-02-09 14:30`."""
    if not value:
        return "—"
    return value[:16].replace("T", " ") if len(value) > 10 else value


def _web_link(url: str | None) -> str | None:
    """`url` when it is an http(s) address a page may link to; None for anything else
    (`javascript:`, `data:`, relative paths), which the page shows as text instead."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _segment(value: object) -> str:
    """A value as one path segment of a link: every reserved character escaped (`/` too, so
    the id `../x` stays one segment and no browser resolves it away)."""
    return quote(str(value), safe="")


def make_templates() -> Jinja2Templates:
    """The packaged templates, autoescaped (article text is always shown as text)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("akhbar.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["when"] = _when
    env.filters["entity_type"] = lambda kind: _TYPES.get(kind, kind)
    env.filters["web_link"] = _web_link
    env.filters["segment"] = _segment
    return Jinja2Templates(env=env)


def pages_router(state: WebState, templates: Jinja2Templates) -> APIRouter:
    """The HTML pages, bound to one app's state."""
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    def render(request: Request, template: str, /, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, headers=PAGE_HEADERS)

    @router.get("/")
    def story_list(
        request: Request,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        outlet: Annotated[str | None, Query(min_length=1)] = None,
        entity: Annotated[str | None, Query(min_length=1)] = None,
    ) -> HTMLResponse:
        named = None
        if entity is not None:
            state.linked()
            with state.reader() as store:
                named = resolve_entity(store, entity)
            if named is None:
                raise entity_not_found(entity)
        where = StoryFilter(outlet=outlet, entity=named.id if named else None)
        stories, more = state.stories(where, _PAGE, (page - 1) * _PAGE)
        query = urlencode({k: v for k, v in (("outlet", outlet), ("entity", entity)) if v})
        return render(
            request, "stories.html", stories=stories, page=page, more=more, outlet=outlet,
            entity=named, query=query, live=page == 1 and not where.active, page_size=_PAGE,
        )  # fmt: skip

    @router.get("/stories/{story_id:path}", response_model=None)
    def story_page(request: Request, story_id: str) -> HTMLResponse | RedirectResponse:
        if not story_id:  # /stories/ (where /stories leads) is the list
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/{query}", status_code=307)
        body, ready = state.story(story_id)
        story = StoryDigestOut.model_validate_json(body)
        firsts: dict[str, str] = {}
        for a in story.articles:
            firsts.setdefault(a.outlet, a.id)
        pairs = list(itertools.islice(itertools.combinations(firsts.items(), 2), _MAX_PAIRS))
        d = digest_sections(story.digest)
        state.linked()
        with state.reader() as store:
            articles = [a.id for a in story.articles]
            chips = entity_chips(store, d.entities, articles) if d is not None else []
        return render(
            request, "story.html", story=story, d=d, chips=chips, pairs=pairs,
            building=not ready,
        )  # fmt: skip

    @router.get("/articles/{article_id:path}")
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        state.linked()
        with state.reader() as store:
            stored = store.get(article_id)
            extras = article_extras(store, article_id)
        return render(request, "article.html", raw=stored.raw, view=stored.clean, x=extras)

    @router.get("/compare")
    def compare_page(
        request: Request,
        a: Annotated[str, Query(min_length=1)],
        b: Annotated[str, Query(min_length=1)],
    ) -> HTMLResponse:
        with state.reader() as store:
            view = compare_view(store, a, b)
        return render(request, "compare.html", view=view)

    @router.get("/search")
    def search_page(
        request: Request, q: Annotated[str, Query(max_length=500)] = ""
    ) -> HTMLResponse:
        hits = []
        if q.strip():
            with state.reader() as store:
                hits = [(h, snippet_segments(h.snippet, h.marks)) for h in store.search(q, 50)]
        return render(request, "search.html", q=q, hits=hits)

    @router.get("/entities/{entity_id:path}")
    def entity_page(request: Request, entity_id: str) -> HTMLResponse:
        """An entity by id or spelling; a name no entity has shows the articles that hold it."""
        if not entity_id.strip():  # `/entities/`: no name to look for (the API's 404 too)
            raise entity_not_found(entity_id)
        state.linked()
        with state.reader() as store:
            found = resolve_entity(store, entity_id)
            if found is not None:
                entity = entity_out(store, found, _ENTITY_STORIES, 0)
                return render(request, "entity.html", name=entity.name, entity=entity, hits=[])
            hits = [(h, snippet_segments(h.snippet, h.marks)) for h in store.search(entity_id, 50)]
        return render(request, "entity.html", name=entity_id, entity=None, hits=hits)

    return router
