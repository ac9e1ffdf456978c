"""Linked-data pages: every IRI dereferences (303 by Accept) to a page for people or RDF for machines."""

from __future__ import annotations

import json
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from htmlcheck import check_page
from mgkg.pages import models
from mgkg.pages.catalog import catalog
from mgkg.pages.describe import all_resources
from mgkg.pages.mirror import export_site
from mgkg.pages.vocabulary import vocabulary
from mgkg.settings import Settings
from mgkg.web.app import create_app

RDF_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
             "rdf": "application/rdf+xml"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
UNHCR = rdflib.URIRef("https://w3id.org/mgkg/id/unhcr")
MG = rdflib.Namespace("https://w3id.org/mgkg/ontology#")


@pytest.fixture(scope="module")
def client(settings, site_store) -> TestClient:
    return TestClient(create_app(settings, store=site_store))


@pytest.mark.parametrize(("ext", "media_type"), RDF_TYPES.items())
def test_rdf_clients_are_sent_to_the_data(client, ext, media_type) -> None:
    response = client.head("/id/unhcr", headers={"Accept": media_type}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/data/unhcr.{ext}"
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]  # gzip and CORS add theirs


@pytest.mark.parametrize("accept", [None, "text/html", "text/html,application/xhtml+xml,*/*;q=0.8", "image/png"])
def test_browsers_and_the_undecided_are_sent_to_the_page(client, accept) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/id/unhcr", headers=headers, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/page/unhcr")


def test_q_values_decide(client) -> None:
    accept = "text/html;q=0.5, application/rdf+xml;q=0.9, text/turtle;q=0.7"
    response = client.get("/id/unhcr", headers={"Accept": accept}, follow_redirects=False)
    assert response.headers["location"] == "/data/unhcr.rdf"


