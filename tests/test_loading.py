"""Loading: one named graph per file, and parse errors that name the file and line."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from conftest import FIXTURES, ROOT
from mgkg.errors import InvalidDataError
from mgkg.rdf_files import RDF_FORMATS, graph_iri_for, parse_file, rdf_files
from mgkg.store.embedded import load_graph
from mgkg.store.entailment import ENTAILMENTS_GRAPH


def test_every_source_file_becomes_its_own_named_graph_beside_the_entailments(graph_store) -> None:
    files = rdf_files([ROOT / "ontology", ROOT / "data"])
    graphs = {str(g.value) for g in graph_store.oxigraph.named_graphs()}
    assert graphs == {graph_iri_for(path, ROOT).value for path in files} | {ENTAILMENTS_GRAPH}


def test_graph_iri_is_the_path_below_the_root() -> None:
    assert graph_iri_for(ROOT / "data" / "forums.ttl", ROOT).value == "https://w3id.org/mgkg/graph/data/forums"


def test_parse_error_names_file_and_line() -> None:
    broken = FIXTURES / "unterminated-string-on-line-7.ttl"
    with pytest.raises(InvalidDataError) as caught:
        parse_file(broken, ROOT)
    assert caught.value.path == broken
    assert caught.value.line == 7
    assert str(caught.value).startswith(f"{broken}:7: ")


def test_a_broken_file_adds_nothing_to_the_store() -> None:
    store = ox.Store()
    good, broken = FIXTURES / "consistent-instance.ttl", FIXTURES / "unterminated-string-on-line-7.ttl"
    with pytest.raises(InvalidDataError):
        load_graph(store, [good, broken], ROOT)
    assert len(store) == 0


def test_missing_path_is_reported() -> None:
    with pytest.raises(InvalidDataError, match="no such file"):
        rdf_files([ROOT / "data" / "does-not-exist.ttl"])


def test_every_format_the_server_writes_can_be_loaded(tmp_path) -> None:
    triple = ox.Triple(ox.NamedNode("https://w3id.org/mgkg/id/x"), ox.NamedNode("https://w3id.org/mgkg/ontology#p"),
                       ox.Literal("v", language="en"))
    for extension, fmt in RDF_FORMATS.items():
        path = tmp_path / f"one{extension}"
        ox.serialize([triple], output=str(path), format=fmt)
        parsed = parse_file(path, tmp_path)
        assert [(q.subject, q.predicate, q.object) for q in parsed.quads] == [(triple.subject, triple.predicate,
                                                                              triple.object)], extension
        assert parsed.quads[0].graph_name == parsed.graph
