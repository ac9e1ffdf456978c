"""Result formats: names, media types, extensions, pyoxigraph writers and W3C format IRIs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox

from mgkg.namespaces import FORMATS as _W3C_FORMATS

#: What a query answers with, as pyoxigraph returns it.
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation: `name` for format= and the CLI, its media type, extension and writer."""

    name: str
    media_type: str
    extension: str
    #: pyoxigraph's own format object, which its parsers and writers take.
    native: ox.QueryResultsFormat | ox.RdfFormat
    #: Its IRI in the W3C formats registry (http://www.w3.org/ns/formats/), used by service descriptions.
    iri: str
    #: Other media types clients send for the same format (e.g. application/json).
    also: tuple[str, ...] = ()

    @property
    def is_graph(self) -> bool:
        return isinstance(self.native, ox.RdfFormat)

    @property
    def content_type(self) -> str:
        """The Content-Type header value for this format."""
        return content_type(self.media_type)

    def write(self, result: QueryResult, output: IO[bytes] | None = None) -> bytes | None:
        """`result` in this format: returned as bytes, or written to `output` (then None)."""
        if isinstance(result, ox.QueryTriples) != self.is_graph:
            raise ValueError(f"a {type(result).__name__} cannot be written as {self.name}")
        return result.serialize(output, self.native)  # type: ignore[arg-type]

    def write_rdf(self, triples: Iterable[ox.Triple], prefixes: dict[str, str] | None = None) -> bytes:
        """`triples` in this (graph) format, with `prefixes` where the format can use them."""
        if not isinstance(self.native, ox.RdfFormat):
            raise ValueError(f"{self.name} is not an RDF format")
        return ox.serialize(triples, format=self.native, prefixes=prefixes)  # type: ignore[return-value]


def content_type(media_type: str) -> str:
    """A Content-Type header value: text/* types name their charset (others are UTF-8 by definition)."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", "srj", ox.QueryResultsFormat.JSON,
                 _W3C_FORMATS + "SPARQL_Results_JSON", ("application/json",)),
    ResultFormat("xml", "application/sparql-results+xml", "srx", ox.QueryResultsFormat.XML,
                 _W3C_FORMATS + "SPARQL_Results_XML", ("application/xml", "text/xml")),
    ResultFormat("csv", "text/csv", "csv", ox.QueryResultsFormat.CSV, _W3C_FORMATS + "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV,
                 _W3C_FORMATS + "SPARQL_Results_TSV"),
)

GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("ttl", "text/turtle", "ttl", ox.RdfFormat.TURTLE, _W3C_FORMATS + "Turtle", ("application/x-turtle",)),
    ResultFormat("nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES, _W3C_FORMATS + "N-Triples",
                 ("text/plain",)),
    ResultFormat("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD, _W3C_FORMATS + "JSON-LD",
                 ("application/json",)),
    ResultFormat("rdf", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, _W3C_FORMATS + "RDF_XML",
                 ("application/xml", "text/xml")),
    ResultFormat("trig", "application/trig", "trig", ox.RdfFormat.TRIG, _W3C_FORMATS + "TriG"),
    ResultFormat("nq", "application/n-quads", "nq", ox.RdfFormat.N_QUADS, _W3C_FORMATS + "N-Quads"),
)

#: Other names people type for the same formats.
ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdfxml": "rdf", "nquads": "nq"}


def format_by_name(name: str, candidates: tuple[ResultFormat, ...]) -> ResultFormat | None:
    """The format called `name` (or one of its aliases or media types) among `candidates`."""
    wanted = ALIASES.get(name.lower(), name.lower())
    for candidate in candidates:
        if wanted in (candidate.name, candidate.media_type, candidate.extension, *candidate.also):
            return candidate
    return None
