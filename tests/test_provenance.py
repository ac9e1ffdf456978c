"""Provenance beside each statement, and figures people can read, on the pages of the site fixtures."""

from __future__ import annotations

import html5lib
import pytest

from mgkg.pages import render
from mgkg.pages.provenance import References, short_citation

NS = {"h": "http://www.w3.org/1999/xhtml"}


def _page(site_store, slug: str):
    return html5lib.parse(render.resource(site_store, slug))


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def _row(document, section: str, label: str):
    """The <dd> of the fact or link `label` in the <dl> of `section` (facts or links)."""
    terms = document.findall(f".//h:dl[@class='{section}']/h:*", NS)
    for term, value in zip(terms[::2], terms[1::2], strict=True):
        if _text(term) == label:
            return value
    raise AssertionError(f"no {label!r} in {section}")


def test_a_fact_shows_its_quotes_right_under_it_folded_and_cited(site_store) -> None:
    founded = _row(_page(site_store, "iom"), "facts", "founding date")
    references = founded.find("h:details[@class='refs']", NS)
    assert references is not None and "open" not in references.attrib  # collapsed until asked
    # Three evidence nodes, two of them the same words: two quotes, cited by author (or short title) and year.
    assert _text(references.find("h:summary", NS)) == "2 quotes · Martin 2015, Thesis 2011"
    quotes = [_text(q) for q in references.findall(".//h:blockquote", NS)]
    assert quotes == ["IOM was founded in 1951.", "created in 1951 as the Provisional Intergovernmental Committee"]
    source = references.find(".//h:p[@class='source']/h:a", NS)
    assert source.get("href") == "/page/martin-2015-international-migration-and-global-governance"
    # The hover text is the source's full dcterms:bibliographicCitation (data/sources.ttl).
    assert source.get("title").startswith("Martin, S. F. (2015). International Migration and Global Governance.")


def test_a_link_carries_its_own_quotes(site_store) -> None:
    links = _page(site_store, "unhcr").findall(".//h:dl[@class='links']/h:dd/h:ul/h:li", NS)
    by_target = {_text(li.find("h:a", NS)): li for li in links}
    convention = by_target["Convention relating to the Status of Refugees"]
    assert "UNHCR has supervisory responsibility" in _text(convention.find("h:details", NS))
    protocol = by_target["Protocol relating to the Status of Refugees"]
    assert protocol.find("h:details", NS) is None and _text(protocol.find("h:p", NS)) == "no quote"


def test_figures_say_what_they_count_with_separators_and_their_quote(site_store) -> None:
    document = _page(site_store, "iom")
    rows = document.findall(".//h:table[@class='figures']/h:tbody/h:tr", NS)
    cells = {(_text(r[1]), _text(r[2])): r for r in rows}
    staff = cells[("7,800", "2016")]
    assert "staff members of IOM" in _text(staff[0]) and "Other figure" in _text(staff[0])
    assert "staf members in more than 470 locations" in _text(staff[0].find("h:details", NS))
    caption = _text(document.find(".//h:table[@class='figures']/h:caption", NS))
    assert "publish" in caption  # "as of" is explained where it is used


def test_a_figure_with_several_dates_gets_a_chart_drawn_on_the_server(site_store) -> None:
    document = _page(site_store, "iom")
    charts = document.findall(".//h:figure[@class='chart']", NS)
    assert len(charts) == 1  # membership at three dates; one staff figure draws no chart
    svg = charts[0].find("{http://www.w3.org/2000/svg}svg")
    bars = svg.findall("{http://www.w3.org/2000/svg}rect")
    heights = [float(bar.get("height")) for bar in bars]
    assert [t.text for t in svg.findall("{http://www.w3.org/2000/svg}text[@class='year']")] == ["2011", "2015", "2016"]
    assert heights[1] == max(heights) and heights[0] < heights[2] < heights[1]  # 132 < 151 < 155


def test_the_evidence_index_lists_each_quote_once(site_store) -> None:
    document = _page(site_store, "iom")
    quotes = [_text(q) for q in document.findall(".//h:ul[@class='evidence']//h:blockquote", NS)]
    assert quotes.count("IOM was founded in 1951.") == 1


def test_a_source_page_names_what_it_backs_by_label_not_slug(site_store) -> None:
    document = _page(site_store, "article-human-rights-in-global-migration-governance")
    backed = [_text(li.find("h:p", NS)) for li in document.findall(".//h:ul[@class='evidence']/h:li", NS)]
    assert any("Convention relating to the Status of Refugees" in text for text in backed), backed
    assert not any("refugee-convention-1951" in text for text in backed)


@pytest.mark.parametrize(("creators", "alt", "expected"), [
    ([("Martin, Susan F.", True)], [], "Martin 2015"),
    ([("Susan F. Martin", True)], [], "Martin 2015"),
    ([("Betts, A.", True), ("Martin, S.", True)], [], "Betts and Martin 2015"),
    ([("A", True), ("B", True), ("C", True)], [], "A et al. 2015"),
    ([("Migration Policy Institute", False)], [], "Migration Policy Institute 2015"),
    ([], ["Thesis"], "Thesis 2015"),
    ([], [], "A thesis on the… 2015"),
])
def test_short_citations(creators, alt, expected) -> None:
    assert short_citation("A thesis on the global governance of migration", creators, "2015", alt) == expected


def test_references_fold_the_same_words_from_two_evidence_nodes() -> None:
    references = References()
    references.add("the same words", None)
    references.add("the same words", None)
    assert references.summary == "1 quote"
