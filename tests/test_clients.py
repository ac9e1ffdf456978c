"""Real SPARQL clients against a live server: SPARQLWrapper, and rdflib's SERVICE clause."""

from __future__ import annotations

import pytest
import rdflib
from fastapi.testclient import TestClient
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from conftest import live_server
from mgkg.app import create_app
from mgkg.settings import Settings

REGIME = "https://w3id.org/mgkg/ontology#Regime"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def endpoint(settings, graph_store):
    with live_server(create_app(settings, store=graph_store)) as url:
        yield f"{url}/sparql"


def test_sparqlwrapper_select_json(endpoint) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"SELECT ?label WHERE {{ <{REGIME}> <{LABEL}> ?label }}")
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [b["label"]["value"] for b in bindings] == ["regime"]


def test_sparqlwrapper_post_construct_turtle(endpoint) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery(f"CONSTRUCT WHERE {{ <{REGIME}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert (rdflib.URIRef(REGIME), rdflib.URIRef(LABEL), rdflib.Literal("regime", lang="en")) in graph


def test_rdflib_service_clause_federates_into_our_endpoint(endpoint) -> None:
    local = rdflib.Graph()
    local.add((rdflib.URIRef("urn:x:me"), rdflib.URIRef("urn:x:studies"), rdflib.URIRef(REGIME)))
    rows = local.query(f"""
        SELECT ?label WHERE {{
          <urn:x:me> <urn:x:studies> ?class .
          SERVICE <{endpoint}> {{ ?class <{LABEL}> ?label }}
        }}""")
    assert [str(row[0]) for row in rows] == ["regime"]


def test_allowlisted_service_federates_and_others_are_refused(settings, graph_store, endpoint) -> None:
    allowing = TestClient(create_app(Settings(root=settings.root, workers=0, service_allowlist=(endpoint,)),
                                     store=graph_store))
    federated = f"SELECT ?label WHERE {{ SERVICE <{endpoint}> {{ <{REGIME}> <{LABEL}> ?label }} }}"
    response = allowing.get("/sparql", params={"query": federated})
    assert response.status_code == 200, response.text
    assert [b["label"]["value"] for b in response.json()["results"]["bindings"]] == ["regime"]
    elsewhere = allowing.get("/sparql", params={"query": federated.replace(endpoint, endpoint + "/other")})
    assert elsewhere.status_code == 400 and endpoint + "/other" in elsewhere.text
