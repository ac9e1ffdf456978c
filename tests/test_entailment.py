"""The RDFS entailments' graph: naive queries get full answers, and a query can leave the graph out."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from mgkg.settings import Settings
from mgkg.store import Dataset, EmbeddedStore, asserted
from mgkg.store.entailment import ENTAILMENTS_GRAPH
from mgkg.store.ondisk import build_store

PREFIXES = """PREFIX mg: <https://w3id.org/mgkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
NAIVE = PREFIXES + "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a mg:Instrument }"
#: What the naive query means, spelled out over the asserted triples only.
BY_PATH = PREFIXES + "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a/rdfs:subClassOf* mg:Instrument }"
#: The README's way to leave the entailments out: a named-graph filter.
LEAVING_OUT = PREFIXES + f"""SELECT (COUNT(DISTINCT ?x) AS ?n) {{
  GRAPH ?g {{ ?x a mg:Instrument }} FILTER(?g != <{ENTAILMENTS_GRAPH}>) }}"""


def number(store: EmbeddedStore, query: str, dataset: Dataset | None = None) -> int:
    return int(next(iter(store.query(query, dataset)))["n"].value)  # type: ignore[call-overload]


def test_a_naive_type_query_finds_every_instrument(graph_store: EmbeddedStore) -> None:
    everything = number(graph_store, NAIVE)
    assert everything == number(graph_store, BY_PATH, asserted(graph_store))
    assert everything > 2 * number(graph_store, NAIVE, asserted(graph_store))


def test_a_named_graph_filter_gives_the_asserted_answer(graph_store: EmbeddedStore) -> None:
    left_out = number(graph_store, LEAVING_OUT)
    assert left_out == number(graph_store, NAIVE, asserted(graph_store))
    assert left_out < number(graph_store, NAIVE)


def test_from_clauses_naming_the_files_graphs_give_the_asserted_answer(graph_store: EmbeddedStore) -> None:
    froms = "".join(f"FROM <{graph}>\n" for graph in asserted(graph_store).default_graphs)
    query = NAIVE.replace("SELECT (COUNT(DISTINCT ?x) AS ?n)", f"SELECT (COUNT(DISTINCT ?x) AS ?n)\n{froms}")
    assert number(graph_store, query) == number(graph_store, NAIVE, asserted(graph_store))


def test_inverses_and_super_properties_are_entailed(graph_store: EmbeddedStore) -> None:
    missing = PREFIXES + """SELECT (COUNT(*) AS ?n) {
        ?forum mg:chairedBy ?chair . FILTER NOT EXISTS { ?chair mg:chairs ?forum } }"""
    assert number(graph_store, missing) == 0
    heads = PREFIXES + """PREFIX org: <http://www.w3.org/ns/org#>
        SELECT (COUNT(*) AS ?n) { ?body mg:headedBy ?person . FILTER NOT EXISTS { ?person org:headOf ?body } }"""
    assert number(graph_store, heads) == 0
    assert number(graph_store, PREFIXES + "SELECT (COUNT(*) AS ?n) { ?p mg:headedBy ?o }") > 0


def test_the_graph_holds_nothing_a_file_asserts(graph_store: EmbeddedStore) -> None:
    overlap = f"""SELECT (COUNT(*) AS ?n) {{ GRAPH <{ENTAILMENTS_GRAPH}> {{ ?s ?p ?o }}
        GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ENTAILMENTS_GRAPH}>) }}"""
    assert number(graph_store, overlap) == 0
    assert number(graph_store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{ENTAILMENTS_GRAPH}> {{ ?s ?p ?o }} }}") > 1000


def test_an_on_disk_store_holds_the_entailments_too(settings: Settings, tmp_path: Path) -> None:
    manifest = build_store(tmp_path / "store", [settings.ontology_dir, settings.data_dir], settings.root)
    store = EmbeddedStore.on_disk(tmp_path / "store")
    assert ENTAILMENTS_GRAPH in sorted(manifest.graphs) == store.named_graphs()
    memory = EmbeddedStore.in_memory([settings.ontology_dir, settings.data_dir], settings.root)
    assert number(store, NAIVE) == number(memory, NAIVE) == number(store, BY_PATH, asserted(store))
    assert manifest.quads == len(memory.oxigraph)


def test_the_service_description_names_and_describes_the_graph(graph_store: EmbeddedStore,
                                                               settings: Settings) -> None:
    from mgkg.web.service import service_triples

    sd = ox.Store()
    sd.extend(ox.Quad(t.subject, t.predicate, t.object) for t in service_triples(
        graph_store, settings, "http://127.0.0.1/sparql", "http://127.0.0.1/"))
    rows = list(sd.query(f"""PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?text ?size {{ ?service sd:defaultDataset/sd:namedGraph ?g .
          ?g sd:name <{ENTAILMENTS_GRAPH}> ; dcterms:description ?text ;
             sd:graph/<http://rdfs.org/ns/void#triples> ?size }}"""))
    assert len(rows) == 1
    assert "FILTER(?g != <" in rows[0]["text"].value and "rdfs:subClassOf" in rows[0]["text"].value
    assert int(rows[0]["size"].value) > 1000
