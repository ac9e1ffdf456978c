"""Search as a researcher uses it: a name, an acronym, or words remembered from a description or a quote."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from htmlcheck import check_page
from mgkg.pages.catalog import Entry
from mgkg.pages.describe import all_resources
from mgkg.pages.search import find, normal
from mgkg.web.app import create_app


@pytest.fixture(scope="module")
def client(settings, site_store) -> TestClient:
    return TestClient(create_app(settings, store=site_store))


def hit_names(client: TestClient, text: str) -> list[str]:
    page = client.get("/search", params={"q": text}).text
    return re.findall(r'<li><a href="/page/([^"]+)">', page)


# ---- the rule, on entries made for it -------------------------------------------------------------

ENTRIES = [  # in catalogue order: by label, then slug
    Entry("migrant-workers", "migrant workers", description="People who migrate for work."),
    Entry("mwc", "Migrant Workers Convention", ["MWC"], description="A treaty on the rights of migrant workers."),
    Entry("refugees", "refugees", quotes=["the migrant workers were not refugees"]),
    Entry("workers-forum", "the forum of workers and migrants", description="migrant labour"),
]


def slugs(text: str) -> list[str]:
    return [hit.entry.slug for hit in find(ENTRIES, text)]


def test_an_exact_name_or_acronym_comes_first() -> None:
    assert slugs("MWC") == ["mwc"]
    assert slugs("migrant workers") == ["migrant-workers", "mwc", "workers-forum", "refugees"]
    assert [hit.tier for hit in find(ENTRIES, "migrant workers")] == [0, 1, 2, 4]


def test_then_names_that_hold_every_word_then_descriptions_then_quotes() -> None:
    assert slugs("workers migrant") == ["migrant-workers", "mwc", "workers-forum", "refugees"]
    assert [hit.tier for hit in find(ENTRIES, "workers migrant")] == [2, 2, 2, 4]
    assert slugs("labour") == ["workers-forum"] and find(ENTRIES, "labour")[0].tier == 3
    assert slugs("rights") == ["mwc"] and find(ENTRIES, "rights")[0].tier == 3


def test_a_quote_hit_carries_the_quote_it_was_found_in() -> None:
    (hit,) = find(ENTRIES, "were not")
    assert (hit.entry.slug, hit.tier, hit.quote) == ("refugees", 4, "the migrant workers were not refugees")


def test_case_and_spacing_do_not_matter_and_empty_text_finds_nothing() -> None:
    assert normal("  Migrant \t WORKERS\n") == "migrant workers"
    assert slugs("  MIGRANT   workers ") == slugs("migrant workers")
    assert slugs("   ") == [] and slugs("no such thing") == []


def test_at_most_the_limit() -> None:
    assert len(find(ENTRIES, "r", limit=2)) == 2


# ---- the search page ------------------------------------------------------------------------------

def test_an_acronym_finds_its_resource_with_badge_and_description(client) -> None:
    page = client.get("/search", params={"q": "gfmd"}).text
    check_page(page)
    assert '<a href="/page/gfmd">Global Forum on Migration and Development</a>' in page
    assert '<span class="badge">global forum</span>' in page.lower()
    found = hit_names(client, "gfmd")
    assert found[0] == "gfmd"  # the exact acronym first, then the meeting whose quote names it
    assert f"{len(found)} result{'s' if len(found) > 1 else ''} for" in page
    assert "0 results" in client.get("/search", params={"q": "zzzz"}).text


def test_words_of_a_description_and_of_a_quote_are_found(client, site_store) -> None:
    assert hit_names(client, "durable solutions") == ["unhcr"]  # only in UNHCR's description
    page = client.get("/search", params={"q": "supervisory responsibility"}).text
    assert "in a quote: “UNHCR has supervisory responsibility for the 1951 Convention”" in page
    assert hit_names(client, "supervisory responsibility") == ["unhcr"]


def test_the_exact_name_ranks_above_quotes_that_mention_it(client) -> None:
    names = hit_names(client, "Geneva")
    assert names[0] == "geneva" and "iom" in names[1:]  # "IOM, based in Geneva" is a quote of IOM's
    names = hit_names(client, "convention")
    assert names[0] == "refugee-convention-1951" and "unhcr" in names[1:]  # a label's prefix first, a quote later


def test_one_search_box_per_page_holding_what_was_searched(client) -> None:
    page = client.get("/search", params={"q": "refugee convention"}).text
    assert page.count('type="search"') == 1
    assert 'value="refugee convention"' in page
    assert client.get("/page/unhcr").text.count('type="search"') == 1


def test_the_search_index_carries_what_the_browser_ranks_by(client, site_store) -> None:
    index = client.get("/search-index.json").json()
    assert {"gfmd", "unhcr", "geneva"} <= {entry["slug"] for entry in index} <= set(all_resources(site_store))
    order = [(entry["label"].lower(), entry["slug"]) for entry in index]
    assert order == sorted(order)  # search.js ranks with a stable sort over this order
    unhcr = next(entry for entry in index if entry["slug"] == "unhcr")
    assert (unhcr["href"], unhcr["alt_labels"], unhcr["type"]) == ("/page/unhcr", ["UNHCR"], "United Nations entity")
    assert unhcr["description"].startswith("The United Nations agency")
    assert "UNHCR has supervisory responsibility for the 1951 Convention" in unhcr["quotes"]
