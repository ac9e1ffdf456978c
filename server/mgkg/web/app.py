"""Assembling the FastAPI application from its routers, and mapping errors to HTTP in one place."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from mgkg import __version__
from mgkg.errors import (
    BatchTooLargeError,
    ConfigurationError,
    MgkgError,
    NotFoundError,
    ProtocolError,
    QueryCrashedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyError,
    ReconciliationError,
    ResultTooLargeError,
)
from mgkg.pages.addresses import API_DOCS, SPARQL
from mgkg.settings import Settings
from mgkg.store import SparqlStore, open_store
from mgkg.web import downloads, examples, linked_data, reconcile, service, sparql, sparql_lane

log = logging.getLogger("mgkg")

#: HTTP status per error class; the first match along the class's MRO wins.
STATUS: dict[type[MgkgError], int] = {
    QuerySyntaxError: 400,
    ResultTooLargeError: 400,
    ReconciliationError: 400,
    BatchTooLargeError: 413,
    ReadOnlyError: 403,
    NotFoundError: 404,
    QueryTimeoutError: 503,
    QueryCrashedError: 500,
}
#: Errors whose message is safe to show on a 5xx (it names no internals).
SAFE_5XX = (QueryTimeoutError, QueryCrashedError)


class GZipWhenAsked(GZipMiddleware):
    """Starlette's gzip, stepped around entirely for clients that do not ask for it (most API
    clients), whose answers it would otherwise re-inspect header by header."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        asked = scope["type"] == "http" and any(
            name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"])
        await (super().__call__ if asked else self.app)(scope, receive, send)


class MgkgApp(FastAPI):
    """FastAPI, with /sparql on a short lane: inside the same middleware (errors, CORS, gzip) but
    around FastAPI's routing and exception layers, which cost more CPU than a small query. A plain
    request (no Origin, no gzip asked: most API clients) skips the middleware too, which would only
    add `Vary: Origin`; the lane adds it itself, and uvicorn answers an unexpected error with 500.
    On the lane, a query is answered on plain ASGI (web/sparql_lane.py), the rest by the route."""

    _sparql_with_middleware: ASGIApp | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: The light path for GET and POST /sparql with a query (None: the route answers; tests compare both).
        self.sparql_lane: sparql_lane.SparqlLane | None = sparql_lane.SparqlLane()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == SPARQL:
            scope["app"], scope["router"] = self, self.router
            if _plain(scope):
                await _sparql_endpoint(scope, receive, send, vary_origin=True)
                return
            if self._sparql_with_middleware is None:
                self._sparql_with_middleware = _with_middleware(_sparql_endpoint, self.user_middleware)
            await self._sparql_with_middleware(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _plain(scope: Scope) -> bool:
    """Whether the request has no Origin (no CORS) and does not ask for gzip."""
    return not any(name == b"origin" or (name == b"accept-encoding" and b"gzip" in value)
                   for name, value in scope["headers"])


async def _sparql_endpoint(scope: Scope, receive: Receive, send: Send, *, vary_origin: bool = False) -> None:
    lane = scope["app"].sparql_lane
    if lane is not None and await lane.answer(scope, receive, send, vary_origin=vary_origin, on_error=error_response):
        return
    request = Request(scope, receive)
    try:
        response = await sparql.sparql(request)
    except MgkgError as error:
        response = await error_response(request, error)
    await sparql_lane.send_response(response, scope, receive, send, vary_origin=vary_origin)


def _with_middleware(app: ASGIApp, middleware: list[Middleware]) -> ASGIApp:
    for cls, args, kwargs in reversed(middleware):
        app = cls(app, *args, **kwargs)
    return ServerErrorMiddleware(app)


def create_app(settings: Settings | None = None, store: SparqlStore | None = None) -> FastAPI:
    """Build the app; tests pass their own `store` so they never need the real data folder.

    Query workers are forked here, before the server starts any thread."""
    settings = settings or Settings.from_env()
    store = store if store is not None else open_store(settings)
    store.start_workers(settings.workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    middleware = [
        Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "HEAD", "POST"],
                   allow_headers=["Accept", "Content-Type", "If-None-Match"], expose_headers=["ETag"], max_age=3600),
        Middleware(GZipWhenAsked, minimum_size=1024, compresslevel=5),  # level 9 costs 3x the CPU for ~2% smaller
    ]
    app = MgkgApp(title="MGKG", version=__version__, docs_url=API_DOCS, redoc_url=None, lifespan=lifespan,
                  middleware=middleware)
    app.state.settings = settings
    app.state.store = store
    linked_data.install(app)  # its hook gives browsers' plain GET /sparql the query editor
    app.include_router(sparql.router)
    app.include_router(service.router)
    app.include_router(downloads.router)
    app.include_router(examples.router_for(settings.queries_dir))
    app.include_router(reconcile.router)
    app.add_exception_handler(MgkgError, error_response)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, routing_error)  # type: ignore[arg-type]
    return app


def status_of(error: MgkgError) -> int:
    """The HTTP status that answers `error`."""
    if isinstance(error, ProtocolError):
        return error.status
    return next((STATUS[cls] for cls in type(error).__mro__ if cls in STATUS), 500)


async def routing_error(request: Request, error: HTTPException) -> PlainTextResponse:
    """Errors of routing itself (a method a route does not answer), in plain words rather than JSON."""
    allow = error.headers.get("Allow") if error.headers else None
    message = f"{request.method} {request.url.path}: {error.detail}" + (f"; it answers {allow}" if allow else "")
    return PlainTextResponse(message + "\n", status_code=error.status_code, headers=error.headers)


async def error_response(request: Request, error: MgkgError) -> PlainTextResponse:
    """A plain-text message for the client; a 5xx only shows messages known to name no internals."""
    status = status_of(error)
    message = str(error)
    if status >= 500 and not isinstance(error, SAFE_5XX):
        log.error("%s %s failed: %s: %s", request.method, request.url.path, type(error).__name__, error)
        message = "the server could not answer this request; the error has been logged"
    if isinstance(error, ConfigurationError):
        log.error("configuration: %s", error)
    headers = error.headers if isinstance(error, ProtocolError) else {}
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)
