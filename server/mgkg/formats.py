"""Result formats (names, media types, pyoxigraph writers) and HTTP content negotiation."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from mgkg.web.negotiation import MediaRange, parse_accept

_W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation: `name` for format= and the CLI, its media type, extension and writer."""

    name: str
    media_type: str
    extension: str
    oxigraph: ox.QueryResultsFormat | ox.RdfFormat
    #: Its IRI in the W3C formats registry (http://www.w3.org/ns/formats/), used by service descriptions.
    iri: str
    #: Other media types clients send for the same format (e.g. application/json).
    also: tuple[str, ...] = ()

    @property
    def is_graph(self) -> bool:
        return isinstance(self.oxigraph, ox.RdfFormat)

    @property
    def content_type(self) -> str:
        """The Content-Type header value: text/* types name their charset (others are UTF-8 by definition)."""
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type


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


def negotiate(accept_header: str | None, candidates: tuple[ResultFormat, ...]) -> ResultFormat | None:
    """The candidate the client prefers (highest q; ties go to the earlier candidate), or None if
    none is acceptable. No Accept header (or an unreadable one) accepts anything: the first candidate."""
    ranges = parse_accept(accept_header)
    best, best_q = None, 0.0
    for candidate in candidates:
        q = quality(ranges, candidate)
        if q > best_q:
            best, best_q = candidate, q
    return best


def quality(ranges: list[MediaRange], candidate: ResultFormat) -> float:
    """The q of the most specific range naming `candidate` (RFC 9110): its own media type exactly,
    then one of its aliases exactly (e.g. application/json), then type/*, then */*."""
    specificity, q = -1, 0.0
    for media_range in ranges:
        match = media_range.matches(candidate.media_type)
        if match == 2:
            match = 3
        elif any(media_range.matches(alias) == 2 for alias in candidate.also):
            match = 2
        if match > specificity:
            specificity, q = match, media_range.q
    return q