def test_the_turtle_description_has_label_type_evidence_and_neighbours(client) -> None:
    response = client.get("/id/unhcr", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert str(graph.value(UNHCR, rdflib.RDFS.label)) == "Office of the United Nations High Commissioner for Refugees"
    assert (UNHCR, rdflib.RDF.type, MG.UNEntity) in graph
    quotes = {str(q) for e in graph.objects(UNHCR, MG.evidence) for q in graph.objects(e, MG.quote)}
    assert "UNHCR has supervisory responsibility for the 1951 Convention" in quotes
    convention = rdflib.URIRef("https://w3id.org/mgkg/id/refugee-convention-1951")
    assert str(graph.value(convention, rdflib.RDFS.label)) == "Convention relating to the Status of Refugees"
    source = rdflib.URIRef("https://w3id.org/mgkg/id/article-human-rights-in-global-migration-governance")
    assert graph.value(source, rdflib.RDFS.label) is not None  # the evidence's source is named


def test_incoming_links_are_part_of_the_description(client) -> None:
    graph = rdflib.Graph().parse(data=client.get("/data/refugee-regime.ttl").text, format="turtle")
    assert (UNHCR, MG.partOfRegime, rdflib.URIRef("https://w3id.org/mgkg/id/refugee-regime")) in graph


@pytest.mark.parametrize("ext", ["nt", "jsonld", "rdf"])
def test_every_rdf_form_says_the_same_as_the_turtle(client, ext) -> None:
    turtle = rdflib.Graph().parse(data=client.get("/data/unhcr.ttl").text, format="turtle")
    response = client.get(f"/data/unhcr.{ext}")
    assert response.headers["content-type"].startswith(RDF_TYPES[ext])
    other = rdflib.Graph().parse(data=response.text, format={"nt": "nt", "jsonld": "json-ld", "rdf": "xml"}[ext])
    assert isomorphic(turtle, other)


def test_a_browser_sees_label_instruments_and_quoted_sources(client) -> None:
    response = client.get("/id/unhcr", headers={"Accept": "text/html"})
    assert response.url.path == "/page/unhcr"
    page = response.text
    assert "<h1>Office of the United Nations High Commissioner for Refugees</h1>" in page
    assert ">Convention relating to the Status of Refugees</a>" in page
    assert ">Protocol relating to the Status of Refugees</a>" in page
    assert "<blockquote>UNHCR has supervisory responsibility for the 1951 Convention</blockquote>" in page
    assert ('<a href="/page/article-human-rights-in-global-migration-governance">'
            "[An article on human rights in global migration governance] (n.d.).") in page
    assert 'href="http://www.wikidata.org/entity/Q131656"' in page


def test_dates_figures_and_incoming_links_are_readable(client) -> None:
    page = client.get("/page/refugee-convention-1951").text
    assert "28 July 1951" in page and "22 April 1954" in page
    assert '<td class="num">145</td><td>2015</td>' in page
    assert "145 states are party to the 1951 Convention" in page
    assert 'href="/page/unhcr">Office of the United Nations High Commissioner for Refugees</a>' in page  # administers
    assert "January 1967" in client.get("/page/refugee-protocol-1967").text


def test_a_figure_says_what_it_counts_in_what_unit_and_how_exactly(client) -> None:
    page = client.get("/page/refugee-convention-1951").text
    # The kind cell goes on with the figure's quotes (a <details> element): a count needs no unit.
    assert "Ratification count: states that have ratified the Convention<details" in page
    assert "Other figure: share of the parties that are also party to the Protocol (per cent)<details" in page
    assert '<td class="num">about 57</td>' in page
    assert '<td class="num">more than 160</td>' in client.get("/page/gfmd").text


def test_a_source_page_lists_what_it_is_quoted_for(client) -> None:
    page = client.get("/page/article-human-rights-in-global-migration-governance").text
    assert "Quoted as evidence" in page
    assert 'href="/page/unhcr"' in page and "UNHCR has supervisory responsibility" in page


def test_the_page_embeds_schema_org_json_ld(client) -> None:
    page = client.get("/page/unhcr").text
    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(block)
    assert data["@id"] == str(UNHCR) and data["name"].startswith("Office of the United Nations")
    assert "Organization" in data["@type"] and data["foundingDate"] == "1950"
    assert data["sameAs"] == ["http://www.wikidata.org/entity/Q131656"]


def test_markup_in_literals_is_shown_as_text(client) -> None:
    page = client.get("/page/tricky-forum").text
    assert "<script>alert" not in page
    assert "Forum &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in page
    assert "&lt;b&gt;TF&lt;/b&gt;" in page
    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(block)["description"] == 'A "quoted" description with </script> inside.'
    check_page(page)
    search = client.get("/search", params={"q": "<script>"}).text
    assert "<script>" not in search.split("<main")[1].split("</main>")[0]


@pytest.mark.parametrize(("old", "kept"), [
    ("/id/office-of-the-high-commissioner-for-refugees", "/id/unhcr"),
    ("/page/office-of-the-high-commissioner-for-refugees", "/page/unhcr"),
    ("/page/office-of-the-high-commissioner-for-refugees/2", "/page/unhcr"),
    ("/data/office-of-the-high-commissioner-for-refugees.ttl", "/data/unhcr.ttl"),
    # the seeds' first slugs, kept alive after the rename so that old citations resolve
    ("/id/source-001", "/id/martin-2015-international-migration-and-global-governance"),
    ("/page/source-003", "/page/article-human-rights-in-global-migration-governance"),
])
def test_a_merged_slug_moves_permanently_to_the_kept_one(client, old, kept) -> None:
    response = client.get(old, headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == kept
    landing = kept.replace("/id/", "/page/", 1)
    assert client.get(old).url.path == landing


def test_unknown_resources_get_a_helpful_404(client) -> None:
    response = client.get("/id/no-such-thing", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert 'href="/search?q=no%20such%20thing"' in response.text
    check_page(response.text)
    plain = client.get("/data/no-such-thing.ttl", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")
    assert client.get("/page/unhcr/99").status_code == 404
    assert client.get("/data/unhcr.pdf").status_code == 404


def test_etags_let_clients_revalidate(client) -> None:
    first = client.get("/data/unhcr.ttl")
    assert client.get("/data/unhcr.jsonld").headers["etag"] != first.headers["etag"]
    again = client.get("/data/unhcr.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_pages_carry_a_strict_content_security_policy(client) -> None:
    policy = client.get("/page/unhcr").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize(("accept", "location"), [("text/html", "/ontology.html"), ("text/turtle", "/ontology.ttl"),
                                                 ("application/ld+json", "/ontology.jsonld")])
def test_the_ontology_dereferences(client, accept, location) -> None:
    response = client.get("/ontology", headers={"Accept": accept}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, location)


@pytest.mark.parametrize("ext", RDF_TYPES)
def test_the_whole_ontology_comes_in_every_rdf_form(client, ext) -> None:
    fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}[ext]
    graph = rdflib.Graph().parse(data=client.get(f"/ontology.{ext}").text, format=fmt)
    assert (MG.Treaty, rdflib.RDFS.subClassOf, MG.Instrument) in graph
    assert len(list(graph.subjects(rdflib.RDF.type, rdflib.OWL.Class))) > 40


def test_the_ontology_page_documents_every_term(client) -> None:
    ontology = rdflib.Graph().parse(data=client.get("/ontology.ttl").text, format="turtle")
    page = client.get("/ontology.html").text
    terms = {str(t) for t in ontology.subjects(rdflib.RDF.type, None) if str(t).startswith(str(MG))}
    assert terms and all(f'id="{t.split("#")[1]}"' in page for t in terms)
    treaty = page.split('id="Treaty"')[1].split("</section>")[0]
    assert "binds those who ratify it" in treaty and 'href="/ontology.html#Protocol"' in treaty
    assert "https://schema.org/Legislation" in treaty
    assert 'href="/class/Treaty">2</a>' in treaty  # the protocol is a treaty too


def test_a_class_index_lists_instances_of_its_subclasses(client) -> None:
    page = client.get("/class/Forum").text
    labels = re.findall(r'<tr>\s*<td data-sort="[^"]*"><a href="/page/[^"]+">([^<]+)</a>', page)
    assert "Global Forum on Migration and Development" in labels
    assert "Conference of Plenipotentiaries on the Status of Refugees and Stateless Persons" in labels
    assert "Geneva" not in labels and "Geneva" in page  # not a forum, but the conference's venue
    assert client.get("/class/Nonsense").status_code == 404


def test_the_timeline_draws_instruments_and_forums_by_year(client) -> None:
    page = client.get("/timeline").text
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert svg.index(">1950<") < svg.index(">1965<") < svg.index(">2005<")
    assert 'class="instrument"' in svg and 'class="forum"' in svg
    assert '<a href="/page/gfmd">' in svg
    assert '<input type="checkbox" name="kind" value="Treaty" checked>' in page
    only = client.get("/timeline", params={"kind": "Treaty"}).text
    assert '<input type="checkbox" name="kind" value="GlobalForum">' in only
    assert re.search(r'<g class="mark forum off" data-kinds="GlobalForum">', only)


def test_the_home_page_counts_classes(client) -> None:
    page = client.get("/").text
    assert '<a href="/class/Forum">forum</a></td><td class="num">5</td>' in page
    assert 'href="/sparql"' in page and 'href="/timeline"' in page


def test_long_link_lists_are_paginated(client, monkeypatch) -> None:
    monkeypatch.setattr(models, "PAGE_SIZE", 1)
    first, second = client.get("/page/unhcr").text, client.get("/page/unhcr/2").text
    assert 'rel="next" href="/page/unhcr/2"' in first
    assert ("refugee-convention-1951" in first.split("<h2>Links")[1].split("</dl>")[0]) != (
        "refugee-convention-1951" in second.split("<h2>Links")[1].split("</dl>")[0])


def test_a_resource_page_costs_one_query(client, site_store, monkeypatch) -> None:
    client.get("/page/gfmd")  # fill the per-store caches first
    calls = []
    original = site_store.query
    monkeypatch.setattr(site_store, "query", lambda *a, **k: calls.append(a) or original(*a, **k))
    assert client.get("/page/unhcr").status_code == 200
    assert len(calls) == 1


def test_browsers_asking_for_sparql_get_the_editor(tmp_path, site_store) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "forums.rq").write_text("# Question: Which forums exist?\nSELECT ?f WHERE { ?f a ?c }\n")
    client = TestClient(create_app(Settings(root=tmp_path), store=site_store))
    page = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"}).text
    assert '<option value="0">Which forums exist?</option>' in page and 'src="/static/sparql-editor.js"' in page
    check_page(page)
    machine = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert not machine.headers["content-type"].startswith("text/html")


def test_every_resource_has_a_page_and_no_link_is_broken(client, site_store) -> None:
    pages = ["/", *(f"/page/{slug}" for slug in all_resources(site_store))]
    seen, todo = set(pages), deque(pages)
    while todo:
        path = todo.popleft()
        response = client.get(path, headers={"Accept": BROWSER})
        assert response.status_code == 200, path
        if not response.headers["content-type"].startswith("text/html"):
            continue
        outline = check_page(response.text)
        for link in (*outline.links, *outline.assets):
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                todo.append(target)
    assert {"/timeline", "/ontology.html", "/class/Forum", "/data/unhcr.jsonld", "/static/site.css"} <= seen


def test_every_resource_of_the_shipped_graph_has_a_page(settings, graph_store) -> None:
    client = TestClient(create_app(settings, store=graph_store))
    slugs = all_resources(graph_store)
    assert len(slugs) > 300
    for slug in slugs:
        response = client.get(f"/page/{slug}")
        assert response.status_code == 200, slug
        for link in check_page(response.text).links:
            if link.startswith("/page/"):
                assert link.split("/")[2] in slugs, (slug, link)


def test_a_series_page_lists_its_meetings_and_the_years_of_its_chairs(settings, graph_store) -> None:
    client = TestClient(create_app(settings, store=graph_store))
    page = client.get("/page/gfmd").text
    linked_from = page.split("<h2>Linked from</h2>")[1].split("<h2>")[0]
    assert "meeting of</a> this" in linked_from and "GFMD meeting in Manila (2008)" in linked_from
    over_time = page.split("<h2>Over time</h2>")[1].split("<h2>")[0]
    assert "<strong>chaired by</strong>: Sweden (2014)" in over_time
    assert "<strong>announced host</strong>: Bangladesh (2016)" in over_time
    links = re.sub(r"<details.*?</details>", "", page.split("<h2>Links</h2>")[1].split("<h2>")[0], flags=re.S)
    assert "hosted by" not in links  # hosts are the meetings' facts (quotes under the links may say it)


def test_a_qualified_statement_shows_when_it_held_beside_it(settings, graph_store) -> None:
    client = TestClient(create_app(settings, store=graph_store))
    annan = re.sub(r"<details.*?</details>", "", client.get("/page/kofi-annan").text, flags=re.S)
    assert re.search(r">Secretary-General of the United Nations</a> <span class=\"when\">\(1997, 2002, 2003\)</span>",
                     annan)  # three tenures of one post, in time order
    gfmd = re.sub(r"<details.*?</details>", "", client.get("/page/gfmd").text, flags=re.S)
    assert re.search(r">Turkey</a> <span class=\"when\">\(2015\)</span>", gfmd)
    assert "annually <span class=\"when\">(from 2007)</span>" in gfmd  # a literal fact too
    assert re.search(r">Switzerland</a>\s*</li>", gfmd)  # an undated statement shows no years

def test_quotes_cite_their_source_as_a_reader_would_never_by_file_name(settings, graph_store) -> None:
    client = TestClient(create_app(settings, store=graph_store))
    page = client.get("/page/gfmd").text
    citations = [row["c"].value for row in graph_store.query(
        "SELECT ?c { ?s a <https://w3id.org/mgkg/ontology#SourceDocument> ; "
        "<http://purl.org/dc/terms/bibliographicCitation> ?c }")]
    assert len(citations) == 5
    cited = [c for c in citations if f">{c}</a>" in page.replace("&#39;", "'")]
    assert any(c.startswith("Martin, S. F. (2015). International Migration and Global Governance.") for c in cited)
    assert len(cited) >= 3  # the GFMD's facts rest on seeds 001, 002 and 003
    assert ".txt" not in page


def _labelled_slugs(store) -> set[str]:
    # A slug that is also an acronym or alternative name ("non-refoulement") may be shown as that name.
    return {slug for slug, entry in catalog(store).entries.items()
            if entry.label != slug and slug not in entry.alt_labels}


def _bare_slugs(html: str, labelled: set[str]) -> set[str]:
    """The labelled slugs a page shows as text ("related to: x" counts as x)."""
    pieces = [piece.strip() for piece in re.findall(r">([^<>]+)<", html)]
    return {*pieces, *(piece.rsplit(": ", 1)[-1] for piece in pieces)} & labelled


def test_no_page_shows_a_bare_slug_where_a_label_exists(settings, graph_store) -> None:
    """Crawl every page of the shipped graph for a labelled slug shown as text."""
    client = TestClient(create_app(settings, store=graph_store))
    labelled = _labelled_slugs(graph_store)
    pages = ["/", "/ontology.html", "/timeline", "/search?q=refugee",
             *(f"/class/{term.name}" for term in vocabulary(graph_store).classes()),
             *(f"/page/{slug}" for slug in all_resources(graph_store))]
    for path in pages:
        assert not _bare_slugs(client.get(path, headers={"Accept": BROWSER}).text, labelled), path


def test_no_page_of_the_mirror_shows_a_bare_slug(graph_store, tmp_path) -> None:
    export_site(graph_store, tmp_path)
    labelled = _labelled_slugs(graph_store)
    pages = sorted(tmp_path.rglob("*.html"))
    assert len(pages) > len(labelled)
    for page in pages:
        assert not _bare_slugs(page.read_text(encoding="utf-8"), labelled), page.relative_to(tmp_path)


def test_every_page_names_an_icon_the_server_serves(client) -> None:
    # without one, browsers ask for /favicon.ico and log a 404 on every page
    icons = re.findall(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', client.get("/").text)
    assert len(icons) == 1
    icon = client.get(icons[0])
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_an_elided_quote_is_shown_as_written_with_its_mark(settings, graph_store) -> None:
    page = TestClient(create_app(settings, store=graph_store)).get("/page/world-bank").text
    assert "<blockquote>As an ‘independent specialized agency of the […] UN’, the World Bank has" in page
