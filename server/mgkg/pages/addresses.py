"""Every address the site answers, once: the route patterns, and the builders pages and links use.

The server's routes, the static mirror's files, the templates (as Jinja globals) and the search
index (which carries each entry's href, so the browser's scripts build no paths) all take their
addresses from here; tests/test_layers.py forbids writing one anywhere else.

    /id/{slug}            303 See Other to the page or the data, by Accept
    /page/{slug}[/{n}]    a resource's page; n pages long link lists
    /data/{slug}.{ext}    its description in one RDF form
    /ontology[.{ext}]     the ontology: 303, its documentation (.html) or one RDF form
    /dataset[.{ext}]      the dataset: 303 to the home page or its DCAT description in one RDF form
    /downloads/{file}     a file of the release (dumps, manifest.json, SHA256SUMS)
    /class/{Name}[?sort=]  a class's table, sorted by a column (`-` before it: descending)
    /class/{Name}.csv     the same table as CSV
    /search, /search-index.json, /timeline, /sparql, /static/..., /.well-known/...
    /reconcile[/suggest/{kind}, /preview, /properties]   the Reconciliation Service API
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from mgkg.errors import NotFoundError
from mgkg.namespaces import MG, MGID, ONTOLOGY_IRI

#: What a slug may contain, and how long it may be: anything else cannot be one of ours (and
#: never reaches a query). Every character here is safe inside <...> in a query or a Turtle file.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")
#: The only schemes a page links to: anything else (javascript:, data:, vbscript: ...) is shown as text.
LINK_SCHEMES = ("http", "https", "mailto")
#: What browsers drop from a URL before reading its scheme: tabs and line breaks anywhere, and
#: C0 controls and spaces at either end.
_DROPPED_ANYWHERE = re.compile(r"[\t\n\r]")
_DROPPED_AT_ENDS = "".join(map(chr, range(0x21)))

# Route patterns (FastAPI syntax), each the one spelling of its address.
HOME = "/"
ID = "/id/{slug}"
PAGE = "/page/{slug}"
PAGE_N = "/page/{slug}/{page:int}"
DATA = "/data/{name}"
ONTOLOGY = "/ontology"
ONTOLOGY_FORM = "/ontology.{ext}"
DATASET = "/dataset"
DATASET_FORM = "/dataset.{ext}"
DOWNLOAD = "/downloads/{name}"
CLASS = "/class/{name}"
CLASS_CSV = "/class/{name}.csv"
SEARCH = "/search"
SEARCH_INDEX = "/search-index.json"
TIMELINE = "/timeline"
SPARQL = "/sparql"
#: What the query editor completes: prefixes, ontology terms and resource labels (pages/render.completions_json).
COMPLETIONS = "/sparql/completions.json"
STATIC = "/static"
VOID = "/.well-known/void"
EXAMPLES = "/.well-known/sparql-examples"
API_DOCS = "/api"
#: The Reconciliation Service API (web/reconcile.py): the manifest and batches, then its sub-services.
RECONCILE = "/reconcile"
RECONCILE_SUGGEST = RECONCILE + "/suggest/{kind}"
RECONCILE_PREVIEW = RECONCILE + "/preview"
RECONCILE_PROPERTIES = RECONCILE + "/properties"


def resource_iri(slug: str) -> str:
    """The public IRI of the resource called `slug`; NotFoundError if it cannot be a slug."""
    if not SLUG.fullmatch(slug):
        raise NotFoundError(f"{slug!r} is not a resource name")
    return MGID + slug


def slug_of(iri: str) -> str | None:
    """The slug of one of our resource IRIs, None for any other IRI."""
    if iri.startswith(MGID) and SLUG.fullmatch(iri[len(MGID):]):
        return iri[len(MGID):]
    return None


def id_path(slug: str) -> str:
    """The local path of a resource's IRI, which answers 303 to its page or data."""
    return ID.format(slug=slug)


