"""References under each statement in real Chromium: collapsed, opened with a click, linked to the source."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_references_under_a_fact_open_and_lead_to_the_source(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/page/iom")
    founded = page.locator("dl.facts dd", has_text="1951").locator("details.refs")
    assert founded.locator("summary").inner_text() == "2 quotes · Martin 2015, Thesis 2011"
    quote = founded.get_by_text("IOM was founded in 1951.")
    assert not quote.is_visible()
    founded.locator("summary").click()
    assert quote.is_visible()
    tab.screenshot("resource-iom-references")
    founded.get_by_role("link", name="Martin 2015").click()
    page.wait_for_url("**/page/martin-2015-international-migration-and-global-governance")
    assert page.locator("h1").inner_text() == "International Migration and Global Governance"


def test_a_figure_chart_is_drawn(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/page/iom")
    chart = page.locator("figure.chart svg")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 100 and chart.locator("rect").count() == 3
