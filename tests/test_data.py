"""The graph itself: every quote is verbatim, every resource is labelled and typed, links are sound.

The source texts are not in the repository: the quote tests read them from MGKG_SOURCES (default
../shared/seeds beside the project folder) and are skipped, saying so, where they are not.
"""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT, skip_without
from mgkg.checks.quotes import check_quotes
from mgkg.settings import Settings
from mgkg.store import asserted

PREFIXES = """
PREFIX mg: <https://w3id.org/mgkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")


def _rows(store, query: str) -> list[dict[str, str]]:
    """The rows of `query` over what the files assert (the entailments would need no evidence)."""
    result = store.query(PREFIXES + query, asserted(store))
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


@pytest.fixture(scope="module")
def sources() -> Settings:
    """The settings, once the source texts are known to be where they say."""
    settings = Settings.from_env()
    if not settings.sources_dir.is_dir():
        skip_without(f"the source texts ({settings.sources_dir})",
                     "put the five seed documents there, or set MGKG_SOURCES to their folder")
    return settings


def test_seed_files_are_where_the_sources_say(graph_store, sources: Settings) -> None:
    files = _rows(graph_store, "SELECT ?file WHERE { ?s a mg:SourceDocument ; mg:fileName ?file }")
    assert len(files) == 5
    for row in files:
        assert (sources.sources_dir / row["file"]).is_file(), row["file"]


def test_every_quote_occurs_verbatim_in_its_seed(sources: Settings) -> None:
    report = check_quotes([sources.data_dir], sources)
    assert report.checked > 1000
    assert report.texts == 5
    assert report.missing == []


def test_every_resource_has_one_english_label_and_an_ontology_type(graph_store) -> None:
    resources = _rows(graph_store, """
        SELECT ?r (COUNT(DISTINCT ?label) AS ?labels) (COUNT(DISTINCT ?type) AS ?types) WHERE {
          ?r ?p ?o . FILTER(STRSTARTS(STR(?r), "https://w3id.org/mgkg/id/"))
          FILTER NOT EXISTS { ?r dcterms:isReplacedBy ?kept }
          OPTIONAL { ?r rdfs:label ?label FILTER(LANG(?label) = "en") }
          OPTIONAL { ?r a ?type FILTER(STRSTARTS(STR(?type), STR(mg:))) }
        } GROUP BY ?r""")
    assert len(resources) > 300
    bad = [row["r"] for row in resources if row["labels"] != "1" or row["types"] == "0"]
    assert bad == []


def test_every_referenced_resource_is_described(graph_store) -> None:
    dangling = _rows(graph_store, """
        SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/mgkg/id/"))
          FILTER NOT EXISTS { ?o rdfs:label ?l } }""")
    assert dangling == []


def test_a_merged_slug_only_points_to_the_resource_it_was_merged_into(graph_store) -> None:
    """An old slug keeps one triple, dcterms:isReplacedBy, so that its IRI can redirect; nothing else."""
    merged = _rows(graph_store, """
        SELECT ?old ?kept (COUNT(*) AS ?triples) WHERE { ?old dcterms:isReplacedBy ?kept ; ?p ?o .
          FILTER EXISTS { ?kept rdfs:label ?label } FILTER NOT EXISTS { ?kept dcterms:isReplacedBy ?next } }
        GROUP BY ?old ?kept""")
    stubs = _rows(graph_store, "SELECT ?old WHERE { ?old dcterms:isReplacedBy ?kept }")
    assert len(merged) == len(stubs) >= 2
    assert {row["triples"] for row in merged} == {"1"}
    referenced = _rows(graph_store, "SELECT ?s WHERE { ?s ?p ?old . ?old dcterms:isReplacedBy ?kept }")
    assert referenced == []


def test_wikidata_links_are_well_formed_and_unique(graph_store) -> None:
    links = _rows(graph_store, "SELECT ?r ?wd WHERE { ?r owl:sameAs ?wd }")
    assert len(links) >= 40
    assert all(WIKIDATA.match(row["wd"]) for row in links)
    assert len({row["wd"] for row in links}) == len(links), "two resources share one Wikidata item"
    assert len({row["r"] for row in links}) == len(links), "a resource has two Wikidata items"


def test_only_confirmed_wikidata_identifiers_are_linked(graph_store) -> None:
    with (ROOT / "data" / "wikidata-links.csv").open(encoding="utf-8") as table:
        confirmed = {row["wikidata_id"] for row in csv.DictReader(table) if row["status"] == "confirmed"}
    linked = {row["wd"].rsplit("/", 1)[1] for row in _rows(graph_store, "SELECT ?wd WHERE { ?r owl:sameAs ?wd }")}
    assert linked <= confirmed


def test_every_dated_figure_is_complete(graph_store) -> None:
    incomplete = _rows(graph_store, """
        SELECT ?f WHERE { ?r mg:figure ?f .
          FILTER NOT EXISTS { ?f mg:value ?v ; mg:asOf ?d ; mg:source ?s ; mg:quote ?q } }""")
    assert incomplete == []


def test_every_evidenced_fact_is_stated(graph_store) -> None:
    orphans = _rows(graph_store, """
        SELECT ?r ?p ?v WHERE { ?r mg:evidence [ mg:statesProperty ?p ; mg:statesValue ?v ] .
          FILTER NOT EXISTS { ?r ?p ?v } }""")
    assert orphans == []


def test_every_date_and_relation_has_evidence(graph_store) -> None:
    unsupported = _rows(graph_store, """
        SELECT ?r ?p ?v WHERE { ?r ?p ?v .
          FILTER(STRSTARTS(STR(?r), "https://w3id.org/mgkg/id/") && STRSTARTS(STR(?p), STR(mg:)))
          FILTER(?p NOT IN (mg:evidence, mg:figure, mg:tenure, mg:fileName, mg:doi))
          FILTER NOT EXISTS { ?r mg:evidence [ mg:statesProperty ?p ; mg:statesValue ?v ] } }""")
    assert unsupported == []


def test_data_files_declare_prefixes_once_at_the_top() -> None:
    for path in sorted((ROOT / "data").glob("*.ttl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        prefixes = [i for i, line in enumerate(lines) if line.startswith("@prefix")]
        assert prefixes == list(range(len(prefixes))), path.name
        assert len({lines[i] for i in prefixes}) == len(prefixes), path.name


def test_topic_files_are_sorted_by_subject() -> None:
    for path in sorted((ROOT / "data").glob("*.ttl")):
        subjects = re.findall(r"^mgid:(\S+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        assert subjects == sorted(subjects), path.name


def test_every_source_is_cited_from_its_own_record(graph_store) -> None:
    rows = _rows(graph_store, """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <https://schema.org/>
        SELECT ?s ?citation ?title ?author ?date ?doi ?venue WHERE { ?s a mg:SourceDocument ;
          dcterms:bibliographicCitation ?citation .
          OPTIONAL { ?s dcterms:title ?title } OPTIONAL { ?s schema:author/rdfs:label ?author }
          OPTIONAL { ?s mg:publicationDate ?date } OPTIONAL { ?s mg:doi ?doi } OPTIONAL { ?s mg:venue ?venue } }""")
    assert len(rows) == 5
    for row in rows:
        citation = row["citation"]
        assert ".txt" not in citation, row["s"]
        assert row["date"] or "(n.d.)" in citation, row["s"]  # no year stated: none invented
        expected = [row["title"], row["venue"], row["doi"], row["date"] and f"({row['date'][:4]})",
                    row["author"] and row["author"].split()[-1]]
        assert [part for part in expected if part and part not in citation] == [], row["s"]
