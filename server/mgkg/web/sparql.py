"""The SPARQL 1.1 Protocol endpoint: the query operation only, as the public service is read-only.

GET /sparql?query=, POST application/x-www-form-urlencoded and POST application/sparql-query,
with default-graph-uri / named-graph-uri; the format comes from `format=` or the Accept header.
GET /sparql without a query answers the service description (web/service.py).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.requests import ClientDisconnect

from mgkg.errors import MgkgError, ProtocolError, ReadOnlyError
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS, ResultFormat
from mgkg.guard import Limits, QueryShape, inspect_query
from mgkg.pages.addresses import SPARQL
from mgkg.settings import Settings
from mgkg.store.base import Dataset, OneChunk, SparqlStore
from mgkg.web import service
from mgkg.web.conditional import cache_headers, not_modified
from mgkg.web.negotiation import choose_format

router = APIRouter()
log = logging.getLogger("mgkg")

ALLOW = "GET, HEAD, POST, OPTIONS"
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class Operation:
    """A query request, read from the URL and body: the query (None: none given) and its options."""

    query: str | None
    dataset: Dataset
    format_param: str | None


async def sparql(request: Request) -> Response:
    """Answer the SPARQL 1.1 query operation (and refuse updates and other methods)."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOW})
    if request.method not in ("GET", "HEAD", "POST"):
        raise ProtocolError(f"{request.method} is not allowed: this SPARQL service answers {ALLOW}", 405,
                            {"Allow": ALLOW})
    settings: Settings = request.app.state.settings
    store: SparqlStore = request.app.state.store
    operation = await read_operation(request, settings)
    # The pages' hook (pages.install) gives a browser the editor, holding the query if one is given:
    # a query's URL is its permalink. Machines get the description or the answer at the same URL.
    browser_page = getattr(request.app.state, "sparql_browser_page", None)
    page: Response | None = None
    if browser_page is not None:
        page = await browser_page(request, operation.query, operation.format_param)
    if page is not None:
        return page
    if operation.query is None:
        return await service.service_description(request, operation.format_param)
    shape = inspect_query(operation.query, limits(settings))
    fmt = result_format(shape, request.headers.get("accept"), operation.format_param)
    headers = {"Vary": "Accept"}
    if request.method != "POST":
        headers |= cache_headers(store.version, operation.query, str(operation.dataset), fmt.name, weak=True)
        if (unchanged := not_modified(request, headers)) is not None:
            return unchanged
    answer = await store.run(operation.query, operation.dataset, fmt,
                             timeout=settings.query_timeout, max_bytes=settings.max_result_bytes)
    return await respond(answer.chunks, fmt, headers)


# A plain Starlette route: FastAPI's parameter machinery would cost a fifth of a small query's time.
router.add_route(SPARQL, sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"], name="sparql")


def limits(settings: Settings) -> Limits:
    """The safety limits the settings give every public query."""
    return Limits(settings.max_query_chars, settings.max_query_nesting, settings.service_allowlist)


async def read_operation(request: Request, settings: Settings) -> Operation:
    """The query and its protocol parameters, from the URL and (for POST) the body."""
    params = _parse_form(request.url.query)
    query_texts = _values(params, "query")
    if request.method == "POST":
        media_type, charset = _content_type(request.headers.get("content-type", ""))
        if media_type == _UPDATE:
            raise ReadOnlyError("this SPARQL service is read-only: updates are refused")
        body = _decode(await _body(request, settings.max_body_bytes), charset)
        if media_type == _FORM:
            params += _parse_form(body)
            query_texts = _values(params, "query")
        elif media_type == _DIRECT:
            query_texts = [*query_texts, body]
        else:
            raise ProtocolError(
                f"POST needs Content-Type {_FORM} or {_DIRECT}, not {media_type or 'none'}", 415)
    if _values(params, "update"):
        raise ReadOnlyError("this SPARQL service is read-only: the update operation is refused")
    if len(query_texts) > 1:
        raise ProtocolError(f"the request has {len(query_texts)} queries; send exactly one")
    if not query_texts and request.method == "POST":
        raise ProtocolError("the request has no query: send it in the `query` parameter")
    dataset = Dataset(_iris(params, "default-graph-uri"), _iris(params, "named-graph-uri"))
    formats = _values(params, "format")
    return Operation(query_texts[0] if query_texts else None, dataset, formats[-1] if formats else None)


def result_format(shape: QueryShape, accept: str | None, format_param: str | None) -> ResultFormat:
    """The result format: `format=` if given, else the best the Accept header allows (406 if none)."""
    candidates = GRAPH_FORMATS if shape.is_graph else SOLUTION_FORMATS
    return choose_format(candidates, accept, format_param, holds=f"a {shape.form or 'query'} result")


async def respond(chunks: AsyncIterator[bytes], fmt: ResultFormat, headers: dict[str, str]) -> Response:
    """A plain response when the answer is one chunk, a streamed one when it is more."""
    if isinstance(chunks, OneChunk):  # the common case, without stepping through a generator
        return Response(chunks.body, media_type=fmt.content_type, headers=headers)
    first = await anext(chunks, b"")
    second = await anext(chunks, None)
    if second is None:
        return Response(first, media_type=fmt.content_type, headers=headers)
    return StreamingResponse(_chain(first, second, chunks), media_type=fmt.content_type, headers=headers)


async def _chain(first: bytes, second: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield first
    yield second
    try:
        async for chunk in rest:
            yield chunk
    except MgkgError as error:  # the status is sent: cutting the stream is all that is left to say
        log.warning("answer cut after it started streaming: %s", error)
        raise


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProtocolError(f"the request body has {declared} bytes; this service accepts at most {limit}", 413)
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise ProtocolError(f"the request body is larger than {limit} bytes, this service's limit", 413)
    except ClientDisconnect:  # e.g. a Content-Length larger than the body sent: nobody is left to answer
        raise ProtocolError(f"the client left after sending {len(body)} bytes of the request body") from None
    return bytes(body)


def _content_type(header: str) -> tuple[str, str]:
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = "utf-8"
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _decode(body: bytes, charset: str) -> str:
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(f"the body is declared as charset={charset}; SPARQL requests must be UTF-8", 415)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"the body is not valid UTF-8 (byte {error.start})") from None


def _parse_form(body: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(body, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError("a form parameter is not valid UTF-8 once percent-decoded") from None


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _iris(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    iris = tuple(_values(params, name))
    for iri in iris:
        if ":" not in iri or any(c in iri for c in ' <>"{}|^`\\'):
            raise ProtocolError(f"{name}={iri} is not an absolute IRI")
    return iris

