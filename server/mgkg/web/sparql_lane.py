"""The light path for /sparql: GET, HEAD and POST with a query, answered straight on ASGI.

Starlette's Request and Response objects, and reading headers through them one by one, cost a
small query's server a tenth of its CPU (docs/performance.md). This path reads the few headers it
needs in one pass over the scope and writes a one-piece answer's two ASGI messages itself, through
the protocol's own functions (web/sparql.py, negotiation, conditional GET), so that its answers are
the app's byte for byte (tests/test_sparql_lane.py); what it read of a request it keeps for the
next time the same request comes (SparqlLane). What it does not answer it leaves to the app before
reading anything of the request: other methods (OPTIONS, the 405s), a GET without a query (the
service description) and a GET whose Accept names HTML (a browser may be asking for the editor).
Errors, 304s and streamed answers, all rare, are the app's own Starlette responses.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import State
from starlette.requests import ClientDisconnect
from starlette.types import Message, Receive, Scope, Send

from mgkg.errors import MgkgError
from mgkg.store.base import OneChunk
from mgkg.web import sparql
from mgkg.web.forms import collect_body

#: The request headers the protocol reads; Starlette's Headers.get gives the first of repeated ones.
_READ = frozenset({b"accept", b"content-type", b"content-length", b"if-none-match", b"host"})
#: Requests whose URL query and body together are at most this long have their plans kept, up to KEPT_PLANS.
KEPT_REQUEST_BYTES = 4096
KEPT_PLANS = 1024
ErrorResponder = Callable[[Request, MgkgError], Awaitable[Response]]


@dataclass(frozen=True)
class _Known:
    """A request read before: its plan, and the head of a one-piece 200 answer up to its Content-Length."""

    plan: sparql.Plan
    head: list[tuple[bytes, bytes]]
    content_type: bytes

    @classmethod
    def of(cls, plan: sparql.Plan, vary_origin: bool) -> _Known:
        """`plan` with its answer's head; `vary_origin` adds Origin to its Vary."""
        headers = {**plan.headers, "Vary": with_origin(plan.headers["Vary"])} if vary_origin else plan.headers
        return cls(plan, [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()],
                   _content_type(plan.fmt.content_type))


class SparqlLane:
    """The light path of one app. It keeps the plans of the requests it has read (web/sparql.py's
    Plan): clients and pages send the same requests again, and reading one (decoding the URL, the
    guard, negotiation, the ETag) costs as much as evaluating a lookup. Only requests answered
    without an error are kept, so a bad one is read again each time and its error said again."""

    def __init__(self) -> None:
        self._known: dict[tuple[object, ...], _Known] = {}

    def __len__(self) -> int:
        """How many requests' plans are kept."""
        return len(self._known)

    async def answer(self, scope: Scope, receive: Receive, send: Send, *, vary_origin: bool,
                     on_error: ErrorResponder) -> bool:
        """Answer the /sparql request of `scope` if this path can; False, with nothing read or sent, if the app
        must. `vary_origin` adds Origin to Vary, as CORSMiddleware would; `on_error` is the app's error handler."""
        method = scope["method"]
        if method not in ("GET", "HEAD", "POST"):
            return False
        headers = _headers(scope)
        accept = headers.get("accept")
        if method != "POST" and accept is not None and "html" in accept:
            return False
        state = scope["app"].state
        query_string, content_type, host = scope["query_string"], headers.get("content-type", ""), headers.get("host")
        response: Response | None
        try:
            body = await _body(receive, headers.get("content-length", ""), state.settings.max_body_bytes) \
                if method == "POST" else b""
            key = (method, query_string, content_type, body, accept, host, scope["scheme"],
                   tuple(scope.get("server") or ()), scope.get("root_path", ""), vary_origin, state.store.version)
            known = self._known.get(key)
            read_now = known is None
            if known is None:
                operation = sparql.parse_operation(method, query_string, content_type, body)
                if operation.query is None:  # a GET or HEAD (a POST without one is an error): the service description
                    return False
                known = _Known.of(sparql.plan_answer(operation.query, operation, scope, accept, host), vary_origin)
            response = await _answer(known, headers.get("if-none-match"), state, send)
            if read_now and len(query_string) + len(body) <= KEPT_REQUEST_BYTES:  # the keys are the client's: bounded
                self._keep(key, known)
        except MgkgError as error:
            response = await on_error(Request(scope, receive), error)
        if response is not None:
            await send_response(response, scope, receive, send, vary_origin=vary_origin)
        return True

    def _keep(self, key: tuple[object, ...], known: _Known) -> None:
        if len(self._known) >= KEPT_PLANS:  # the oldest goes first
            del self._known[next(iter(self._known))]
        self._known[key] = known


async def _answer(known: _Known, if_none_match: str | None, state: State, send: Send) -> Response | None:
    """Answer by `known`'s plan: None once a one-piece answer is sent, else the Response to send (a 304 or a
    stream); an error in evaluation is raised before anything is sent."""
    plan = known.plan
    if sparql.is_current(plan, if_none_match):
        return Response(status_code=304, headers=plan.headers)
    chunks = await sparql.run(plan, state)
    if not isinstance(chunks, OneChunk):
        return await sparql.respond(chunks, plan.fmt, plan.headers)
    length = str(len(chunks.body)).encode("latin-1")
    await send({"type": "http.response.start", "status": 200,
                "headers": [*known.head, (b"content-length", length), (b"content-type", known.content_type)]})
    await send({"type": "http.response.body", "body": chunks.body})
    return None


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


async def _body(receive: Receive, declared: str, limit: int) -> bytes:
    """The request body, as forms.collect_body reads it (`declared`: the Content-Length header), taken
    straight from the first message when that holds it all, as it does for a short query."""
    first = None
    if not (declared.isdigit() and int(declared) > limit):  # else collect_body refuses it before reading
        first = await receive()
        body = first.get("body", b"")
        if first["type"] == "http.request" and not first.get("more_body", False) and len(body) <= limit:
            return bytes(body)
    return await collect_body(declared, _chunks(receive, first), limit)


async def _chunks(receive: Receive, first: Message | None = None) -> AsyncIterator[bytes]:
    """The request body's chunks, as Starlette's Request.stream reads them (from `first`, if already received)."""
    while True:
        message = first or await receive()
        first = None
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
