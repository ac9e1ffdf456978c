"""`mgkg release`: whole-graph dumps, reproducible to the byte, served by the server and the static mirror."""

from __future__ import annotations

import gzip
import hashlib
import json

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from conftest import static_server
from mgkg import __version__
from mgkg.cli import main
from mgkg.errors import ConfigurationError
from mgkg.pages.mirror import export_site
from mgkg.pages.release import CHECKSUMS, MANIFEST, RELEASE_DATE, build_release, write_release
from mgkg.rdf_files import graph_sources
from mgkg.store import EmbeddedStore
from mgkg.web.app import create_app

READERS = {"nq.gz": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}


def quads_of(name: str, body: bytes) -> list[ox.Quad]:
    """The quads of a dump, read by the parser its file name calls for."""
    kind = next(ext for ext in READERS if name.endswith("." + ext))
    return list(ox.parse(gzip.decompress(body) if kind == "nq.gz" else body, format=READERS[kind]))


def store_quads(store) -> int:
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")))["n"].value)


def canonical(quads) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


@pytest.fixture(scope="module")
def release(graph_store):
    return build_release(graph_store)


def test_three_dumps_each_holding_every_statement_of_the_store_in_its_named_graph(release, graph_store) -> None:
    assert [dump.name for dump in release.dumps] == [f"mgkg-{__version__}.{ext}" for ext in ("nq.gz", "trig", "jsonld")]
    rows = graph_store.query("SELECT ?s ?p ?o ?g { GRAPH ?g { ?s ?p ?o } }")
    expected = canonical(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
    for dump in release.dumps:
        quads = quads_of(dump.name, dump.body)
        assert len(quads) == dump.statements == store_quads(graph_store), dump.name
        assert canonical(quads) == expected, dump.name  # the same statements, in the same graphs


def test_the_same_data_gives_the_same_bytes(release, settings) -> None:
    fresh = EmbeddedStore.in_memory(graph_sources(settings), settings.root)  # new random blank node ids
    again = build_release(fresh)
    assert [d.body for d in again.dumps] == [d.body for d in release.dumps]
    assert again.manifest() == release.manifest()
    header = release.dump("nq").body[:10]
    assert header[4:8] == b"\0\0\0\0"  # gzip records no modification time
    assert RELEASE_DATE in release.manifest().decode()


def test_a_changed_graph_changes_the_checksums(release, site_store) -> None:
    other = build_release(site_store)
    assert {d.sha256 for d in other.dumps}.isdisjoint({d.sha256 for d in release.dumps})


def test_manifest_and_checksum_list_describe_each_file(release) -> None:
    manifest = json.loads(release.manifest())
    assert (manifest["version"], manifest["date"]) == (__version__, RELEASE_DATE)
    for entry, dump in zip(manifest["files"], release.dumps, strict=True):
        assert entry["bytes"] == len(dump.body) and entry["sha256"] == hashlib.sha256(dump.body).hexdigest()
        assert entry["statements"] == dump.statements
    assert release.checksums().decode().splitlines() == [f"{d.sha256}  {d.name}" for d in release.dumps]


def test_mgkg_release_writes_the_folder_and_refuses_to_change_a_published_version(tmp_path, capsys) -> None:
    assert main(["release", str(tmp_path)]) == 0
    folder = tmp_path / __version__
    written = json.loads((folder / MANIFEST).read_text())
    for entry in written["files"]:
        assert hashlib.sha256((folder / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    assert (folder / CHECKSUMS).is_file()
    assert "statements" in capsys.readouterr().out
    assert main(["release", str(tmp_path)]) == 0  # the same build again: nothing changes
    (folder / MANIFEST).write_text("{}")  # as if an earlier build of this version held other data
    assert main(["release", str(tmp_path)]) == 2
    assert "raise the version" in capsys.readouterr().err


def test_write_release_refuses_a_file_in_the_way(release, tmp_path) -> None:
    (tmp_path / release.version).write_text("not a folder")
    with pytest.raises(ConfigurationError, match="is a file"):
        write_release(release, tmp_path)


@pytest.fixture(scope="module")
def client(settings, graph_store) -> TestClient:
    return TestClient(create_app(settings, store=graph_store))


def _dcat_downloads(body: bytes) -> dict[str, tuple[int, str]]:
    graph = ox.Store()
    graph.extend(ox.parse(body, format=ox.RdfFormat.TURTLE))
    rows = graph.query("""PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?sum {
          ?d dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum/spdx:checksumValue ?sum }""",
                       use_default_graph_as_union=True)
    return {row["url"].value: (int(row["size"].value), row["sum"].value) for row in rows}


def test_every_download_the_dcat_names_is_served_with_its_size_checksum_and_statements(client, graph_store) -> None:
    downloads = _dcat_downloads(client.get("/", headers={"Accept": "text/turtle"}).content)
    assert len(downloads) == 3
    for url, (size, checksum) in downloads.items():
        assert url.startswith("https://w3id.org/mgkg/downloads/")
        response = client.get(url.removeprefix("https://w3id.org/mgkg"))
        assert response.status_code == 200, url
        assert len(response.content) == size and hashlib.sha256(response.content).hexdigest() == checksum
        assert len(quads_of(url.rsplit("/", 1)[1], response.content)) == store_quads(graph_store)
        assert "attachment" in response.headers["content-disposition"]
        again = client.get(url.removeprefix("https://w3id.org/mgkg"),
                           headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304


def test_downloads_serve_the_manifest_and_nothing_else(client) -> None:
    assert client.get("/downloads/manifest.json").json()["version"] == __version__
    assert client.get("/downloads/SHA256SUMS").text.count("\n") == 3
    missing = client.get("/downloads/mgkg.ttl", headers={"Accept": "text/plain"})
    assert missing.status_code == 404 and "manifest.json" in missing.text


def test_the_static_mirror_carries_the_same_downloads_and_dcat(tmp_path, site_store) -> None:
    export_site(site_store, tmp_path)
    release = build_release(site_store)
    for dump in release.dumps:
        assert (tmp_path / "downloads" / dump.name).read_bytes() == dump.body
    with static_server(tmp_path) as base:
        described = _dcat_downloads(httpx.get(base + "/dataset.ttl").content)
        assert len(described) == 3
        for url, (size, checksum) in described.items():
            body = httpx.get(base + url.removeprefix("https://w3id.org/mgkg")).content
            assert (len(body), hashlib.sha256(body).hexdigest()) == (size, checksum)
