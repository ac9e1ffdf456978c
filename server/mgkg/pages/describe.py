"""What the graph says about one resource, in one SPARQL query, and that description as RDF.

A description (the "concise bounded description" plus context) holds: the resource's own triples
and the blank nodes they reach (evidence, figures) two levels deep; the labels and types of every
resource it links to; incoming links with the labels and types of their subjects; and, when an
incoming link comes from a blank node (evidence quoting a source), that node and its owner.
Pages, the RDF forms and the static export all use this one function.
"""

from __future__ import annotations

import pyoxigraph as ox

from mgkg.errors import NotFoundError
from mgkg.formats import GRAPH_FORMATS, ResultFormat
from mgkg.namespaces import GRAPH, MGID, PREFIXES, prologue
from mgkg.pages.addresses import slug_of
from mgkg.store.base import SparqlStore, construct, select

#: Named graphs of the files under ontology/ (see rdf_files.graph_iri_for).
ONTOLOGY_GRAPHS = GRAPH + "ontology/"

#: The RDF forms of a description, by file extension.
RDF_FORMS: dict[str, ResultFormat] = {
    f.extension: f for f in GRAPH_FORMATS if f.extension in ("ttl", "nt", "jsonld", "rdf")
}

# Labels and types are what a reader needs to name a neighbour; blank nodes are kept whole.
_CONTEXT = "(?{p} IN (rdfs:label, skos:altLabel, rdf:type) || isBlank(?{s}))"
_TEMPLATE = """{
  ?r ?p ?o . ?o ?op ?oo . ?n ?np ?no .
  ?s ?ip ?r . ?s ?sp ?so . ?w ?wp ?s . ?w ?wlp ?wl .
}"""
_PATTERNS = f"""
  {{ ?r ?p ?o }}
  UNION {{ ?r ?p1 ?o . ?o ?op ?oo . FILTER{_CONTEXT.format(p="op", s="o")} }}
  UNION {{ ?r ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?n . ?n ?np ?no . FILTER{_CONTEXT.format(p="np", s="n")} }}
  UNION {{ ?s ?ip ?r }}
  UNION {{ ?s ?ip1 ?r . ?s ?sp ?so . FILTER{_CONTEXT.format(p="sp", s="s")} }}
  UNION {{ ?s ?ip1 ?r . FILTER(isBlank(?s)) ?w ?wp ?s .
           OPTIONAL {{ ?w ?wlp ?wl . FILTER(?wlp IN (rdfs:label, rdf:type)) }} }}"""


def description_query(iri: str) -> str:
    """The description query of `iri`: ?r is bound by VALUES, so the same text runs on any engine."""
    return (f"{prologue('rdf', 'rdfs', 'skos')}CONSTRUCT {_TEMPLATE} WHERE {{\n"
            f"  VALUES ?r {{ {ox.NamedNode(iri)} }}{_PATTERNS}\n}}")


def describe(store: SparqlStore, iri: str) -> list[ox.Triple]:
    """The description of `iri` (see module docstring); NotFoundError if the graph never mentions it."""
    triples = construct(store, description_query(iri))
    if not triples:
        raise NotFoundError(f"there is no resource {iri}")
    return triples


def ontology_triples(store: SparqlStore) -> list[ox.Triple]:
    """Every triple loaded from the ontology/ folder (the whole ontology, axioms included)."""
    query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
             f'FILTER(STRSTARTS(STR(?g), "{ONTOLOGY_GRAPHS}")) }}')
    return construct(store, query)


def serialize(triples: list[ox.Triple], extension: str) -> bytes:
    """`triples` in the RDF form of file `extension` (ttl, nt, jsonld, rdf)."""
    form = RDF_FORMS[extension]
    prefixes = PREFIXES if extension in ("ttl", "rdf") else None
    return form.write_rdf(triples, prefixes)


def all_resources(store: SparqlStore) -> list[str]:
    """The slugs of every resource the graph mentions (as subject or object), sorted."""
    query = f"""SELECT DISTINCT ?r WHERE {{ {{ ?r ?p ?o }} UNION {{ ?s ?p ?r }}
                FILTER(isIRI(?r) && STRSTARTS(STR(?r), "{MGID}")) }}"""
    slugs = {slug_of(row["r"].value) for row in select(store, query)}
    return sorted(s for s in slugs if s is not None)
