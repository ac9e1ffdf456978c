"""Content negotiation: q-values, wildcards, specificity and aliases pick the right format."""

from __future__ import annotations

import pytest

from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from mgkg.web.negotiation import negotiate_format


@pytest.mark.parametrize(("accept", "solutions", "graph"), [
    (None, "json", "ttl"),
    ("", "json", "ttl"),
    ("*/*", "json", "ttl"),
    ("application/sparql-results+xml", "xml", None),
    ("text/csv;q=0.5, text/tab-separated-values", "tsv", None),
    ("application/json", "json", "jsonld"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.2, */*;q=0.1", "json", "rdf"),
    ("text/*", "csv", "ttl"),
    ("text/*;q=0.3, application/sparql-results+xml;q=0.4, */*;q=0", "xml", "ttl"),
    ("application/n-quads, application/trig;q=0.9", None, "nq"),
    ("text/html", None, None),
    ("text/turtle;q=0, */*", "json", "nt"),  # an explicit q=0 refuses Turtle even under */*
    ("TEXT/Turtle; charset=utf-8", None, "ttl"),
    ("application/ld+json;q=0.8, application/json;q=0.1", "json", "jsonld"),
    ("garbage", "json", "ttl"),  # nothing parseable: treated as no preference
])
def test_negotiate(accept, solutions, graph) -> None:
    chosen_solutions = negotiate_format(accept, SOLUTION_FORMATS)
    chosen_graph = negotiate_format(accept, GRAPH_FORMATS)
    assert (chosen_solutions.name if chosen_solutions else None) == solutions
    assert (chosen_graph.name if chosen_graph else None) == graph
