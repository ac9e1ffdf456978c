"""The SPARQL endpoint answers over HTTP (the full protocol has its own issue)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mgkg.app import create_app


@pytest.fixture(scope="module")
def client(settings, graph_store) -> TestClient:
    return TestClient(create_app(settings, store=graph_store))


def test_count_query_returns_json_results(client) -> None:
    response = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_syntax_error_is_400(client) -> None:
    response = client.get("/sparql", params={"query": "SELECT WHERE"})
    assert response.status_code == 400
