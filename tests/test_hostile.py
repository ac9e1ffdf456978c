"""Hostile input against the whole app, with query workers as in production: every answer is a
4xx with a plain message (or a correct 2xx/3xx), never a 500, a stack trace or a path of this
machine, and a normal query is answered right after each one."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import ROOT, live_server
from mgkg.errors import NotFoundError
from mgkg.namespaces import MGID
from mgkg.pages.addresses import resource_iri
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore
from mgkg.web.app import create_app
from mgkg.web.serving import MAX_TARGET_BYTES

REGIME = "https://w3id.org/mgkg/ontology#Regime"
NORMAL = f"SELECT ?label WHERE {{ <{REGIME}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
LIMITS = Settings(root=ROOT, workers=2, query_timeout=10.0)
#: What must never reach a client: internals of this machine and of Python.
LEAKS = (str(ROOT), "/usr/", "site-packages", "Traceback", 'File "', "Internal Server Error")
ROUTES = ["/sparql", "/id/unhcr", "/page/unhcr", "/data/unhcr.ttl", "/ontology", "/ontology.ttl", "/search",
          "/timeline", "/class/Regime", "/.well-known/void", "/.well-known/sparql-examples", "/static/style.css", "/"]


@pytest.fixture(scope="module")
def client(graph_store) -> Iterator[TestClient]:
    """The app over the shipped graph with two query workers; server errors come back as 500s."""
    store = EmbeddedStore(graph_store.oxigraph, graph_store.version)
    with TestClient(create_app(LIMITS, store=store), raise_server_exceptions=False) as test_client:
        yield test_client
    store.close()


def assert_clean(client: TestClient, response, statuses: range | set[int] = range(400, 500)) -> None:
    """`response` has an expected status and a body that leaks nothing; a normal query still works."""
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    leaked = [leak for leak in LEAKS if leak in response.text]
    assert not leaked, f"the body shows {leaked}: {response.text[:300]}"
    if response.status_code >= 400:
        assert response.text.strip(), "an error must say what was wrong"
    after = client.get("/sparql", params={"query": NORMAL}, headers={"accept": "application/sparql-results+json"})
    assert after.status_code == 200, after.text
    assert [b["label"]["value"] for b in after.json()["results"]["bindings"]] == ["regime"]


# ---- paths and slugs ---------------------------------------------------------------------------

HOSTILE_PATHS = [
    "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fmgkg/settings.py", "/static/%2e%2e%2fapp.py",
    "/static/..%5c..%5capp.py", "/static/%00", "/data/..%2f..%2fsettings.ttl", "/data/%2e%2e.ttl",
    "/data/..%2f..%2fdata%2fsources.ttl", "/id/%00", "/id/%2e%2e", "/id/unhcr%2f..%2f..", "/id/unhcr%00.ttl",
    "/id/" + "a" * 8_000, "/page/" + "a" * 8_000, "/data/" + "a" * 8_000 + ".ttl", "/class/" + "A" * 8_000,
    "/id/%E2%80%AEunhcr", "/id/%F0%9F%98%80", "/page/%D8%A7%D9%84%D9%85%D9%81%D9%88%D8%B6%D9%8A%D8%A9",
    "/id/%ff%fe", "/page/%c0%af", "/id/a%3E%20%3Fp%20%3Fo%20%7D%20%23", "/id/unhcr%3E%20%3Fp%20%3Fo%20%7D",
    "/page/a%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/data/x'%20.ttl", "/data/%3Chttp:%2F%2Fevil%3E.ttl",
    "/ontology.%00", "/ontology.ttl%00", "/class/%3Cscript%3E", "/page/unhcr/0", "/page/unhcr/-1",
    "/page/unhcr/99999999999999999999999", "/page/unhcr/abc", "/page/unhcr/1e3", "/page/unhcr/%00",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_paths_are_not_found_without_leaks_or_markup(client, path) -> None:
    response = client.get(path)
    assert_clean(client, response, {404})
    assert "<script>" not in response.text and "root:" not in response.text


def test_a_slug_of_the_maximum_length_is_looked_up_and_one_longer_is_not_a_slug() -> None:
    assert resource_iri("a" * 200) == MGID + "a" * 200
    with pytest.raises(NotFoundError, match="not a resource name"):
        resource_iri("a" * 201)


#: Characters that would end an IRI, a string or a group in a generated query, or a line of Turtle.
BREAKOUT = set('<>"{}|^`\\\' #?/%') | {chr(c) for c in range(0x21)}


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.sampled_from(["unhcr>", "unhcr> ?p ?o } #", 'a"b', "a\u202eb", "..", ".",
                                               "a/../b", "a%3E", "ＵＮＨＣＲ", "a\x00", "a b", "a\nb"]))
def test_no_slug_can_break_out_of_the_iri_it_is_placed_in(slug) -> None:
    try:
        iri = resource_iri(slug)
    except NotFoundError:
        return
    assert iri == MGID + slug and not BREAKOUT & set(slug) and slug.isascii()


# ---- content negotiation -----------------------------------------------------------------------

ACCEPTS = [
    ",".join(f"application/x-type-{n}+xml;q=0.{n % 10}" for n in range(400)),  # ~10 kB
    "application/*;q=NaN", "text/html;q=2", "application/sparql-results+json;q=-1", "text/", "/json", "text",
    "*/*;q=inf", ";;;,,,", "application/sparql-results+json;q=0.5;q=x;level", "\u00e9/\u00e9", "*/*;" + "q=1;" * 2000,
]


@pytest.mark.parametrize("accept", ACCEPTS)
def test_hostile_accept_headers_get_an_answer_or_406(client, accept) -> None:
    query = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": accept.encode()})
    assert_clean(client, query, {200, 406})
    if query.status_code == 406:  # (an Accept for HTML alone gets the editor holding the query)
        assert len(query.text) < 2_000, "a 406 names the Accept header without echoing all of it"
    assert_clean(client, client.get("/id/unhcr", headers={"accept": accept.encode()}, follow_redirects=False), {303})


# ---- the query operation -----------------------------------------------------------------------

# (method, raw query string, headers, body, expected status, a phrase the message must contain)
PROTOCOL_CASES = [
    ("GET", "query=%zz", {}, None, 400, "the query parameter in the URL is not percent-encoded correctly"),
    ("GET", "query=%", {}, None, 400, "the query parameter in the URL is not percent-encoded correctly"),
    ("GET", "query=%ff%fe", {}, None, 400, "UTF-8"),
    ("GET", "query=ASK%20%7B%7D&query=ASK%20%7B%7D", {}, None, 400, "2 queries"),
    ("GET", "query=", {}, None, 400, "empty"),
    ("GET", "query=%23%20only%20a%20comment%0A%23%20and%20another", {}, None, 400, "empty"),
    ("GET", "query=ASK%20%7B%7D&update=CLEAR%20ALL", {}, None, 403, "read-only"),
    ("GET", "query=INSERT%20DATA%20%7B%3Ca:b%3E%20%3Ca:b%3E%20%3Ca:b%3E%7D", {}, None, 403, "read-only"),
    ("GET", "query=ASK%20%7B%7D&default-graph-uri=%3Cx%3E", {}, None, 400, "absolute IRI"),
    ("GET", "query=ASK%20%7B%7D&format=..%2F..%2Fetc%2Fpasswd", {}, None, 400, "format="),
    ("POST", "", {"content-type": "application/x-www-form-urlencoded; charset=latin1"}, b"query=ASK{}", 415, "UTF-8"),
    ("POST", "", {"content-type": "application/x-www-form-urlencoded; charset=\"\""}, b"query=ASK{}", 415, "UTF-8"),
    ("POST", "", FORM, b"query=\xff\xfe", 400, "UTF-8"),
    ("POST", "", FORM, b"query=%C3%28", 400, "UTF-8"),
    ("POST", "", DIRECT, b"ASK {} # \xc3\x28", 400, "UTF-8"),
    ("POST", "", FORM, b"", 400, "no query"),
    ("POST", "", FORM, b"query=ASK{}&query=ASK{}", 400, "2 queries"),
    ("POST", "query=ASK%20%7B%7D", DIRECT, b"ASK {}", 400, "2 queries"),
    ("POST", "", FORM, b"update=INSERT DATA { <a:b> <a:b> <a:b> }", 403, "read-only"),
    ("POST", "", FORM, b"query=INSERT DATA { <a:b> <a:b> <a:b> }", 403, "read-only"),
    ("POST", "", FORM, b"query=LOAD <http://127.0.0.1:9/data.ttl>", 403, "read-only"),
    ("POST", "", FORM, b"query=PREFIX a: <a:> # comment\nDROP ALL", 403, "read-only"),
    ("POST", "", {"content-type": "application/sparql-update"}, b"CLEAR ALL", 403, "read-only"),
    ("POST", "", {"content-type": "text/plain"}, b"ASK {}", 415, "Content-Type"),
    ("POST", "", {}, b"ASK {}", 415, "Content-Type"),
    ("POST", "", DIRECT, b"ASK {} " + b" " * 1_000_001, 413, "at most"),
    ("POST", "", DIRECT, b"#" * (LIMITS.max_query_chars + 1), 400, f"{LIMITS.max_query_chars + 1} characters"),
    ("POST", "", DIRECT, b"ASK " + b"{" * 5_000 + b"}" * 5_000, 400, "levels deep"),
    ("POST", "", DIRECT, b"ASK { FILTER(" + b" && ".join([b"true"] * 5_000) + b") }", 400, "chains"),
    ("POST", "", DIRECT, b"ASK { ?s " + b"/".join([b"<a:p>"] * 2_000) + b" ?o }", 400, "chains"),
    ("POST", "", DIRECT, b"ASK { FILTER(" + b"!" * 20_000 + b"true) }", 400, "chains"),
    ("POST", "", DIRECT, b"SELECT (" + b"1+" * 20_000 + b"1 AS ?n) {}", 400, "chains"),
    ("POST", "", DIRECT, b"ASK {} LIMIT 99999999999999999999999999", 400, "error"),
    ("POST", "", DIRECT, b"\x00ASK {}", 400, "error"),
    ("POST", "", DIRECT, "SELECT * { ?s ?p \"\u202e\U0001F600\" }".encode(), 200, ""),
]
SERVICES = [
    "SERVICE <http://127.0.0.1:9/sparql> {}",
    "SERVICE <HTTP://127.0.0.1:9/sparql> {}",
    "SERVICE SILENT <file:///etc/passwd> {}",
    "service silent <http://127.0.0.1:9/sparql> {}",
    "SERVICE <http://\\u0031\\u0032\\u0037.0.0.1:9/sparql> {}",
    "SERVICE # comment\n <http://127.0.0.1:9/sparql> {}",
    "SERVICE ?endpoint { } VALUES ?endpoint { <http://127.0.0.1:9/sparql> }",
]
SERVICE_PROLOGUES = [
    ("PREFIX e: <http://127.0.0.1:9/> ", "SERVICE e:sparql {}"),
    ("BASE <http://127.0.0.1:9/x/> ", "SERVICE <../sparql> {}"),
    ("BASE <http://127.0.0.1:9/> PREFIX : <> ", "SERVICE :sparql {}"),
]


@pytest.mark.parametrize(("method", "params", "headers", "body", "status", "phrase"), PROTOCOL_CASES)
def test_hostile_queries_get_a_clear_4xx(client, method, params, headers, body, status, phrase) -> None:
    response = client.request(method, f"/sparql?{params}", headers=headers, content=body)
    assert_clean(client, response, {status})
    assert phrase in response.text


@pytest.mark.parametrize("prologue_and_pattern", [("", s) for s in SERVICES] + SERVICE_PROLOGUES)
def test_service_to_an_endpoint_off_the_allowlist_is_refused(client, prologue_and_pattern) -> None:
    prologue, pattern = prologue_and_pattern
    response = client.post("/sparql", content=f"{prologue}SELECT * {{ {pattern} }}", headers=DIRECT)
    assert_clean(client, response, {400})
    assert "is not allowed" in response.text


# ---- methods ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND"])
@pytest.mark.parametrize("path", ROUTES)
def test_methods_other_than_reading_are_refused_with_allow(client, method, path) -> None:
    response = client.request(method, path, content=b"INSERT DATA { <a:b> <a:b> <a:b> }")
    assert_clean(client, response, {405})
    assert "GET" in response.headers["allow"] and method in response.text
    assert "POST" not in response.headers["allow"] or path == "/sparql"


@pytest.mark.parametrize("path", ROUTES)
def test_options_answers_without_acting(client, path) -> None:
    response = client.options(path)
    assert_clean(client, response, {204, 405})
    assert "GET" in response.headers["allow"]


# ---- search and pagination ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["(.*)+$", "[", "\\", "a{1,99999}", "(?<=x)", ".*" * 5_000, "é" * 10_000,
                                  "\u202e\U0001F600", "<script>alert(1)</script>", "%", "'; DROP"])
def test_search_treats_any_text_as_text(client, text) -> None:
    response = client.get("/search", params={"q": text})
    assert_clean(client, response, {200})
    assert "<script>alert" not in response.text


def test_search_with_the_parameter_given_twice_or_not_as_utf8(client) -> None:
    assert_clean(client, client.get("/search?q=unhcr&q=%ff"), {200})
    assert_clean(client, client.get("/search?q=%zz&q"), {200})


# ---- the HTTP layer itself, on a real socket ----------------------------------------------------

@pytest.fixture(scope="module")
def port(graph_store) -> Iterator[int]:
    store = EmbeddedStore(graph_store.oxigraph, graph_store.version)
    with live_server(create_app(LIMITS, store=store)) as url:
        yield int(url.rsplit(":", 1)[1])
    store.close()


def _exchange(port: int, request: bytes, half_close: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65_536):
            answer += chunk
        return answer


def _post(headers: str, body: bytes) -> bytes:
    return (f"POST /sparql HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n{headers}\r\n").encode() + body


RAW = [
    (b"GET /static/../../etc/passwd HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", b"404"),
    (b"GET /static/../../../../../../etc/passwd HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", b"404"),
    (b"GET /data/../../server/mgkg/settings.py HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", b"404"),
    (b"GET /id/\xff\xfe HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", b"400"),
    (b"GET /search?q=" + b"a" * 60_000 + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", b"200"),
    (b"GET /search?q=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", b"414"),
    (_post("Content-Length: 5\r\n", b"query=ASK{}"), b"400"),  # shorter than the body: "query" is empty
    (_post("Content-Length: -1\r\n", b"query=ASK{}"), b"400"),
    (_post("Content-Length: abc\r\n", b"query=ASK{}"), b"400"),
    (_post("Content-Length: 11\r\nContent-Length: 5\r\n", b"query=ASK{}"), b"400"),
    (_post("Content-Length: 1000000000000\r\n", b"query=ASK{}"), b"413"),
    (_post("Transfer-Encoding: chunked\r\n", b"zz\r\nquery\r\n0\r\n\r\n"), b"400"),
]


@pytest.mark.parametrize(("request_bytes", "status"), RAW)
def test_malformed_http_gets_a_4xx_and_the_server_goes_on(port, request_bytes, status) -> None:
    answer = _exchange(port, request_bytes)
    assert answer.split(b" ", 2)[1] == status, answer[:300]
    assert b"root:" not in answer and str(ROOT).encode() not in answer and b"Traceback" not in answer
    normal = f"GET /sparql?query={quote(NORMAL)} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode()
    assert b'"regime"' in _exchange(port, normal)


def test_a_request_target_past_the_parsers_limit_is_told_to_use_post(port) -> None:
    query = quote("SELECT * WHERE { ?s ?p ?o } # " + "x" * MAX_TARGET_BYTES)
    answer = _exchange(port, f"GET /sparql?query={query} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 414 ")
    assert f"longer than {MAX_TARGET_BYTES} bytes".encode() in answer and b"by POST" in answer


def test_a_body_shorter_than_its_content_length_is_an_error_not_a_crash(client) -> None:
    """The client leaves mid-body: the endpoint answers 400 (to nobody) instead of raising."""
    messages = iter([{"type": "http.request", "body": b"query=AS", "more_body": True}, {"type": "http.disconnect"}])
    sent: list[dict] = []

    async def receive() -> dict:
        return next(messages)

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "http_version": "1.1", "method": "POST", "path": "/sparql", "raw_path": b"/sparql",
             "root_path": "", "scheme": "http", "query_string": b"", "server": ("127.0.0.1", 1),
             "headers": [(b"content-type", FORM["content-type"].encode()), (b"content-length", b"100")]}
    asyncio.run(client.app(scope, receive, send))
    assert sent[0]["status"] == 400 and b"left after sending 8 bytes" in sent[1]["body"]
