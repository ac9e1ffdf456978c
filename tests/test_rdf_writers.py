"""Turtle, TriG and JSON-LD written as the data files are: nested evidence, sorted, parseable back to the same graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from mgkg.namespaces import PREFIXES
from mgkg.pages.describe import describe, serialize
from mgkg.rdf_writers import json_ld, json_ld_dataset, trig, turtle

MG = "https://w3id.org/mgkg/ontology#"
ID = "https://w3id.org/mgkg/id/"
UNHCR = ID + "unhcr"


def canonical(quads) -> ox.Dataset:
    dataset = ox.Dataset(q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def parsed(text: str | bytes, fmt: ox.RdfFormat) -> ox.Dataset:
    return canonical(ox.parse(text, format=fmt))


@pytest.fixture(scope="module")
def unhcr(graph_store) -> list[ox.Triple]:
    return describe(graph_store, UNHCR)


def test_turtle_of_a_description_is_the_same_graph(unhcr) -> None:
    assert parsed(serialize(unhcr, "ttl", UNHCR), ox.RdfFormat.TURTLE) == canonical(unhcr)


def test_turtle_nests_evidence_in_its_owner_as_the_data_files_do(unhcr) -> None:
    text = serialize(unhcr, "ttl", UNHCR).decode()
    assert "_:" not in text  # every evidence node hangs from one owner, so none needs a label
    block = text.split("\n\n")[1]
    assert block.startswith("mgid:unhcr\n    rdfs:label ")  # the resource opens the document, label first
    assert "    mg:evidence [\n        a mg:Evidence ;\n        mg:statesProperty " in block
    assert block.rstrip().endswith("] .")


def test_json_ld_is_compacted_under_a_context_and_reads_back(unhcr) -> None:
    text = serialize(unhcr, "jsonld", UNHCR)
    document = json.loads(text)
    assert document["@context"]["mg"] == MG and document["@context"]["schema"] == "https://schema.org/"
    first = document["@graph"][0]
    assert first["@id"] == "mgid:unhcr" and first["@type"] == "mg:UNEntity"
    evidence = first["mg:evidence"]
    assert evidence and all("@id" not in node and node["@type"] == "mg:Evidence" for node in evidence)
    assert "mg:quote" in evidence[0] and isinstance(evidence[0]["mg:quote"], str)
    assert parsed(text, ox.RdfFormat.JSON_LD) == canonical(unhcr)


def test_output_does_not_depend_on_blank_node_labels(unhcr) -> None:
    renamed, names = [], {}
    for t in unhcr:
        s, o = (names.setdefault(x, ox.BlankNode()) if isinstance(x, ox.BlankNode) else x
                for x in (t.subject, t.object))
        renamed.append(ox.Triple(s, t.predicate, o))
    assert turtle(renamed, PREFIXES, ox.NamedNode(UNHCR)) == turtle(unhcr, PREFIXES, ox.NamedNode(UNHCR))
    assert json_ld(renamed, PREFIXES) == json_ld(unhcr, PREFIXES)


def test_blank_nodes_used_twice_or_in_a_cycle_keep_a_label() -> None:
    p = ox.NamedNode(MG + "relatedTo")
    a, b, shared = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("s")
    triples = [ox.Triple(a, p, b), ox.Triple(b, p, a),  # a cycle: neither can nest in the other alone
               ox.Triple(ox.NamedNode(ID + "x"), p, shared), ox.Triple(ox.NamedNode(ID + "y"), p, shared),
               ox.Triple(shared, ox.NamedNode(MG + "quote"), ox.Literal("q"))]
    text = turtle(triples, PREFIXES)
    assert "_:s" in text and "_:" in text.replace("_:s", "")
    assert parsed(text, ox.RdfFormat.TURTLE) == canonical(triples)
    assert parsed(json_ld(triples, PREFIXES), ox.RdfFormat.JSON_LD) == canonical(triples)


def test_trig_and_json_ld_keep_one_graph_per_file_and_blank_nodes_across_graphs() -> None:
    node = ox.BlankNode("n")
    one, two = ox.NamedNode("https://w3id.org/mgkg/graph/data/one"), ox.NamedNode("https://w3id.org/mgkg/graph/data/two")
    quads = [ox.Quad(ox.NamedNode(ID + "x"), ox.NamedNode(MG + "figure"), node, one),
             ox.Quad(node, ox.NamedNode(MG + "value"), ox.Literal("3", datatype=ox.NamedNode(
                 "http://www.w3.org/2001/XMLSchema#integer")), two),
             ox.Quad(ox.NamedNode(ID + "y"), ox.NamedNode(MG + "quote"), ox.Literal('say "hi"\n'), two)]
    for text, fmt in ((trig(quads, PREFIXES), ox.RdfFormat.TRIG),
                      (json_ld_dataset(quads, PREFIXES), ox.RdfFormat.JSON_LD)):
        assert parsed(text, fmt) == canonical(quads), text
