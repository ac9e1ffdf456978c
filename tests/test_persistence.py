"""On-disk stores: `mgkg load` switches atomically, survives being killed, and opens without a scan."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import FIXTURES, ROOT, free_port
from mgkg.errors import InvalidDataError, StoreError
from mgkg.store import EmbeddedStore
from mgkg.store.ondisk import MANIFEST, build_store, read_manifest, versions_dir

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def write_turtle(path: Path, labels: int) -> Path:
    lines = [f'<https://w3id.org/mgkg/id/e{i}> {LABEL} "entity {i}"@en .' for i in range(labels)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(store: EmbeddedStore) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_turtle(tmp_path / "small.ttl", 3)


def test_load_then_open_serves_the_quads_with_the_manifest_count(tmp_path: Path, small: Path) -> None:
    manifest = build_store(tmp_path / "store", [small], tmp_path)
    store = EmbeddedStore.on_disk(tmp_path / "store")
    assert count(store) == 3 == manifest.quads == len(store)
    assert store.version == manifest.version
    assert manifest.graphs == ["https://w3id.org/mgkg/graph/small"]


def test_version_follows_content_not_load_time(tmp_path: Path, small: Path) -> None:
    first = build_store(tmp_path / "store", [small], tmp_path).version
    assert build_store(tmp_path / "store", [small], tmp_path).version == first
    write_turtle(small, 4)
    changed = build_store(tmp_path / "store", [small], tmp_path)
    assert changed.version != first and EmbeddedStore.on_disk(tmp_path / "store").version == changed.version


def test_a_new_load_keeps_the_previous_version_and_drops_older_ones(tmp_path: Path, small: Path) -> None:
    target = tmp_path / "store"
    for _ in range(3):
        build_store(target, [small], tmp_path)
    folders = sorted(p.name for p in versions_dir(target).iterdir() if p.is_dir())
    assert len(folders) == 2 and target.resolve().name == folders[-1]
    assert not os.path.isabs(os.readlink(target))  # relative: the store and its versions can move together


def test_an_open_store_keeps_reading_its_version_after_a_switch(tmp_path: Path, small: Path) -> None:
    target = tmp_path / "store"
    build_store(target, [small], tmp_path)
    opened = EmbeddedStore.on_disk(target)
    build_store(target, [write_turtle(tmp_path / "other.ttl", 7)], tmp_path)
    assert count(opened) == 3 and count(EmbeddedStore.on_disk(target)) == 7


def test_broken_file_names_file_and_line_and_leaves_the_store_untouched(tmp_path: Path, small: Path) -> None:
    target = tmp_path / "store"
    before = build_store(target, [small], tmp_path)
    broken = FIXTURES / "unterminated-string-on-line-7.ttl"
    with pytest.raises(InvalidDataError) as raised:
        build_store(target, [small, broken], tmp_path)
    assert raised.value.path == broken and raised.value.line == 7
    assert EmbeddedStore.on_disk(target).version == before.version
    assert [p for p in versions_dir(target).iterdir() if p.is_dir()] == [target.resolve()]


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path, small: Path) -> None:
    (tmp_path / "precious").mkdir()
    with pytest.raises(StoreError, match="not a store link"):
        build_store(tmp_path / "precious", [small], tmp_path)


def test_a_second_concurrent_load_is_refused(tmp_path: Path, small: Path) -> None:
    target = tmp_path / "store"
    build_store(target, [small], tmp_path)
    with (versions_dir(target) / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another `mgkg load`"):
            build_store(target, [small], tmp_path)


def test_leftovers_of_a_killed_load_are_removed_by_the_next(tmp_path: Path, small: Path) -> None:
    target = tmp_path / "store"
    build_store(target, [small], tmp_path)
    leftover = versions_dir(target) / "1"
    (leftover / "oxigraph").mkdir(parents=True)
    build_store(target, [small], tmp_path)
    assert not leftover.exists()


def test_a_bare_oxigraph_folder_opens_with_a_version_from_its_files(tmp_path: Path) -> None:
    import pyoxigraph as ox

    bare = ox.Store(str(tmp_path / "bare"))
    bare.add(ox.Quad(ox.NamedNode("https://w3id.org/mgkg/id/a"), ox.NamedNode("http://ex/p"), ox.Literal("x")))
    bare.flush()
    del bare
    store = EmbeddedStore.on_disk(tmp_path / "bare")
    assert read_manifest(tmp_path / "bare") is None and len(store) == 1 and len(store.version) == 16


def mgkg(*args: str, **popen: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    return subprocess.Popen([sys.executable, "-m", "mgkg.cli", *args], cwd=ROOT, env=env, **popen)  # type: ignore[call-overload]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[object]:
    started: list[subprocess.Popen[bytes]] = []

    def start(store: Path) -> str:
        port = free_port()
        server = mgkg("serve", "--store", str(store), "--port", str(port), stderr=subprocess.DEVNULL)
        started.append(server)
        url = f"http://127.0.0.1:{port}/sparql"
        for _ in range(200):
            try:
                httpx.get(url, params={"query": "ASK {}"}, timeout=1)
                return url
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    yield start
    for server in started:
        server.terminate()
        server.wait(10)


def served_count(url: str) -> int:
    answer = httpx.get(url, params={"query": COUNT}, timeout=10).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_sigkill_half_way_through_a_big_load_leaves_the_old_store_serving(tmp_path: Path, small: Path, serve) -> None:
    target = tmp_path / "store"
    build_store(target, [small], tmp_path)
    before = serve(target)
    big = write_turtle(tmp_path / "big.ttl", 600_000)
    loading = mgkg("load", "--store", str(target), str(big), stderr=subprocess.DEVNULL)
    versions = versions_dir(target)
    deadline = time.monotonic() + 30
    while len([p for p in versions.iterdir() if p.is_dir()]) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # let RocksDB write part of the new store
    assert loading.poll() is None, "the load finished before it could be killed: use a bigger file"
    loading.send_signal(signal.SIGKILL)
    loading.wait()
    unfinished = [p for p in versions.iterdir() if p.is_dir() and p != target.resolve()]
    assert unfinished and not (unfinished[0] / MANIFEST).exists()
    assert served_count(before) == 3
    assert served_count(serve(target)) == 3
