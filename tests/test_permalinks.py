"""A query's URL is its permalink: browsers get the editor holding it, machines the protocol's answer."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from htmlcheck import check_page
from mgkg.settings import Settings
from mgkg.web.app import create_app

QUERY = "SELECT ?label WHERE { <https://w3id.org/mgkg/id/unhcr> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
URL = "/sparql?query=" + quote(QUERY, safe="")
CHROMIUM = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(tmp_path_factory, site_store) -> TestClient:
    root = tmp_path_factory.mktemp("root")
    (root / "queries").mkdir()
    return TestClient(create_app(Settings(root=root), store=site_store))


@pytest.mark.parametrize("accept", [CHROMIUM, "text/html", "text/html, application/sparql-results+json;q=0.9"])
def test_a_browser_opening_a_query_url_gets_the_editor_holding_it(client, accept) -> None:
    response = client.get(URL, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    outline = check_page(response.text)
    assert "sparql-editor.js" in " ".join(outline.assets)
    # The query sits in the editor, escaped, and the page asks for it to be run at once.
    assert "&lt;https://w3id.org/mgkg/id/unhcr&gt;" in response.text and "data-run-at-once" in response.text


@pytest.mark.parametrize("accept", [None, "*/*", "application/sparql-results+json", "application/json, text/html;q=0.5",
                                    "text/html;q=0.8, application/sparql-results+json"])
def test_machines_get_results_at_the_same_url(client, accept) -> None:
    response = client.get(URL, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    labels = [row["label"]["value"] for row in json.loads(response.text)["results"]["bindings"]]
    assert labels == ["Office of the United Nations High Commissioner for Refugees"]


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+xml", "application/sparql-results+xml"), ("text/csv", "text/csv")])
def test_every_result_format_still_wins_over_the_page(client, accept, media_type) -> None:
    response = client.get(URL, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(media_type)


def test_format_parameter_means_the_protocol_even_for_a_browser(client) -> None:
    response = client.get(URL + "&format=csv", headers={"Accept": CHROMIUM})
    assert response.headers["content-type"].startswith("text/csv")
    assert "High Commissioner" in response.text


def test_the_editor_without_a_query_holds_a_first_example_and_does_not_run_it(client) -> None:
    page = client.get("/sparql", headers={"Accept": CHROMIUM}).text
    assert "data-run-at-once" not in page and "rdfs:subClassOf*" in page


def test_a_bad_query_url_still_opens_the_editor_for_people(client) -> None:
    response = client.get("/sparql?query=" + quote("SELECT ?x WHERE {", safe=""), headers={"Accept": CHROMIUM})
    assert response.status_code == 200 and "SELECT ?x WHERE {" in response.text
    machine = client.get("/sparql?query=" + quote("SELECT ?x WHERE {", safe=""))
    assert machine.status_code == 400


def test_the_describe_link_of_a_page_is_a_permalink_to_the_editor(client) -> None:
    page = client.get("/page/unhcr").text
    describe = next(link for link in check_page(page).links if link.startswith("/sparql?query=DESCRIBE"))
    response = client.get(describe, headers={"Accept": CHROMIUM})
    assert response.headers["content-type"].startswith("text/html") and "DESCRIBE &lt;" in response.text
    assert client.get(describe, headers={"Accept": "text/turtle"}).headers["content-type"].startswith("text/turtle")
