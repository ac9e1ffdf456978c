"""Service description and VoID: generated from the running store, in the negotiated RDF format."""

from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from mgkg.settings import Settings
from mgkg.web.app import create_app

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def client(settings, graph_store) -> TestClient:
    return TestClient(create_app(settings, store=graph_store))


def _graph(response) -> ox.Store:
    fmt = ox.RdfFormat.from_media_type(response.headers["content-type"].split(";")[0])
    assert fmt is not None, response.headers["content-type"]
    graph = ox.Store()
    graph.extend(ox.parse(response.content, format=fmt, base_iri="http://testserver/"))
    return graph


def _value(graph: ox.Store, query: str) -> str:
    rows = list(graph.query(query, use_default_graph_as_union=True))
    assert len(rows) == 1, query
    return rows[0][0].value


def _count(store, query: str) -> str:
    return next(iter(store.query(query)))["n"].value


def test_get_without_query_is_the_service_description_in_turtle(client, graph_store) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    sd = _graph(response)
    prefix = f"PREFIX sd: <{SD}> PREFIX void: <{VOID}>"
    assert _value(sd, f"{prefix} SELECT ?e {{ ?s a sd:Service ; sd:endpoint ?e }}") == "http://testserver/sparql"
    assert bool(sd.query(f"{prefix} ASK {{ ?s sd:supportedLanguage sd:SPARQL11Query ; sd:feature sd:UnionDefaultGraph ;"
                         " sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_CSV> ,"
                         " <http://www.w3.org/ns/formats/Turtle> }", use_default_graph_as_union=True))
    names = {row[0].value for row in sd.query(f"{prefix} SELECT ?n {{ ?d sd:namedGraph/sd:name ?n }}",
                                                use_default_graph_as_union=True)}
    assert names == set(graph_store.named_graphs())
    total = _value(sd, f"{prefix} SELECT ?n {{ ?d sd:defaultGraph/void:triples ?n }}")
    assert total == _count(graph_store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert not bool(sd.query(f"{prefix} ASK {{ ?s sd:feature sd:BasicFederatedQuery }}"))


def test_service_description_tells_when_federation_is_on(settings, graph_store) -> None:
    allowing = Settings(root=settings.root, workers=0, service_allowlist=("https://query.wikidata.org/sparql",))
    sd = _graph(TestClient(create_app(allowing, store=graph_store)).get("/sparql"))
    assert bool(sd.query(f"PREFIX sd: <{SD}> ASK {{ ?s sd:feature sd:BasicFederatedQuery }}",
                         use_default_graph_as_union=True))


@pytest.mark.parametrize("accept", ["application/rdf+xml", "application/ld+json", "application/n-triples",
                                    "application/trig"])
def test_service_description_is_negotiated(client, accept) -> None:
    response = client.get("/sparql", headers={"accept": accept})
    assert response.headers["content-type"].split(";")[0] == accept
    assert len(_graph(response)) > 10


def test_browsers_get_the_editor_and_machines_the_description(client) -> None:
    browser = client.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 200 and browser.headers["content-type"].startswith("text/html")
    machine = client.get("/sparql", headers={"accept": "*/*"})
    assert machine.status_code == 200 and machine.headers["content-type"].startswith("text/turtle")


def test_void_counts_come_from_the_store(client, graph_store) -> None:
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    void = _graph(response)
    prefix = f"PREFIX void: <{VOID}>"
    for predicate, query in [
        ("triples", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
        ("distinctSubjects", "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"),
        ("distinctObjects", "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }"),
    ]:
        stated = _value(void, f"{prefix} SELECT ?n {{ ?d a void:Dataset ; void:sparqlEndpoint ?e ; void:{predicate} ?n "
                              "FILTER(STRSTARTS(STR(?d), 'http://testserver/')) }")
        assert stated == _count(graph_store, query), predicate
    classes = _value(void, f"{prefix} SELECT ?n {{ ?d void:classPartition [ void:class "
                           "<http://www.w3.org/2002/07/owl#Class> ; void:entities ?n ] }")
    owl_classes = "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?c a <http://www.w3.org/2002/07/owl#Class> }"
    assert classes == _count(graph_store, owl_classes)
    labels = _value(void, f"{prefix} SELECT ?n {{ ?d void:propertyPartition [ void:property "
                          "<http://www.w3.org/2000/01/rdf-schema#label> ; void:triples ?n ] }")
    label_triples = "SELECT (COUNT(*) AS ?n) { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }"
    assert labels == _count(graph_store, label_triples)


def test_void_links_to_wikidata_as_a_linkset(client, graph_store) -> None:
    void = _graph(client.get("/.well-known/void", params={"format": "nt"}))
    links = _value(void, f"PREFIX void: <{VOID}> SELECT ?n {{ ?l a void:Linkset ; "
                         "void:linkPredicate <http://www.w3.org/2002/07/owl#sameAs> ; void:triples ?n ; "
                         "void:objectsTarget [ void:uriSpace 'http://www.wikidata.org/entity/' ] }")
    assert links == _count(graph_store, "SELECT (COUNT(*) AS ?n) { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o "
                                        "FILTER(STRSTARTS(STR(?o), 'http://www.wikidata.org/entity/')) }")


def test_void_data_dump_names_the_release_files_which_keep_the_named_graphs(client, graph_store) -> None:
    void = _graph(client.get("/.well-known/void"))
    dumps = [row[0].value for row in void.query(f"PREFIX void: <{VOID}> SELECT ?u {{ ?d void:dataDump ?u }}",
                                                  use_default_graph_as_union=True)]
    assert sorted(url.rsplit(".", 1)[-1] for url in dumps) == ["gz", "jsonld", "trig"]
    for dump in dumps:
        assert dump.startswith("http://testserver/downloads/") and "query=" not in dump
        response = client.get(dump.removeprefix("http://testserver"))
        assert response.status_code == 200
        body = gzip.decompress(response.content) if dump.endswith(".gz") else response.content
        formats = {"gz": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
        fmt = formats[dump.rsplit(".", 1)[-1]]
        quads = list(ox.parse(body, format=fmt))
        assert len(quads) == len(graph_store)
        assert sorted({q.graph_name.value for q in quads}) == graph_store.named_graphs()


def test_head_answers_like_get(client) -> None:
    for path in ("/sparql", "/.well-known/void"):
        head, get = client.head(path), client.get(path)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]


def test_void_refuses_non_rdf(client) -> None:
    assert client.get("/.well-known/void", headers={"accept": "image/png"}).status_code == 406
