"""The competency queries in queries/*.rq as examples: parsed headers, and as linked data.

Each .rq file starts with a header of `# Field: text` comment lines (Question, Shows, Features,
Keywords; a line `#   more text` continues the field above). `load_examples` reads them for the
command line and the query page; `router_for` publishes them at /.well-known/sparql-examples as
SHACL SPARQL executables, the shape the SIB SPARQL examples use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from mgkg import formats
from mgkg.errors import ConfigurationError, QuerySyntaxError, ReadOnlyError
from mgkg.formats import GRAPH_FORMATS, ResultFormat
from mgkg.guard import query_shape

SH = "http://www.w3.org/ns/shacl#"
SCHEMA = "https://schema.org/"
SPEX = "https://purl.expasy.org/sparql-examples/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
EXAMPLES_PATH = "/.well-known/sparql-examples"

#: Query form -> (executable class, property holding the text). DESCRIBE has no SHACL term: SIB's spex.
_FORM_TERMS = {
    "SELECT": (SH + "SPARQLSelectExecutable", SH + "select"),
    "ASK": (SH + "SPARQLAskExecutable", SH + "ask"),
    "CONSTRUCT": (SH + "SPARQLConstructExecutable", SH + "construct"),
    "DESCRIBE": (SPEX + "SPARQLDescribeExecutable", SPEX + "describe"),
}
_HEADER = re.compile(r"#\s*([A-Z][a-z]+):\s*(.*)")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)")
_PREFIX = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One competency query: its file name stem, header fields, text and query form."""

    name: str
    question: str
    shows: str
    features: tuple[str, ...]
    keywords: tuple[str, ...]
    text: str
    form: str
    federated: bool
    path: Path

    @property
    def prefixes(self) -> dict[str, str]:
        """The PREFIX declarations of the query, prefix -> namespace."""
        return dict(_PREFIX.findall(self.text))


def load_examples(queries_dir: Path) -> list[Example]:
    """Every .rq under `queries_dir` (federated ones in queries/federated/), sorted by name."""
    if not queries_dir.is_dir():
        return []
    paths = sorted(queries_dir.rglob("*.rq"), key=lambda p: p.stem)
    return [parse_example(path, federated=path.parent.name == "federated") for path in paths]


def parse_example(path: Path, *, federated: bool = False) -> Example:
    """Read one .rq file; raise ConfigurationError naming the file if it has no Question header."""
    text = path.read_text(encoding="utf-8")
    fields = _header_fields(text)
    if not fields.get("Question"):
        raise ConfigurationError(f"{path}: no '# Question: ...' header line")
    return Example(
        name=path.stem,
        question=fields["Question"],
        shows=fields.get("Shows", ""),
        features=_split(fields.get("Features", "")),
        keywords=_split(fields.get("Keywords", "")),
        text=text,
        form=query_form(text, path),
        federated=federated,
        path=path,
    )


def query_form(text: str, path: Path | str = "query") -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, as the guard reads it; ConfigurationError naming `path` otherwise."""
    try:
        return query_shape(text).form
    except (QuerySyntaxError, ReadOnlyError) as error:
        raise ConfigurationError(f"{path}: cannot tell the query form (SELECT, ASK, CONSTRUCT, DESCRIBE): "
                                 f"{error}") from None


def _header_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if current and (more := _CONTINUATION.match(line)):
            fields[current] += " " + more.group(1).strip()
        elif header := _HEADER.match(line):
            current = header.group(1)
            fields[current] = header.group(2).strip()
    return fields


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def examples_markdown(examples: list[Example]) -> str:
    """A Markdown table of the examples (name, form, question) for the README."""
    lines = ["| query | form | question |", "|---|---|---|"]
    for example in examples:
        where = "federated/" if example.federated else ""
        question = example.question.replace("|", "\\|")
        lines.append(f"| [`{example.name}`](queries/{where}{example.name}.rq) | {example.form} | {question} |")
    return "\n".join(lines) + "\n"


def examples_listing(examples: list[Example]) -> str:
    """Plain text for `mgkg query --list`: one line per example, name then question."""
    width = max((len(e.name) for e in examples), default=0)
    return "".join(f"{e.name.ljust(width)}  {e.question}\n" for e in examples)


def examples_triples(examples: list[Example], base: str) -> list[ox.Triple]:
    """The examples as SHACL SPARQL executables; `base` is the server root ending in '/'."""
    target = ox.NamedNode(base + "sparql")
    triples: list[ox.Triple] = []
    for example in examples:
        node = ox.NamedNode(f"{base}{EXAMPLES_PATH.lstrip('/')}/{example.name}")
        kind, text_property = _FORM_TERMS[example.form]
        triples += [
            ox.Triple(node, RDF_TYPE, ox.NamedNode(SH + "SPARQLExecutable")),
            ox.Triple(node, RDF_TYPE, ox.NamedNode(kind)),
            ox.Triple(node, RDFS_LABEL, ox.Literal(example.name)),
            ox.Triple(node, RDFS_COMMENT, ox.Literal(example.question, language="en")),
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
                      ox.Literal(namespace, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI"))),
        ]
    return triples


def negotiate(accept: str | None) -> ResultFormat:
    """The RDF format the Accept header prefers (as formats.negotiate decides); Turtle when none is acceptable."""
    return formats.negotiate(accept, GRAPH_FORMATS) or GRAPH_FORMATS[0]


def router_for(queries_dir: Path) -> APIRouter:
    """A router serving the examples of `queries_dir`, read once now (at start-up)."""
    examples = load_examples(queries_dir)
    router = APIRouter()

    @router.get(EXAMPLES_PATH, summary="The competency queries as SHACL SPARQL executables")
    def sparql_examples(request: Request) -> Response:
        chosen = negotiate(request.headers.get("accept"))
        triples = examples_triples(examples, str(request.base_url))
        body = ox.serialize(triples, format=chosen.oxigraph, prefixes=_OUTPUT_PREFIXES)
        return Response(body, media_type=chosen.media_type, headers={"Vary": "Accept"})

    return router


_OUTPUT_PREFIXES = {
    "sh": SH,
    "schema": SCHEMA,
    "spex": SPEX,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
