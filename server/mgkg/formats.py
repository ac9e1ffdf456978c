"""Result formats (names, media types, pyoxigraph writers) and HTTP content negotiation."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

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


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header: `type/subtype` (either may be `*`) with its quality."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How precisely this range names `media_type`: 3 exact, 2 `type/*`, 1 `*/*`, 0 no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 1
        if self.type != kind:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == sub else 0


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header (RFC 9110 §12.5.1); malformed entries are skipped."""
    ranges = []
    for entry in header.split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(ranges: list[MediaRange], candidate: ResultFormat) -> float:
    """The q-value the client gives `candidate`: that of the most specific range matching any of its types."""
    best_specificity, best_q = 0, 0.0
    for media_type in (candidate.media_type, *candidate.also):
        for media_range in ranges:
            specificity = media_range.specificity(media_type)
            if media_type != candidate.media_type:  # aliases only count when named exactly
                specificity = 3 if specificity == 3 else 0
            elif specificity == 3:
                specificity = 4  # the format's own media type outranks an alias
            if specificity > best_specificity:
                best_specificity, best_q = specificity, media_range.q
    return best_q


def negotiate(accept_header: str | None, candidates: tuple[ResultFormat, ...]) -> ResultFormat | None:
    """The candidate the client prefers (highest q; ties go to the earlier candidate), or None if
    none is acceptable. No Accept header (or an empty one) accepts anything: the first candidate."""
    if not accept_header or not accept_header.strip():
        return candidates[0] if candidates else None
    ranges = parse_accept(accept_header)
    if not ranges:
        return candidates[0] if candidates else None
    best, best_q = None, 0.0
    for candidate in candidates:
        q = quality(ranges, candidate)
        if q > best_q:
            best, best_q = candidate, q
    return best
