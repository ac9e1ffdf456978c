"""SHACL validation: each negative fixture yields exactly its expected results, every shape has one, the data none."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from conftest import FIXTURES, ROOT
from mgkg.checks.findings import Result, to_rdflib
from mgkg.checks.reports import short
from mgkg.checks.shacl import check_shapes, validate_paths
from mgkg.rdf_files import parse_files

SHACL_FIXTURES = sorted((FIXTURES / "shacl").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes_graph(settings) -> rdflib.Graph:
    """The shapes of shapes/*.ttl as one rdflib graph."""
    return to_rdflib(q for parsed in parse_files([settings.shapes_dir], ROOT) for q in parsed.quads)


def expectations(fixture: Path) -> list[tuple[str, ...]]:
    """The `# expect: FOCUS PATH COMPONENT SEVERITY SHAPE` header lines; `_:` is any blank node, `-` no path.

    One line per result: a mistake yields one, except a literal where a node is expected, which
    every property shape of that node reports too. FOCUS may be a literal with spaces.
    """
    lines = [line for line in fixture.read_text().splitlines() if line.startswith("# expect: ")]
    return sorted(tuple(line.removeprefix("# expect: ").rsplit(maxsplit=4)) for line in lines)


def observed(result: Result) -> tuple[str, ...]:
    focus = "_:" if isinstance(result.focus, rdflib.BNode) else short(result.focus)
    return focus, short(result.path) or "-", short(result.component), result.severity, short(result.shape)


@pytest.mark.parametrize("fixture", SHACL_FIXTURES, ids=lambda p: p.stem)
def test_fixture_yields_exactly_its_expected_results(settings, fixture: Path) -> None:
    report = validate_paths([fixture], settings, context=[settings.data_dir])
    assert sorted(observed(r) for r in report.results) == expectations(fixture) != []
    assert {r.source.path for r in report.results} == {fixture}
    lines = fixture.read_text().splitlines()
    for result in report.results:  # each names the line of its statement where the file writes its value
        if written := _written_value(result):
            assert written in lines[result.line - 1], (result.line, written)


def _written_value(result: Result) -> str | None:
    """How the file spells a result's value; None where no one line need spell it (no value, a path
    expression, or a SPARQL constraint, which may bind values it computes)."""
    if result.component == SH.SPARQLConstraintComponent or not isinstance(result.path, rdflib.URIRef):
        return None
    if isinstance(result.value, rdflib.URIRef) and result.value != result.focus:
        return short(result.value)
    return str(result.value) if isinstance(result.value, rdflib.Literal) else None


#: What a shape may hold besides its constraints: targets, reporting, its path, and sh:property (grouping).
_NOT_CONSTRAINTS = {
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.severity, SH.message,
    SH.path, SH.property, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
}


def reporting_shapes(shapes: rdflib.Graph) -> set[str]:
    """Every node or property shape with a constraint of its own: those that can be a result's source shape.

    Skipped: node shapes whose only constraint is sh:property (mgsh:AddressesShape, mgsh:ResourceShape ...),
    pure grouping, as SHACL reports a property shape's results with that property shape as sh:sourceShape;
    the anonymous shapes inside sh:or lists, whose failures are reported by the shape holding the sh:or;
    and deactivated shapes, which report nothing.
    """
    node_shapes = set(shapes.subjects(rdflib.RDF.type, SH.NodeShape))
    property_shapes = set(shapes.subjects(rdflib.RDF.type, SH.PropertyShape)) | set(shapes.objects(None, SH.property))
    return {
        short(shape)
        for shape in node_shapes | property_shapes
        if not shapes.value(shape, SH.deactivated, default=rdflib.Literal(False)).toPython()
        and any(p.startswith(str(SH)) and p not in _NOT_CONSTRAINTS for p in shapes.predicates(shape))
    }


def test_every_shape_that_can_report_is_the_source_of_a_fixture_s_result(shapes_graph: rdflib.Graph) -> None:
    """A shape added without a negative fixture fails here; each fixture's own test checks its shape reports."""
    reporting = reporting_shapes(shapes_graph)
    covered = {expected[4] for fixture in SHACL_FIXTURES for expected in expectations(fixture)}
    assert len(reporting) > 100
    assert sorted(reporting - covered) == []


def test_shipped_data_has_no_violation(settings) -> None:
    report = validate_paths([settings.data_dir], settings)
    assert not report.fails("violation"), [observed(r) for r in report.results if r.severity == "violation"]
    assert len(report.resources) > 300


def test_shapes_conform_to_shacl_shacl(settings) -> None:
    conforms, text = check_shapes(settings)
    assert conforms, text


def test_every_shape_has_a_message_and_a_severity(shapes_graph: rdflib.Graph) -> None:
    shapes = shapes_graph
    kinds = set(shapes.subjects(rdflib.RDF.type, SH.NodeShape)) | set(shapes.objects(None, SH.property))
    kinds |= set(shapes.subjects(rdflib.RDF.type, SH.PropertyShape))
    missing = [short(s) for s in kinds if shapes.value(s, SH.message) is None or shapes.value(s, SH.severity) is None]
    assert len(kinds) > 80
    assert missing == []


@pytest.mark.parametrize("name", ["entry-into-force-before-adoption", "label-taken-by-another-treaty"])
def test_sparql_constraints_on_pyoxigraph_agree_with_pyshacl(settings, name: str) -> None:
    """Our SHACL-SPARQL engine finds what pySHACL alone finds, on the same files and shapes."""
    from pyshacl import validate

    files = [FIXTURES / "shacl" / f"{name}.ttl", ROOT / "data" / "trafficking-smuggling.ttl"]
    ours = validate_paths(files, settings)
    data = to_rdflib(q for parsed in parse_files(files, ROOT) for q in parsed.quads)
    ontology = to_rdflib(q for parsed in parse_files([settings.ontology_dir], ROOT) for q in parsed.quads)
    shapes = to_rdflib(q for parsed in parse_files([settings.shapes_dir], ROOT) for q in parsed.quads)
    _, graph, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    theirs = {
        (str(graph.value(r, SH.focusNode)), str(graph.value(r, SH.resultPath)), str(graph.value(r, SH.sourceShape)))
        for r in graph.subjects(rdflib.RDF.type, SH.ValidationResult)
        if graph.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    }
    sparql = [r for r in ours.results if r.component == SH.SPARQLConstraintComponent]
    mine = {(str(r.focus), str(r.path), str(r.shape)) for r in sparql}
    assert mine == theirs
    assert mine


def test_a_store_s_contents_give_the_same_results_as_its_files(settings, tmp_path: Path) -> None:
    from mgkg.checks.shacl import validate_store
    from mgkg.store import EmbeddedStore
    from mgkg.store.ondisk import build_store

    fixture = FIXTURES / "shacl" / "entry-into-force-before-adoption.ttl"
    files = validate_paths([settings.data_dir, fixture], settings)
    build_store(tmp_path / "store", [settings.ontology_dir, settings.data_dir, fixture], settings.root)
    stored = validate_store(EmbeddedStore.on_disk(tmp_path / "store"), settings)
    # results come sorted by file and line, and an export's lines are not the Turtle file's: compare as multisets
    assert sorted(observed(r) for r in stored.results) == sorted(observed(r) for r in files.results) != []
    assert Path("tests/fixtures/shacl/entry-into-force-before-adoption.nt") in {r.source.path for r in stored.results}


def test_an_edited_shapes_file_is_read_again(settings, tmp_path: Path) -> None:
    """Shapes and context are parsed once for repeated runs, but an edit on disk is seen by the next run."""
    fixture = FIXTURES / "shacl" / "description-missing.ttl"
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n")
    before = validate_paths([fixture], settings, context=[settings.data_dir], extra_shapes=[extra])
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix mg: <https://w3id.org/mgkg/ontology#> .\n"
        "<urn:x:MandateNeeded> a sh:NodeShape ; sh:targetClass mg:Treaty ;\n"
        "    sh:property [ sh:path mg:mandate ; sh:minCount 1 ] .\n"
    )
    after = validate_paths([fixture], settings, context=[settings.data_dir], extra_shapes=[extra])
    assert [observed(r)[2] for r in before.results] == ["sh:MinCountConstraintComponent"]
    assert sorted(short(r.path) for r in after.results) == ["dcterms:description", "mg:mandate"]


def test_a_link_to_no_such_resource_says_so_and_suggests_the_nearest_slug(settings) -> None:
    fixture = FIXTURES / "shacl" / "link-to-a-misspelt-slug.ttl"
    (result,) = validate_paths([fixture], settings, context=[settings.data_dir]).results
    assert result.message.endswith("There is no such resource as mgid:refugee-regim; did you mean mgid:refugee-regime?")
    assert "mgid:refugee-regim ;" in fixture.read_text().splitlines()[result.line - 1]


def test_a_link_to_a_resource_that_exists_says_nothing_of_the_kind(settings) -> None:
    fixture = FIXTURES / "shacl" / "forum-sub-regime-of-a-regime.ttl"
    results = validate_paths([fixture], settings, context=[settings.data_dir]).results
    assert results and not any("no such resource" in r.message for r in results)
