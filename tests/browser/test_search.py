"""Search on the live server, in Chromium: ranked hits with badges, one box, the header's type-ahead."""

from __future__ import annotations

import pytest

from browser.conftest import SEARCH_BOX as BOX

pytestmark = pytest.mark.browser


def test_the_server_page_shows_badges_and_one_box(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/search?q=refugee")
    tab.screenshot("search-refugee")
    assert page.locator("input[type=search]").count() == 1
    assert page.get_by_label(BOX).input_value() == "refugee"
    assert page.locator("#results li").count() == page.locator("#results li .badge").count() >= 6


def test_type_ahead_suggests_and_the_keyboard_opens_a_suggestion(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/page/unhcr")
    page.get_by_label(BOX).press_sequentially("gfm")
    suggestions = page.get_by_role("listbox", name="Suggestions")
    suggestions.get_by_role("option").first.wait_for()
    tab.screenshot("type-ahead-gfm")
    first = suggestions.get_by_role("option").first
    assert first.locator("a").inner_text() == "Global Forum on Migration and Development"
    assert first.locator(".badge").inner_text() != ""
    assert page.get_by_label(BOX).get_attribute("aria-expanded") == "true"
    page.get_by_label(BOX).press("ArrowDown")
    assert first.get_attribute("aria-selected") == "true"
    page.get_by_label(BOX).press("Enter")
    page.wait_for_url(live_server + "/page/gfmd")


def test_type_ahead_closes_on_escape_and_enter_still_searches(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/")
    page.get_by_label(BOX).press_sequentially("status of")
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    options.first.wait_for()
    assert options.count() == 3
    page.get_by_label(BOX).press("Escape")
    assert page.get_by_role("listbox", name="Suggestions").is_hidden()
    page.get_by_label(BOX).press("Enter")
    page.wait_for_url("**/search?q=status+of")
    assert page.locator("#results h2").inner_text() == "3 results for “status of”"



def test_arrows_move_through_the_suggestions_and_wrap(tab, live_server) -> None:
    page = tab.page
    page.goto(live_server + "/")
    box = page.get_by_label(BOX)
    box.press_sequentially("refugee")
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    options.first.wait_for()
    count = options.count()
    assert count >= 3
    selected = page.locator("#site-suggestions [aria-selected=true]")
    box.press("ArrowUp")  # from the box, up reaches the last suggestion
    assert box.get_attribute("aria-activedescendant") == options.nth(count - 1).get_attribute("id")
    box.press("ArrowDown")  # and down from the last wraps to the first
    box.press("ArrowDown")
    assert selected.count() == 1
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    tab.screenshot("type-ahead-second-selected")
    second = options.nth(1).locator("a").evaluate("a => a.href")
    box.press("Enter")
    page.wait_for_url(str(second))
    assert page.get_by_label(BOX).get_attribute("aria-expanded") == "false"


def test_on_a_narrow_screen_the_suggestions_stay_on_it_and_stay_short(tab, live_server) -> None:
    page = tab.page
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(live_server + "/page/unhcr")
    box = page.get_by_label(BOX)
    box.press_sequentially("unhcr")
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.get_by_role("option").first.wait_for()
    tab.screenshot("type-ahead-narrow")
    shape = listbox.bounding_box()
    assert shape is not None and shape["x"] >= 0 and shape["x"] + shape["width"] <= 400
    # a suggestion names the acronym the text was found in, and no other (the results page lists them all)
    assert listbox.locator(".alt").all_inner_texts()[0] == "(UNHCR)"
    box.fill("")
    box.press_sequentially("convention relating")
    listbox.get_by_role("option").first.wait_for()
    assert listbox.locator(".alt").count() == 0  # the label holds the text: "(1951 Refugee Convention)" would be noise
