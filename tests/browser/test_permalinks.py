"""Query addresses in real Chromium: a query URL opens the editor and runs; running a query puts it in the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest

pytestmark = pytest.mark.browser

QUERY = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
         "SELECT ?label WHERE { <https://w3id.org/mgkg/id/gfmd> rdfs:label ?label }")


def _query_in(url: str) -> str:
    return parse_qs(urlsplit(url).query)["query"][0]


def test_a_query_url_opens_the_editor_with_its_results(tab, live_server) -> None:
    page = tab.page
    response = page.goto(live_server + "/sparql?query=" + quote(QUERY, safe=""))
    assert response.headers["content-type"].startswith("text/html")
    page.locator("#results tbody tr").first.wait_for()
    tab.screenshot("sparql-permalink")
    assert page.locator("#results tbody td").first.inner_text() == "Global Forum on Migration and Development"


def test_running_a_query_puts_it_in_the_address_bar(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/sparql")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(QUERY)
    page.get_by_role("button", name="Run query").click()
    page.locator("#results tbody tr").first.wait_for()
    assert _query_in(page.url) == QUERY
    page.reload()  # the address is a permalink: opening it again shows the same answer
    page.locator("#results tbody tr").first.wait_for()
    assert page.locator("#results tbody td").first.inner_text() == "Global Forum on Migration and Development"


def test_an_example_gets_the_same_kind_of_address(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/sparql")
    page.get_by_label("Example question").select_option(label="Which forums does the graph know, by name?")
    page.wait_for_url("**/sparql?query=*")
    assert "mg:Forum" in _query_in(page.url)


def test_the_describe_link_opens_the_editor_with_the_description(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/page/unhcr")
    page.get_by_role("link", name="SPARQL DESCRIBE").click()
    page.wait_for_url("**/sparql?query=DESCRIBE*")
    graph = page.locator("#graph")
    graph.wait_for()
    assert "High Commissioner for Refugees" in graph.inner_text()
