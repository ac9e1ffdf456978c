"""The competency queries as examples: header parsing, query forms, and /.well-known/sparql-examples."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from conftest import ROOT
from mgkg.errors import ConfigurationError
from mgkg.queries import examples_listing, load_examples, parse_example, query_form
from mgkg.web.app import create_app

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SPEX = rdflib.Namespace("https://purl.expasy.org/sparql-examples/ontology#")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_header_fields_are_read_with_continuation_lines(tmp_path) -> None:
    path = write(tmp_path, "q.rq", (
        "# Question: Who chaired it,\n#   and when?\n# Shows: the chairs.\n"
        "# Features: OPTIONAL, VALUES\n# Keywords: leadership, forums\n"
        "PREFIX ex: <http://example.org/#>\nSELECT * WHERE { ?s ex:p ?o }\n"))
    example = parse_example(path)
    assert example.question == "Who chaired it, and when?"
    assert example.features == ("OPTIONAL", "VALUES")
    assert example.keywords == ("leadership", "forums")
    assert example.prefixes == {"ex": "http://example.org/#"}


def test_a_query_without_a_question_is_refused_naming_the_file(tmp_path) -> None:
    path = write(tmp_path, "nameless.rq", "# Shows: x\nASK {}\n")
    with pytest.raises(ConfigurationError, match=r"nameless\.rq"):
        parse_example(path)


@pytest.mark.parametrize(("text", "form"), [
    ("PREFIX a: <http://x/#select>\n# SELECT in a comment\nask { }", "ASK"),
    ("BASE <http://x/>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("prefix : <http://x/>\n\nDESCRIBE :a", "DESCRIBE"),
    ("SELECT ?x WHERE { }", "SELECT"),
])
def test_query_form_is_the_first_keyword_after_the_prologue(text: str, form: str) -> None:
    assert query_form(text) == form


def test_query_form_of_something_else_is_an_error() -> None:
    with pytest.raises(ConfigurationError):
        query_form("INSERT DATA { <a> <b> <c> }")


def test_federated_queries_are_those_in_the_federated_folder(tmp_path) -> None:
    write(tmp_path, "b.rq", "# Question: b?\nASK {}\n")
    write(tmp_path, "federated/a.rq", "# Question: a?\nASK { SERVICE <http://x/> {} }\n")
    examples = load_examples(tmp_path)
    assert [(e.name, e.federated) for e in examples] == [("a", True), ("b", False)]
    assert examples_listing(examples) == "a  a?\nb  b?\n"


@pytest.mark.parametrize(("accept", "status", "media_type"), [
    (None, 200, "text/turtle"),
    ("application/ld+json", 200, "application/ld+json"),
    ("text/turtle;q=0.5, application/n-triples", 200, "application/n-triples"),
    ("application/rdf+xml;q=0, text/html", 406, "text/plain"),  # as /.well-known/void: no RDF is acceptable
])
def test_examples_are_negotiated_like_every_rdf_answer(client, accept: str | None, status: int,
                                                       media_type: str) -> None:
    response = client.get("/.well-known/sparql-examples", headers={"Accept": accept} if accept else {})
    assert response.status_code == status
    assert response.headers["content-type"].startswith(media_type)


@pytest.fixture(scope="module")
def client(graph_store, settings) -> TestClient:
    return TestClient(create_app(settings, store=graph_store))


def test_well_known_examples_are_shacl_executables_in_turtle(client) -> None:
    response = client.get("/.well-known/sparql-examples")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    examples = load_examples(ROOT / "queries")
    executables = set(graph.subjects(rdflib.RDF.type, SH.SPARQLExecutable))
    assert len(executables) == len(examples)
    node = rdflib.URIRef("http://testserver/.well-known/sparql-examples/who-chaired-gcim")
    assert (node, rdflib.RDF.type, SH.SPARQLSelectExecutable) in graph
    assert "GCIM" in str(graph.value(node, SH.select))
    assert graph.value(node, rdflib.RDFS.comment).language == "en"
    assert graph.value(node, SCHEMA.target) == rdflib.URIRef("http://testserver/sparql")
    assert (node, SCHEMA.keywords, rdflib.Literal("leadership")) in graph
    namespaces = {str(graph.value(d, SH.prefix)): str(graph.value(d, SH.namespace))
                  for d in graph.objects(graph.value(node, SH.prefixes), SH.declare)}
    assert namespaces["mgid"] == "https://w3id.org/mgkg/id/"
    describe = rdflib.URIRef("http://testserver/.well-known/sparql-examples/describe-iom")
    assert (describe, rdflib.RDF.type, SPEX.SPARQLDescribeExecutable) in graph
    assert graph.value(describe, SPEX.describe) is not None


def test_well_known_examples_in_json_ld_by_accept(client) -> None:
    response = client.get("/.well-known/sparql-examples", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]  # gzip and CORS add theirs
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert len(set(graph.subjects(rdflib.RDF.type, SH.SPARQLAskExecutable))) >= 2
