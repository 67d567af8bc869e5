"""The HTTP API and the Arabic web pages (`akhbar serve`), behind the `akhbar[web]` extra."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from akhbar.errors import import_extra
from akhbar.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve"]

_EXTRA = "web"


def _require_extra() -> None:
    """ConfigError with the install hint when a web dependency is missing."""
    for module in ("fastapi", "jinja2", "uvicorn"):
        import_extra(module, _EXTRA)


def create_app(
    db: Path,
    settings: Settings,
    *,
    max_body_bytes: int | None = None,
    warm_stories: int | None = None,
    prepare_all: bool = False,
) -> FastAPI:
    """The FastAPI app over the SQLite store at `db` (created if missing, as ingest does).

    `max_body_bytes` bounds a POST (default 8 MiB); the digests of the `warm_stories` newest
    stories (default 60) are built in the background when the app starts, and with
    `prepare_all` then those of every story that has none (kept in the store).
    """
    _require_extra()
    from akhbar.web import app  # noqa: PLC0415 - optional extra

    return app.build_app(
        Path(db),
        settings,
        max_body_bytes=app.DEFAULT_MAX_BODY_BYTES if max_body_bytes is None else max_body_bytes,
        warm_stories=app.DEFAULT_WARM_STORIES if warm_stories is None else warm_stories,
        prepare_all=prepare_all,
    )


def serve(
    db: Path, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None
) -> None:
    """Run the app with uvicorn until interrupted (`akhbar serve`); it prepares the digests of
    every story in the background, newest first, so reads of any story are one query."""
    _require_extra()
    import uvicorn  # noqa: PLC0415 - optional extra

    app = create_app(db, settings or Settings.load(), prepare_all=True)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
