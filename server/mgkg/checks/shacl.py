"""SHACL validation of data files against the shapes in shapes/.

Files are parsed once with pyoxigraph (syntax errors name file and line). The core SHACL
constraints run in pySHACL on an rdflib copy of the data plus the ontology's subclass axioms
(all the inference SHACL needs: sh:class and sh:targetClass follow rdfs:subClassOf). The
SHACL-SPARQL constraints of node shapes run on pyoxigraph instead, one query per constraint
for all focus nodes at once, which is where pySHACL spends most of its time.

Domain and range axioms are deliberately not applied: inferring that whatever a state ratified
is a treaty would make every value-class check pass vacuously.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate
from pyshacl.entrypoints import meta_validate
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from mgkg.namespaces import GRAPH
from mgkg.rdf_files import ParsedFile, SubjectLines, parse_file, parse_files, rdf_files
from mgkg.settings import Settings
from mgkg.store.base import SparqlStore, construct, select
from mgkg.store.embedded import EmbeddedStore

Term = Node
RdflibTerm = rdflib.URIRef | rdflib.BNode | rdflib.Literal

#: Severities from most to least serious; --fail-on names one of them.
SEVERITIES = ("violation", "warning", "info")
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

_TARGET_PATTERNS = {
    SH.targetClass: "?this rdf:type/rdfs:subClassOf* {t} .",
    SH.targetSubjectsOf: "?this {t} [] .",
    SH.targetObjectsOf: "[] {t} ?this .",
    SH.targetNode: "VALUES ?this {{ {t} }}",
}
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
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


@dataclass
class ValidationReport:
    """The outcome of one validation run: its results, sorted by file, line and resource."""

    results: list[Result] = field(default_factory=list)
    #: Every IRI defined (used as a subject) in the checked files, with where it is defined.
    resources: dict[Term, Source] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """True when there is no result at all, as sh:conforms defines it."""
        return not self.results

    def fails(self, fail_on: str = "violation") -> bool:
        """Whether a result is at least as serious as `fail_on` (violation, warning or info)."""
        worst = SEVERITIES.index(fail_on)
        return any(SEVERITIES.index(r.severity) <= worst for r in self.results)

    def count(self, severity: str) -> int:
        """How many results have `severity` (violation, warning or info)."""
        return sum(1 for r in self.results if r.severity == severity)


@dataclass(frozen=True)
class _SparqlConstraint:
    shape: Term
    query: str
    severity: str
    messages: tuple[str, ...]


def validate_paths(
    paths: Iterable[Path],
    settings: Settings,
    *,
    context: Sequence[Path] = (),
    extra_shapes: Sequence[Path] = (),
) -> ValidationReport:
    """Validate the RDF files under `paths` with the ontology and the shapes of `settings`.

    `context` files (e.g. MGKG's own data, for a repository that extends it) are loaded so that
    links into them resolve, but only resources defined in `paths` are reported on.
    """
    checked = parse_files(paths, settings.root)
    checked_paths = {parsed.path.resolve() for parsed in checked}
    setup = _setup(
        settings.root, _signature(context), _signature([settings.ontology_dir]),
        _signature([settings.shapes_dir, *extra_shapes]),
    )
    extra = [p for p in setup.context if p.path.resolve() not in checked_paths]

    store = EmbeddedStore.of_quads((q for parsed in (*checked, *extra, *setup.ontology) for q in parsed.quads),
                                   version="validation")

    # Core constraints see the context resources that checked files link to only by their types:
    # enough for sh:class, and none of the context is validated again.
    linked = {q.object for parsed in checked for q in parsed.quads}
    data_graph = to_rdflib(q for parsed in checked for q in parsed.quads)
    data_graph += to_rdflib(
        q for parsed in extra for q in parsed.quads if q.predicate.value == str(RDF.type) and q.subject in linked
    )
    data_graph += setup.subclass_axioms
    # With context, only what the checked files mention can be a focus node: the context is not re-validated.
    focus = {t for p in checked for q in p.quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    results = _core_results(data_graph, setup.core_shapes) + _sparql_results(
        store, setup.sparql, focus if extra else None
    )
    return _report(results, data_graph, checked)


@dataclass(frozen=True)
class _Setup:
    """Everything a validation needs besides the checked files: parsed and converted once per state on disk."""

    context: list[ParsedFile]
    ontology: list[ParsedFile]
    #: The ontology's rdfs:subClassOf axioms: all the inference SHACL needs.
    subclass_axioms: rdflib.Graph
    #: The shapes for pySHACL: all of them, less the sh:sparql of node shapes (run on pyoxigraph instead).
    core_shapes: rdflib.Graph
    sparql: list[_SparqlConstraint]


#: A file's identity on disk: its path as given (for error messages), resolved, modification time and size.
_Signature = tuple[tuple[str, str, int, int], ...]


def _signature(paths: Iterable[Path]) -> _Signature:
    return tuple((str(p), str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in rdf_files(paths))


# One entry: repeated runs against the same context, ontology and shapes (a test suite validating
# many small files) skip parsing them again; any file edited on disk changes the key.
@lru_cache(maxsize=1)
def _setup(root: Path, context: _Signature, ontology: _Signature, shapes: _Signature) -> _Setup:
    def parse(signature: _Signature) -> list[ParsedFile]:
        return [parse_file(Path(path), root) for path, *_ in signature]

    ontology_files = parse(ontology)
    shapes_graph = to_rdflib(q for parsed in parse(shapes) for q in parsed.quads)
    core_shapes = rdflib.Graph()
    for triple in shapes_graph:
        if not (triple[1] == SH.sparql and (triple[0], SH.path, None) not in shapes_graph):
            core_shapes.add(triple)
    subclass_axioms = to_rdflib(
        q for parsed in ontology_files for q in parsed.quads if q.predicate.value == str(RDFS.subClassOf)
    )
    sparql = _extract_sparql_constraints(shapes_graph)
    return _Setup(parse(context), ontology_files, subclass_axioms, core_shapes, sparql)


def validate_store(store: SparqlStore, settings: Settings) -> ValidationReport:
    """Validate what a store holds (embedded or remote): every graph but the ontology's, as files are.

    Each graph is exported to N-Triples and checked like a file; results name the graph's path
    below the graph namespace with `.nt` (e.g. data/forums.nt) and the line in that export.
    """
    graphs = select(store,
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(STRSTARTS(STR(?g), '{GRAPH}') && !STRSTARTS(STR(?g), '{GRAPH}ontology')) }}")
    with tempfile.TemporaryDirectory() as folder:
        exported: dict[Path, Path] = {}
        for row in graphs:
            name = Path(row["g"].value.removeprefix(GRAPH) + ".nt")
            path = Path(folder) / name.as_posix().replace("/", "__")
            triples = construct(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{row['g'].value}> {{ ?s ?p ?o }} }}")
            ox.serialize(triples, output=str(path), format=ox.RdfFormat.N_TRIPLES)
            exported[path] = name
        report = validate_paths(sorted(exported), settings)
    report.results = [replace(r, source=replace(r.source, path=exported[r.source.path])) for r in report.results]
    report.resources = {k: replace(v, path=exported[v.path]) for k, v in report.resources.items()}
    return report


def check_shapes(settings: Settings) -> tuple[bool, str]:
    """Validate the shapes themselves against the W3C SHACL-SHACL shapes graph (bundled with pySHACL)."""
    shapes = parse_files([settings.shapes_dir], settings.root)
    conforms, _, text = meta_validate(to_rdflib(q for p in shapes for q in p.quads), inference="none")
    return bool(conforms), str(text)


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


def _core_results(data: rdflib.Graph, core_shapes: rdflib.Graph) -> list[Finding]:
    """Run pySHACL's core constraints (the shapes without the sh:sparql of node shapes)."""
    _, report, _ = pyshacl_validate(data, shacl_graph=core_shapes, inference="none", inplace=True)
    rows: list[Finding] = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus, path, value = (report.value(node, p) for p in (SH.focusNode, SH.resultPath, SH.value))
        bound = {name: term for name, term in (("this", focus), ("path", path), ("value", value)) if term is not None}
        message = " ".join(sorted(_fill(str(m), bound) for m in report.objects(node, SH.resultMessage)))
        rows.append(Finding(
            focus, path, value, report.value(node, SH.sourceConstraintComponent), report.value(node, SH.sourceShape),
            _SEVERITY_OF.get(report.value(node, SH.resultSeverity), "violation"), message,
        ))
    return rows


#: Opens the sub-select that binds ?this to a constraint's focus nodes.
_FOCUS_OPEN = "{ SELECT DISTINCT ?this WHERE { "


def _extract_sparql_constraints(shapes: rdflib.Graph) -> list[_SparqlConstraint]:
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
        severity = _SEVERITY_OF.get(shapes.value(shape, SH.severity), "violation")  # type: ignore[call-overload]
        found.append(_SparqlConstraint(shape, query, severity, messages))
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


def _sparql_results(
    store: EmbeddedStore, constraints: list[_SparqlConstraint], focus: set[ox.NamedNode] | None
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
            message = " ".join(_fill(m, bound) for m in constraint.messages)
            rows.append(Finding(
                this, bound.get("path"), bound.get("value", this), SH.SPARQLConstraintComponent,
                constraint.shape, constraint.severity, message,
            ))
    return rows


def _fill(message: str, bound: dict[str, Term]) -> str:
    return _MESSAGE_VARIABLE.sub(lambda m: bound[m.group(1)].n3() if m.group(1) in bound else "the value", message)


def _report(rows: list[Finding], data: rdflib.Graph, checked: list[ParsedFile]) -> ValidationReport:
    """Attach each result to its resource and that resource's file and line; drop context-only ones."""
    owners = _subjects_by_file(checked)
    results = []
    for row in rows:
        resource = _owner(data, row.focus)
        if (resource, None, None) not in data:  # an undefined IRI: report it where it is mentioned
            resource = next((_owner(data, s) for s in data.subjects(None, resource)), resource)
        source = owners.get(resource)
        if source is None:
            continue  # defined only in context files: not ours to report
        results.append(Result(**vars(row), resource=resource, source=source))
    results.sort(key=lambda r: (str(r.source.path), r.source.line, str(r.resource), str(r.path), str(r.value)))
    return ValidationReport(results, {k: v for k, v in owners.items() if isinstance(k, rdflib.URIRef)})


def _owner(data: rdflib.Graph, node: Term) -> Term:
    """The IRI a blank node hangs from (an evidence or figure node's resource), or the node itself."""
    seen = set()
    while isinstance(node, rdflib.BNode) and node not in seen:
        seen.add(node)
        parent = next(data.subjects(None, node), None)
        if parent is None:
            break
        node = parent
    return node


def _subjects_by_file(checked: list[ParsedFile]) -> dict[Term, Source]:
    """For every subject of the checked files: the first file defining it and the line it starts on."""
    located: dict[Term, Source] = {}
    for parsed in checked:
        text = parsed.path.read_text(encoding="utf-8", errors="replace")
        lines = SubjectLines(text)
        for quad in parsed.quads:
            subject = to_term(quad.subject)
            if subject not in located:
                located[subject] = Source(parsed.path, lines.line_of(subject))
    return located
