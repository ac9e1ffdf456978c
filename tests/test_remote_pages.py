"""A remote engine serves every page: one MGKG (embedded) is the SPARQL engine of another
(MGKG_STORE=sparql+http://...), and every route of the second answers as the first does."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from conftest import live_server
from mgkg.app import create_app
from mgkg.describe import RDF_FORMS, all_resources
from mgkg.export import export_site
from mgkg.remote import RemoteStore
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in ("href", "src") and value]


def local_links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    links = []
    for link in parser.found:
        parts = urlsplit(link)
        if not parts.scheme and not link.startswith("#"):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


@pytest.fixture(scope="module")
def engine(settings: Settings, site_store: EmbeddedStore) -> Iterator[str]:
    """The first MGKG, over the page fixtures, on a free port of 127.0.0.1: the other's engine."""
    with live_server(create_app(settings, store=site_store)) as url:
        yield f"{url}/sparql"


@pytest.fixture(scope="module")
def embedded(settings: Settings, site_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(settings, store=site_store))


@pytest.fixture(scope="module")
def remote(settings: Settings, engine: str) -> Iterator[TestClient]:
    """The second MGKG, built from MGKG_STORE as `mgkg serve` builds it."""
    remote_settings = Settings.from_env({"MGKG_ROOT": str(settings.root), "MGKG_STORE": f"sparql+{engine}",
                                         "MGKG_WORKERS": "0"})
    app = create_app(remote_settings)
    assert isinstance(app.state.store, RemoteStore)
    with TestClient(app) as client:
        yield client


def routes(site_store: EmbeddedStore) -> list[tuple[str, str]]:
    """Every route of the site with the Accept header it is asked with (crawling adds what pages link)."""
    slug = all_resources(site_store)[0]
    asked = [("/", BROWSER), ("/ontology", BROWSER), ("/ontology", "text/turtle"), ("/ontology.html", BROWSER),
             ("/search?q=refugee", BROWSER), ("/search", BROWSER), ("/search-index.json", "*/*"),
             ("/timeline", BROWSER), ("/sparql", BROWSER), ("/sparql", "text/turtle"),
             ("/sparql?query=ASK%20%7B%7D", "application/sparql-results+json"),
             ("/.well-known/void", "text/turtle"), ("/.well-known/sparql-examples", "text/turtle"),
             ("/page/no-such-thing", BROWSER), ("/class/NoSuchClass", BROWSER)]
    asked += [(f"/ontology.{ext}", form.media_type) for ext, form in RDF_FORMS.items()]
    asked += [(f"/id/{slug}", accept) for accept in (BROWSER, *(form.media_type for form in RDF_FORMS.values()))]
    asked += [(f"/data/{s}.{ext}", "*/*") for s in all_resources(site_store) for ext in RDF_FORMS]
    return asked


def test_every_route_answers_from_a_remote_engine_as_from_the_embedded_store(
        embedded: TestClient, remote: TestClient, site_store: EmbeddedStore) -> None:
    todo = deque(routes(site_store))
    seen = set(todo)
    statuses: dict[str, int] = {}
    while todo:
        path, accept = todo.popleft()
        theirs = remote.get(path, headers={"Accept": accept}, follow_redirects=False)
        ours = embedded.get(path, headers={"Accept": accept}, follow_redirects=False)
        assert theirs.status_code < 500, (path, theirs.status_code, theirs.text[:300])
        assert theirs.status_code == ours.status_code, (path, theirs.text[:300])
        assert theirs.headers.get("location") == ours.headers.get("location"), path
        statuses[path] = theirs.status_code
        if theirs.headers.get("content-type", "").startswith("text/html"):
            for link in local_links(theirs.text):
                if (link, BROWSER) not in seen:
                    seen.add((link, BROWSER))
                    todo.append((link, BROWSER))
    assert len(statuses) > 50
    assert {"/class/Forum", "/static/site.css", "/ontology.ttl"} <= set(statuses)
    assert sorted(set(statuses.values())) == [200, 301, 303, 404]  # 301: a merged slug moves to the kept one


@pytest.mark.parametrize("ext", RDF_FORMS)
def test_the_whole_ontology_comes_from_the_remote_engine(embedded: TestClient, remote: TestClient, ext: str) -> None:
    theirs, ours = remote.get(f"/ontology.{ext}"), embedded.get(f"/ontology.{ext}")
    assert theirs.status_code == 200, theirs.text[:300]
    graph = rdflib.Graph().parse(data=theirs.content, format=RDFLIB_FORMATS[ext])
    assert len(graph) > 500
    assert isomorphic(graph, rdflib.Graph().parse(data=ours.content, format=RDFLIB_FORMATS[ext]))


def test_the_static_mirror_exports_from_a_remote_engine(tmp_path, engine: str, site_store: EmbeddedStore) -> None:
    store = RemoteStore(engine)
    try:
        count = export_site(store, tmp_path / "remote")
    finally:
        store.close()
    assert count == export_site(site_store, tmp_path / "embedded")
    files = sorted(p.relative_to(tmp_path / "remote") for p in (tmp_path / "remote").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "embedded")
                           for p in (tmp_path / "embedded").rglob("*") if p.is_file())


def test_relative_iris_resolve_against_the_serving_endpoint_not_the_engine(remote: TestClient) -> None:
    for query in ("SELECT ?i { BIND(<s> AS ?i) }", "ASK { FILTER(<s> = <http://testserver/s>) }"):
        answer = remote.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert result.get("boolean", True) is True
        if "results" in result:
            assert result["results"]["bindings"][0]["i"]["value"] == "http://testserver/s"
