"""The light path for /sparql: GET, HEAD and POST with a query, answered straight on ASGI.

Starlette's Request and Response objects, and reading headers through them one by one, cost a
small query's server a tenth of its CPU (docs/performance.md). This path reads the few headers it
needs in one pass over the scope and writes a one-piece answer's two ASGI messages itself, through
the protocol's own functions (web/sparql.py, negotiation, conditional GET), so that its answers are
the app's byte for byte (tests/test_sparql_lane.py). What it does not answer it leaves to the app
before reading anything of the request: other methods (OPTIONS, the 405s), a GET without a query
(the service description) and a GET whose Accept names HTML (a browser may be asking for the
editor). Errors, 304s and streamed answers, all rare, are the app's own Starlette responses.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from mgkg.errors import MgkgError
from mgkg.store.base import OneChunk
from mgkg.web import sparql
from mgkg.web.forms import collect_body

#: The request headers the protocol reads; Starlette's Headers.get gives the first of repeated ones.
_READ = frozenset({b"accept", b"content-type", b"content-length", b"if-none-match", b"host"})
ErrorResponder = Callable[[Request, MgkgError], Awaitable[Response]]


async def answer(scope: Scope, receive: Receive, send: Send, *, vary_origin: bool, on_error: ErrorResponder) -> bool:
    """Answer the /sparql request of `scope` if this path can; False, with nothing read or sent, if the app
    must. `vary_origin` adds Origin to Vary, as CORSMiddleware would; `on_error` is the app's error handler."""
    method = scope["method"]
    if method not in ("GET", "HEAD", "POST"):
        return False
    headers = _headers(scope)
    accept = headers.get("accept")
    if method != "POST" and accept is not None and "html" in accept:
        return False
    limit: int = scope["app"].state.settings.max_body_bytes
    try:
        operation = await sparql.parse_operation(
            method, scope["query_string"], headers.get("content-type", ""),
            lambda: collect_body(headers.get("content-length", ""), _chunks(receive), limit))
        if operation.query is None:  # a GET or HEAD (a POST without one is an error): the service description
            return False
        fmt, answer_headers, chunks = await sparql.evaluate(
            operation.query, operation, scope, accept, headers.get("if-none-match"), headers.get("host"))
        if isinstance(chunks, OneChunk):  # the common case, written without a Response
            if vary_origin:
                answer_headers["Vary"] = with_origin(answer_headers["Vary"])
            raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in answer_headers.items()]
            raw += [(b"content-length", str(len(chunks.body)).encode("latin-1")),
                    (b"content-type", _content_type(fmt.content_type))]
            await send({"type": "http.response.start", "status": 200, "headers": raw})
            await send({"type": "http.response.body", "body": chunks.body})
            return True
        if chunks is None:
            response = Response(status_code=304, headers=answer_headers)
        else:
            response = await sparql.respond(chunks, fmt, answer_headers)
    except MgkgError as error:
        response = await on_error(Request(scope, receive), error)
    await send_response(response, scope, receive, send, vary_origin=vary_origin)
    return True


async def send_response(response: Response, scope: Scope, receive: Receive, send: Send, *, vary_origin: bool) -> None:
    """Send a Starlette `response`, Origin added to its Vary if `vary_origin`."""
    if vary_origin:
        response.headers["vary"] = with_origin(response.headers.get("vary"))
    await response(scope, receive, send)


def with_origin(vary: str | None) -> str:
    """A Vary header naming Origin too, as CORSMiddleware writes it: the answer to a request with an
    Origin would differ."""
    return f"{vary}, Origin" if vary else "Origin"


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name in _READ:
            found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


async def _chunks(receive: Receive) -> AsyncIterator[bytes]:
    """The request body's chunks, as Starlette's Request.stream reads them."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        if body := message.get("body", b""):
            yield body
        if not message.get("more_body", False):
            return


@functools.cache
def _content_type(media_type: str) -> bytes:
    """The Content-Type header Starlette's Response writes for `media_type` (a text type gains a charset)."""
    return dict(Response(media_type=media_type).raw_headers)[b"content-type"]
