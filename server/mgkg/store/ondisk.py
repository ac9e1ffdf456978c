"""Building on-disk stores safely: load into a new folder, then switch to it atomically.

Layout of `mgkg load --store DIR`:

    DIR                      symbolic link to DIR.versions/<stamp> (relative, so the pair can move)
    DIR.versions/<stamp>/    one complete load: oxigraph/ (the RocksDB store: a graph per file and the
                             RDFS entailments' graph, see entailment.py) and manifest.json
    DIR.versions/.lock       held by the one `mgkg load` allowed to write at a time

A load fills a fresh <stamp> folder, writes manifest.json last, and only then repoints DIR with
one rename, so a load killed at any moment leaves DIR on the previous complete store. The
manifest carries the quad count and a content digest (the store's ETag version), so opening a
store never has to scan it. The version before the current one is kept for servers still
reading it; older ones and the leftovers of interrupted loads are deleted by the next load.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from mgkg.errors import InvalidDataError, StoreError
from mgkg.rdf_files import RDF_FORMATS, graph_iri_for, line_of, rdf_files
from mgkg.store.entailment import ENTAILMENTS_GRAPH, add_entailments
from mgkg.store.version import files_version, timestamp

MANIFEST = "manifest.json"
DATABASE = "oxigraph"


@dataclass(frozen=True)
class Manifest:
    """What a finished load wrote beside its database: enough to serve it without scanning it."""

    version: str
    quads: int
    graphs: list[str]
    loaded_at: str


def versions_dir(target: Path) -> Path:
    """The folder holding every load of the store linked at `target`."""
    return target.with_name(target.name + ".versions")


def read_manifest(path: Path) -> Manifest | None:
    """The manifest of the store at `path` (a link or a version folder); None for a bare Oxigraph folder."""
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise StoreError(f"the manifest of the store at {path} is unreadable: {error}") from None
    return Manifest(**data)


def build_store(target: Path, paths: Iterable[Path], root: Path) -> Manifest:
    """Bulk-load the RDF files under `paths` into a new version of the store at `target`, then switch."""
    files = rdf_files(paths)
    if target.exists() and not target.is_symlink():
        raise StoreError(f"{target} exists and is not a store link made by `mgkg load`; choose another --store")
    versions = versions_dir(target)
    versions.mkdir(parents=True, exist_ok=True)
    with _exclusive(versions):
        _remove_unfinished(versions, keep=_current(target))
        fresh = versions / str(time.time_ns())
        fresh.mkdir()
        try:
            manifest = _fill(fresh, files, root)
        except BaseException:  # also KeyboardInterrupt: never leave a half-built folder behind
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        previous = _current(target)
        _switch_link(target, fresh)
        _remove_old(versions, keep={fresh.name, previous.name if previous else ""})
    return manifest


def _fill(folder: Path, files: list[Path], root: Path) -> Manifest:
    """Bulk-load `files` into folder/oxigraph and write the manifest last."""
    store = ox.Store(str(folder / DATABASE))
    graphs = [graph_iri_for(path, root) for path in files]
    for path, graph in zip(files, graphs, strict=True):
        try:
            store.bulk_load(path=str(path), format=RDF_FORMATS[path.suffix], to_graph=graph,
                            base_iri=path.resolve().as_uri())
        except SyntaxError as error:
            raise InvalidDataError(path, f"{error}; the previous store is untouched", line_of(error)) from None
        except OSError as error:
            raise StoreError(f"loading {path} failed, the previous store is untouched: {error}") from None
    # The entailments follow from the files, so the files' digest covers them.
    version = files_version((graph.value, path) for graph, path in zip(graphs, files, strict=True))
    if add_entailments(store):
        graphs.append(ox.NamedNode(ENTAILMENTS_GRAPH))
    store.optimize()
    store.flush()
    count = len(store)  # one scan, paid at load time so that opening the store never pays it
    del store  # closes RocksDB before the folder becomes visible
    manifest = Manifest(version, count, [graph.value for graph in graphs], timestamp())
    _write_durably(folder / MANIFEST, json.dumps(asdict(manifest), indent=1))
    return manifest


def _write_durably(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


@contextmanager
def _exclusive(versions: Path) -> Iterator[None]:
    """Hold the store's lock: two loads at once would delete each other's folders."""
    with (versions / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another `mgkg load` is writing {versions}; wait for it to finish") from None
        yield  # the kernel drops the lock when the file closes, even if the process is killed


def _current(target: Path) -> Path | None:
    return target.resolve() if target.is_symlink() else None


def _version_folders(versions: Path) -> Iterator[Path]:
    return (child for child in versions.iterdir() if child.is_dir() and child.name.isdigit())


def _remove_unfinished(versions: Path, keep: Path | None) -> None:
    """Delete folders of loads that were killed before writing their manifest."""
    for folder in _version_folders(versions):
        if folder != keep and not (folder / MANIFEST).exists():
            shutil.rmtree(folder, ignore_errors=True)


def _remove_old(versions: Path, keep: set[str]) -> None:
    for folder in _version_folders(versions):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def _switch_link(link: Path, destination: Path) -> None:
    """Point `link` at `destination` with one rename: readers see the old or the new store, never neither."""
    temporary = link.with_name(link.name + ".switching")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(os.path.relpath(destination, link.parent), target_is_directory=True)
    os.replace(temporary, link)
    directory = os.open(link.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself survive a power cut
    finally:
        os.close(directory)
