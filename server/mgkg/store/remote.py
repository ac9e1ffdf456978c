"""A remote SPARQL engine (Virtuoso, QLever, Jena Fuseki ...) standing in for the embedded store.

`MGKG_STORE=sparql+http://host:port/sparql` makes the server, the pages and `mgkg query` ask that
engine over the SPARQL 1.1 Protocol; `mgkg load` writes to its SPARQL 1.1 Graph Store Protocol
endpoint (`MGKG_STORE_GRAPH_STORE_URL`), one named graph per file, replaced with PUT.

Union default graph: MGKG's default graph is the union of its own named graphs. Engines differ
(Virtuoso's is every graph it holds, system graphs included; Fuseki's is an empty graph unless
`unionDefaultGraph`), so when neither the query (FROM) nor the caller names a dataset, every
request names it: default-graph-uri and named-graph-uri for each MGKG graph. The graphs, the
version (ETag) and the size come from a manifest graph that `mgkg load` writes last; for data
loaded by other means the graphs are found by a query and the version is a digest of their names.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import Literal as RdflibLiteral
from rdflib.namespace import XSD as RDFLIB_XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from mgkg.errors import ConfigurationError, QuerySyntaxError, QueryTimeoutError, ResultTooLargeError, StoreError
from mgkg.formats import ResultFormat
from mgkg.guard import query_shape
from mgkg.namespaces import DCTERMS, GRAPH, VOID, XSD, prologue
from mgkg.rdf_files import RDF_FORMATS, graph_iri_for, rdf_files
from mgkg.settings import Settings
from mgkg.store.base import Answer, Dataset, QueryResult, select
from mgkg.store.version import data_version, files_version, timestamp

MANIFEST_GRAPH = GRAPH + "manifest"
EMPTY_GRAPH = GRAPH + "none"
_JSON = ox.QueryResultsFormat.JSON
_FORM = "application/x-www-form-urlencoded"
_BOOLEAN = ox.NamedNode(XSD.boolean)
_CANONICAL_BOOLEAN = {"0": "false", "1": "true"}
_INTEGER = XSD.integer
#: rdflib's names for the SPARQL expressions whose value is an xsd:boolean (SPARQL 1.1, 17.4).
_BOOLEAN_EXPRESSIONS = frozenset({
    "RelationalExpression", "ConditionalAndExpression", "ConditionalOrExpression", "UnaryNot",
    "Builtin_EXISTS", "Builtin_NOTEXISTS", "Builtin_BOUND", "Builtin_sameTerm", "Builtin_isIRI", "Builtin_isURI",
    "Builtin_isBLANK", "Builtin_isLITERAL", "Builtin_isNUMERIC", "Builtin_LANGMATCHES", "Builtin_REGEX",
    "Builtin_CONTAINS", "Builtin_STRSTARTS", "Builtin_STRENDS"})
#: The triple formats every engine's Graph Store endpoint takes, by file extension (.owl is RDF/XML).
_GRAPH_MEDIA = {ext: fmt.media_type for ext, fmt in RDF_FORMATS.items()
                if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML)}
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: How long the manifest (graphs, version, size) is trusted before it is read again.
MANIFEST_TTL = 10.0


class RemoteStore:
    """A SPARQL 1.1 Protocol endpoint with MGKG's query defaults; a SparqlStore (store/base.py) like EmbeddedStore."""

    def __init__(self, query_url: str, *, graph_store_url: str | None = None,
                 auth: httpx.Auth | None = None, timeout: float = 30.0) -> None:
        self.query_url, self.graph_store_url = query_url, graph_store_url
        self.auth, self.timeout = auth, timeout
        self.client = httpx.Client(timeout=timeout, auth=auth)
        self._manifest: tuple[float, list[str], str, int | None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        """The engine `MGKG_STORE=sparql+http://...` names, with its Graph Store endpoint and credentials."""
        url = settings.store_url or ""
        parts = urlsplit(url)
        if parts.scheme not in ("sparql+http", "sparql+https") or not parts.netloc:
            raise ConfigurationError(f"MGKG_STORE={url!r} is not sparql+http://host:port/path")
        auth = None
        if settings.store_user:
            auth = httpx.DigestAuth(settings.store_user, settings.store_password or "")
        return cls(urlunsplit(parts._replace(scheme=parts.scheme.removeprefix("sparql+"))),
                   graph_store_url=settings.store_graph_store_url, auth=auth, timeout=settings.query_timeout)

    # -- reading -------------------------------------------------------------------------------

    def query(self, sparql: str, dataset: Dataset | None = None) -> QueryResult:
        """Run a query on the engine; the answer as pyoxigraph result objects, like EmbeddedStore's."""
        form = query_shape(sparql).form.lower()
        accept = "application/n-triples" if form in ("construct", "describe") else "application/sparql-results+json"
        body = self._post(sparql, dataset, accept).content
        if form in ("construct", "describe"):
            return _as_query_triples(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(_normalise_json(body, sparql), format=_JSON)

    async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *, timeout: float, max_bytes: int) -> Answer:
        """Forward the query with `fmt`'s media type and stream the engine's answer back, up to `max_bytes`."""
        form = query_shape(sparql).form.lower()
        if form == "ask":  # engines disagree on ASK results (Virtuoso answers a table): normalise here
            return Answer(fmt, _single(fmt.write(self.query(sparql, dataset)) or b""))
        client = httpx.AsyncClient(timeout=timeout, auth=self.auth)
        request = client.build_request("POST", self.query_url, content=self._form(sparql, dataset),
                                       headers={"Accept": fmt.media_type, "Content-Type": _FORM})
        try:
            response = await client.send(request, stream=True)
            if not response.is_success:
                await response.aread()
                self._raise_for(response)
        except BaseException:
            await client.aclose()
            raise
        return Answer(fmt, _stream(client, response, max_bytes))

    def named_graphs(self) -> list[str]:
        """The MGKG graphs the engine holds, sorted."""
        return self._read_manifest()[1]

    @property
    def version(self) -> str:
        """Changes whenever `mgkg load` replaces the data; used for ETags."""
        return self._read_manifest()[2]

    def __len__(self) -> int:
        size = self._read_manifest()[3]
        if size is None:
            size = int(select(self, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)
        return size

    def start_workers(self, count: int) -> None:
        """Nothing to start: the engine evaluates queries; the HTTP timeout bounds them."""

    def close(self) -> None:
        self.client.close()

    # -- writing -------------------------------------------------------------------------------

    def load(self, paths: Iterable[Path], root: Path) -> int:
        """PUT each RDF file into its named graph, then the manifest; returns the triples now stored."""
        if not self.graph_store_url:
            raise ConfigurationError("loading into a remote engine needs MGKG_STORE_GRAPH_STORE_URL")
        files = rdf_files(paths)
        graphs = [graph_iri_for(path, root).value for path in files]
        for path, graph in zip(files, graphs, strict=True):
            if path.suffix not in _GRAPH_MEDIA:
                raise ConfigurationError(f"{path}: the Graph Store Protocol takes triples, not {path.suffix} files")
            self._put(graph, path.read_bytes(), _GRAPH_MEDIA[path.suffix])
        self._manifest = None
        count = int(select(self, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                           Dataset(tuple(graphs), tuple(graphs)))[0]["n"].value)
        version = files_version(zip(graphs, files, strict=True))
        self._put(MANIFEST_GRAPH, _manifest_turtle(graphs, version, count), "text/turtle")
        return count

    # -- plumbing ------------------------------------------------------------------------------

    def _form(self, sparql: str, dataset: Dataset | None) -> str:
        """The protocol's form fields: the query, and the dataset MGKG means unless one is named."""
        form = [("query", sparql)]
        if dataset is not None and dataset.given:
            defaults, named = dataset.default_graphs, dataset.named_graphs
        elif query_shape(sparql).has_dataset_clause:
            defaults = named = ()
        else:  # an empty list would mean the engine's own default: name a graph that holds nothing instead
            defaults = named = tuple(self.named_graphs()) or (EMPTY_GRAPH,)
        form += [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in named]
        return urlencode(form)

    def _post(self, sparql: str, dataset: Dataset | None, accept: str) -> httpx.Response:
        try:
            response = self.client.post(self.query_url, content=self._form(sparql, dataset),
                                        headers={"Accept": accept, "Content-Type": _FORM})
        except httpx.TimeoutException:
            raise QueryTimeoutError(f"the SPARQL engine did not answer within {self.timeout:.0f} s") from None
        except httpx.HTTPError as error:
            raise StoreError(f"the SPARQL engine at {self.query_url} is unreachable: {error}") from None
        self._raise_for(response)
        return response

    def _raise_for(self, response: httpx.Response) -> None:
        if response.status_code == 400:
            raise QuerySyntaxError(response.text.strip()[:500] or "the SPARQL engine rejected the query")
        if not response.is_success:
            raise StoreError(f"the SPARQL engine at {self.query_url} answered HTTP {response.status_code}")

    def _put(self, graph: str, data: bytes, media_type: str) -> None:
        try:
            response = self.client.put(self.graph_store_url or "", params={"graph": graph}, content=data,
                                       headers={"Content-Type": media_type})
        except httpx.HTTPError as error:
            raise StoreError(f"the Graph Store at {self.graph_store_url} is unreachable: {error}") from None
        if not response.is_success:
            raise StoreError(f"the Graph Store at {self.graph_store_url} refused graph {graph}: "
                             f"HTTP {response.status_code}")

    def _read_manifest(self) -> tuple[float, list[str], str, int | None]:
        if self._manifest is None or time.monotonic() - self._manifest[0] > MANIFEST_TTL:
            self._manifest = (time.monotonic(), *self._fetch_manifest())
        return self._manifest

    def _fetch_manifest(self) -> tuple[list[str], str, int | None]:
        rows = select(self,
            f"{prologue('dcterms', 'void')}SELECT ?g ?version ?triples WHERE {{ "
            f"<{MANIFEST_GRAPH}> dcterms:hasPart ?g ; dcterms:identifier ?version ; void:triples ?triples }}",
            Dataset((MANIFEST_GRAPH,), ()))
        if rows:
            return sorted(r["g"].value for r in rows), rows[0]["version"].value, int(rows[0]["triples"].value)
        # data loaded without `mgkg load`: find MGKG's graphs by their IRIs, in the engine's own dataset
        discover = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}'
        found = self.client.post(self.query_url, data={"query": discover},
                                 headers={"Accept": "application/sparql-results+json"})
        self._raise_for(found)
        solutions = ox.parse_query_results(_normalise_json(found.content), format=_JSON)
        graphs = sorted(row["g"].value for row in solutions) if isinstance(solutions, ox.QuerySolutions) else []
        return graphs, data_version(graphs), None


def _manifest_turtle(graphs: list[str], version: str, count: int) -> bytes:
    parts = ", ".join(f"<{g}>" for g in graphs)
    modified = timestamp()
    return (f"<{MANIFEST_GRAPH}> a <{VOID.Dataset}> ;\n"
            f"  <{DCTERMS.identifier}> {json.dumps(version)} ;\n"
            f"  <{VOID.triples}> {count} ;\n"
            f'  <{DCTERMS.modified}> "{modified}"^^<{XSD.dateTime}> ;\n'
            f"  <{DCTERMS.hasPart}> {parts} .\n").encode()


def _normalise_json(body: bytes, sparql: str | None = None) -> bytes:
    """Engine quirks made standard: Virtuoso's ASK-as-table, `typed-literal`, `nodeID://` blank nodes,
    and the integers 0 and 1 it gives for boolean expressions that `sparql` binds (EXISTS, <, ...)."""
    results = json.loads(body)
    variables = results.get("head", {}).get("vars", [])
    if variables == ["__ASK_RETVAL"]:
        rows = results["results"]["bindings"]
        return json.dumps({"head": {}, "boolean": any(r["__ASK_RETVAL"]["value"] != "0" for r in rows)}).encode()
    booleans: frozenset[str] | None = None  # read from the query only when a 0 or 1 turns up
    for row in results.get("results", {}).get("bindings", []):
        for name, term in row.items():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            elif term.get("type") == "bnode":
                term["value"] = re.sub(r"\W", "_", term["value"].removeprefix("nodeID://"))
            if term.get("datatype") == _INTEGER and term["value"] in _CANONICAL_BOOLEAN and sparql:
                booleans = boolean_variables(sparql) if booleans is None else booleans
                if name in booleans:
                    term["datatype"] = _BOOLEAN.value
            if term.get("datatype") == _BOOLEAN.value:  # Virtuoso stores booleans as 0 and 1
                term["value"] = _CANONICAL_BOOLEAN.get(term["value"], term["value"])
    return json.dumps(results).encode()


def boolean_variables(sparql: str) -> frozenset[str]:
    """The variables `sparql` binds (BIND, SELECT ... AS) only to expressions whose value is an xsd:boolean."""
    try:
        algebra = translateQuery(parseQuery(sparql)).algebra
    except Exception:  # rdflib reads less than every engine (extensions): then no 0 or 1 is reinterpreted
        return frozenset()
    kinds: dict[str, set[bool]] = {}
    stack: list[object] = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "Extend":
                kinds.setdefault(str(node["var"]), set()).add(_is_boolean(node["expr"]))
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return frozenset(name for name, kind in kinds.items() if kind == {True})


def _is_boolean(expr: object) -> bool:
    if isinstance(expr, RdflibLiteral):
        return expr.datatype == RDFLIB_XSD.boolean
    if not isinstance(expr, CompValue):
        return False
    if expr.name == "Builtin_IF":
        return _is_boolean(expr["arg2"]) and _is_boolean(expr["arg3"])
    if expr.name == "Function":  # a cast: xsd:boolean(...)
        return bool(expr["iri"] == RDFLIB_XSD.boolean)
    return expr.name in _BOOLEAN_EXPRESSIONS


def _canonical(term: _Term) -> _Term:
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in _CANONICAL_BOOLEAN:
        return ox.Literal(_CANONICAL_BOOLEAN[term.value], datatype=_BOOLEAN)
    return term


def _as_query_triples(triples: Iterable[ox.Triple | ox.Quad]) -> ox.QueryTriples:
    """pyoxigraph's own CONSTRUCT result type, so callers can serialise it like an embedded answer."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, _canonical(t.object)) for t in triples)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")  # type: ignore[return-value]


async def _single(body: bytes) -> AsyncIterator[bytes]:
    yield body


async def _stream(client: httpx.AsyncClient, response: httpx.Response, max_bytes: int) -> AsyncIterator[bytes]:
    sent = 0
    try:
        async for chunk in response.aiter_bytes():
            sent += len(chunk)
            if sent > max_bytes:
                raise ResultTooLargeError(f"the answer is larger than {max_bytes} bytes")
            yield chunk
    finally:
        await response.aclose()
        await client.aclose()
