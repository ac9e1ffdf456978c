"""The SPARQL 1.1 Protocol endpoint: the query operation only, as the public service is read-only.

GET /sparql?query=, POST application/x-www-form-urlencoded and POST application/sparql-query,
with default-graph-uri / named-graph-uri; the format comes from `format=` or the Accept header.
GET /sparql without a query answers the service description (web/service.py).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.datastructures import State
from starlette.types import Scope

from mgkg.errors import MgkgError, ProtocolError, ReadOnlyError
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS, ResultFormat
from mgkg.guard import Limits, QueryShape, inspect_query
from mgkg.pages.addresses import SPARQL
from mgkg.settings import Settings
from mgkg.store.base import Dataset, OneChunk, SparqlStore
from mgkg.web import service
from mgkg.web.conditional import cache_headers, tag_matches
from mgkg.web.forms import FORM, content_type, decode_body, parse_form, read_body
from mgkg.web.negotiation import choose_format

router = APIRouter()
log = logging.getLogger("mgkg")

ALLOW = "GET, HEAD, POST, OPTIONS"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
#: Queries up to this long have their guard reading remembered (4,096 of them: at most 16 MB).
SHORT_QUERY_CHARS = 4096


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
    operation = await read_operation(request, request.app.state.settings)
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
    headers = request.headers
    plan = plan_answer(operation.query, operation, request.scope, headers.get("accept"), headers.get("host"))
    if is_current(plan, headers.get("if-none-match")):
        return Response(status_code=304, headers=plan.headers)
    return await respond(await run(plan, request.app.state), plan.fmt, plan.headers)


@dataclass(frozen=True)
class Plan:
    """How a query request is answered, read from the request alone: the query to run against which
    dataset, the answer's format and headers, and the IRI relative IRIs resolve against. The store
    never changes while it is served, so the same request always gets the same plan."""

    query: str
    dataset: Dataset
    fmt: ResultFormat
    #: Vary, and for GET and HEAD the ETag and Cache-Control; shared by every request with this plan.
    headers: dict[str, str]
    base_iri: str


def plan_answer(query: str, operation: Operation, scope: Scope, accept: str | None, host: str | None) -> Plan:
    """The plan for `operation` with that Accept and Host header; the app and its state come from `scope`."""
    state = scope["app"].state
    shape = inspect(query, limits(state.settings))
    fmt = result_format(shape, accept, operation.format_param)
    headers = {"Vary": "Accept"}
    if scope["method"] != "POST":
        headers |= cache_headers(state.store.version, query, str(operation.dataset), fmt.name, weak=True)
    # Relative IRIs (the W3C tests send `CONSTRUCT { <s> <p> 1 } WHERE {}`) resolve against this endpoint.
    return Plan(query, operation.dataset, fmt, headers, endpoint_iri(scope, host))


def is_current(plan: Plan, if_none_match: str | None) -> bool:
    """Whether the client's copy, named by its If-None-Match header, is the answer `plan` gives."""
    return "ETag" in plan.headers and tag_matches(if_none_match, plan.headers["ETag"])


async def run(plan: Plan, state: State) -> AsyncIterator[bytes]:
    """The chunks of the answer `plan` gives, from the store in the app's `state`, within its limits."""
    settings: Settings = state.settings
    store: SparqlStore = state.store
    answer = await store.run(plan.query, plan.dataset, plan.fmt, timeout=settings.query_timeout,
                             max_bytes=settings.max_result_bytes, base_iri=plan.base_iri)
    return answer.chunks


# A plain Starlette route: FastAPI's parameter machinery would cost a fifth of a small query's time.
router.add_route(SPARQL, sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"], name="sparql")


#: This endpoint's URL per (scheme, server, root path, Host header) the clients used, up to ENDPOINT_IRIS of them.
_endpoint_iris: dict[tuple[object, ...], str] = {}
ENDPOINT_IRIS = 64


def endpoint_iri(scope: Scope, host: str | None) -> str:
    """This endpoint's own URL, as `url_for` builds it, remembered per address clients use (`host`: the
    Host header): building it walks every route and costs more than a lookup query."""
    key = (scope["scheme"], str(scope.get("server")), scope.get("root_path", ""), host)
    iri = _endpoint_iris.get(key)
    if iri is None:
        if len(_endpoint_iris) >= ENDPOINT_IRIS:  # the Host header is the client's: bound what it can fill
            _endpoint_iris.clear()
        iri = _endpoint_iris[key] = str(Request(scope).url_for("sparql"))
    return iri


@functools.lru_cache(maxsize=4096)
def _inspect_short(text: str, limits: Limits) -> QueryShape:
    return inspect_query(text, limits)


def inspect(text: str, limits: Limits) -> QueryShape:
    """`inspect_query`, remembered for short texts: clients and pages send the same queries again,
    and reading one costs more CPU than evaluating a lookup (errors are not remembered)."""
    return _inspect_short(text, limits) if len(text) <= SHORT_QUERY_CHARS else inspect_query(text, limits)


def limits(settings: Settings) -> Limits:
    """The safety limits the settings give every public query."""
    return Limits(settings.max_query_chars, settings.max_query_nesting, settings.service_allowlist)


async def read_operation(request: Request, settings: Settings) -> Operation:
    """The query and its protocol parameters, from the URL and (for POST) the body."""
    body = await read_body(request, settings.max_body_bytes) if request.method == "POST" else b""
    return parse_operation(request.method, request.scope["query_string"], request.headers.get("content-type", ""),
                           body)


def parse_operation(method: str, query_string: bytes, content_type_header: str, body: bytes) -> Operation:
    """`read_operation` from the request's parts (`body`: a POST's, read up to the size limit first; else b"")."""
    # the raw query string, decoded as Starlette decodes it: request.url would build a whole URL first
    params = parse_form(query_string.decode("latin-1"), "URL")
    query_texts = _values(params, "query")
    if method == "POST":
        media_type, charset = content_type(content_type_header)
        if media_type == _UPDATE:
            raise ReadOnlyError("this SPARQL service is read-only: updates are refused")
        text = decode_body(body, charset)
        if media_type == FORM:
            params += parse_form(text, "form body")
            query_texts = _values(params, "query")
        elif media_type == _DIRECT:
            query_texts = [*query_texts, text]
        else:
            raise ProtocolError(
                f"POST needs Content-Type {FORM} or {_DIRECT}, not {media_type or 'none'}", 415)
    if _values(params, "update"):
        raise ReadOnlyError("this SPARQL service is read-only: the update operation is refused")
    if len(query_texts) > 1:
        raise ProtocolError(f"the request has {len(query_texts)} queries; send exactly one")
    if not query_texts and method == "POST":
        raise ProtocolError("the request has no query: send it in the `query` parameter")
    dataset = Dataset(_iris(params, "default-graph-uri"), _iris(params, "named-graph-uri"))
    formats = _values(params, "format")
    return Operation(query_texts[0] if query_texts else None, dataset, formats[-1] if formats else None)


@functools.lru_cache(maxsize=256)  # clients send few distinct Accept headers; reading one costs more than a lookup
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


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _iris(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    iris = tuple(_values(params, name))
    for iri in iris:
        if ":" not in iri or any(c in iri for c in ' <>"{}|^`\\'):
            raise ProtocolError(f"{name}={iri} is not an absolute IRI")
    return iris

