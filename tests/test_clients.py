"""Real SPARQL clients against a live server: SPARQLWrapper, rdflib's and pyoxigraph's SERVICE
clause, and Comunica (node; its tooling lives in tests/clients/)."""

from __future__ import annotations

import json
import shutil
import subprocess

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from conftest import ROOT, live_server, skip_without
from mgkg.settings import Settings
from mgkg.web.app import create_app

REGIME = "https://w3id.org/mgkg/ontology#Regime"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
CLIENTS = ROOT / "tests" / "clients"
TREATIES = f"?treaty a mg:Treaty ; <{LABEL}> ?label ; mg:adoptionDate ?date ; mg:partOfRegime ?regime"
MG = "PREFIX mg: <https://w3id.org/mgkg/ontology#>\n"
COMUNICA_QUERIES = [
    f"{MG}SELECT ?treaty ?label ?date ?regime (STRLEN(?label) AS ?n) {{ {TREATIES} }} ORDER BY ?date ?treaty",
    f"{MG}CONSTRUCT {{ {TREATIES} }} WHERE {{ {TREATIES} }}",
]


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


def test_pyoxigraph_service_clause_federates_into_our_endpoint(endpoint) -> None:
    rows = ox.Store().query(f"SELECT ?label WHERE {{ SERVICE <{endpoint}> {{ <{REGIME}> <{LABEL}> ?label }} }}")
    assert [row["label"] for row in rows] == [ox.Literal("regime", language="en")]  # type: ignore[index]


@pytest.fixture(scope="module")
def comunica() -> None:
    if shutil.which("node") is None:
        skip_without("node, which runs Comunica", "apt-get install nodejs npm, then make test")
    if not (CLIENTS / "node_modules" / "@comunica" / "query-sparql").is_dir():
        skip_without("Comunica", "npm ci --prefix tests/clients (make test does when node is installed)")


def _comunica(endpoint: str, query: str) -> list[dict]:
    done = subprocess.run(["node", str(CLIENTS / "comunica.mjs"), endpoint, query], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _ours(endpoint: str, query: str) -> list[dict]:
    """Our answer in the shape comunica.mjs prints: rows of SPARQL JSON terms, or {s, p, o} triples."""
    if "CONSTRUCT" in query:
        answer = httpx.get(endpoint, params={"query": query}, headers={"accept": "application/n-triples"})
        return [{"s": _term(t.subject), "p": _term(t.predicate), "o": _term(t.object)}
                for t in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)]
    answer = httpx.get(endpoint, params={"query": query}, headers={"accept": "application/sparql-results+json"})
    return answer.json()["results"]["bindings"]


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    plain = term.datatype.value == "http://www.w3.org/2001/XMLSchema#string"
    return {"type": "literal", "value": term.value} | ({} if plain else {"datatype": term.datatype.value})


@pytest.mark.parametrize("query", COMUNICA_QUERIES, ids=["select", "construct"])
def test_comunica_finds_our_endpoint_and_gets_our_answers(comunica, endpoint, query) -> None:
    """Comunica detects a SPARQL endpoint from our service description and returns exactly our answers."""
    theirs, ours = _comunica(endpoint, query), _ours(endpoint, query)
    assert len(ours) >= 10
    if "ORDER BY" in query:
        assert theirs == ours
    else:
        assert sorted(map(json.dumps, theirs)) == sorted(map(json.dumps, ours))
