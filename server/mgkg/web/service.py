"""Describing the service to machines: the SPARQL 1.1 Service Description and VoID.

Both are built from the running store and settings on each data version (never a static
template) and served in the negotiated RDF format, Turtle by default.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from mgkg import __version__
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from mgkg.namespaces import DCTERMS, ENTAILMENT, MGID, ONTOLOGY_IRI, OWL, PREFIXES, RDF_TYPE, SD, VOID, WD, XSD
from mgkg.pages.addresses import SPARQL
from mgkg.pages.addresses import VOID as VOID_PATH
from mgkg.settings import Settings
from mgkg.store.base import SparqlStore, select
from mgkg.store.cache import per_store
from mgkg.web.negotiation import choose_format

router = APIRouter()

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@router.api_route(VOID_PATH, methods=["GET", "HEAD"])
async def void_description(request: Request) -> Response:
    """VoID statistics of the dataset, in the negotiated RDF format."""
    store: SparqlStore = request.app.state.store
    base = str(request.base_url)
    triples = void_triples(store, base)
    return _rdf_response(request, triples, request.query_params.get("format"))


async def service_description(request: Request, format_param: str | None) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in the negotiated RDF format."""
    store: SparqlStore = request.app.state.store
    settings: Settings = request.app.state.settings
    endpoint = str(request.url_for("sparql"))
    triples = service_triples(store, settings, endpoint, str(request.base_url))
    return _rdf_response(request, triples, format_param)


def service_triples(store: SparqlStore, settings: Settings, endpoint: str, base: str) -> list[ox.Triple]:
    """sd: triples: endpoint, language, result formats, features and the default dataset."""
    graph = _Graph()
    service, dataset, default = ox.NamedNode(endpoint + "#service"), ox.BlankNode(), ox.BlankNode()
    graph.add(service, RDF_TYPE, ox.NamedNode(SD + "Service"))
    graph.add(service, SD + "endpoint", ox.NamedNode(endpoint))
    graph.add(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        graph.add(service, SD + "resultFormat", ox.NamedNode(fmt.iri))
    graph.add(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
    if settings.service_allowlist:
        graph.add(service, SD + "feature", ox.NamedNode(SD + "BasicFederatedQuery"))
    graph.add(service, SD + "defaultEntailmentRegime", ox.NamedNode(ENTAILMENT + "Simple"))
    graph.add(service, SD + "defaultDataset", dataset)
    graph.add(dataset, RDF_TYPE, ox.NamedNode(SD + "Dataset"))
    graph.add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(endpoint))
    graph.add(dataset, DCTERMS + "source", ox.NamedNode(base + VOID_PATH.lstrip("/")))
    graph.add(dataset, SD + "defaultGraph", default)
    graph.add(default, RDF_TYPE, ox.NamedNode(SD + "Graph"))
    graph.add(default, VOID + "triples", _count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
    for name in store.named_graphs():
        named, described = ox.BlankNode(), ox.BlankNode()
        graph.add(dataset, SD + "namedGraph", named)
        graph.add(named, RDF_TYPE, ox.NamedNode(SD + "NamedGraph"))
        graph.add(named, SD + "name", ox.NamedNode(name))
        graph.add(named, SD + "graph", described)
        graph.add(described, RDF_TYPE, ox.NamedNode(SD + "Graph"))
        size = _count(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        graph.add(described, VOID + "triples", size)
    return graph.triples


@per_store
def void_triples(store: SparqlStore, base: str) -> list[ox.Triple]:
    """VoID: sizes, class and property partitions and the Wikidata linkset (cached per data version)."""
    graph = _Graph()
    dataset = ox.NamedNode(base + VOID_PATH.lstrip("/") + "#dataset")
    endpoint = base + SPARQL.lstrip("/")
    graph.add(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    graph.add(dataset, DCTERMS + "title", ox.Literal("MGKG: the Migration Governance Knowledge Graph", language="en"))
    graph.add(dataset, DCTERMS + "hasVersion", ox.Literal(f"{__version__} (data {store.version})"))
    graph.add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(endpoint))
    graph.add(dataset, VOID + "uriSpace", ox.Literal(MGID))
    graph.add(dataset, VOID + "vocabulary", ox.NamedNode(ONTOLOGY_IRI))
    for name in ("nt", "ttl"):  # a whole-graph CONSTRUCT through our own endpoint is the dump
        graph.add(dataset, VOID + "dataDump", ox.NamedNode(
            f"{endpoint}?query=CONSTRUCT%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D&format={name}"))
    for predicate, query in _STATISTICS.items():
        graph.add(dataset, VOID + predicate, _count(store, query))
    classes = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c"
    for row in select(store, classes):
        partition = ox.BlankNode()
        graph.add(dataset, VOID + "classPartition", partition)
        graph.add(partition, VOID + "class", row["c"])
        graph.add(partition, VOID + "entities", row["n"])
    for row in select(store, "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"):
        partition = ox.BlankNode()
        graph.add(dataset, VOID + "propertyPartition", partition)
        graph.add(partition, VOID + "property", row["p"])
        graph.add(partition, VOID + "triples", row["n"])
    _wikidata_linkset(graph, store, dataset)
    return graph.triples


_STATISTICS = {
    "triples": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o FILTER(isIRI(?s)) }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }",
    "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }",
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }",
}


def _wikidata_linkset(graph: _Graph, store: SparqlStore, dataset: ox.NamedNode) -> None:
    linkset, wikidata = ox.NamedNode(dataset.value[:-len("dataset")] + "wikidata-links"), ox.BlankNode()
    graph.add(dataset, VOID + "subset", linkset)
    graph.add(linkset, RDF_TYPE, ox.NamedNode(VOID + "Linkset"))
    graph.add(linkset, VOID + "subjectsTarget", dataset)
    graph.add(linkset, VOID + "objectsTarget", wikidata)
    graph.add(linkset, VOID + "linkPredicate", ox.NamedNode(OWL + "sameAs"))
    graph.add(linkset, VOID + "triples", _count(
        store, f'SELECT (COUNT(*) AS ?n) {{ ?s <{OWL}sameAs> ?o FILTER(STRSTARTS(STR(?o), "{WD}")) }}'))
    graph.add(wikidata, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    graph.add(wikidata, DCTERMS + "title", ox.Literal("Wikidata", language="en"))
    graph.add(wikidata, VOID + "uriSpace", ox.Literal(WD))
    graph.add(wikidata, VOID + "sparqlEndpoint", ox.NamedNode("https://query.wikidata.org/sparql"))


class _Graph:
    """A list of triples with a terse `add`."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: ox.NamedNode | ox.BlankNode, predicate: str | ox.NamedNode, value: Term) -> None:
        iri = predicate if isinstance(predicate, ox.NamedNode) else ox.NamedNode(predicate)
        self.triples.append(ox.Triple(subject, iri, value))


def _count(store: SparqlStore, query: str) -> ox.Literal:
    for row in select(store, query):
        if isinstance(count := row["n"], ox.Literal):
            return count
    return ox.Literal("0", datatype=ox.NamedNode(XSD + "integer"))


def _rdf_response(request: Request, triples: list[ox.Triple], format_param: str | None) -> Response:
    fmt = choose_format(GRAPH_FORMATS, request.headers.get("accept"), format_param, holds="RDF")
    return Response(fmt.write_rdf(triples, PREFIXES), media_type=fmt.content_type, headers={"Vary": "Accept"})
