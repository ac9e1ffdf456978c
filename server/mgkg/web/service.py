"""Describing the service to machines: the SPARQL 1.1 Service Description and VoID.

Both are built from the running store and settings on each data version (never a static
template) and served in the negotiated RDF format, Turtle by default. VoID's triples come from
pages/void.py, which the static mirror writes too.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from mgkg.namespaces import DCTERMS, ENTAILMENT, PREFIXES, RDF_TYPE, SD, VOID
from mgkg.pages.addresses import VOID as VOID_PATH
from mgkg.pages.void import TripleList, count, void_triples
from mgkg.settings import Settings
from mgkg.store.base import SparqlStore
from mgkg.store.entailment import ENTAILMENTS_GRAPH
from mgkg.web.negotiation import choose_format

router = APIRouter()

ENTAILMENTS_DESCRIPTION = (
    "The RDFS entailments of the ontology over the data, computed at load time: rdf:type through "
    "rdfs:subClassOf, super-properties through rdfs:subPropertyOf, and the inverses of owl:inverseOf and "
    "symmetric properties, for the graph's resources (not the blank nodes of evidence and figures). "
    "It holds no triple that a data file asserts. The default graph includes it; "
    "to leave it out, name the other graphs (FROM, default-graph-uri) or match GRAPH ?g with "
    f"FILTER(?g != <{ENTAILMENTS_GRAPH}>).")


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
    graph = TripleList()
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
    graph.add(default, VOID + "triples", count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
    for name in store.named_graphs():
        named, described = ox.BlankNode(), ox.BlankNode()
        graph.add(dataset, SD + "namedGraph", named)
        graph.add(named, RDF_TYPE, ox.NamedNode(SD + "NamedGraph"))
        graph.add(named, SD + "name", ox.NamedNode(name))
        if name == ENTAILMENTS_GRAPH:
            graph.add(named, DCTERMS + "description", ox.Literal(ENTAILMENTS_DESCRIPTION, language="en"))
        graph.add(named, SD + "graph", described)
        graph.add(described, RDF_TYPE, ox.NamedNode(SD + "Graph"))
        size = count(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        graph.add(described, VOID + "triples", size)
    return graph.triples


def _rdf_response(request: Request, triples: list[ox.Triple], format_param: str | None) -> Response:
    fmt = choose_format(GRAPH_FORMATS, request.headers.get("accept"), format_param, holds="RDF")
    return Response(fmt.write_rdf(triples, PREFIXES), media_type=fmt.content_type, headers={"Vary": "Accept"})
