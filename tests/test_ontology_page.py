"""The ontology page as a researcher reads it: contents, a class tree, prefixed names, counts with blank nodes."""

from __future__ import annotations

import html5lib

from mgkg.pages import render
from mgkg.store.base import select

NS = {"h": "http://www.w3.org/1999/xhtml"}


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def _section(document, name: str):
    return next(s for s in document.iter("{http://www.w3.org/1999/xhtml}section") if s.get("id") == name)


def test_counts_include_instances_without_an_iri(graph_store) -> None:
    evidence = int(select(graph_store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a "
                                      "<https://w3id.org/mgkg/ontology#Evidence> }")[0]["n"].value)
    assert evidence > 500  # hundreds of evidence nodes, all blank (re-cut quotes move the exact count)
    text = _text(_section(html5lib.parse(render.ontology(graph_store)), "Evidence"))
    assert f"Instances{evidence:,}: 0 with a page, {evidence:,} without an IRI of their own" in text


def test_the_class_tree_nests_subclasses_under_their_class(graph_store) -> None:
    document = html5lib.parse(render.ontology(graph_store))
    tree = document.find(".//h:div[@class='class-tree']", NS)
    forum = next(li for li in tree.iter("{http://www.w3.org/1999/xhtml}li") if _text(li.find("h:a", NS)) == "forum")
    assert "global forum" in [_text(a) for a in forum.findall("h:ul/h:li/h:a", NS)]


def test_alignments_are_prefixed_names_and_usage_links_to_a_query(graph_store) -> None:
    page = render.ontology(graph_store)
    assert "prov:Entity" in page and ">https://schema.org/" not in page
    usage = _section(html5lib.parse(page), "foundingDate").findall(".//h:dd/h:a", NS)[-1]
    assert usage.get("href").startswith("/sparql?query=") and "triple" in _text(usage)


def test_a_table_of_contents_names_every_term(graph_store) -> None:
    document = html5lib.parse(render.ontology(graph_store))
    toc = document.find(".//h:nav[@class='toc']", NS)
    assert "mg:Evidence" in _text(toc) and "mg:foundingDate" in _text(toc)
