"""The store: where the graph lives once loaded, and the one place that runs SPARQL on it.

The protocol layer talks to any store through this small interface, so a remote engine can
stand in for the embedded one:

    class SparqlStore(typing.Protocol):
        version: str                       # changes whenever the data does (ETags)
        def query(self, sparql: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult: ...
        async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *,
                      timeout: float, max_bytes: int, base_iri: str | None = None) -> Answer: ...
        def named_graphs(self) -> list[str]: ...
        def close(self) -> None: ...
        def __len__(self) -> int: ...

`query` is for internal use (pyoxigraph result objects, no limits); `run` answers the public:
the result already serialised in `fmt`, as byte chunks, stopped at `timeout` seconds and
`max_bytes` bytes. Relative IRIs in the query resolve against `base_iri` (the protocol passes the
endpoint's own URL) unless the query says BASE. Errors are MgkgError subclasses (QuerySyntaxError,
QueryTimeoutError, ...).

`EmbeddedStore` wraps a pyoxigraph store, in memory (loaded from the source tree) or on disk,
and evaluates public queries in worker processes (see workers.py) so they can be killed.
`Dataset`, `Answer` and `Whole` are the interface types RemoteStore (remote.py) shares with it.
The default graph of a query is the union of all named graphs (one per source file, and the RDFS
entailments' graph) unless the query (FROM / FROM NAMED) or the protocol (default-graph-uri /
named-graph-uri) names its dataset. Pages and checks read `asserted(store)`: the files' graphs only.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import anyio
import pyoxigraph as ox

from mgkg.entailment import ENTAILMENTS_GRAPH
from mgkg.errors import QuerySyntaxError, StoreError
from mgkg.formats import ResultFormat
from mgkg.guard import has_dataset_clause
from mgkg.loading import load_graph, rdf_files
from mgkg.persistence import DATABASE, read_manifest

if TYPE_CHECKING:  # workers.py imports this module; at run time it is imported lazily
    from mgkg.workers import WorkerPool

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset the protocol names (default-graph-uri, named-graph-uri); empty: none named."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


class Whole:
    """The chunks of an answer that arrived in one piece: one chunk, also readable as `.body`."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self._sent = False

    def __aiter__(self) -> Whole:
        return self

    async def __anext__(self) -> bytes:
        if self._sent:
            raise StopAsyncIteration
        self._sent = True
        return self.body


@dataclass
class Answer:
    """A public query's answer: the format it is written in, and its bytes, chunk by chunk
    (a `Whole` when the answer came in one piece, so the server can skip streaming)."""

    format: ResultFormat
    chunks: AsyncIterator[bytes]


class SparqlStore(Protocol):
    """What the protocol layer needs from a store (see the module docstring)."""

    version: str

    def query(self, sparql: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult: ...

    async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *, timeout: float, max_bytes: int,
                  base_iri: str | None = None) -> Answer:
        ...

    def named_graphs(self) -> list[str]: ...

    def close(self) -> None: ...

    def __len__(self) -> int: ...


class EmbeddedStore:
    """A pyoxigraph store with MGKG's query defaults."""

    def __init__(self, store: ox.Store, version: str, path: Path | None = None, size: int | None = None) -> None:
        self.oxigraph = store
        #: Changes whenever the data changes; used for ETags.
        self.version = version
        #: The database folder of an on-disk store (workers reopen it), None in memory.
        self.path = path
        self._size = size  # known without a scan for stores built by `mgkg load`
        self._pool: WorkerPool | None = None

    @classmethod
    def in_memory(cls, sources: Iterable[Path], root: Path) -> EmbeddedStore:
        """Load the RDF files under `sources` into a fresh in-memory store."""
        sources = list(sources)
        store = ox.Store()
        load_graph(store, sources, root)
        return cls(store, files_version(rdf_files(sources)))

    @classmethod
    def on_disk(cls, path: Path, *, read_only: bool = True) -> EmbeddedStore:
        """Open an on-disk store built by `mgkg load --store`, or a bare Oxigraph folder."""
        # Resolve the link now: RocksDB opens files lazily, and a later load repoints the link.
        path = path.resolve()
        manifest = read_manifest(path)
        database = path / DATABASE if manifest else path
        try:
            store = ox.Store.read_only(str(database)) if read_only else ox.Store(str(database))
        except OSError as error:
            raise StoreError(f"cannot open the store at {path}: {error}") from None
        if manifest is None:
            return cls(store, _folder_version(database), database)
        return cls(store, manifest.version, database, manifest.quads if read_only else None)

    def query(self, sparql: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        """Run a SPARQL query. Without a dataset the default graph is the union of all graphs."""
        try:
            return self.oxigraph.query(sparql, base_iri=base_iri,  # type: ignore[arg-type]
                                       **_dataset_options(sparql, dataset or Dataset()))
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except (OSError, ValueError) as error:
            raise StoreError(str(error)) from None

    def start_workers(self, count: int) -> None:
        """Evaluate public queries in `count` worker processes (0: in this process, no timeout)."""
        from mgkg.workers import WorkerPool

        if count > 0 and self._pool is None:
            self._pool = WorkerPool(self, count)

    async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *, timeout: float, max_bytes: int,
                  base_iri: str | None = None) -> Answer:
        """Answer a public query in `fmt`, in a worker process when workers run (see workers.py)."""
        from mgkg.workers import Job, evaluate, replay

        job = Job(sparql, dataset, fmt.name, fmt.is_graph, max_bytes, base_iri)
        if self._pool is not None:
            return Answer(fmt, await self._pool.run(job, timeout))
        messages: list[tuple[str, ...]] = []
        await anyio.to_thread.run_sync(evaluate, self, job, messages.append)
        return Answer(fmt, replay(messages))

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(graph.value for graph in self.oxigraph.named_graphs() if isinstance(graph, ox.NamedNode))

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __len__(self) -> int:
        return self._size if self._size is not None else len(self.oxigraph)


def asserted(store: SparqlStore) -> Dataset:
    """The dataset of what the files assert: every named graph but the RDFS entailments' graph."""
    graphs = tuple(graph for graph in store.named_graphs() if graph != ENTAILMENTS_GRAPH)
    return Dataset(graphs, graphs)


def _dataset_options(sparql: str, dataset: Dataset) -> dict[str, object]:
    """pyoxigraph options: the protocol's dataset overrides the query's FROM, which overrides the union."""
    if dataset.given:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in dataset.default_graphs],
            "named_graphs": [ox.NamedNode(iri) for iri in dataset.named_graphs],
        }
    # pyoxigraph's union default graph would silently override the query's own FROM clauses.
    return {} if has_dataset_clause(sparql) else {"use_default_graph_as_union": True}


def files_version(paths: Iterable[Path]) -> str:
    """A short digest of the files' names and bytes: changes whenever the loaded data does."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _folder_version(folder: Path) -> str:
    """For a bare Oxigraph folder: a digest of its files' names, sizes and times (no scan of the data)."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        info = path.stat()
        digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]
