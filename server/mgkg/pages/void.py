"""VoID: what the dataset holds, counted from the store (sizes, class and property partitions, the Wikidata
linkset), for the server's /.well-known/void and the static mirror's copy of it."""

from __future__ import annotations

import pyoxigraph as ox

from mgkg import __version__
from mgkg.namespaces import DCTERMS, MGID, ONTOLOGY_IRI, OWL, RDF_TYPE, VOID, WD, XSD
from mgkg.pages.addresses import SPARQL, download_path
from mgkg.pages.addresses import VOID as VOID_PATH
from mgkg.pages.release import build_release
from mgkg.store.base import SparqlStore, select
from mgkg.store.cache import per_store

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@per_store
def void_triples(store: SparqlStore, base: str) -> list[ox.Triple]:
    """VoID: sizes, class and property partitions and the Wikidata linkset (cached per data version)."""
    graph = TripleList()
    dataset = ox.NamedNode(base + VOID_PATH.lstrip("/") + "#dataset")
    endpoint = base + SPARQL.lstrip("/")
    graph.add(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    graph.add(dataset, DCTERMS + "title", ox.Literal("MGKG: the Migration Governance Knowledge Graph", language="en"))
    graph.add(dataset, DCTERMS + "hasVersion", ox.Literal(f"{__version__} (data {store.version})"))
    graph.add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(endpoint))
    graph.add(dataset, VOID + "uriSpace", ox.Literal(MGID))
    graph.add(dataset, VOID + "vocabulary", ox.NamedNode(ONTOLOGY_IRI))
    for dump in build_release(store).dumps:  # the release's files, which keep the named graphs
        graph.add(dataset, VOID + "dataDump", ox.NamedNode(base + download_path(dump.name).lstrip("/")))
    for predicate, query in _STATISTICS.items():
        graph.add(dataset, VOID + predicate, count(store, query))
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


def _wikidata_linkset(graph: TripleList, store: SparqlStore, dataset: ox.NamedNode) -> None:
    linkset, wikidata = ox.NamedNode(dataset.value[:-len("dataset")] + "wikidata-links"), ox.BlankNode()
    graph.add(dataset, VOID + "subset", linkset)
    graph.add(linkset, RDF_TYPE, ox.NamedNode(VOID + "Linkset"))
    graph.add(linkset, VOID + "subjectsTarget", dataset)
    graph.add(linkset, VOID + "objectsTarget", wikidata)
    graph.add(linkset, VOID + "linkPredicate", ox.NamedNode(OWL + "sameAs"))
    graph.add(linkset, VOID + "triples", count(
        store, f'SELECT (COUNT(*) AS ?n) {{ ?s <{OWL}sameAs> ?o FILTER(STRSTARTS(STR(?o), "{WD}")) }}'))
    graph.add(wikidata, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    graph.add(wikidata, DCTERMS + "title", ox.Literal("Wikidata", language="en"))
    graph.add(wikidata, VOID + "uriSpace", ox.Literal(WD))
    graph.add(wikidata, VOID + "sparqlEndpoint", ox.NamedNode("https://query.wikidata.org/sparql"))


class TripleList:
    """A list of triples with a terse `add`."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: ox.NamedNode | ox.BlankNode, predicate: str | ox.NamedNode, value: Term) -> None:
        iri = predicate if isinstance(predicate, ox.NamedNode) else ox.NamedNode(predicate)
        self.triples.append(ox.Triple(subject, iri, value))


def count(store: SparqlStore, query: str) -> ox.Literal:
    for row in select(store, query):
        if isinstance(count := row["n"], ox.Literal):
            return count
    return ox.Literal("0", datatype=ox.NamedNode(XSD + "integer"))