def page_path(slug: str, number: int = 1) -> str:
    """The local path of a resource's HTML page; long link lists continue on /page/{slug}/{n}."""
    return PAGE.format(slug=slug) if number == 1 else f"{PAGE.format(slug=slug)}/{number}"


def data_path(slug: str, extension: str) -> str:
    """The local path of a resource's description in the RDF form of `extension` (ttl, nt, jsonld, rdf)."""
    return DATA.format(name=f"{slug}.{extension}")


def ontology_path(extension: str = "html") -> str:
    """The ontology's documentation (html) or one of its RDF forms."""
    return ONTOLOGY_FORM.format(ext=extension)


def dataset_path(extension: str) -> str:
    """The DCAT description of the dataset in the RDF form of `extension` (ttl, nt, jsonld, rdf)."""
    return DATASET_FORM.format(ext=extension)


def download_path(name: str) -> str:
    """A file of the release: a dump, manifest.json or SHA256SUMS."""
    return DOWNLOAD.format(name=name)


def term_path(name: str) -> str:
    """Where the ontology documents the mg: term `name`."""
    return f"{ontology_path()}#{name}"


def class_path(name: str, sort: str = "") -> str:
    """The table of every instance of the mg: class `name`, sorted by the column `sort` when given."""
    return CLASS.format(name=name) + (f"?sort={quote(sort, safe='-')}" if sort else "")


def class_csv_path(name: str) -> str:
    """The table of the mg: class `name` as CSV."""
    return CLASS_CSV.format(name=name)


def search_path(text: str = "") -> str:
    """The search page, with `text` already searched for when given."""
    return f"{SEARCH}?q={quote(text, safe='')}" if text else SEARCH


def sparql_path(query: str = "") -> str:
    """The query page, or the endpoint's answer to `query` when given."""
    return f"{SPARQL}?query={quote(query, safe='')}" if query else SPARQL


def static_path(name: str) -> str:
    """A file of the site's static folder (styles and scripts)."""
    return f"{STATIC}/{name}"


def below_reconcile(path: str) -> str:
    """A reconciliation sub-service's path as its manifest gives it: relative to RECONCILE."""
    return path.removeprefix(RECONCILE)


def href(iri: str) -> str | None:
    """Where a link to `iri` goes: our resources to their local page, mg: terms to their documentation,
    other IRIs to themselves if their scheme is in LINK_SCHEMES; None (no link) for anything else."""
    slug = slug_of(iri)
    if slug is not None:
        return page_path(slug)
    if iri.startswith(MG):
        return term_path(iri[len(MG):])
    if iri == ONTOLOGY_IRI:
        return ontology_path()
    return iri if is_safe_to_link(iri) else None


def is_safe_to_link(iri: str) -> bool:
    """Whether a browser following `iri` would only fetch or mail: its scheme, read as a browser reads
    it (character references decoded, dropped characters removed, any case), is in LINK_SCHEMES."""
    seen = _DROPPED_ANYWHERE.sub("", html.unescape(iri)).strip(_DROPPED_AT_ENDS)
    scheme, colon, _ = seen.partition(":")
    return bool(colon) and scheme.lower() in LINK_SCHEMES


#: What the templates may call or read: every builder and constant above.
TEMPLATE_GLOBALS = {
    "href": href, "id_path": id_path, "page_path": page_path, "data_path": data_path,
    "ontology_path": ontology_path, "term_path": term_path, "class_path": class_path,
    "class_csv_path": class_csv_path,
    "search_path": search_path, "sparql_path": sparql_path, "static_path": static_path,
    "completions_path": COMPLETIONS, "void_path": VOID,
    "home_path": HOME, "timeline_path": TIMELINE, "search_index_path": SEARCH_INDEX,
    "ontology_redirect_path": ONTOLOGY, "resource_ns": MGID, "id_prefix": id_path(""),
    "dataset_path": dataset_path, "download_path": download_path,
}
