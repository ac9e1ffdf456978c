"""The embedded store: a pyoxigraph store in memory (loaded from the source tree) or on disk.

It implements `SparqlStore` (store/base.py). Internal queries run in this process; public ones run
in worker processes (store/workers.py) once `start_workers` has forked them, so they can be killed,
except those a worker has proven cheap (store/inline.py), which skip the hand-off.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import anyio
import pyoxigraph as ox

from mgkg.formats import ResultFormat
from mgkg.rdf_files import graph_iri_for, iter_quads, parse_files, rdf_files
from mgkg.store import engine
from mgkg.store.base import Answer, Dataset, QueryResult
from mgkg.store.entailment import add_entailments
from mgkg.store.inline import HANDOFF_SECONDS, CheapQueries
from mgkg.store.ondisk import DATABASE, read_manifest
from mgkg.store.version import data_version, files_version
from mgkg.store.workers import Job, Message, WorkerPool, evaluate, evaluate_whole, replay


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
        self._cheap = CheapQueries()
        self._arrivals = 0  # public queries asked so far: tells whether others came while one waited

    @classmethod
    def in_memory(cls, sources: Iterable[Path], root: Path) -> EmbeddedStore:
        """Load the RDF files under `sources` into a fresh in-memory store (all parsed before any is added)."""
        files = rdf_files(sources)
        store = ox.Store()
        load_graph(store, files, root)
        return cls(store, files_version((graph_iri_for(path, root).value, path) for path in files))

    @classmethod
    def of_quads(cls, quads: Iterable[ox.Quad], version: str) -> EmbeddedStore:
        """A scratch store holding `quads` (already parsed), e.g. for checking them with SPARQL."""
        store = ox.Store()
        store.extend(quads)
        return cls(store, version)

    @classmethod
    def on_disk(cls, path: Path, *, read_only: bool = True) -> EmbeddedStore:
        """Open an on-disk store built by `mgkg load --store`, or a bare Oxigraph folder."""
        # Resolve the link now: RocksDB opens files lazily, and a later load repoints the link.
        path = path.resolve()
        manifest = read_manifest(path)
        database = path / DATABASE if manifest else path
        store = engine.open_folder(database, read_only=read_only)
        if manifest is None:
            return cls(store, _folder_version(database), database)
        return cls(store, manifest.version, database, manifest.quads if read_only else None)

    def query(self, sparql: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        """Run a SPARQL query. Without a dataset the default graph is the union of all graphs."""
        return engine.query(self.oxigraph, sparql, dataset, base_iri)

    def start_workers(self, count: int) -> None:
        """Evaluate public queries in `count` worker processes (0: in this process, no timeout)."""
        if count > 0 and self._pool is None:
            self._pool = WorkerPool(self.oxigraph, self.path, count, measured=self._cheap.record)

    async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *, timeout: float, max_bytes: int,
                  base_iri: str | None = None) -> Answer:
        """Answer a public query in `fmt`, in a worker process when workers run (see workers.py)."""
        job = Job(sparql, dataset, fmt.name, fmt.is_graph, max_bytes, base_iri)
        if self._pool is not None:
            self._arrivals += 1
            if await self._runs_here(job):
                return Answer(fmt, self._run_here(job))
            return Answer(fmt, await self._pool.run(job, timeout))
        messages: list[Message] = []
        await anyio.to_thread.run_sync(evaluate, self.oxigraph, job, messages.append)
        return Answer(fmt, replay(messages))

    async def _runs_here(self, job: Job) -> bool:
        """Whether a proven-cheap `job` runs in this process: always if it costs less than a hand-off;
        else only if no other query arrives while it yields once to the event loop (no load)."""
        cost = self._cheap.cost(job)
        if cost is None or cost <= HANDOFF_SECONDS:
            return cost is not None
        arrivals = self._arrivals
        await asyncio.sleep(0)  # requests already read from their sockets start now
        return self._arrivals == arrivals

    def _run_here(self, job: Job) -> AsyncIterator[bytes]:
        """A proven-cheap job, in this process (blocking it for a few milliseconds at most)."""
        message = evaluate_whole(self.oxigraph, job)
        if message[0] == "end":  # the cost is measured again: a job that got dearer goes back to the workers
            self._cheap.record(job, message[2], len(message[1]))
        return replay([message])

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


def load_graph(store: ox.Store, paths: Iterable[Path], root: Path) -> int:
    """Parse every file under `paths` first, then add them all to `store` with their RDFS
    entailments (store/entailment.py); returns quads added."""
    quads = list(iter_quads(parse_files(paths, root)))
    store.extend(quads)
    return len(quads) + add_entailments(store)


def _folder_version(folder: Path) -> str:
    """For a bare Oxigraph folder: a digest of its files' names, sizes and times (no scan of the data)."""
    return data_version(f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
                        for path in sorted(folder.iterdir()))
