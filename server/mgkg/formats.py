"""Result formats: their names, media types, file extensions and pyoxigraph writers."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation: `name` for format= and the CLI, its media type and file extension."""

    name: str
    media_type: str
    extension: str
    oxigraph: ox.QueryResultsFormat | ox.RdfFormat

    @property
    def is_graph(self) -> bool:
        return isinstance(self.oxigraph, ox.RdfFormat)


SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", "srj", ox.QueryResultsFormat.JSON),
    ResultFormat("xml", "application/sparql-results+xml", "srx", ox.QueryResultsFormat.XML),
    ResultFormat("csv", "text/csv", "csv", ox.QueryResultsFormat.CSV),
    ResultFormat("tsv", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV),
)

GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("ttl", "text/turtle", "ttl", ox.RdfFormat.TURTLE),
    ResultFormat("nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ResultFormat("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ResultFormat("rdf", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
    ResultFormat("trig", "application/trig", "trig", ox.RdfFormat.TRIG),
    ResultFormat("nq", "application/n-quads", "nq", ox.RdfFormat.N_QUADS),
)

#: Other names people type for the same formats.
ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdfxml": "rdf", "nquads": "nq"}


def format_by_name(name: str, candidates: tuple[ResultFormat, ...]) -> ResultFormat | None:
    """The format called `name` (or one of its aliases or media types) among `candidates`."""
    wanted = ALIASES.get(name.lower(), name.lower())
    for candidate in candidates:
        if wanted in (candidate.name, candidate.media_type, candidate.extension):
            return candidate
    return None
