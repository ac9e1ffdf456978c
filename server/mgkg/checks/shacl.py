"""SHACL validation of data files against the shapes in shapes/.

Files are parsed once with pyoxigraph (syntax errors name file and line). The core SHACL
constraints run in pySHACL on an rdflib copy of the data plus the ontology's subclass axioms
(all the inference SHACL needs: sh:class and sh:targetClass follow rdfs:subClassOf). The
SHACL-SPARQL constraints of node shapes run on pyoxigraph instead (checks/sparql_constraints.py),
and what both find is placed in the checked files here (the types are in checks/findings.py).

Every file is read before anything is checked: unreadable ones are the report's errors (all of
them, with file and line), and nothing else is reported then. A result names the line of the
statement it is about, and a link to a resource defined nowhere says so with the nearest slug.

Domain and range axioms are deliberately not applied: inferring that whatever a state ratified
is a treaty would make every value-class check pass vacuously.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate
from pyshacl.entrypoints import meta_validate
from rdflib.namespace import RDF, RDFS, SH

from mgkg.checks.findings import (
    SEVERITY_OF,
    Finding,
    Result,
    Source,
    Term,
    ValidationReport,
    fill_message,
    to_rdflib,
    to_term,
)
from mgkg.checks.sparql_constraints import SparqlConstraint, extract_sparql_constraints, sparql_results
from mgkg.errors import InvalidDataError
from mgkg.namespaces import GRAPH, MGID
from mgkg.rdf_files import ParsedFile, SubjectLines, parse_file, parse_files, rdf_files
from mgkg.settings import Settings
from mgkg.store.base import SparqlStore, construct, select
from mgkg.store.embedded import EmbeddedStore
from mgkg.store.entailment import ENTAILMENTS_GRAPH


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
    settings.require_project()
    checked, errors = _read_all(paths, settings.root)
    if errors:
        return ValidationReport(errors=errors)
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
    results = _core_results(data_graph, setup.core_shapes) + sparql_results(
        store, setup.sparql, focus if extra else None
    )
    defined = {q.subject.value for parsed in (*checked, *extra) for q in parsed.quads
               if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(MGID)}
    return _report(results, data_graph, checked, defined)


def _read_all(paths: Iterable[Path], root: Path) -> tuple[list[ParsedFile], list[InvalidDataError]]:
    """Every RDF file under `paths`, parsed; and the error of each one that cannot be (not only the first)."""
    parsed: list[ParsedFile] = []
    errors: list[InvalidDataError] = []
    for path in paths:
        try:
            files = rdf_files([path])
        except InvalidDataError as error:
            errors.append(error)
            continue
        for file in files:
            try:
                parsed.append(parse_file(file, root))
            except InvalidDataError as error:
                errors.append(error)
    return parsed, errors


@dataclass(frozen=True)
class _Setup:
    """Everything a validation needs besides the checked files: parsed and converted once per state on disk."""

    context: list[ParsedFile]
    ontology: list[ParsedFile]
    #: The ontology's rdfs:subClassOf axioms: all the inference SHACL needs.
    subclass_axioms: rdflib.Graph
    #: The shapes for pySHACL: all of them, less the sh:sparql of node shapes (run on pyoxigraph instead).
    core_shapes: rdflib.Graph
    sparql: list[SparqlConstraint]


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
    sparql = extract_sparql_constraints(shapes_graph)
    return _Setup(parse(context), ontology_files, subclass_axioms, core_shapes, sparql)


def validate_store(store: SparqlStore, settings: Settings) -> ValidationReport:
    """Validate what a store holds (embedded or remote): every graph but the ontology's and the
    entailments' (derived at load, never written by hand), as files are.

    Each graph is exported to N-Triples and checked like a file; results name the graph's path
    below the graph namespace with `.nt` (e.g. data/forums.nt) and the line in that export.
    """
    graphs = select(store,
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(STRSTARTS(STR(?g), '{GRAPH}') && !STRSTARTS(STR(?g), '{GRAPH}ontology') "
        f"&& ?g != <{ENTAILMENTS_GRAPH}>) }}")
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


def _core_results(data: rdflib.Graph, core_shapes: rdflib.Graph) -> list[Finding]:
    """Run pySHACL's core constraints (the shapes without the sh:sparql of node shapes)."""
    _, report, _ = pyshacl_validate(data, shacl_graph=core_shapes, inference="none", inplace=True)
    rows: list[Finding] = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus, path, value = (report.value(node, p) for p in (SH.focusNode, SH.resultPath, SH.value))
        bound = {name: term for name, term in (("this", focus), ("path", path), ("value", value)) if term is not None}
        message = " ".join(sorted(fill_message(str(m), bound) for m in report.objects(node, SH.resultMessage)))
        rows.append(Finding(
            focus, path, value, report.value(node, SH.sourceConstraintComponent), report.value(node, SH.sourceShape),
            SEVERITY_OF.get(report.value(node, SH.resultSeverity), "violation"), message,
        ))
    return rows


def _report(rows: list[Finding], data: rdflib.Graph, checked: list[ParsedFile], defined: set[str]) -> ValidationReport:
    """Attach each result to its resource and that resource's file and line, and to the line of the
    statement it is about; drop context-only ones."""
    owners, texts = _subjects_by_file(checked)
    results = []
    for row in rows:
        resource = _owner(data, row.focus)
        if (resource, None, None) not in data:  # an undefined IRI: report it where it is mentioned
            resource = next((_owner(data, s) for s in data.subjects(None, resource)), resource)
        source = owners.get(resource)
        if source is None:
            continue  # defined only in context files: not ours to report
        line = source.line
        if isinstance(row.path, rdflib.URIRef):
            spelt = None if row.value is None or isinstance(row.value, rdflib.BNode) else str(row.value)
            line = texts[source.path].line_of_statement(str(resource), str(row.path), spelt,
                                                        value_is_iri=isinstance(row.value, rdflib.URIRef))
        found = replace(row, message=row.message + _no_such_resource(row.value, defined))
        results.append(Result(**vars(found), resource=resource, source=source, line=line))
    results.sort(key=lambda r: (str(r.source.path), r.source.line, str(r.resource), r.line, str(r.path), str(r.value)))
    return ValidationReport(results, {k: v for k, v in owners.items() if isinstance(k, rdflib.URIRef)})


def _no_such_resource(value: Term | None, defined: set[str]) -> str:
    """For a link to one of our IRIs that nothing defines: say so, with the nearest slug there is."""
    if not isinstance(value, rdflib.URIRef) or not value.startswith(MGID) or str(value) in defined:
        return ""
    slug = value[len(MGID):]
    nearest = difflib.get_close_matches(slug, [iri[len(MGID):] for iri in defined], n=1)
    return f" There is no such resource as mgid:{slug}" + (f"; did you mean mgid:{nearest[0]}?" if nearest else ".")


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


def _subjects_by_file(checked: list[ParsedFile]) -> tuple[dict[Term, Source], dict[Path, SubjectLines]]:
    """For every subject of the checked files: the first file defining it and the line it starts on;
    and each file's text, for finding statements in it."""
    located: dict[Term, Source] = {}
    texts: dict[Path, SubjectLines] = {}
    for parsed in checked:
        lines = texts[parsed.path] = SubjectLines(parsed.path.read_text(encoding="utf-8", errors="replace"))
        for quad in parsed.quads:
            subject = to_term(quad.subject)
            if subject not in located:
                located[subject] = Source(parsed.path, lines.line_of(subject))
    return located, texts
