"""The static mirror: `mgkg export-site` writes a site that works from a plain file server."""

from __future__ import annotations

import gzip
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import rdflib

from conftest import static_server
from htmlcheck import check_page
from mgkg import __version__
from mgkg.cli import main
from mgkg.errors import ConfigurationError
from mgkg.pages import render
from mgkg.pages.describe import all_resources
from mgkg.pages.mirror import MARKER, export_site


@pytest.fixture(scope="module")
def exported(tmp_path_factory, site_store) -> Path:
    """The export, in sub/path/ of a folder: as a GitHub Pages project site or a ~user folder holds it."""
    folder = tmp_path_factory.mktemp("host") / "sub" / "path"
    assert export_site(site_store, folder) > 50
    return folder


@pytest.fixture(scope="module")
def mirror(exported) -> Iterator[str]:
    """The export served under /sub/path/ by `python -m http.server` on 127.0.0.1."""
    with static_server(exported.parents[1]) as base:
        yield base + "/sub/path"


def test_every_page_and_rdf_form_is_a_file(exported, site_store) -> None:
    for slug in all_resources(site_store):
        assert (exported / "page" / slug / "index.html").is_file()
        for ext in ("ttl", "nt", "jsonld", "rdf"):
            assert (exported / "data" / f"{slug}.{ext}").is_file()
    graph = rdflib.Graph().parse(exported / "data" / "unhcr.jsonld", format="json-ld")
    assert "UNHCR" in {str(o) for o in graph.objects()}
    assert (exported / "ontology.ttl").is_file() and (exported / "static" / "site.css").is_file()


def test_the_mirror_has_no_broken_internal_link(mirror, site_store) -> None:
    start = [mirror + "/", *(f"{mirror}/page/{slug}/" for slug in all_resources(site_store))]
    seen, todo = set(start), deque(start)
    with httpx.Client(follow_redirects=True, timeout=10) as client:
        while todo:
            url = todo.popleft()
            response = client.get(url)
            assert response.status_code == 200, url
            if not response.headers["content-type"].startswith("text/html"):
                continue  # RDF, JSON, downloads: links are only followed out of pages
            outline = check_page(response.text)
            for link in (*outline.links, *outline.assets):
                target = urljoin(url, link).split("#")[0]
                if urlsplit(link).scheme or link.startswith("#") or target in seen:
                    continue
                seen.add(target)
                todo.append(target)
    paths = {urlsplit(url).path.removeprefix("/sub/path") for url in seen}
    assert all(urlsplit(url).path.startswith("/sub/path/") for url in seen)
    assert {"/id/unhcr/", "/data/unhcr.ttl", "/class/Forum/", "/timeline/", "/sparql/",
            f"/downloads/mgkg-{__version__}.nq.gz"} <= paths


def test_every_address_in_a_mirrored_page_is_relative(exported) -> None:
    page = (exported / "page" / "unhcr" / "index.html").read_text()
    assert 'href="../../static/site.css"' in page and 'href="/' not in page and 'src="/' not in page
    policy = "default-src &#39;none&#39;; script-src &#39;self&#39;"  # as Jinja escapes the quotes
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}' in page


def test_only_the_mirrors_query_page_may_compile_webassembly(exported, settings) -> None:
    allowed = [str(page.relative_to(exported)) for page in exported.rglob("*.html")
               if "wasm-unsafe-eval" in page.read_text(encoding="utf-8")]
    assert allowed == ["sparql/index.html"]
    query_page = (exported / "sparql" / "index.html").read_text(encoding="utf-8")
    assert 'src="../static/sparql-in-browser.js"' in query_page
    assert f'data-dump="../downloads/mgkg-{__version__}.nq.gz"' in query_page
    assert (exported / "static" / "oxigraph" / "oxigraph.wasm").read_bytes()[:4] == b"\0asm"
    assert (exported / "static" / "oxigraph" / "LICENSE-MIT").is_file()
    assert "wasm-unsafe-eval" not in render.sparql_editor(settings)  # the server's editor has its endpoint


def test_the_whole_graph_sits_beside_the_pages(exported, site_store) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=gzip.decompress((exported / "downloads" / f"mgkg-{__version__}.nq.gz").read_bytes()),
                  format="nquads")
    assert len(dataset) == len(site_store) and len(list(dataset.graphs())) > 2


def test_void_and_dcat_sit_beside_the_pages_and_the_home_page_links_them(exported) -> None:
    void = rdflib.Graph().parse(exported / ".well-known" / "void", format="turtle")
    dataset = rdflib.URIRef("https://w3id.org/mgkg/.well-known/void#dataset")
    dump = rdflib.URIRef(f"https://w3id.org/mgkg/downloads/mgkg-{__version__}.nq.gz")
    assert (dataset, rdflib.VOID.dataDump, dump) in void and (exported / "downloads" / dump.split("/")[-1]).is_file()
    home = (exported / "index.html").read_text(encoding="utf-8")
    assert '<a href=".well-known/void">VoID</a>' in home and '<a href="dataset.ttl">DCAT 3</a>' in home
    assert (exported / "dataset.ttl").is_file() and (exported / ".nojekyll").is_file()


def test_identifiers_forward_to_their_page(mirror) -> None:
    page = httpx.get(mirror + "/id/unhcr", follow_redirects=True).text
    assert '<meta http-equiv="refresh" content="0; url=../../page/unhcr/">' in page


def test_an_unrelated_folder_is_never_overwritten(tmp_path, site_store) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConfigurationError, match="not empty"):
        export_site(site_store, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_second_export_replaces_the_first(tmp_path, site_store) -> None:
    export_site(site_store, tmp_path)
    (tmp_path / "page" / "stale").mkdir()
    export_site(site_store, tmp_path)
    assert (tmp_path / MARKER).is_file() and not (tmp_path / "page" / "stale").exists()


def test_the_cli_exports_the_source_tree(tmp_path, capsys) -> None:
    assert main(["export-site", str(tmp_path / "out")]) == 0
    assert "wrote" in capsys.readouterr().err
    assert (tmp_path / "out" / "index.html").is_file()
