"""The store interface: what every layer above the store may ask of one, embedded or remote.

    class SparqlStore(typing.Protocol):
        version: str                       # read-only; changes whenever the data does (ETags, caches)
        def query(self, sparql: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult: ...
        async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *,
                      timeout: float, max_bytes: int, base_iri: str | None = None) -> Answer: ...
        def named_graphs(self) -> list[str]: ...
        def start_workers(self, count: int) -> None: ...
        def close(self) -> None: ...
        def __len__(self) -> int: ...

`query` is for internal use (pyoxigraph result objects, no limits); `run` answers the public:
the result already serialised in `fmt`, as byte chunks, stopped at `timeout` seconds and
`max_bytes` bytes. Relative IRIs in the query resolve against `base_iri` (the protocol passes the
endpoint's own URL) unless the query says BASE. Errors are MgkgError subclasses (QuerySyntaxError,
QueryTimeoutError, ...).
The default graph of a query is the union of all named graphs (one per source file, and the RDFS
entailments' graph) unless the query (FROM / FROM NAMED) or the protocol (default-graph-uri /
named-graph-uri) names its dataset. Pages and checks read `asserted(store)`: the files' graphs only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import pyoxigraph as ox

from mgkg.errors import StoreError
from mgkg.formats import QueryResult, ResultFormat
from mgkg.store.entailment import ENTAILMENTS_GRAPH

__all__ = ["Answer", "Dataset", "OneChunk", "QueryResult", "SparqlStore", "ask", "asserted", "construct", "select"]

R = TypeVar("R", ox.QuerySolutions, ox.QueryTriples, ox.QueryBoolean)
T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset the protocol names (default-graph-uri, named-graph-uri); empty: none named."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


class OneChunk:
    """The chunks of an answer that arrived in one piece: one chunk, also readable as `.body`."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self._sent = False

    def __aiter__(self) -> OneChunk:
        return self

    async def __anext__(self) -> bytes:
        if self._sent:
            raise StopAsyncIteration
        self._sent = True
        return self.body


@dataclass
class Answer:
    """A public query's answer: the format it is written in, and its bytes, chunk by chunk
    (a `OneChunk` when the answer came in one piece, so the server can skip streaming)."""

    format: ResultFormat
    chunks: AsyncIterator[bytes]


class SparqlStore(Protocol):
    """What every layer above the store may use (see the module docstring); nothing else."""

    @property
    def version(self) -> str:
        """Changes whenever the data changes; used for ETags and per-store caches."""
        ...

    def query(self, sparql: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        """Run a query for internal use: pyoxigraph result objects, no limits."""
        ...

    async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *, timeout: float, max_bytes: int,
                  base_iri: str | None = None) -> Answer:
        """Answer a public query in `fmt`, within `timeout` seconds and `max_bytes` bytes; relative IRIs
        resolve against `base_iri`."""
        ...

    def named_graphs(self) -> list[str]:
        """The IRIs of MGKG's named graphs, sorted."""
        ...

    def start_workers(self, count: int) -> None:
        """Prepare to answer public queries (worker processes, where the store has them)."""
        ...

    def close(self) -> None:
        """Release what the store holds (worker processes, connections)."""
        ...

    def __len__(self) -> int: ...


def asserted(store: SparqlStore) -> Dataset:
    """The dataset of what the files assert: every named graph but the RDFS entailments' graph."""
    graphs = tuple(graph for graph in store.named_graphs() if graph != ENTAILMENTS_GRAPH)
    return Dataset(graphs, graphs)


def select(store: SparqlStore, sparql: str, dataset: Dataset | None = None) -> list[ox.QuerySolution]:
    """The solutions of a SELECT query, read at once (pyoxigraph results must not outlive the thread)."""
    return _read(store, sparql, dataset, ox.QuerySolutions, list, "solutions from a SELECT query")


def construct(store: SparqlStore, sparql: str, dataset: Dataset | None = None) -> list[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE query, without duplicates, in the engine's order."""
    return _read(store, sparql, dataset, ox.QueryTriples, lambda triples: list(dict.fromkeys(triples)),
                 "triples from a CONSTRUCT query")


def ask(store: SparqlStore, sparql: str, dataset: Dataset | None = None) -> bool:
    """The answer of an ASK query."""
    return _read(store, sparql, dataset, ox.QueryBoolean, bool, "a boolean from an ASK query")


def _read(store: SparqlStore, sparql: str, dataset: Dataset | None, kind: type[R], read: Callable[[R], T],
          what: str) -> T:
    """`read` of the query's result, StoreError if it is not a `kind`.

    The result is dropped before returning: a caught exception deeper down (rdflib's query parser,
    which store/remote.py runs, raises and catches many) keeps the calling frames, locals and all,
    until a garbage collection, perhaps on another thread, where pyoxigraph refuses to drop a result
    ("unsendable")."""
    result = store.query(sparql, dataset)
    try:
        if not isinstance(result, kind):
            raise StoreError(f"expected {what}, got {type(result).__name__}")
        return read(result)
    finally:
        del result
