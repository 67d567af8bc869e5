"""The FastAPI application: API routes, pages, packaged static files and error handlers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from akhbar.settings import Settings
from akhbar.web.api import api_router
from akhbar.web.errors import BodyLimit, install_error_handlers
from akhbar.web.pages import make_templates, pages_router
from akhbar.web.state import WebState

__all__ = ["DEFAULT_MAX_BODY_BYTES", "DEFAULT_WARM_STORIES", "build_app"]

DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
DEFAULT_WARM_STORIES = 60  # newest stories whose digests are built when the app starts


class HeadAsGet:
    """HEAD answered as GET without the body: monitors and link checkers ask HEAD, and
    FastAPI answers it with 405 on routes declared for GET (the site looked down)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def build_app(
    db: Path,
    settings: Settings,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    warm_stories: int = DEFAULT_WARM_STORIES,
    prepare_all: bool = False,
) -> FastAPI:
    """An app over the store at `db`; its state lives and dies with the app."""
    state = WebState(db, settings, warm_stories=warm_stories, prepare_all=prepare_all)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.start()
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="akhbar",
        summary="Arabic news from many outlets: stories, copies, digests and search.",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN: blank on the
        # air-gapped servers akhbar runs on, and a third party told of every visit; the
        # schema stays at /openapi.json for any viewer the user has
        docs_url=None,
        redoc_url=None,
    )
    app.state.akhbar = state
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(HeadAsGet)
    templates = make_templates()
    install_error_handlers(app, templates, max_body_bytes, db=str(db))
    app.include_router(api_router(state, max_body_bytes))
    app.include_router(pages_router(state, templates))
    app.mount("/static", StaticFiles(packages=[("akhbar.web", "static")]), name="static")
    return app
