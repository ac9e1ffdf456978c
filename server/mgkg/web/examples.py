"""The competency queries published as linked data: SHACL SPARQL executables at /.well-known/sparql-examples,
the shape the SIB SPARQL examples use, in the negotiated RDF format."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from mgkg.formats import GRAPH_FORMATS
from mgkg.namespaces import PREFIXES, RDF_TYPE, RDFS, SCHEMA, SH, SPEX, XSD
from mgkg.pages.addresses import EXAMPLES, SPARQL
from mgkg.queries import Example, load_examples
from mgkg.web.negotiation import choose_format

#: Query form -> (executable class, property holding the text). DESCRIBE has no SHACL term: SIB's spex.
_FORM_TERMS = {
    "SELECT": (SH + "SPARQLSelectExecutable", SH + "select"),
    "ASK": (SH + "SPARQLAskExecutable", SH + "ask"),
    "CONSTRUCT": (SH + "SPARQLConstructExecutable", SH + "construct"),
    "DESCRIBE": (SPEX + "SPARQLDescribeExecutable", SPEX + "describe"),
}
_TYPE, _LABEL, _COMMENT = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS + "label"), ox.NamedNode(RDFS + "comment")


def examples_triples(examples: list[Example], base: str) -> list[ox.Triple]:
    """The examples as SHACL SPARQL executables; `base` is the server root ending in '/'."""
    target = ox.NamedNode(base + SPARQL.lstrip("/"))
    triples: list[ox.Triple] = []
    for example in examples:
        node = ox.NamedNode(f"{base}{EXAMPLES.lstrip('/')}/{example.name}")
        kind, text_property = _FORM_TERMS[example.form]
        triples += [
            ox.Triple(node, _TYPE, ox.NamedNode(SH + "SPARQLExecutable")),
            ox.Triple(node, _TYPE, ox.NamedNode(kind)),
            ox.Triple(node, _LABEL, ox.Literal(example.name)),
            ox.Triple(node, _COMMENT, ox.Literal(example.question, language="en")),
            ox.Triple(node, ox.NamedNode(text_property), ox.Literal(example.text)),
            ox.Triple(node, ox.NamedNode(SCHEMA + "target"), target),
        ]
        triples += [ox.Triple(node, ox.NamedNode(SCHEMA + "keywords"), ox.Literal(k)) for k in example.keywords]
        triples += _prefix_triples(node, example.prefixes)
    return triples


def _prefix_triples(node: ox.NamedNode, prefixes: dict[str, str]) -> list[ox.Triple]:
    """sh:prefixes/sh:declare, so tools can rebuild the PREFIX lines (blank nodes named per query)."""
    if not prefixes:
        return []
    holder = ox.BlankNode()
    triples = [ox.Triple(node, ox.NamedNode(SH + "prefixes"), holder)]
    for prefix, namespace in sorted(prefixes.items()):
        declaration = ox.BlankNode()
        triples += [
            ox.Triple(holder, ox.NamedNode(SH + "declare"), declaration),
            ox.Triple(declaration, ox.NamedNode(SH + "prefix"), ox.Literal(prefix)),
            ox.Triple(declaration, ox.NamedNode(SH + "namespace"),
                      ox.Literal(namespace, datatype=ox.NamedNode(XSD + "anyURI"))),
        ]
    return triples


def router_for(queries_dir: Path) -> APIRouter:
    """A router serving the examples of `queries_dir`, read once now (at start-up)."""
    examples = load_examples(queries_dir)
    router = APIRouter()

    @router.get(EXAMPLES, summary="The competency queries as SHACL SPARQL executables")
    def sparql_examples(request: Request) -> Response:
        chosen = choose_format(GRAPH_FORMATS, request.headers.get("accept"), None, holds="RDF")
        body = chosen.write_rdf(examples_triples(examples, str(request.base_url)), PREFIXES)
        return Response(body, media_type=chosen.media_type, headers={"Vary": "Accept"})

    return router

