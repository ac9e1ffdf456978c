"""The static mirror: `mgkg export-site` writes a site that works from a plain file server."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import rdflib

from conftest import static_server
from htmlcheck import check_page
from mgkg.cli import main
from mgkg.errors import ConfigurationError
from mgkg.pages.describe import all_resources
from mgkg.pages.mirror import MARKER, export_site


@pytest.fixture(scope="module")
def exported(tmp_path_factory, site_store) -> Path:
    folder = tmp_path_factory.mktemp("site")
    assert export_site(site_store, folder) > 50
    return folder


@pytest.fixture(scope="module")
def mirror(exported) -> Iterator[str]:
    """The export served by `python -m http.server` on 127.0.0.1."""
    with static_server(exported) as base:
        yield base


def test_every_page_and_rdf_form_is_a_file(exported, site_store) -> None:
    for slug in all_resources(site_store):
        assert (exported / "page" / slug / "index.html").is_file()
        for ext in ("ttl", "nt", "jsonld", "rdf"):
            assert (exported / "data" / f"{slug}.{ext}").is_file()
    graph = rdflib.Graph().parse(exported / "data" / "unhcr.jsonld", format="json-ld")
    assert "UNHCR" in {str(o) for o in graph.objects()}
    assert (exported / "ontology.ttl").is_file() and (exported / "static" / "site.css").is_file()


def test_the_mirror_has_no_broken_internal_link(mirror, site_store) -> None:
    start = ["/", *(f"/page/{slug}" for slug in all_resources(site_store))]
    seen, todo = set(start), deque(start)
    with httpx.Client(base_url=mirror, follow_redirects=True, timeout=10) as client:
        while todo:
            path = todo.popleft()
            response = client.get(path)
            assert response.status_code == 200, path
            if not response.headers["content-type"].startswith("text/html"):
                continue  # RDF, JSON, downloads: links are only followed out of pages
            outline = check_page(response.text)
            for link in (*outline.links, *outline.assets):
                parts = urlsplit(link)
                if parts.scheme or link.startswith("#") or parts.path in seen:
                    continue
                seen.add(parts.path)
                todo.append(parts.path)
    assert {"/id/unhcr", "/data/unhcr.ttl", "/class/Forum", "/timeline", "/sparql"} <= seen


def test_identifiers_forward_to_their_page(mirror) -> None:
    page = httpx.get(mirror + "/id/unhcr", follow_redirects=True).text
    assert '<meta http-equiv="refresh" content="0; url=/page/unhcr">' in page


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
