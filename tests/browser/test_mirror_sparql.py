"""The static mirror's query page in Chromium: Oxigraph's WebAssembly build answers over the mirror's own dump,
as the server answers over the same data, under /sub/path/ served by `python -m http.server`."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from browser.conftest import Tab

pytestmark = pytest.mark.browser

UNHCR = "https://w3id.org/mgkg/id/unhcr"


def _server(live_server: str, query: str, accept: str) -> httpx.Response:
    response = httpx.get(live_server + "/sparql", params={"query": query}, headers={"Accept": accept})
    response.raise_for_status()
    return response


def _open_permalink(tab: Tab, mirror: str, query: str) -> None:
    tab.page.goto(mirror + "/sparql/?query=" + quote(query, safe=""))


def test_the_describe_link_of_a_page_answers_in_the_browser(mirror_tab, mirror, live_server) -> None:
    page = mirror_tab.page
    page.goto(mirror + "/page/unhcr/")
    page.get_by_role("link", name="SPARQL DESCRIBE").click()
    page.wait_for_url(mirror + "/sparql/?query=DESCRIBE*")
    page.locator("#graph").wait_for()
    mirror_tab.screenshot("mirror-sparql-describe")
    assert page.locator("#status").inner_text().startswith("Graph result")
    assert f"<{UNHCR}>" in page.locator(".cm-content").inner_text()
    shown = rdflib.Graph().parse(data=page.locator("#graph").inner_text(), format="turtle")
    served = rdflib.Graph().parse(data=_server(live_server, f"DESCRIBE <{UNHCR}>", "text/turtle").text,
                                  format="turtle")
    assert len(shown) > 10 and isomorphic(shown, served)
    assert (rdflib.URIRef(UNHCR), rdflib.RDFS.label, None) in shown


def test_a_count_agrees_with_the_server(mirror_tab, mirror, live_server) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # the union of the named graphs, entailments included
    _open_permalink(mirror_tab, mirror, query)
    cell = mirror_tab.page.locator("#results tbody td").first
    cell.wait_for()
    served = _server(live_server, query, "application/sparql-results+json").json()
    assert int(cell.inner_text()) == int(served["results"]["bindings"][0]["n"]["value"]) > 100


def test_an_example_runs_and_its_rows_link_to_the_mirror_pages(mirror_tab, mirror, live_server) -> None:
    page = mirror_tab.page
    page.goto(mirror + "/sparql/")
    page.get_by_label("Example question").select_option(label="Which forums does the graph know, by name?")
    page.get_by_role("button", name="Run query").click()
    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    mirror_tab.screenshot("mirror-sparql-example")
    query = page.locator("template.example-query").first.evaluate("t => t.content.textContent")
    served = _server(live_server, query, "application/sparql-results+json").json()["results"]["bindings"]
    assert rows.count() == len(served) >= 2
    assert "?query=" in page.url  # the example's permalink, relative to the mirror
    page.locator("#results tbody a").first.click()
    page.wait_for_url(mirror + "/page/**")


def test_an_update_is_refused_with_a_message(mirror_tab, mirror) -> None:
    _open_permalink(mirror_tab, mirror, "PREFIX mg: <https://w3id.org/mgkg/ontology#>\n"
                                        "INSERT DATA { <https://example.org/x> a mg:Forum }")
    status = mirror_tab.page.locator("#status.error")
    status.wait_for()
    mirror_tab.screenshot("mirror-sparql-update")
    assert "read-only" in status.inner_text() and "INSERT" in status.inner_text()


def test_a_syntax_error_is_marked_where_it_is(mirror_tab, mirror) -> None:
    page = mirror_tab.page
    _open_permalink(mirror_tab, mirror, "SELECT ?x WHERE {\n  ?x a mgx:Forum }")
    status = page.locator("#status.error")
    status.wait_for()
    assert status.inner_text().startswith("unknown prefix mgx: at line 2, column")
    assert "mgx:Forum" in page.locator(".cm-line", has=page.locator(".cm-lintRange-error")).inner_text()


def test_a_result_downloads_as_the_server_writes_it(mirror_tab, mirror, live_server) -> None:
    query = "PREFIX mg: <https://w3id.org/mgkg/ontology#>\nCONSTRUCT WHERE { ?s mg:locatedIn ?o }"
    page = mirror_tab.page
    _open_permalink(mirror_tab, mirror, query)
    page.locator("#graph").wait_for()
    with page.expect_download() as download:
        page.locator("#download-links").get_by_role("link", name="nt", exact=True).click()
    saved = rdflib.Graph().parse(download.value.path(), format="nt")
    served = rdflib.Graph().parse(data=_server(live_server, query, "application/n-triples").text, format="nt")
    assert download.value.suggested_filename == "results.nt"
    assert len(saved) >= 2 and isomorphic(saved, served)
