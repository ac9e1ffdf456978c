"""Search in the static mirror: search.js filters /search-index.json in Chromium, as the server would."""

from __future__ import annotations

import pytest

from browser.conftest import Tab
from mgkg import __version__
from mgkg.pages.catalog import catalog
from mgkg.pages.mirror import relative

pytestmark = pytest.mark.browser


def search(tab: Tab, base: str, text: str) -> list[tuple[str, str]]:
    """Type `text` into the search page's box, submit, and read the result links (text, href) in order."""
    page = tab.page
    page.goto(base + "/search/")
    page.get_by_label("Label or acronym").fill(text)
    page.get_by_label("Label or acronym").press("Enter")
    page.locator("#results h2").wait_for()
    pairs = page.locator("#results li > a").evaluate_all("as => as.map(a => [a.textContent, a.getAttribute('href')])")
    return [(text, href) for text, href in pairs]


def expected(site_store, text: str) -> list[tuple[str, str]]:
    """What the live server lists for `text`: the mirror must agree, in the same order (its links relative)."""
    return [(entry.label, relative(entry.href, "search/index.html")) for entry in catalog(site_store).search(text)]


def test_an_acronym_finds_its_resource_and_the_link_opens_it(mirror_tab, mirror, site_store) -> None:
    page = mirror_tab.page
    found = search(mirror_tab, mirror, "UNHCR")
    mirror_tab.screenshot("static-search-acronym")
    assert found == expected(site_store, "UNHCR") != []
    assert page.locator("#results h2").inner_text() == "1 result for “UNHCR”"
    assert page.locator("#results li").first.inner_text().endswith("(UNHCR)")
    assert page.title() == "“UNHCR”: search · MGKG"
    page.get_by_role("link", name="Office of the United Nations High Commissioner for Refugees").click()
    page.wait_for_url("**/page/unhcr/")
    assert page.title() == "Office of the United Nations High Commissioner for Refugees · MGKG"


def test_a_word_of_labels_lists_them_as_the_server_does(mirror_tab, mirror, site_store) -> None:
    found = search(mirror_tab, mirror, "  Status   of refugees ")
    mirror_tab.screenshot("static-search-words")
    assert len(found) >= 2 and found == expected(site_store, "status of refugees")
    assert mirror_tab.page.get_by_label("Label or acronym").input_value() == "Status   of refugees"  # trimmed only
    found = search(mirror_tab, mirror, "refugees")
    assert len(found) >= 4 and found == expected(site_store, "refugees")
    mirror_tab.page.get_by_role("link", name="Protocol relating to the Status of Refugees").click()
    mirror_tab.page.wait_for_url("**/page/**")
    assert mirror_tab.page.locator("h1").inner_text() == "Protocol relating to the Status of Refugees"


def test_markup_in_a_name_is_shown_as_text(mirror_tab, mirror, site_store) -> None:
    dialogs: list[str] = []
    mirror_tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    found = search(mirror_tab, mirror, "<b>TF</b>")
    assert found == expected(site_store, "<b>TF</b>") != []
    assert mirror_tab.page.locator("#results b, #results script").count() == 0
    assert dialogs == []


def test_a_query_without_match_says_so(mirror_tab, mirror, site_store) -> None:
    found = search(mirror_tab, mirror, "no such governance body")
    mirror_tab.screenshot("static-search-nothing")
    assert found == [] == expected(site_store, "no such governance body")
    assert mirror_tab.page.locator("#results h2").inner_text() == "0 results for “no such governance body”"


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
