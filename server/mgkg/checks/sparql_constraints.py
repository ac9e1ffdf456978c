"""SHACL-SPARQL constraints of node shapes, run on pyoxigraph: one query per constraint for all
its focus nodes at once, which is where pySHACL spends most of its time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from mgkg.checks.findings import SEVERITY_OF, Finding, Term, fill_message, to_term
from mgkg.store.embedded import EmbeddedStore

_TARGET_PATTERNS = {
    SH.targetClass: "?this rdf:type/rdfs:subClassOf* {t} .",
    SH.targetSubjectsOf: "?this {t} [] .",
    SH.targetObjectsOf: "[] {t} ?this .",
    SH.targetNode: "VALUES ?this {{ {t} }}",
}
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class SparqlConstraint:
    """One sh:sparql constraint of a node shape, as a query over all its focus nodes."""

    shape: Term
    query: str
    severity: str
    messages: tuple[str, ...]


#: Opens the sub-select that binds ?this to a constraint's focus nodes.
_FOCUS_OPEN = "{ SELECT DISTINCT ?this WHERE { "


def extract_sparql_constraints(shapes: rdflib.Graph) -> list[SparqlConstraint]:
    """SPARQL constraints of node shapes, rewritten to find every focus node's violations at once."""
    found = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if (shape, SH.path, None) in shapes or _deactivated(shapes, shape) or _deactivated(shapes, constraint):
            continue
        targets = [
            "{ " + pattern.format(t=target.n3()) + " }"
            for predicate, pattern in _TARGET_PATTERNS.items()
            for target in shapes.objects(shape, predicate)
        ]
        if not targets:
            continue
        select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        focus = _FOCUS_OPEN + " UNION ".join(targets) + " } }"
        query = _prefixes(shapes, constraint) + _WHERE.sub(partial(_open_focus, focus), select, count=1)
        messages = tuple(str(m) for m in shapes.objects(constraint, SH.message)) or tuple(
            str(m) for m in shapes.objects(shape, SH.message)
        )
        severity = SEVERITY_OF.get(shapes.value(shape, SH.severity), "violation")  # type: ignore[call-overload]
        found.append(SparqlConstraint(shape, query, severity, messages))
    return found


def _open_focus(focus: str, where: re.Match[str]) -> str:
    """WHERE { followed by the sub-select binding ?this to the focus nodes."""
    return f"{where.group(0)} {focus}"


def _deactivated(shapes: rdflib.Graph, node: Term) -> bool:
    flag = shapes.value(node, SH.deactivated)
    return isinstance(flag, rdflib.Literal) and bool(flag.toPython())


def _prefixes(shapes: rdflib.Graph, constraint: Term) -> str:
    declared = {"rdf": str(RDF), "rdfs": str(RDFS)}
    for owner in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(owner, SH.declare):
            declared[str(shapes.value(declaration, SH.prefix))] = str(shapes.value(declaration, SH.namespace))
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in declared.items())


def sparql_results(
    store: EmbeddedStore, constraints: list[SparqlConstraint], focus: set[ox.NamedNode] | None
) -> list[Finding]:
    """Run each constraint once for all its focus nodes (only those in `focus`, when given)."""
    values = "" if focus is None else "VALUES ?this { " + " ".join(str(node) for node in focus) + " } "
    rows: list[Finding] = []
    for constraint in constraints:
        query = constraint.query.replace(_FOCUS_OPEN, _FOCUS_OPEN + values, 1)
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions), "a SHACL-SPARQL constraint is a SELECT query"
        for solution in solutions:
            bound: dict[str, Term] = {
                v.value: to_term(term) for v in solutions.variables if (term := solution[v]) is not None}
            this = bound["this"]
            message = " ".join(fill_message(m, bound) for m in constraint.messages)
            rows.append(Finding(
                this, bound.get("path"), bound.get("value", this), SH.SPARQLConstraintComponent,
                constraint.shape, constraint.severity, message,
            ))
    return rows
