"""Linked-data pages over HTTP: 303 dereferencing of IRIs, HTML pages and RDF descriptions.

The addresses are those of pages/addresses.py; the pages themselves come from pages/render.py.
A merged slug (`<old> dcterms:isReplacedBy <kept>`) answers 301 from /id, /page and /data to the
kept one's addresses.
`install(app)` wires the router, /static, the query editor hook and the 404 page into an app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from mgkg.errors import NotFoundError
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS, content_type
from mgkg.linking.wikidata import recorded_comparison
from mgkg.namespaces import ONTOLOGY_IRI
from mgkg.pages import addresses, render
from mgkg.pages.addresses import data_path, dataset_path, id_path, ontology_path, page_path, resource_iri
from mgkg.pages.catalog import catalog
from mgkg.pages.dataset import dcat_document
from mgkg.pages.describe import RDF_FORMS, describe, ontology_triples, serialize
from mgkg.pages.release import build_release
from mgkg.pages.render import STATIC_DIR, completions_json
from mgkg.pages.search import MAX_QUERY, index_json
from mgkg.settings import Settings
from mgkg.store.base import SparqlStore, ask
from mgkg.web.conditional import cache_headers, not_modified
from mgkg.web.dependencies import get_settings, get_store
from mgkg.web.negotiation import negotiate
from mgkg.web.signposting import home_links, resource_links

HTML = "text/html"
#: What /id/{slug} and /ontology can answer with; HTML first, so it wins for Accept */*.
VARIANTS = {HTML: "html", "application/xhtml+xml": "html",
            **{form.media_type: ext for ext, form in RDF_FORMS.items()}}
#: No inline script runs; JSON-LD data blocks are not executed, so CSP needs no exception for them.
SECURITY_HEADERS = {
    "Content-Security-Policy": render.CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: What GET /sparql (with or without a query) is offered as: the protocol's answers, or the editor last.
_SPARQL_OFFERS = [*(t for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS) for t in (f.media_type, *f.also)), HTML]

router = APIRouter()
Page = Callable[[], str | bytes]


def respond(request: Request, store: SparqlStore, render: Page, media_type: str = HTML, also: str = "",
            extra: dict[str, str] | None = None) -> Response:
    """Render unless the client's ETag is current; every answer carries the ETag, security and `extra` headers.
    `also` names whatever else the page shows that can change without the store (a recorded comparison)."""
    headers = cache_headers(store.version, also, request.url.path, request.url.query, media_type) | SECURITY_HEADERS
    headers |= extra or {}
    if (unchanged := not_modified(request, headers)) is not None:
        return unchanged
    return Response(render(), media_type=content_type(media_type), headers=headers)


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept", **SECURITY_HEADERS})


def _kept_slug(store: SparqlStore, slug: str) -> str | None:
    """The slug that `slug` was merged into, or None if it was not merged."""
    return catalog(store).merged.get(slug)


def _moved(location: str) -> RedirectResponse:
    """301: the old address of a merged resource now lives at `location`, for good."""
    return RedirectResponse(location, status_code=301, headers=SECURITY_HEADERS)


def chosen_extension(request: Request) -> str:
    """The extension of the representation the client prefers; HTML when nothing offered is acceptable."""
    return VARIANTS.get(negotiate(request.headers.get("accept"), list(VARIANTS)) or HTML, "html")


@router.api_route(addresses.ID, methods=["GET", "HEAD"], include_in_schema=False)
def dereference(slug: str, request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """303 See Other from a resource IRI to its page or its data, by the Accept header."""
    iri = resource_iri(slug)
    if kept := _kept_slug(store, slug):
        return _moved(id_path(kept))
    if not ask(store, f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"):
        raise NotFoundError(f"There is no resource called “{slug}” in MGKG.")
    ext = chosen_extension(request)
    return see_other(page_path(slug) if ext == "html" else data_path(slug, ext))


@router.api_route(addresses.PAGE, methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route(addresses.PAGE_N, methods=["GET", "HEAD"], include_in_schema=False)
def resource_page(slug: str, request: Request, page: int = 1, store: SparqlStore = Depends(get_store),
                  settings: Settings = Depends(get_settings)) -> Response:
    """The HTML page of a resource, with its comparison with Wikidata when one is recorded."""
    if page < 1:
        raise NotFoundError(f"there is no page {page}")
    if kept := _kept_slug(store, slug):
        return _moved(page_path(kept))
    recorded = recorded_comparison(settings.wikidata_comparison)
    compared = recorded.by_slug.get(slug, [])
    return respond(request, store, lambda: render.resource(store, slug, page, compared), also=recorded.stamp,
                   extra={"Link": resource_links(slug)})


@router.api_route(addresses.DATA, methods=["GET", "HEAD"], include_in_schema=False)
def resource_data(name: str, request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """The description of a resource in the RDF form its extension names."""
    slug, _, ext = name.rpartition(".")
    if ext not in RDF_FORMS:
        raise NotFoundError(f"a description comes as {', '.join('.' + e for e in RDF_FORMS)}, not {name!r}")
    if kept := _kept_slug(store, slug):
        return _moved(data_path(kept, ext))
    iri = resource_iri(slug)
    return respond(request, store, lambda: serialize(describe(store, iri), ext, iri), RDF_FORMS[ext].media_type)


@router.api_route(addresses.ONTOLOGY, methods=["GET", "HEAD"], include_in_schema=False)
def ontology_document(request: Request) -> Response:
    """303 See Other from the ontology IRI to its documentation or one of its RDF forms."""
    return see_other(ontology_path(chosen_extension(request)))


@router.api_route(addresses.ONTOLOGY_FORM, methods=["GET", "HEAD"], include_in_schema=False)
def ontology_form(ext: str, request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """The ontology's documentation page (.html) or the whole ontology in one RDF form."""
    if ext == "html":
        return respond(request, store, lambda: render.ontology(store))
    if ext not in RDF_FORMS:
        raise NotFoundError(f"the ontology comes as .html or {', '.join('.' + e for e in RDF_FORMS)}")
    return respond(request, store, lambda: serialize(ontology_triples(store), ext, ONTOLOGY_IRI),
                   RDF_FORMS[ext].media_type)


