"""What a check finds, in the rdflib terms SHACL reports are written in, and where it is in the files.

An engine (pySHACL, or a SHACL-SPARQL query on pyoxigraph) reports a `Finding`; placed in the
checked files it becomes a `Result`; a `ValidationReport` is every result of one run, or the
errors of the files that could not be read. The report formats (checks/reports.py) write it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from mgkg.errors import InvalidDataError

Term = Node
RdflibTerm = rdflib.URIRef | rdflib.BNode | rdflib.Literal

#: Severities from most to least serious; --fail-on names one of them.
SEVERITIES = ("violation", "warning", "info")
SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class Source:
    """Where a resource is defined: the file and the line of its first occurrence as a subject."""

    path: Path
    line: int


@dataclass(frozen=True)
class Finding:
    """One result as an engine (pySHACL or a SHACL-SPARQL query) reports it, as in a SHACL report."""

    focus: Term
    path: Term | None
    value: Term | None
    component: Term
    shape: Term
    severity: str
    message: str


@dataclass(frozen=True)
class Result(Finding):
    """A finding placed in the checked files: the resource it is about and where that is defined."""

    #: The focus node, or the resource owning a blank focus node.
    resource: Term
    source: Source
    #: The line of the statement the result is about (in source.path), else the resource's line.
    line: int = 0


@dataclass
class ValidationReport:
    """The outcome of one validation run: its results, sorted by file, line and resource."""

    results: list[Result] = field(default_factory=list)
    #: Every IRI defined (used as a subject) in the checked files, with where it is defined.
    resources: dict[Term, Source] = field(default_factory=dict)
    #: Files that could not be read (syntax errors, missing files): then nothing was checked.
    errors: list[InvalidDataError] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when every file was read and there is no result at all, as sh:conforms defines it."""
        return not self.results and not self.errors

    def fails(self, fail_on: str = "violation") -> bool:
        """Whether a file was unreadable or a result is at least as serious as `fail_on`."""
        worst = SEVERITIES.index(fail_on)
        return bool(self.errors) or any(SEVERITIES.index(r.severity) <= worst for r in self.results)

    def count(self, severity: str) -> int:
        """How many results have `severity` (violation, warning or info)."""
        return sum(1 for r in self.results if r.severity == severity)


def fill_message(message: str, bound: dict[str, Term]) -> str:
    """A sh:message with its {?var} / {$var} placeholders replaced by what they are bound to."""
    return _MESSAGE_VARIABLE.sub(lambda m: bound[m.group(1)].n3() if m.group(1) in bound else "the value", message)


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """An rdflib graph of the quads' triples; blank node ids are kept, so both engines name nodes alike."""
    graph = rdflib.Graph()
    with warnings.catch_warnings():  # ill-typed literals are for the shapes to report, not rdflib
        warnings.simplefilter("ignore")
        for quad in quads:
            graph.add((to_term(quad.subject), to_term(quad.predicate), to_term(quad.object)))
    return graph


def to_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> RdflibTerm:
    """The rdflib term for a pyoxigraph term (quoted triples, RDF-star, are not part of MGKG's data)."""
    if isinstance(term, ox.Triple):
        raise ValueError(f"quoted triples are not supported: {term}")
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return rdflib.Literal(term.value, datatype=None if datatype == str(XSD.string) else rdflib.URIRef(datatype))
