"""What the graph says about one resource, in one SPARQL query, and that description as RDF.

A description (the "concise bounded description" plus context) holds: the resource's own triples
and the blank nodes they reach (evidence, figures) two levels deep; the labels and types of every
resource it links to; incoming links with the labels and types of their subjects; and, when an
incoming link comes from a blank node (evidence quoting a source), that node and its owner.
Pages, the RDF forms and the static export all use this one function.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from mgkg.errors import NotFoundError
from mgkg.formats import GRAPH_FORMATS, ResultFormat
from mgkg.rdf_writers import json_ld, turtle
from mgkg.settings import GRAPH_NS, ONTOLOGY_NS, RESOURCE_NS
from mgkg.store.base import SparqlStore

#: What a slug may contain, and how long it may be: anything else cannot be one of ours (and
#: never reaches a query). Every character here is safe inside <...> in a query or a Turtle file.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")

#: Named graphs of the files under ontology/ (see rdf_files.graph_iri_for).
ONTOLOGY_GRAPHS = GRAPH_NS + "ontology/"

#: The RDF forms of a description, by file extension.
RDF_FORMS: dict[str, ResultFormat] = {
    f.extension: f for f in GRAPH_FORMATS if f.extension in ("ttl", "nt", "jsonld", "rdf")
}

PREFIXES = {
    "mg": ONTOLOGY_NS,
    "mgid": RESOURCE_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": "http://www.wikidata.org/entity/",
}
#: JSON-LD's @context: the same prefixes, and schema.org's, whose terms the pages' embedded JSON-LD uses.
JSON_LD_PREFIXES = {**PREFIXES, "schema": "https://schema.org/"}

# Labels and types are what a reader needs to name a neighbour; blank nodes are kept whole.
_CONTEXT = "(?{p} IN (rdfs:label, skos:altLabel, rdf:type) || isBlank(?{s}))"
DESCRIPTION_QUERY = f"""
PREFIX rdf: <{PREFIXES["rdf"]}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX skos: <{PREFIXES["skos"]}>
CONSTRUCT {{
  ?r ?p ?o . ?o ?op ?oo . ?n ?np ?no .
  ?s ?ip ?r . ?s ?sp ?so . ?w ?wp ?s . ?w ?wlp ?wl .
}} WHERE {{
  {{ ?r ?p ?o }}
  UNION {{ ?r ?p1 ?o . ?o ?op ?oo . FILTER{_CONTEXT.format(p="op", s="o")} }}
  UNION {{ ?r ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?n . ?n ?np ?no . FILTER{_CONTEXT.format(p="np", s="n")} }}
  UNION {{ ?s ?ip ?r }}
  UNION {{ ?s ?ip1 ?r . ?s ?sp ?so . FILTER{_CONTEXT.format(p="sp", s="s")} }}
  UNION {{ ?s ?ip1 ?r . FILTER(isBlank(?s)) ?w ?wp ?s .
           OPTIONAL {{ ?w ?wlp ?wl . FILTER(?wlp IN (rdfs:label, rdf:type)) }} }}
}}"""


def resource_iri(slug: str) -> str:
    """The public IRI of the resource called `slug`; NotFoundError if it cannot be a slug."""
    if not SLUG.fullmatch(slug):
        raise NotFoundError(f"{slug!r} is not a resource name")
    return RESOURCE_NS + slug


def page_path(slug: str, number: int = 1) -> str:
    """The local path of a resource's HTML page; long link lists continue on /page/{slug}/{n}."""
    return f"/page/{slug}" if number == 1 else f"/page/{slug}/{number}"


def slug_of(iri: str) -> str | None:
    """The slug of one of our resource IRIs, None for any other IRI."""
    if iri.startswith(RESOURCE_NS) and SLUG.fullmatch(iri[len(RESOURCE_NS):]):
        return iri[len(RESOURCE_NS):]
    return None


def describe(store: SparqlStore, iri: str) -> list[ox.Triple]:
    """The description of `iri` (see module docstring); NotFoundError if the graph never mentions it."""
    # The result is consumed at once: pyoxigraph results must not outlive this thread (no frame keeps it).
    triples = list(dict.fromkeys(store.query(DESCRIPTION_QUERY.replace("?r ", f"<{iri}> "))))  # type: ignore[arg-type]
    if not triples:
        raise NotFoundError(f"there is no resource {iri}")
    return triples


def ontology_triples(store: SparqlStore) -> list[ox.Triple]:
    """Every triple loaded from the ontology/ folder (the whole ontology, axioms included)."""
    query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
             f'FILTER(STRSTARTS(STR(?g), "{ONTOLOGY_GRAPHS}")) }}')
    return list(store.query(query))  # type: ignore[arg-type]


def serialize(triples: list[ox.Triple], extension: str, about: str | None = None,
              prefixes: dict[str, str] | None = None) -> bytes:
    """`triples` in the RDF form of file `extension` (ttl, nt, jsonld, rdf); `about` opens the document.

    Turtle and JSON-LD nest evidence and figures in their owner, as the data files do; `prefixes`
    replaces MGKG's own (PREFIXES, and schema: for JSON-LD)."""
    first = ox.NamedNode(about) if about else None
    if extension == "ttl":
        return turtle(triples, prefixes or PREFIXES, first).encode()
    if extension == "jsonld":
        return json_ld(triples, prefixes or JSON_LD_PREFIXES, first).encode()
    form = RDF_FORMS[extension]
    written = (prefixes or PREFIXES) if extension == "rdf" else None
    return ox.serialize(triples, format=form.oxigraph, prefixes=written)  # type: ignore[return-value]


def all_resources(store: SparqlStore) -> list[str]:
    """The slugs of every resource the graph mentions (as subject or object), sorted."""
    query = f"""SELECT DISTINCT ?r WHERE {{ {{ ?r ?p ?o }} UNION {{ ?s ?p ?r }}
                FILTER(isIRI(?r) && STRSTARTS(STR(?r), "{RESOURCE_NS}")) }}"""
    slugs = {slug_of(row["r"].value) for row in store.query(query)}  # type: ignore[union-attr]
    return sorted(s for s in slugs if s is not None)
