"""Building on-disk stores safely: load into a new folder, then switch to it atomically.

`DIR` is a symbolic link to `DIR.versions/<n>`; a new load fills a fresh version folder and only
then repoints the link with one rename, so a load killed half-way leaves the old store serving.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from mgkg.errors import StoreError
from mgkg.loading import RDF_FORMATS, graph_iri_for, rdf_files


def build_store(target: Path, paths: Iterable[Path], root: Path) -> int:
    """Bulk-load the RDF files under `paths` into a new on-disk store at `target`; returns quads."""
    files = rdf_files(paths)
    if target.exists() and not target.is_symlink():
        raise StoreError(f"{target} exists and is not a store link made by `mgkg load`; choose another --store")
    versions = target.with_name(target.name + ".versions")
    versions.mkdir(parents=True, exist_ok=True)
    fresh = versions / f"{time.time_ns()}"
    store = ox.Store(str(fresh))
    try:
        for path in files:
            store.bulk_load(path=str(path), format=RDF_FORMATS[path.suffix], to_graph=graph_iri_for(path, root))
        store.optimize()
        count = len(store)
        store.flush()
    except (SyntaxError, OSError) as error:
        del store
        shutil.rmtree(fresh, ignore_errors=True)
        raise StoreError(f"loading into {target} failed, the previous store is untouched: {error}") from None
    del store
    _switch_link(target, fresh)
    return count


def _switch_link(link: Path, destination: Path) -> None:
    temporary = link.with_name(link.name + ".switching")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(destination.resolve(), target_is_directory=True)
    previous = link.resolve() if link.is_symlink() else None
    os.replace(temporary, link)  # atomic on POSIX: readers see the old or the new store, never neither
    if previous is not None and previous != destination.resolve():
        shutil.rmtree(previous, ignore_errors=True)
