"""Pages for analysis in Chromium: a class table sorted by a heading and downloaded as CSV, a series' meetings,
the timeline's filter by kind; on the live server and in the static mirror."""

from __future__ import annotations

import csv
import io

import pytest

from browser.conftest import Tab

pytestmark = pytest.mark.browser


def cells(tab: Tab, index: int) -> list[str]:
    """The data-sort values of one column of the class table, top to bottom."""
    return tab.page.locator(f"table.resources tbody tr td:nth-child({index + 1})").evaluate_all(
        "tds => tds.map(td => td.dataset.sort)")


def labels(tab: Tab) -> list[str]:
    return tab.page.locator("table.resources tbody tr td:first-child > a").all_inner_texts()


def test_a_heading_sorts_the_class_table_as_the_server_does(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/class/Forum")
    page.locator("th a[data-column=quotes]").click()
    assert page.url.endswith("/class/Forum?sort=quotes")  # sorted in the page, the address kept
    assert [int(n) for n in cells(tab, 5)] == sorted(int(n) for n in cells(tab, 5))
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Quotes")
    page.locator("th a[data-column=quotes]").click()
    descending = labels(tab)
    assert [int(n) for n in cells(tab, 5)] == sorted((int(n) for n in cells(tab, 5)), reverse=True)
    tab.screenshot("class-forum-by-quotes")
    page.goto(live_server + "/class/Forum?sort=-quotes")  # the same order, sorted by the server
    assert labels(tab) == descending
    page.locator("th a[data-column=dates]").click()
    dates = cells(tab, 2)
    filled = [d for d in dates if d]
    assert filled == sorted(filled) and dates[len(filled):] == [""] * (len(dates) - len(filled))


def test_without_script_the_headings_sort_on_the_server(browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/class/Forum")
    page.locator("th a[data-column=quotes]").click()
    page.wait_for_url("**/class/Forum?sort=quotes")
    quotes = page.locator("table.resources tbody td.num").all_inner_texts()
    assert [int(n) for n in quotes] == sorted(int(n) for n in quotes)
    context.close()


def test_the_csv_download_parses_and_holds_every_row(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/class/Forum")
    with page.expect_download() as event:
        page.get_by_role("link", name="Download the table as CSV").click()
    download = event.value
    assert download.suggested_filename == "Forum.csv"
    with open(download.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert sorted(r["label"] for r in rows) == sorted(labels(tab))
    assert {r["iri"] for r in rows} >= {"https://w3id.org/mgkg/id/gfmd", "https://w3id.org/mgkg/id/tricky-forum"}


def test_a_series_page_tables_its_meetings_with_links(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/page/gfmd")
    table = page.locator("table.meetings")
    tab.screenshot("series-gfmd")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_inner_texts()[:5] == [
        "1", "First meeting of the Global Forum, Brussels (2007)", "2007", "Belgium", "Brussels"]
    assert rows.nth(1).locator("td").nth(5).inner_text() == "Sweden"  # the chair
    rows.nth(1).get_by_role("link", name="Stockholm", exact=True).click()
    page.wait_for_url("**/page/stockholm")


def test_the_timeline_filters_by_kind_and_keeps_the_filter_in_the_address(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/timeline")
    forum = page.locator("figure.timeline g.mark[data-kinds=GlobalForum]")
    treaty = page.locator("figure.timeline g.mark[data-kinds=Treaty]").first
    assert forum.is_visible() and treaty.is_visible()
    assert not page.get_by_role("button", name="Show").is_visible()  # the boxes act at once
    page.locator("input[value=GlobalForum]").uncheck()
    assert not forum.is_visible() and treaty.is_visible()
    assert not page.locator("ol.events li", has_text="Global Forum on Migration").is_visible()
    assert "kind=Treaty" in page.url and "kind=GlobalForum" not in page.url
    tab.screenshot("timeline-without-global-forums")
    years = page.locator("figure.timeline text.year").all_text_contents()
    assert years[:2] == ["1950", "1955"] and "2005" in years  # a year every five, in proportion
    dots = page.locator("figure.timeline circle.dot").evaluate_all("cs => cs.map(c => Number(c.getAttribute('cy')))")
    assert dots == sorted(dots)


def test_the_mirror_sorts_from_the_address_filters_and_downloads(mirror_tab, mirror) -> None:
    page = mirror_tab.page
    page.goto(mirror + "/class/Forum/?sort=-quotes")
    quotes = [int(n) for n in cells(mirror_tab, 5)]
    assert quotes == sorted(quotes, reverse=True) and quotes[0] > quotes[-1]
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Quotes")
    csv_href = page.get_by_role("link", name="Download the table as CSV").get_attribute("href")
    assert csv_href == "../../class/Forum.csv"
    rows = list(csv.DictReader(io.StringIO(page.request.get(mirror + "/class/Forum.csv").text())))
    assert len(rows) == len(quotes)
    mirror_tab.screenshot("mirror-class-forum")
    page.goto(mirror + "/page/gfmd/")
    assert page.locator("table.meetings tbody tr").count() == 2
    page.goto(mirror + "/timeline/?kind=Treaty")
    assert page.locator("input[value=Treaty]").is_checked()
    assert not page.locator("input[value=GlobalForum]").is_checked()
    assert not page.locator("figure.timeline g.mark[data-kinds=GlobalForum]").is_visible()
    mirror_tab.screenshot("mirror-timeline-treaties")
