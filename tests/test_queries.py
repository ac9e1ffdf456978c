"""The competency queries in queries/: each has a question, runs, and gives its reviewed answer.

SELECT answers are compared as lists when the query orders them, else as multisets; ASK as
booleans; CONSTRUCT and DESCRIBE as isomorphic graphs. Federated queries cannot reach Wikidata in
CI, so they are checked to parse and to answer with their SERVICE part treated as matching anything.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalBGP
from rdflib.plugins.sparql.parser import parseQuery

from conftest import ROOT
from mgkg.queries import Example, examples_markdown, load_examples
from mgkg.rdf_files import graph_iri_for, graph_sources, rdf_files

QUERIES = ROOT / "queries"
EXPECTED = QUERIES / "expected"
EXAMPLES = load_examples(QUERIES)
LOCAL = [e for e in EXAMPLES if not e.federated]
FEDERATED = [e for e in EXAMPLES if e.federated]
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


def expected_path(example: Example) -> Path:
    suffix = ".ttl" if example.form in ("CONSTRUCT", "DESCRIBE") else ".srj"
    return EXPECTED / f"{example.name}{suffix}"


def is_ordered(text: str) -> bool:
    """Whether the outermost SELECT has ORDER BY (read from the algebra, not the text)."""
    node = translateQuery(parseQuery(text)).algebra.p
    while node is not None and node.name in ("Slice", "Distinct", "Reduced", "Project", "OrderBy"):
        if node.name == "OrderBy":
            return True
        node = node.p
    return False


def solutions(answer: dict) -> list[tuple]:
    """Rows of a SPARQL JSON answer as hashable tuples; blank nodes renamed by first appearance."""
    names: dict[str, str] = {}
    rows = []
    for binding in answer["results"]["bindings"]:
        row = []
        for var in sorted(binding):
            term = dict(binding[var])
            if term["type"] == "bnode":
                term["value"] = names.setdefault(term["value"], f"b{len(names)}")
            row.append((var, tuple(sorted(term.items()))))
        rows.append(tuple(row))
    return rows


def test_there_are_forty_queries_and_five_federated_ones() -> None:
    assert len(LOCAL) >= 40
    assert len(FEDERATED) >= 5
    assert {e.form for e in LOCAL} == {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_query_states_its_question_what_it_shows_and_its_features(example: Example) -> None:
    assert example.question.endswith("?"), example.path
    assert example.shows and example.features and example.keywords, example.path


def test_every_query_has_an_expected_result() -> None:
    missing = [e.name for e in LOCAL if not expected_path(e).is_file()]
    assert not missing, f"run `make expected` and review: {missing}"


def test_no_expected_result_is_orphaned() -> None:
    wanted = {expected_path(e).name for e in LOCAL}
    present = {p.name for p in EXPECTED.iterdir() if p.suffix in (".srj", ".ttl")}
    assert present <= wanted, f"expected results without a query: {sorted(present - wanted)}"


def test_query_names_are_unique() -> None:
    assert len({e.name for e in EXAMPLES}) == len(EXAMPLES)


@pytest.mark.parametrize("example", LOCAL, ids=lambda e: e.name)
def test_query_gives_its_reviewed_answer(example: Example, graph_store) -> None:
    result = graph_store.query(example.text)
    expected = expected_path(example)
    if isinstance(result, ox.QueryTriples):
        actual = rdflib.Graph().parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
        reference = rdflib.Graph().parse(expected, format="turtle")
        assert len(actual) > 0 and isomorphic(actual, reference), f"{example.name}: graph differs from {expected}"
        return
    answer = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
    reference = json.loads(expected.read_text(encoding="utf-8"))
    if isinstance(result, ox.QueryBoolean):
        assert answer["boolean"] == reference["boolean"]
        return
    assert answer["head"]["vars"] == reference["head"]["vars"]
    rows, wanted = solutions(answer), solutions(reference)
    if is_ordered(example.text):
        assert rows == wanted
    else:
        assert Counter(rows) == Counter(wanted)


@pytest.mark.parametrize("example", [e for e in LOCAL if e.form == "SELECT"], ids=lambda e: e.name)
def test_select_answers_with_several_rows_are_ordered(example: Example) -> None:
    reference = json.loads(expected_path(example).read_text(encoding="utf-8"))
    if len(reference["results"]["bindings"]) > 1:
        assert is_ordered(example.text), f"{example.name} returns several rows without ORDER BY"


@pytest.fixture(scope="module")
def rdflib_dataset(settings) -> rdflib.Dataset:
    """The graph in rdflib, one named graph per file, for evaluating federated queries locally."""
    dataset = rdflib.Dataset(default_union=True)
    for path in rdf_files(graph_sources(settings)):
        dataset.graph(rdflib.URIRef(graph_iri_for(path, settings.root).value)).parse(path, format="turtle")
    return dataset


@contextmanager
def service_matches_anything() -> Iterator[None]:
    """Evaluate SERVICE blocks as the empty pattern, so only the MGKG part of a query constrains it."""

    def evaluate(ctx, part):
        if part.name == "ServiceGraphPattern":
            return evalBGP(ctx, [])
        raise NotImplementedError

    CUSTOM_EVALS["mgkg-test-service"] = evaluate
    try:
        yield
    finally:
        del CUSTOM_EVALS["mgkg-test-service"]


def service_endpoints(text: str) -> set[str]:
    found: set[str] = set()

    def walk(node) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.add(str(node.term))
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(translateQuery(parseQuery(text)).algebra)
    return found


@pytest.mark.parametrize("example", FEDERATED, ids=lambda e: e.name)
def test_federated_query_calls_wikidata_and_its_mgkg_part_answers(example: Example, rdflib_dataset) -> None:
    assert service_endpoints(example.text) == {WIKIDATA_SPARQL}
    with service_matches_anything():
        rows = list(rdflib_dataset.query(example.text))
    wikidata = [term for row in rows for term in row if str(term).startswith("http://www.wikidata.org/entity/Q")]
    assert rows and wikidata, f"{example.name}: the MGKG part finds nothing linked to Wikidata"


def test_readme_lists_every_query_with_its_question() -> None:
    readme = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    assert examples_markdown(EXAMPLES) in readme, "queries/README.md's table is stale: run `make expected`"
    assert all(f"`{e.name}`" in readme and e.question in readme for e in EXAMPLES)
