"""bench/generate.py: synthetic graphs are deterministic, the size asked for, and have no dangling links."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate import ID, generate


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_graph(tmp_path: Path) -> None:
    generate(5_000, 7, tmp_path / "a")
    generate(5_000, 7, tmp_path / "b")
    generate(5_000, 8, tmp_path / "c")
    assert contents(tmp_path / "a") == contents(tmp_path / "b") != contents(tmp_path / "c")


def test_about_the_size_asked_for_with_every_link_pointing_at_a_resource(tmp_path: Path) -> None:
    written = generate(20_000, 1, tmp_path)
    assert 18_000 < sum(written.values()) < 22_000
    store = ox.Store()
    for path in tmp_path.iterdir():
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    subjects = {q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)}
    targets = {q.object.value for q in store if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(ID)}
    assert targets and targets <= subjects