@router.api_route(addresses.HOME, methods=["GET", "HEAD"], include_in_schema=False)
def home(request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """The home page; asked for RDF, the DCAT description of the dataset it is the landing page of."""
    ext = chosen_extension(request)
    headers = {"Vary": "Accept", "Link": home_links(build_release(store))}
    if ext == "html":
        return respond(request, store, lambda: render.home(store), extra=headers)
    headers["Content-Location"] = dataset_path(ext)
    return respond(request, store, lambda: dcat_document(store, ext), RDF_FORMS[ext].media_type, extra=headers)


# Before CLASS, whose {name} would take "Treaty.csv" too.
@router.api_route(addresses.CLASS_CSV, methods=["GET", "HEAD"], include_in_schema=False)
def class_csv(name: str, request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """Every instance of one class as CSV, to open in a spreadsheet."""
    if not name.isidentifier():  # the name goes into a header: no quotes, no line breaks
        raise NotFoundError(f"there is no class mg:{name}")
    return respond(request, store, lambda: render.class_csv(store, name), "text/csv",
                   extra={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.api_route(addresses.CLASS, methods=["GET", "HEAD"], include_in_schema=False)
def class_index(name: str, request: Request, sort: str = "label", store: SparqlStore = Depends(get_store)) -> Response:
    """Every instance of one class, as a table sorted by the column `sort`."""
    return respond(request, store, lambda: render.class_index(store, name, sort[:20]))


@router.api_route(addresses.SEARCH, methods=["GET", "HEAD"], include_in_schema=False)
def search(request: Request, q: str = "", store: SparqlStore = Depends(get_store)) -> Response:
    """Resources by name, acronym, description or quote, ranked."""
    return respond(request, store, lambda: render.search(store, q[:MAX_QUERY]))


@router.api_route(addresses.SEARCH_INDEX, methods=["GET", "HEAD"], include_in_schema=False)
def search_index(request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """What the header's type-ahead and the static mirror search: names, badges, descriptions and quotes."""
    return respond(request, store, lambda: index_json(store), "application/json")


@router.api_route(addresses.COMPLETIONS, methods=["GET", "HEAD"], include_in_schema=False)
def completions(request: Request, store: SparqlStore = Depends(get_store)) -> Response:
    """Prefixes, ontology terms and resource labels, for the query editor's completion."""
    return respond(request, store, lambda: completions_json(store), "application/json")


@router.api_route(addresses.TIMELINE, methods=["GET", "HEAD"], include_in_schema=False)
def timeline(request: Request, kind: list[str] = Query(default=[]),
             store: SparqlStore = Depends(get_store)) -> Response:
    """The timeline of instruments and forums, showing the events of the kinds (class names) `kind`."""
    return respond(request, store, lambda: render.timeline(store, kind[:50]))


def wants_editor(request: Request, format_param: str | None) -> bool:
    """A browser asking for /sparql, with or without a query: it gets the editor, not the protocol.

    Only an Accept that prefers HTML to every result format counts (HTML is offered last, so `*/*`
    and the protocol's own media types get results), and `format=` always means the protocol."""
    if request.scope["path"] != addresses.SPARQL or request.method not in ("GET", "HEAD") or format_param:
        return False
    return _prefers_html(request.headers.get("accept"))


@functools.lru_cache(maxsize=256)  # asked on every GET /sparql; clients send few distinct Accept headers
def _prefers_html(accept: str | None) -> bool:
    return negotiate(accept, _SPARQL_OFFERS) == HTML


async def sparql_editor_page(request: Request, query: str | None, format_param: str | None) -> Response | None:
    """The protocol's hook for GET /sparql: the editor (holding `query`) for browsers, else None."""
    if not wants_editor(request, format_param):
        return None
    settings: Settings = get_settings(request)
    return respond(request, get_store(request), lambda: render.sparql_editor(settings, query), extra={"Vary": "Accept"})


async def not_found_page(request: Request, error: Exception) -> Response:
    """404 for unknown resources and pages: a helpful HTML page for browsers, plain text for others."""
    slug = request.path_params.get("slug", "")
    if not isinstance(error, NotFoundError):  # a path no route serves, e.g. /page/x/-1 or /static/../x
        error = NotFoundError(f"nothing is served at {request.url.path}")
    if negotiate(request.headers.get("accept"), [HTML, "text/plain"]) == HTML:
        body = render.not_found(str(error), slug)
        return HTMLResponse(body, status_code=404, headers={"Vary": "Accept", **SECURITY_HEADERS})
    return Response(f"404 Not Found: {error}\n", status_code=404, media_type="text/plain",
                    headers={"Vary": "Accept"})


def install(app: FastAPI) -> None:
    """Add the pages, /static, the query-editor hook and the 404 page to `app`."""
    app.include_router(router)
    app.mount(addresses.STATIC, StaticFiles(directory=STATIC_DIR), name="static")
    app.state.sparql_browser_page = sparql_editor_page
    app.add_exception_handler(NotFoundError, not_found_page)
    app.add_exception_handler(404, not_found_page)
