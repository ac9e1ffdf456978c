"""The dataset described where assessors look: schema.org JSON-LD in the home page, DCAT 3 by negotiation,
DCAT-AP's shapes passed through MGKG's own validator, and FAIR Signposting links on every landing page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from conftest import ROOT
from mgkg import __version__
from mgkg.checks.shacl import validate_paths
from mgkg.pages.release import FIRST_RELEASE_DATE, RELEASE_DATE
from mgkg.web.app import create_app

DCAT_AP = ROOT / "tests" / "vendor" / "dcat-ap-3.0.1"
BASE = "https://w3id.org/mgkg/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
PREFIXES = """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> """


@pytest.fixture(scope="module")
def client(settings, graph_store) -> TestClient:
    return TestClient(create_app(settings, store=graph_store))


@pytest.fixture(scope="module")
def schema_org(client) -> dict:
    page = client.get("/").text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def source_documents(store) -> set[str]:
    rows = store.query("SELECT ?s { ?s a <https://w3id.org/mgkg/ontology#SourceDocument> }")
    return {row["s"].value for row in rows}


def test_home_page_json_ld_is_a_schema_org_dataset_with_every_field(schema_org, graph_store) -> None:
    data = schema_org
    assert (data["@context"], data["@type"]) == ("https://schema.org/", "Dataset")
    assert data["name"].startswith("MGKG") and 50 <= len(data["description"]) <= 5000  # Google's bounds
    assert data["identifier"] == BASE + f"dataset/{__version__}" and data["url"] == BASE
    assert data["creator"]["name"] and data["publisher"]["@type"] == "Organization"
    assert data["license"] == CC_BY
    assert (data["version"], data["datePublished"], data["dateModified"]) == (
        __version__, FIRST_RELEASE_DATE, RELEASE_DATE)
    assert len(data["keywords"]) >= 5 and data["isAccessibleForFree"] is True and data["inLanguage"] == "en"
    based_on = {work["@id"]: work for work in data["isBasedOn"]}
    assert set(based_on) == source_documents(graph_store) and len(based_on) == 5
    assert any(work.get("identifier", "").startswith("https://doi.org/10.") for work in based_on.values())
    downloads = data["distribution"]
    formats = {d["encodingFormat"] for d in downloads}
    assert formats == {"application/n-quads", "application/trig", "application/ld+json"}
    for download in downloads:
        assert download["@type"] == "DataDownload" and download["contentUrl"].startswith(BASE + "downloads/")
        assert re.fullmatch(r"\d+ B", download["contentSize"])
    assert data["potentialAction"]["target"]["urlTemplate"].startswith(BASE + "sparql?query=")


def test_content_sizes_are_those_of_the_served_files(schema_org, client) -> None:
    for download in schema_org["distribution"]:
        body = client.get(download["contentUrl"].removeprefix(BASE.rstrip("/"))).content
        assert f"{len(body)} B" == download["contentSize"]


def dcat_graph(response) -> ox.Store:
    media_type = response.headers["content-type"].split(";")[0]
    graph = ox.Store()
    graph.extend(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type)))
    return graph


def ask(graph: ox.Store, pattern: str) -> bool:
    return bool(graph.query(PREFIXES + f"ASK {{ {pattern} }}", use_default_graph_as_union=True))


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/rdf+xml",
                                    "application/n-triples"])
def test_home_page_asked_for_rdf_is_a_dcat_3_description(client, accept) -> None:
    response = client.get("/", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"].split(", ")
    graph = dcat_graph(response)
    dataset, version = f"<{BASE}dataset>", f"<{BASE}dataset/{__version__}>"
    assert ask(graph, f"<{BASE}> a dcat:Catalog ; dcat:dataset {dataset} ; dcat:service ?service ; dct:title ?t")
    assert ask(graph, f"{dataset} a dcat:Dataset ; dct:license <{CC_BY}> ; dcat:hasVersion {version} ; "
                      f"dct:issued '{FIRST_RELEASE_DATE}'^^xsd:date ; dct:modified '{RELEASE_DATE}'^^xsd:date")
    assert ask(graph, f"{version} a dcat:Dataset ; dcat:version '{__version__}' ; dct:isVersionOf {dataset}")
    distributions = graph.query(PREFIXES + f"""SELECT ?d ?url ?size ?sum {{ {version} dcat:distribution ?d .
        ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:byteSize ?size ; dct:license <{CC_BY}> ;
           spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sum ] }}""",
                                use_default_graph_as_union=True)
    rows = list(distributions)
    assert len(rows) == 3
    for row in rows:
        assert int(row["size"].value) > 1000 and re.fullmatch(r"[0-9a-f]{64}", row["sum"].value)
    # Checked on the parsed statements: a pyoxigraph Store files xsd:nonNegativeInteger under xsd:integer.
    media_type = response.headers["content-type"].split(";")[0]
    sizes = [q.object for q in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type))
             if q.predicate.value == "http://www.w3.org/ns/dcat#byteSize"]
    assert {size.datatype.value for size in sizes} == {"http://www.w3.org/2001/XMLSchema#nonNegativeInteger"}
    assert ask(graph, f"?s a dcat:DataService ; dcat:endpointURL <{BASE}sparql> ; dcat:servesDataset {dataset}")


def test_home_page_negotiates_html_for_browsers(client) -> None:
    response = client.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    assert client.get("/", headers={"Accept": "text/turtle"}).headers["etag"] != response.headers["etag"]


def test_dataset_iri_dereferences_and_its_description_is_a_file(client) -> None:
    assert client.get("/dataset", headers={"Accept": "text/turtle"}, follow_redirects=False).headers[
        "location"] == "/dataset.ttl"
    assert client.get("/dataset", follow_redirects=False).headers["location"] == "/"
    assert client.get("/dataset.ttl").content == client.get("/", headers={"Accept": "text/turtle"}).content
    assert client.get("/dataset.csv", headers={"Accept": "text/plain"}).status_code == 404


def dcat_ap_report(path: Path, settings):
    return validate_paths([path], settings, extra_shapes=[DCAT_AP])


def test_dcat_description_passes_the_dcat_ap_shapes(client, settings, tmp_path) -> None:
    path = tmp_path / "dataset.ttl"
    path.write_bytes(client.get("/dataset.ttl").content)
    report = dcat_ap_report(path, settings)
    assert not report.fails("violation"), [(str(r.focus), str(r.path), r.message) for r in report.results]
    assert report.resources  # the validator did read the description


def test_the_dcat_ap_check_catches_a_distribution_without_an_access_url(client, settings, tmp_path) -> None:
    path = tmp_path / "broken.ttl"
    text = client.get("/dataset.ttl").text
    path.write_text(re.sub(r"\s*dcat:accessURL <[^>]*> ;", "", text))
    report = dcat_ap_report(path, settings)
    assert report.count("violation") == 3
    assert {str(r.path) for r in report.results if r.severity == "violation"} == {
        "http://www.w3.org/ns/dcat#accessURL"}


def links(response) -> dict[str, list[tuple[str, str | None]]]:
    found: dict[str, list[tuple[str, str | None]]] = {}
    for target, params in re.findall(r"<([^>]*)>((?:\s*;\s*[a-z]+=\"[^\"]*\")*)", response.headers["link"]):
        attributes = dict(re.findall(r'([a-z]+)="([^"]*)"', params))
        found.setdefault(attributes["rel"], []).append((target, attributes.get("type")))
    return found


def test_home_page_signposts_citation_description_items_license_and_type(client, schema_org) -> None:
    signs = links(client.get("/"))
    assert signs["cite-as"] == [(BASE + "dataset", None)]
    assert (BASE + "dataset.ttl", "text/turtle") in signs["describedby"]
    assert sorted(target for target, _ in signs["item"]) == sorted(d["contentUrl"] for d in schema_org["distribution"])
    assert signs["license"] == [(CC_BY, None)]
    assert ("https://schema.org/Dataset", None) in signs["type"]


def test_resource_pages_signpost_their_iri_data_license_and_dataset(client) -> None:
    signs = links(client.get("/page/unhcr"))
    assert signs["cite-as"] == [(BASE + "id/unhcr", None)]
    assert (BASE + "data/unhcr.ttl", "text/turtle") in signs["describedby"]
    assert signs["license"] == [(CC_BY, None)] and signs["collection"] == [(BASE + "dataset", None)]
    assert signs["type"] == [("https://schema.org/AboutPage", None)]
