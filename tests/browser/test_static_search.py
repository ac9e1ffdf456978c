"""Search in the static mirror, in Chromium: search.js ranks /search-index.json as the server does (pages/search.py)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from browser.conftest import SEARCH_BOX as BOX
from browser.conftest import Tab
from mgkg import __version__
from mgkg.pages.mirror import relative
from mgkg.pages.search import MAX_QUERY, hits
from mgkg.web.app import create_app

pytestmark = pytest.mark.browser

#: Queries that reach every tier of the rule (pages/search.py), with ties, markup and no match at all.
QUERIES = ["UNHCR", "unhcr", "refugee", "refugees", "  Status   of refugees ", "convention", "1951", "geneva",
           "migration", "durable solutions", "supervisory responsibility", "member states", "<b>TF</b>",
           "GFMD", "global", "no such governance body"]
#: Text that only a copy of the server's exact steps lists alike: whitespace Python splits on and JavaScript's
#: \s does not (and the reverse), case mappings beyond ASCII, markup, and a query the server cuts at MAX_QUERY.
ODD_QUERIES = ["refugee\x1cconvention", "\x85UNHCR\u3000", "\ufeffUNHCR", "Ｕｎｈｃｒ", "İSTANBUL", "ΣΤΑΤΟΥΣ",
               "<script>alert(1)</script>", "UNHCR" + " " * (MAX_QUERY - 5) + "geneva", "é" * 5000]


def search(tab: Tab, base: str, text: str) -> list[tuple[str, str]]:
    """Type `text` into the header box of the search page, submit, and read the hits (text, full href) in order."""
    page = tab.page
    page.goto(base + "/search/")
    page.get_by_label(BOX).fill(text)
    page.get_by_label(BOX).press("Enter")
    page.locator("#results h2").wait_for()
    pairs = page.locator("#results li > a").evaluate_all("as => as.map(a => [a.textContent, a.href])")
    return [(text, href) for text, href in pairs]


def expected(site_store, base: str, text: str) -> list[tuple[str, str]]:
    """What the server lists for `text`: the mirror must agree, in the same order, its links inside the mirror."""
    return [(hit.entry.label, f"{base}/{relative(hit.entry.href, 'search-index.json')}")
            for hit in hits(site_store, text)]


def test_the_mirror_ranks_every_query_as_the_server_does(mirror_tab, mirror, site_store) -> None:
    for text in QUERIES:
        assert search(mirror_tab, mirror, text) == expected(site_store, mirror, text), text
    assert len(expected(site_store, mirror, "refugee")) >= 6  # the list reaches past the names


def test_the_queries_reach_every_tier(site_store) -> None:
    assert {hit.tier for text in QUERIES for hit in hits(site_store, text)} == {0, 1, 2, 3, 4}


def listed(tab: Tab, address: str) -> tuple[list[str], list[str]]:
    """The hits' names and any hint of the results page at `address` once its script ran, opened directly."""
    tab.page.goto(address)
    tab.page.locator("#results h2").wait_for()
    results = tab.page.locator("#results")
    return results.locator("li > a").all_inner_texts(), results.locator(".hint").all_inner_texts()


def served(client: TestClient, text: str) -> tuple[list[str], list[str]]:
    """The hits' names and any hint in the HTML the server sends for `text`."""
    body = client.get("/search", params={"q": text}).text
    return ([unescape(name) for name in re.findall(r'<li><a href="[^"]*">([^<]*)</a>', body)],
            [unescape(hint) for hint in re.findall(r'<p class="hint">([^<]*)</p>', body.split('id="results"')[1])])


def test_odd_text_in_the_address_lists_what_the_server_lists(mirror_tab, mirror, settings, site_store) -> None:
    client = TestClient(create_app(settings, store=site_store))  # pages only: no query workers needed
    dialogs: list[str] = []
    mirror_tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for text in ODD_QUERIES:
        shown = served(client, text)
        assert listed(mirror_tab, f"{mirror}/search/?{urlencode({'q': text})}") == shown, repr(text)
        assert (shown[0] == []) == (shown[1] != []), repr(text)  # a search that finds nothing says what to try
    assert served(client, ODD_QUERIES[0])[0] != []  # split as Python splits
    assert dialogs == []


def test_a_hit_shows_its_badge_and_a_line_of_description(mirror_tab, mirror) -> None:
    page = mirror_tab.page
    search(mirror_tab, mirror, "durable solutions")
    mirror_tab.screenshot("static-search-description")
    hit = page.locator("#results li").first
    assert hit.locator(".badge").inner_text() == "United Nations entity"
    line = hit.locator(".line").first
    assert line.inner_text().startswith("The United Nations agency mandated to protect refugees")
    box = line.bounding_box()
    assert box is not None and box["height"] < 30  # one line, cut with an ellipsis
    search(mirror_tab, mirror, "supervisory responsibility")
    assert page.locator("#results .line.quote").inner_text().startswith("in a quote: “UNHCR has supervisory")
    assert page.title() == "“supervisory responsibility”: search · MGKG"
    page.get_by_role("link", name="Office of the United Nations High Commissioner for Refugees").click()
    page.wait_for_url(mirror + "/page/unhcr/")


def test_markup_in_a_name_is_shown_as_text(mirror_tab, mirror, site_store) -> None:
    dialogs: list[str] = []
    mirror_tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    assert search(mirror_tab, mirror, "<b>TF</b>") == expected(site_store, mirror, "<b>TF</b>") != []
    assert mirror_tab.page.locator("#results b, #results script").count() == 0
    assert dialogs == []


def test_type_ahead_in_the_mirror_opens_pages_inside_it(mirror_tab, mirror) -> None:
    page = mirror_tab.page
    page.goto(mirror + "/page/refugee-convention-1951/")
    page.get_by_label(BOX).press_sequentially("UNHCR")
    option = page.get_by_role("listbox", name="Suggestions").get_by_role("option").first
    option.wait_for()
    mirror_tab.screenshot("static-type-ahead")
    option.locator("a").click()
    page.wait_for_url(mirror + "/page/unhcr/")


def test_under_a_sub_path_the_styles_apply_and_links_stay_inside(mirror_tab, mirror) -> None:
    page = mirror_tab.page
    page.goto(mirror + "/page/unhcr/")
    mirror_tab.screenshot("static-subpath-unhcr")
    header = page.locator("header.site").evaluate("e => getComputedStyle(e).display")
    assert header == "flex"  # site.css was found through its relative address
    page.get_by_role("link", name="Convention relating to the Status of Refugees").first.click()
    page.wait_for_url(mirror + "/page/refugee-convention-1951/")
    page.get_by_role("link", name="SPARQL DESCRIBE").click()
    page.wait_for_url(mirror + "/sparql/?query=*")
    dump = page.get_by_role("link", name="the whole graph", exact=True).get_attribute("href")
    assert dump == f"../downloads/mgkg-{__version__}.nq.gz"
