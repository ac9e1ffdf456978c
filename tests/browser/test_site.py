"""The site in real headless Chromium: follow links as a reader does, search, the timeline, the editor."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import rdflib

from browser.conftest import SEARCH_BOX

pytestmark = pytest.mark.browser


def test_from_home_to_a_resource_and_its_data(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/")
    tab.screenshot("home")
    page.get_by_role("link", name="Actor", exact=True).click()
    page.wait_for_url("**/class/Actor")
    tab.screenshot("class-actor")
    page.get_by_role("link", name="Office of the United Nations High Commissioner for Refugees").click()
    page.wait_for_url("**/page/unhcr")
    tab.screenshot("resource-unhcr")
    assert page.locator("h1").inner_text() == "Office of the United Nations High Commissioner for Refugees"
    assert page.locator("a.wikidata").get_attribute("href") == "http://www.wikidata.org/entity/Q131656"
    quotes = page.locator("dl.facts details.refs").first
    assert not quotes.locator("blockquote").is_visible()  # references start collapsed under their fact
    quotes.locator("summary").click()
    assert quotes.locator("blockquote").first.is_visible()
    turtle_href = page.get_by_role("link", name="Turtle").get_attribute("href")
    response = page.request.get(live_server + turtle_href)
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text(), format="turtle")
    assert (rdflib.URIRef("https://w3id.org/mgkg/id/unhcr"), rdflib.RDFS.label, None) in graph


def test_an_identifier_opens_its_page(tab, live_server) -> None:
    tab.page.goto(live_server + "/id/gfmd")
    assert tab.page.url == live_server + "/page/gfmd"


def test_search_by_acronym(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/")
    page.get_by_label(SEARCH_BOX).fill("GFMD")
    page.get_by_label(SEARCH_BOX).press("Enter")
    page.wait_for_url("**/search?q=GFMD")
    tab.screenshot("search")
    page.get_by_role("link", name="Global Forum on Migration and Development").click()
    page.wait_for_url("**/page/gfmd")


def test_the_timeline_is_a_picture(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/timeline")
    tab.screenshot("timeline")
    svg = page.locator("figure.timeline svg")
    box = svg.bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 150
    assert svg.locator("text.year").all_text_contents()[:2] == ["1950", "1955"]  # the axis names every fifth year
    svg.locator("a", has_text="Global Forum on Migration and Development").click()
    page.wait_for_url("**/page/gfmd")


def test_the_query_editor_runs_an_example(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/sparql")
    page.get_by_label("Example question").select_option(label="Which forums does the graph know, by name?")
    assert "mg:Forum" in page.locator(".cm-content").inner_text()
    page.get_by_role("button", name="Run query").click()
    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    tab.screenshot("sparql")
    assert rows.count() == 5  # the conference, GFMD, two of its meetings and the forum with markup in its name
    first_link = page.locator("#results tbody a").first
    assert first_link.get_attribute("href").startswith("/id/")
    assert page.locator("#download-links a").count() == 4
    first_link.click()
    page.wait_for_url("**/page/**")


def test_the_query_editor_links_only_http_https_and_mailto_iris(tab, live_server) -> None:
    page = tab.page
    query = ("SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <JaVaScRiPt:alert(2)> <vbscript:msgbox(3)> "
             "<data:text/html,alert(4)> <https://example.org/> <mailto:a@example.org> } }")
    page.goto(live_server + "/sparql?query=" + quote(query))  # the editor holds the permalink's query
    page.get_by_role("button", name="Run query").click()
    page.locator("#results tbody tr").nth(5).wait_for()
    hrefs = page.locator("#results tbody a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == ["https://example.org/", "mailto:a@example.org"]
    cells = page.locator("#results tbody td").all_inner_texts()
    assert "javascript:alert(1)" in cells and "data:text/html,alert(4)" in cells
