"""Every failure becomes one response shape, in one place: JSON under /api/, a page elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from akhbar.errors import AkhbarError, ConfigError, InputError, NotFoundError, StoreError
from akhbar.web.pages import PAGE_HEADERS
from akhbar.web.schemas import ErrorOut, FieldErrorOut

__all__ = ["BodyLimit", "install_error_handlers", "status_of"]


def status_of(exc: AkhbarError) -> int:
    """The HTTP status of a library error."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    if isinstance(exc, ConfigError):
        return 500
    return 500


def _branch(part: object) -> str | None:
    """The union branch a location part names (`ArticleIn`, `list[ArticleIn]`), else None."""
    if isinstance(part, str) and (part[:1].isupper() or "[" in part):
        return part
    return None


def _plain(errors: Sequence[Any], body: object) -> list[Any]:
    """Errors of the union branch the body took (object or list), without the branch names."""
    out = []
    for e in errors:
        loc = tuple(e.get("loc", ()))
        branch = _branch(loc[1]) if len(loc) > 1 and loc[0] == "body" else None
        if branch is not None:
            if branch.startswith("list[") != isinstance(body, list):
                continue
            loc = (loc[0], *loc[2:])
        out.append({**e, "loc": loc})
    return out or list(errors)


def _fields(errors: Sequence[Any]) -> list[FieldErrorOut]:
    """Pydantic/FastAPI error entries as (dotted field path, message)."""
    return [
        FieldErrorOut(field=".".join(str(part) for part in e.get("loc", ())), message=e["msg"])
        for e in errors
    ]


def install_error_handlers(
    app: FastAPI, templates: Jinja2Templates, max_body_bytes: int, db: str | None = None
) -> None:
    """Register the handlers: 422 names fields, 404 names the id, 413 says the limit. The
    store's path (`db`), which the library's messages name for a local user, is not shown to
    the server's clients: it reads "the store"."""

    def respond(request: Request, error: ErrorOut) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/api":
            return JSONResponse(error.model_dump(), status_code=error.status)
        return templates.TemplateResponse(
            request, "error.html", {"error": error}, status_code=error.status,
            headers=PAGE_HEADERS,
        )  # fmt: skip

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = _fields(_plain(exc.errors(), exc.body))
        first = fields[0] if fields else FieldErrorOut(field="request", message="invalid")
        message = f"invalid input: {first.field}: {first.message}"
        kind = request.headers.get("content-type", "")
        if request.method == "POST" and "json" not in kind:
            # `curl -d @article.json` sends a form: the body was never read as JSON
            message += (
                f" (the body was sent as {kind or 'no content type'}: send it as "
                "application/json, e.g. curl -H 'content-type: application/json')"
            )
        return respond(request, ErrorOut(status=422, message=message, fields=fields))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = str(exc.detail)
        if exc.status_code == 413:
            message = f"request body too large (at most {max_body_bytes} bytes)"
        elif exc.status_code == 400 and "parsing the body" in message:  # FastAPI's words
            message = (
                "the body cannot be read as JSON (not UTF-8, or not JSON at all): send UTF-8 "
                "JSON, an article object or a list of them"
            )
        response = respond(request, ErrorOut(status=exc.status_code, message=message))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def on_akhbar(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AkhbarError)
        message = str(exc).replace(db, "the store") if db else str(exc)
        return respond(request, ErrorOut(status=status_of(exc), message=message))

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(AkhbarError, on_akhbar)


class BodyLimit:
    """413 with the JSON error before reading a body whose declared length is over the limit.

    Bodies sent without a length are cut by the route's own `max_body_size` as they stream.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                    error = ErrorOut(
                        status=413,
                        message=f"request body too large: {int(value)} bytes "
                        f"(at most {self.max_bytes}); send fewer articles per request",
                    )
                    await JSONResponse(error.model_dump(), status_code=413)(scope, receive, send)
                    return
        await self.app(scope, receive, send)
