"""The query guard: limits that keep the engine's parser alive, SERVICE allow-listing, query forms."""

from __future__ import annotations

import pyoxigraph
import pytest

from mgkg.errors import QuerySyntaxError, ReadOnlyError, ServiceNotAllowedError
from mgkg.guard import Limits, explain_syntax_error, has_dataset_clause, inspect_query

LIMITS = Limits(max_chars=100_000, max_nesting=200, service_allowlist=("https://query.wikidata.org/sparql",))


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * { ?s ?p ?o }", "SELECT"),
    ("PREFIX ask: <http://x/> BASE <http://b/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("# SELECT in a comment\nASK {}", "ASK"),
    ("DESCRIBE <http://example.org/>", "DESCRIBE"),
])
def test_form_is_the_first_query_keyword(query, form) -> None:
    assert inspect_query(query, LIMITS).form == form


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * FROM <http://g> { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }", True),
    ('SELECT * { ?s ?p "FROM" }', False),
    ("SELECT ?from { ?s ?p ?from } # FROM", False),
])
def test_dataset_clauses_are_found_outside_strings_and_comments(query, expected) -> None:
    assert has_dataset_clause(query) is expected


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 201 + "?s ?p ?o" + "}" * 201,
    "SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }",
    "SELECT * WHERE { FILTER(" + " && ".join(["true"] * 10_000) + ") }",
    "SELECT * WHERE { ?s " + "/".join(["<http://a>"] * 1_500) + " ?o }",
    "SELECT * WHERE { FILTER(" + "!" * 10_000 + "true) }",
])
def test_queries_that_would_overflow_the_parser_are_refused(query) -> None:
    with pytest.raises(QuerySyntaxError, match="refuses"):
        inspect_query(query, LIMITS)


def test_dataset_clause_is_found_in_queries_that_call_a_service() -> None:
    assert has_dataset_clause("SELECT * FROM <http://g> { SERVICE <http://elsewhere/sparql> { ?s ?p ?o } }")


def test_nesting_at_the_limit_passes() -> None:
    inspect_query("SELECT * WHERE " + "{" * 200 + "?s ?p ?o" + "}" * 200, LIMITS)


def test_brackets_in_strings_iris_and_comments_do_not_count() -> None:
    noise = '"{{{{" ' * 300 + "<http://x/((((> " + "# {{{{{{\n"
    inspect_query("SELECT * { ?s ?p " + noise + "}", Limits(100_000, 5))


@pytest.mark.parametrize("query", ["", "   \n\t", "# only a comment", "# one\n# two\n"])
def test_empty_query_is_refused_as_empty(query) -> None:
    with pytest.raises(QuerySyntaxError, match="the query is empty"):
        inspect_query(query, LIMITS)


def test_too_long_query_is_refused_with_its_size() -> None:
    with pytest.raises(QuerySyntaxError, match="100001 characters"):
        inspect_query("#" * 100_001, LIMITS)


@pytest.mark.parametrize(("query", "endpoint"), [
    ("SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", "http://evil.example/sparql"),
    ("select * { service silent <http://evil.example/sparql> { ?s ?p ?o } }", "http://evil.example/sparql"),
    ("PREFIX e: <http://evil.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", "http://evil.example/sparql"),
    ("BASE <http://evil.example/x/> SELECT * { SERVICE <../sparql> { ?s ?p ?o } }", "http://evil.example/sparql"),
    ("SELECT * { SERVICE ?where { ?s ?p ?o } }", "?where"),
    ("SELECT * { ?s ?p ?o {SERVICE<http://evil.example/sparql>{}} }", "http://evil.example/sparql"),
    # The engine decodes \u escapes in IRIs, so an escaped endpoint is still that endpoint.
    (r"SELECT * { SERVICE <http://\u0065vil.example/sparql> {} }", "http://evil.example/sparql"),
    (r"PREFIX e: <http://\U00000065vil.example/> SELECT * { SERVICE e:sparql {} }", "http://evil.example/sparql"),
    (r"SELECT * { SERVICE <http://\uD800.example/> {} }", "http://\ufffd.example/"),
    ("SELECT * { SERVICE # a comment\n SILENT <http://evil.example/sparql> {} }", "http://evil.example/sparql"),
    ("SELECT * { SERVICE <HTTPS://query.wikidata.org/sparql> {} }", "HTTPS://query.wikidata.org/sparql"),
    # What the guard cannot read as an endpoint is refused rather than let through.
    ("SELECT * { SERVICE (<http://evil.example/sparql>) {} }", "("),
    ("SELECT * { SERVICE SILENT {} }", "{"),
])
def test_service_outside_the_allowlist_is_refused_naming_the_endpoint(query, endpoint) -> None:
    with pytest.raises(ServiceNotAllowedError) as refused:
        inspect_query(query, LIMITS)
    assert endpoint in str(refused.value)


def test_allowlisted_service_and_service_lookalikes_pass() -> None:
    shape = inspect_query("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", LIMITS)
    assert shape.services == ("https://query.wikidata.org/sparql",)
    escaped = inspect_query(r"SELECT * { SERVICE <https://query.wiki\u0064ata.org/sparql> {} }", LIMITS)
    assert escaped.services == ("https://query.wikidata.org/sparql",)
    lookalikes = 'PREFIX service: <http://x/> SELECT ?service { ?service service:p "SERVICE <http://evil/>" }'
    assert inspect_query(lookalikes, LIMITS).services == ()


def test_federation_is_off_by_default() -> None:
    with pytest.raises(ServiceNotAllowedError, match=r"federation is off on this service \(MGKG_SERVICE_ALLOWLIST"):
        inspect_query("SELECT * { SERVICE <https://query.wikidata.org/sparql> {} }", Limits(1000, 10))


UPDATES = ["INSERT DATA { <a:b> <a:c> <a:d> }", "PREFIX x: <a:> CLEAR ALL", "drop graph <a:g>"]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused(update) -> None:
    with pytest.raises(ReadOnlyError):
        inspect_query(update, LIMITS)


@pytest.mark.parametrize(("query", "expected"), [
    ("PREFIX mg: <https://w3id.org/mgkg/ontology#>\nSELECT * WHERE { ?x a mgx:Forum }",
     "unknown prefix mgx: at line 2, column 32: declare it with PREFIX mgx: <namespace>"),
    ("SELECT * WHERE { ?x a ?y ", 'syntax error at line 1, column 26: expected ",", ".", ";", "{", "{|", "}", "~"'),
])
def test_parser_errors_read_as_what_and_where(query, expected) -> None:
    with pytest.raises(SyntaxError) as raised:
        pyoxigraph.Store().query(query)
    assert explain_syntax_error(str(raised.value), query) == expected


def test_a_message_the_explainer_does_not_know_is_kept() -> None:
    assert explain_syntax_error("something odd", "ASK {}") == "something odd"
