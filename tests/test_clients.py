"""Real SPARQL clients against a live server: SPARQLWrapper, and rdflib's SERVICE clause."""

from __future__ import annotations

import pytest
import rdflib
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from conftest import live_server
from mgkg.app import create_app

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
