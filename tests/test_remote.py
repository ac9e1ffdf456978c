"""RemoteStore: MGKG on a real SPARQL engine (OpenLink Virtuoso) answers as the embedded store does.

The integration tests start `virtuoso-t` on 127.0.0.1 with free ports in a temporary folder
(.ci/run installs the Debian package `virtuoso-opensource`), load the graph with `mgkg load`
over the Graph Store Protocol, and compare answers with the embedded store.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from conftest import ROOT, free_port
from mgkg.checks.shacl import validate_paths, validate_store
from mgkg.errors import ConfigurationError, QuerySyntaxError
from mgkg.formats import SOLUTION_FORMATS, format_by_name
from mgkg.guard import query_shape
from mgkg.settings import Settings
from mgkg.store import Dataset, EmbeddedStore
from mgkg.store.remote import RemoteStore, _normalise_json, boolean_variables
from mgkg.web.app import create_app

MG = "PREFIX mg: <https://w3id.org/mgkg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
#: Representative of the competency questions: classes, labels, evidence (blank nodes), dates,
#: named graphs, an explicit FROM, ASK and CONSTRUCT. queries/*.rq join them when they exist.
QUERIES = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "per-class": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "labels": MG + "SELECT ?s ?label WHERE { ?s a mg:SourceDocument ; rdfs:label ?label }",
    "evidence": MG + "SELECT ?s ?property ?value ?quote ?source WHERE { ?s mg:evidence ?e . "
                "?e mg:statesProperty ?property ; mg:statesValue ?value ; mg:quote ?quote ; mg:source ?source }",
    "dates": MG + "SELECT ?s ?date WHERE { ?s mg:publicationDate ?date } ORDER BY ?date ?s",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "from": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/mgkg/graph/data/sources> WHERE { ?s ?p ?o }",
    "ask-yes": MG + "ASK { ?s a mg:SourceDocument }",
    "ask-no": MG + "ASK { ?s a mg:NoSuchClass }",
    "construct": MG + "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a mg:SourceDocument ; rdfs:label ?l }",
    "optional": MG + "SELECT ?s ?doi WHERE { ?s a mg:SourceDocument OPTIONAL { ?s mg:doi ?doi } }",
}
COMPETENCY = {path.stem: path.read_text() for path in sorted((ROOT / "queries").glob("*.rq"))}
QUERIES |= COMPETENCY
#: Why Virtuoso 7.2.5 (Debian 12) still answers these differently from SPARQL 1.1 and Oxigraph. Each is
#: an engine deviation, shown by the minimal query quoted; MGKG does not paper over them. Strict xfail:
#: a fixed engine (or a changed query) shows up here.
PATHS = ("Virtuoso drops solutions of a property path with ? * or + joined to other patterns once the default "
         "graph has seven or more graphs (MGKG has 16): `?f a ?c ; mg:foundingDate ?d . ?c rdfs:subClassOf* "
         "mg:Forum` finds 1 forum, not 13 (SPARQL 1.1, 9.3 and 18.4)")
PATHS_IN_OPTIONAL = ("Virtuoso finds nothing for a path with * inside OPTIONAL whose subject comes from outside, "
                     "even over three graphs: `?m mg:partOfRegime ?r . OPTIONAL { ?m a/rdfs:subClassOf* "
                     "mg:Instrument BIND(?m AS ?i) }` counts 0 ?i, not 25 (SPARQL 1.1, 9.3 and 18.2.2.3 LeftJoin)")
YEAR_OF_UNBOUND = ("Virtuoso aborts the whole query (HTTP 500, DT001) where YEAR() of an unbound variable is an "
                   "expression error that leaves the BIND unbound: `SELECT ?y { OPTIONAL { ?s <urn:x> ?d } "
                   "BIND(YEAR(?d) AS ?y) }` (SPARQL 1.1, 17.3 and 18.5 Extend)")
IF_OF_UNBOUND = ("Virtuoso reads IF() of an unbound condition as false where SPARQL raises an error, so "
                 "COALESCE(IF(?unbound, 'a', 'b'), 'c') gives 'b', not 'c' (SPARQL 1.1, 17.4.1.2 and 17.4.1.5)")
ORDER_BY_ALIAS = ("Virtuoso refuses (SP031) an ORDER BY on aggregates' SELECT aliases: `SELECT ?x (SUM(?v) AS ?a) "
                  "... GROUP BY ?x ORDER BY DESC(?a + ?a)` (SPARQL 1.1, 18.2.4.4 then 18.2.5: ORDER BY comes after)")
DESCRIBE = ("DESCRIBE is the engine's choice (SPARQL 1.1, 16.4): Virtuoso describes a resource by its own and "
            "incoming triples, without the blank nodes (evidence, figures) of the Concise Bounded Description "
            "that MGKG gives")
VIRTUOSO_DIFFERS = {
    "describe-iom": DESCRIBE,
    "forums-created-after-2000": PATHS,
    "gfmd-meetings": YEAR_OF_UNBOUND,
    "migrant-groups-and-their-protection": ORDER_BY_ALIAS,
    "protocols-and-what-they-supplement": YEAR_OF_UNBOUND,
    "regime-sizes": PATHS_IN_OPTIONAL,
    "regimes-and-instruments": PATHS_IN_OPTIONAL,
    "regional-processes-by-region": YEAR_OF_UNBOUND,
    "states-most-engaged": PATHS,
    "succession-chains": YEAR_OF_UNBOUND,
    "timeline-as-schema-events": PATHS,
    "un-system-membership": IF_OF_UNBOUND,
}


# -- without an engine ---------------------------------------------------------------------------

def test_query_shape_finds_the_form_and_from_but_not_inside_strings_or_names() -> None:
    shape = query_shape("PREFIX ex: <http://ex/from> # SELECT\nASK { ?from ex:from 'FROM' }")
    assert (shape.form, shape.has_dataset_clause) == ("ASK", False)
    shape = query_shape("select * from <g> where {}")
    assert (shape.form, shape.has_dataset_clause) == ("SELECT", True)
    with pytest.raises(QuerySyntaxError):
        query_shape("PREFIX ex: <http://ex/>")


def test_virtuoso_ask_tables_typed_literals_and_blank_nodes_become_standard() -> None:
    ask = {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [
        {"__ASK_RETVAL": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                          "value": "1"}}]}}
    assert bool(ox.parse_query_results(_normalise_json(json.dumps(ask).encode()), format=ox.QueryResultsFormat.JSON))
    table = {"head": {"vars": ["b", "n"]}, "results": {"bindings": [{
        "b": {"type": "bnode", "value": "nodeID://b10000"},
        "n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "7"}}]}}
    solution = next(iter(ox.parse_query_results(_normalise_json(json.dumps(table).encode()),
                                                format=ox.QueryResultsFormat.JSON)))  # type: ignore[call-overload]
    assert isinstance(solution["b"], ox.BlankNode) and solution["n"].value == "7"


def test_boolean_variables_are_those_bound_only_to_boolean_expressions() -> None:
    sparql = """SELECT ?n (?n < 50 AS ?small) (IF(?n > 9, true, false) AS ?big) (IF(?n, 1, 0) AS ?one)
                WHERE { ?s ?p ?n BIND(EXISTS { ?s a ?c } AS ?typed) BIND(STRLEN(?p) AS ?length)
                        BIND(BOUND(?n) AS ?mixed) BIND(1 AS ?mixed) }"""
    assert boolean_variables(sparql) == {"small", "big", "typed"}
    assert boolean_variables("SELECT * WHERE { ?s <p> ?o } bad") == frozenset()  # unreadable: nothing converted


def test_virtuoso_0_and_1_become_booleans_only_where_the_query_binds_a_boolean() -> None:
    integer = {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}
    table = {"head": {"vars": ["flag", "n"]}, "results": {"bindings": [{"flag": integer, "n": dict(integer)}]}}
    sparql = "SELECT ?flag ?n WHERE { ?s <urn:x:count> ?n BIND(?n > 0 AS ?flag) }"
    solution = next(iter(ox.parse_query_results(_normalise_json(json.dumps(table).encode(), sparql),
                                                format=ox.QueryResultsFormat.JSON)))  # type: ignore[call-overload]
    assert solution["flag"] == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert solution["n"] == ox.Literal(1)


@pytest.mark.parametrize("url", ["http://host/sparql", "sparql+http://", "sparql+ftp://host/sparql"])
def test_a_store_url_that_is_not_sparql_http_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="MGKG_STORE"):
        RemoteStore.from_settings(Settings(store_url=url))


def test_store_url_opens_a_remote_store_over_plain_http() -> None:
    store = RemoteStore.from_settings(Settings(store_url="sparql+http://127.0.0.1:1/sparql"))
    store.close()
    assert store.query_url == "http://127.0.0.1:1/sparql"


# -- on Virtuoso ---------------------------------------------------------------------------------

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso on free ports; yields its base URL. Its `dba` account (password `dba`) may write."""
    binary = shutil.which("virtuoso-t")
    assert binary, "virtuoso-t is missing: apt-get install virtuoso-opensource (.ci/run does)"
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=free_port(), http_port=http_port))
    server = subprocess.Popen([binary, "-f", "-c", "virtuoso.ini"], cwd=folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (folder / "virtuoso.log").read_text()[-2000:]
            try:
                if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "Virtuoso did not start within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(30)


@pytest.fixture(scope="module")
def remote_settings(virtuoso: str) -> Settings:
    return Settings(root=ROOT, store_url=f"sparql+{virtuoso}/sparql",
                    store_graph_store_url=f"{virtuoso}/sparql-graph-crud-auth", store_user="dba", store_password="dba")


@pytest.fixture(scope="module")
def remote(remote_settings: Settings) -> Iterator[RemoteStore]:
    """The graph loaded into Virtuoso by `mgkg load` (the command, as a user runs it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server"), "MGKG_STORE": remote_settings.store_url or "",
           "MGKG_STORE_GRAPH_STORE_URL": remote_settings.store_graph_store_url or "",
           "MGKG_STORE_USER": "dba", "MGKG_STORE_PASSWORD": "dba"}
    done = subprocess.run([sys.executable, "-m", "mgkg.cli", "load"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    store = RemoteStore.from_settings(remote_settings)
    yield store
    store.close()


NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("integer", "decimal", "double", "float", "long", "int")}


def comparable(result: object) -> object:
    """An answer as a sorted list of rows: blank nodes anonymous (engines label them differently),
    numbers by value (SPARQL leaves the numeric type of aggregates such as SUM partly to the engine)."""
    def term(value: object) -> str:
        if isinstance(value, ox.Literal) and value.datatype.value in NUMERIC:
            return f"number {float(value.value)!r}"
        return "_:b" if isinstance(value, ox.BlankNode) else str(value)

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return sorted(tuple(term(row[name]) for name in names) for row in result)
    return sorted((term(t.subject), term(t.predicate), term(t.object)) for t in result)  # type: ignore[attr-defined]


@pytest.mark.integration
@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=VIRTUOSO_DIFFERS[name]))
    if name in VIRTUOSO_DIFFERS else name for name in sorted(QUERIES)
])
def test_virtuoso_answers_as_the_embedded_store(name: str, remote: RemoteStore, graph_store: EmbeddedStore) -> None:
    sparql = QUERIES[name]
    expected = comparable(graph_store.query(sparql))
    if name not in COMPETENCY:  # those have their expected answers checked in test_queries.py
        assert expected not in ([], [("number 0.0",)]), "a query that finds nothing proves nothing"
    answer = comparable(remote.query(sparql))
    if query_shape(sparql).form == "DESCRIBE":  # what DESCRIBE adds is up to the engine (SPARQL 1.1, 16.4)
        assert set(expected) <= set(answer)  # type: ignore[arg-type]
    else:
        assert answer == expected


@pytest.mark.integration
def test_the_union_default_graph_leaves_out_virtuoso_s_own_graphs(remote: RemoteStore, graph_store) -> None:
    everything = httpx.get(remote.query_url, params={"query": QUERIES["count"]},
                           headers={"Accept": "application/sparql-results+json"}).json()
    engine_default = int(everything["results"]["bindings"][0]["n"]["value"])
    assert engine_default > len(graph_store) == len(remote)
    assert remote.named_graphs() == sorted(g.value for g in graph_store.oxigraph.named_graphs())


@pytest.mark.integration
def test_a_named_dataset_is_passed_through(remote: RemoteStore, graph_store: EmbeddedStore) -> None:
    sources = "https://w3id.org/mgkg/graph/data/sources"
    expected = comparable(graph_store.query(QUERIES["count"], Dataset((sources,), ())))
    assert comparable(remote.query(QUERIES["count"], Dataset((sources,), ()))) == expected


@pytest.mark.integration
def test_run_streams_the_engine_s_answer_in_the_asked_format(remote: RemoteStore, graph_store: EmbeddedStore) -> None:
    fmt = format_by_name("json", SOLUTION_FORMATS)
    assert fmt is not None

    async def collect(sparql: str) -> bytes:
        answer = await remote.run(sparql, Dataset(), fmt, timeout=30, max_bytes=10_000_000)
        return b"".join([chunk async for chunk in answer.chunks])

    for name in ("labels", "ask-yes"):
        body = _normalise_json(asyncio.run(collect(QUERIES[name])))
        streamed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        assert comparable(streamed) == comparable(graph_store.query(QUERIES[name]))


@pytest.mark.integration
def test_the_server_answers_from_virtuoso(remote: RemoteStore, remote_settings: Settings, graph_store) -> None:
    app = create_app(remote_settings)
    with TestClient(app) as client:
        answer = client.get("/sparql", params={"query": QUERIES["count"]}).json()
    app.state.store.close()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(graph_store)


@pytest.mark.integration
def test_a_syntax_error_from_the_engine_is_a_query_syntax_error(remote: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError):
        remote.query("SELECT ?x WHERE { ?x }")


@pytest.mark.integration
def test_validating_what_virtuoso_holds_matches_validating_the_files(remote: RemoteStore, settings: Settings) -> None:
    files = validate_paths([settings.data_dir], settings)
    stored = validate_store(remote, settings)
    assert len(stored.resources) == len(files.resources) > 0  # every resource was checked
    # the same results; their order follows file lines, which a store does not keep
    assert Counter(r.focus for r in stored.results) == Counter(r.focus for r in files.results)
