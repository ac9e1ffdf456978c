"""The light path for /sparql (web/sparql_lane.py) answers byte for byte as the app's own route does:
every request below goes to an app with the light path and to one without, and the two answers must
have the same status, the same headers in the same order and the same body."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from mgkg.settings import Settings
from mgkg.store import EmbeddedStore
from mgkg.web import app as web_app
from mgkg.web import sparql, sparql_lane
from test_protocol import DIRECT, FORM, KASEI, W3C_CASES, q

SELECT = "SELECT ?g ?t { GRAPH ?g { ?g a ?t } } ORDER BY ?g"
CONSTRUCT = "CONSTRUCT { ?g a ?t } WHERE { GRAPH ?g { ?g a ?t } }"
#: More than the 1 KB past which gzip starts, for clients that ask.
LARGE = "SELECT ?n { VALUES ?x { 1 2 3 4 5 6 7 8 9 10 } VALUES ?y { 1 2 3 4 5 6 7 8 9 10 } BIND(?x * ?y AS ?n) }"
ORIGIN = {"origin": "https://yasgui.example"}
GZIP = {"accept-encoding": "gzip"}

# name, method, URL query string, headers (a list: a header may repeat), body
CASES: list[tuple[str, str, str, list[tuple[str, str]] | dict[str, str], str | bytes | None]] = [
    *((f"w3c {name}", method, url_query, headers, body) for name, method, url_query, headers, body, *_ in W3C_CASES),
    *((f"select format={name}", "GET", f"query={q(SELECT)}&format={name}", {}, None)
      for name in ("json", "xml", "csv", "tsv")),
    *((f"select accept {accept}", "GET", f"query={q(SELECT)}", {"accept": accept}, None)
      for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                     "text/tab-separated-values", "application/json", "*/*", "text/*;q=0.5, */*;q=0.1", "")),
    *((f"construct accept {accept}", "GET", f"query={q(CONSTRUCT)}", {"accept": accept}, None)
      for accept in ("text/turtle", "application/n-triples", "application/rdf+xml", "*/*")),
    ("describe", "GET", f"query={q(f'DESCRIBE <{KASEI}data1.rdf>')}", {}, None),
    ("two accept headers", "GET", f"query={q(SELECT)}", [("accept", "text/csv"), ("accept", "text/turtle")], None),
    ("unacceptable accept is 406", "GET", f"query={q(SELECT)}", {"accept": "image/png"}, None),
    ("format not fitting is 400", "GET", f"query={q(CONSTRUCT)}&format=csv", {}, None),
    ("browser gets the editor", "GET", f"query={q(SELECT)}", {"accept": "text/html,*/*;q=0.8"}, None),
    ("html with format= gets results", "GET", f"query={q(SELECT)}&format=json", {"accept": "text/html"}, None),
    ("head", "HEAD", f"query={q(SELECT)}", {}, None),
    ("if-none-match *", "GET", f"query={q(SELECT)}", {"if-none-match": "*"}, None),
    ("if-none-match other tag", "GET", f"query={q(SELECT)}", {"if-none-match": '"nope", W/"other"'}, None),
    ("cors simple", "GET", f"query={q(SELECT)}", ORIGIN, None),
    ("cors post", "POST", "", {**ORIGIN, **DIRECT}, SELECT),
    ("cors error", "GET", "query=ASK%20%7B", ORIGIN, None),
    ("cors preflight", "OPTIONS", "", {**ORIGIN, "access-control-request-method": "POST",
                                       "access-control-request-headers": "content-type"}, None),
    ("options", "OPTIONS", "", {}, None),
    ("gzip", "GET", f"query={q(LARGE)}", GZIP, None),
    ("gzip post with cors", "POST", "", {**GZIP, **ORIGIN, **FORM}, f"query={q(LARGE)}"),
    ("gzip asked, answer too small", "GET", f"query={q(SELECT)}", GZIP, None),
    ("form post with graphs in the body", "POST", "", FORM,
     f"query={q(SELECT)}&named-graph-uri={q(KASEI + 'data1.rdf')}&format=xml"),
    ("form post with utf-8 charset", "POST", "", {"content-type": FORM["content-type"] + "; charset=UTF-8"},
     f"query={q(SELECT)}"),
    ("direct post with format in the URL", "POST", "format=csv", DIRECT, SELECT),
    ("relative IRIs, another host", "POST", "", {**DIRECT, "host": "example.org:8080"}, "CONSTRUCT { <s> <p> 1 } {}"),
    ("body over the limit is 413", "POST", "", DIRECT, "ASK {} #" + "x" * 10_000),
    ("body not utf-8 is 400", "POST", "", DIRECT, b"ASK {} # \xff"),
    ("bad percent in the URL", "GET", "query=ASK%20%7B%7D&format=json%", {}, None),
    ("bad percent in the body", "POST", "", FORM, "query=ASK%20%7B%7D&named-graph-uri=%E2%82%AC%E2"),
    ("bad graph IRI", "GET", "query=ASK%20%7B%7D&default-graph-uri=nope", {}, None),
    ("no query in a post", "POST", "", FORM, "format=json"),
    ("an unknown prefix", "GET", f"query={q('SELECT * { ?s a ex:Thing }')}", {}, None),
    ("service outside the allowlist", "GET", f"query={q('SELECT * { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }')}",
     {}, None),
    ("deep nesting", "POST", "", DIRECT, "SELECT * WHERE " + "{" * 3000 + "}" * 3000),
    ("delete is 405", "DELETE", "query=ASK%20%7B%7D", {}, None),
]


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    """data0..data3.rdf as named graphs, as in tests/test_protocol.py."""
    oxigraph = ox.Store()
    for n in range(4):
        graph = ox.NamedNode(f"{KASEI}data{n}.rdf")
        oxigraph.add(ox.Quad(graph, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             ox.NamedNode("http://xmlns.com/foaf/0.1/Document"), graph))
    return EmbeddedStore(oxigraph, "kasei-1")


@pytest.fixture(scope="module")
def clients(settings, store) -> tuple[TestClient, TestClient]:
    """The app with the light path, and the same app without it."""
    limited = Settings(root=settings.root, workers=0, max_body_bytes=10_000)
    light, plain = web_app.create_app(limited, store=store), web_app.create_app(limited, store=store)
    plain.sparql_lane = None  # type: ignore[attr-defined]
    identity = {"accept-encoding": "identity"}  # the test client asks for gzip unless told otherwise
    return TestClient(light, headers=identity), TestClient(plain, headers=identity)


def _answer(client: TestClient, method: str, url_query: str, headers, body) -> tuple[int, list, bytes]:
    response = client.request(method, "/sparql" + (f"?{url_query}" if url_query else ""), headers=headers,
                              content=body)
    return response.status_code, [item for item in response.headers.multi_items() if item[0] != "date"], \
        response.content


@pytest.mark.parametrize(("name", "method", "url_query", "headers", "body"), CASES, ids=[case[0] for case in CASES])
def test_both_paths_answer_alike(clients, name, method, url_query, headers, body) -> None:
    light, plain = (_answer(client, method, url_query, headers, body) for client in clients)
    assert light == plain
    assert _answer(clients[0], method, url_query, headers, body) == plain  # again, from the plan it kept


def test_a_current_copy_is_304_on_both_paths(clients) -> None:
    tag = clients[0].get("/sparql", params={"query": SELECT}).headers["etag"]
    for match in (tag, tag.removeprefix("W/"), f'"other", {tag}'):
        answers = [_answer(client, "GET", f"query={q(SELECT)}", {"if-none-match": match}, None) for client in clients]
        assert answers[0][0] == 304 and answers[0] == answers[1]


@pytest.mark.parametrize(("method", "url_query", "headers", "body"), [
    ("GET", f"query={q(SELECT)}", {}, None),
    ("HEAD", f"query={q(SELECT)}&format=csv", {}, None),
    ("POST", "", DIRECT, SELECT),
    ("POST", "", FORM, f"query={q(SELECT)}"),
    ("GET", f"query={q(SELECT)}", {**ORIGIN, **GZIP}, None),
    ("GET", "query=ASK%20%7B", {}, None),  # its error too
])
def test_queries_take_the_light_path(clients, monkeypatch, method, url_query, headers, body) -> None:
    """Without this, the comparison above would also pass with a light path that declined everything."""
    async def not_here(request):
        raise AssertionError("the app's own /sparql route answered")
    monkeypatch.setattr(sparql, "sparql", not_here)
    status, _, _ = _answer(clients[0], method, url_query, headers, body)
    assert status in (200, 400)


@pytest.mark.parametrize(("method", "url_query", "headers"), [
    ("GET", "", {"accept": "text/turtle"}),  # the service description (its blank nodes differ on each call)
    ("HEAD", "format=ntriples", {}),
    ("GET", f"query={q(SELECT)}", {"accept": "text/html,*/*;q=0.8"}),  # a browser: the editor
    ("OPTIONS", "", {}),
    ("PUT", f"query={q(SELECT)}", {}),
])
def test_the_rest_goes_to_the_app(clients, monkeypatch, method, url_query, headers) -> None:
    answered = []

    async def recording(request):
        answered.append(request.method)
        return await own_route(request)
    own_route = sparql.sparql
    monkeypatch.setattr(sparql, "sparql", recording)
    status, _, _ = _answer(clients[0], method, url_query, headers, None)
    assert answered == [method] and status < 500


@pytest.fixture
def parsed(monkeypatch) -> list[bytes]:
    """The URL queries and bodies the protocol reads, one entry each time it reads a request."""
    reads: list[bytes] = []

    def counting(method, query_string, content_type, body):
        reads.append(query_string + body)
        return parse(method, query_string, content_type, body)
    parse = sparql.parse_operation
    monkeypatch.setattr(sparql, "parse_operation", counting)
    return reads


@pytest.fixture
def light(settings, store) -> TestClient:
    """A new app with the light path, so that no test sees plans another kept."""
    return TestClient(web_app.create_app(Settings(root=settings.root, workers=0), store=store),
                      headers={"accept-encoding": "identity"})


def test_a_request_answered_before_is_not_read_again(light, parsed) -> None:
    for _ in range(3):
        assert light.get("/sparql", params={"query": SELECT}).status_code == 200
        assert light.post("/sparql", content=SELECT, headers=DIRECT).status_code == 200
    assert len(parsed) == 2
    # Another Accept header, Host or body is another request.
    assert light.get("/sparql", params={"query": SELECT}, headers={"accept": "text/csv"}).text.startswith("g,t")
    assert light.get("/sparql", params={"query": SELECT}, headers={"host": "example.org"}).status_code == 200
    assert light.post("/sparql", content=SELECT + " ", headers=DIRECT).status_code == 200
    assert len(parsed) == 5 and len(light.app.sparql_lane) == 5  # type: ignore[attr-defined]


def test_errors_and_long_requests_are_read_every_time(light, parsed) -> None:
    long_query = SELECT + " #" + "x" * sparql_lane.KEPT_REQUEST_BYTES
    for _ in range(2):
        assert light.get("/sparql", params={"query": "ASK {"}).status_code == 400
        assert light.post("/sparql", content=long_query, headers=DIRECT).status_code == 200
    assert len(parsed) == 4 and len(light.app.sparql_lane) == 0  # type: ignore[attr-defined]


def test_the_plans_kept_are_bounded_oldest_out_first(light, parsed, monkeypatch) -> None:
    monkeypatch.setattr(sparql_lane, "KEPT_PLANS", 3)
    queries = [f"ASK {{ ?s ?p {n} }}" for n in range(5)]
    for query in queries:
        assert light.get("/sparql", params={"query": query}).status_code == 200
    assert len(light.app.sparql_lane) == 3  # type: ignore[attr-defined]
    light.get("/sparql", params={"query": queries[-1]})  # still kept
    light.get("/sparql", params={"query": queries[0]})  # gone: read again
    assert len(parsed) == 6
