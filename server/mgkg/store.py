"""The store: where the graph lives once loaded, and the one place that runs SPARQL on it.

`EmbeddedStore` wraps a pyoxigraph store, in memory (loaded from the source tree) or on disk.
The default graph of a query is the union of all named graphs (one per source file) unless the
query names its dataset. pyoxigraph's exceptions are translated to MgkgError subclasses here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from mgkg.errors import QuerySyntaxError, StoreError
from mgkg.loading import load_graph, rdf_files

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class EmbeddedStore:
    """A pyoxigraph store with MGKG's query defaults."""

    def __init__(self, store: ox.Store, version: str) -> None:
        self.oxigraph = store
        #: Changes whenever the data changes; used for ETags.
        self.version = version

    @classmethod
    def in_memory(cls, sources: Iterable[Path], root: Path) -> EmbeddedStore:
        """Load the RDF files under `sources` into a fresh in-memory store."""
        sources = list(sources)
        store = ox.Store()
        load_graph(store, sources, root)
        return cls(store, files_version(rdf_files(sources)))

    @classmethod
    def on_disk(cls, path: Path, *, read_only: bool = True) -> EmbeddedStore:
        """Open an on-disk Oxigraph store built by `mgkg load --store`."""
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as error:
            raise StoreError(f"cannot open the store at {path}: {error}") from None
        return cls(store, _content_version(store))

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        """Run a SPARQL query. Without a dataset the default graph is the union of all graphs."""
        options: dict[str, object] = {}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        try:
            return self.oxigraph.query(sparql, **options)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except (OSError, ValueError) as error:
            raise StoreError(str(error)) from None

    def __len__(self) -> int:
        return len(self.oxigraph)


def files_version(paths: Iterable[Path]) -> str:
    """A short digest of the files' names and bytes: changes whenever the loaded data does."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _content_version(store: ox.Store) -> str:
    """For a store opened from disk: a digest of its size and named graphs."""
    digest = hashlib.sha256(str(len(store)).encode())
    for graph in sorted(str(g) for g in store.named_graphs()):
        digest.update(graph.encode())
    return digest.hexdigest()[:16]
