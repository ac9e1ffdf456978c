"""The store interface: what every layer above the store may ask of one, embedded or remote.

    class SparqlStore(typing.Protocol):
        version: str                       # read-only; changes whenever the data does (ETags, caches)
        def query(self, sparql: str, dataset: Dataset | None = None) -> QueryResult: ...
        async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *,
                      timeout: float, max_bytes: int) -> Answer: ...
        def named_graphs(self) -> list[str]: ...
        def start_workers(self, count: int) -> None: ...
        def close(self) -> None: ...
        def __len__(self) -> int: ...

`query` is for internal use (pyoxigraph result objects, no limits); `run` answers the public:
the result already serialised in `fmt`, as byte chunks, stopped at `timeout` seconds and
`max_bytes` bytes. Errors are MgkgError subclasses (QuerySyntaxError, QueryTimeoutError, ...).
The default graph of a query is the union of all named graphs (one per source file) unless the
query (FROM / FROM NAMED) or the protocol (default-graph-uri / named-graph-uri) names its dataset.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from mgkg.errors import StoreError
from mgkg.formats import QueryResult, ResultFormat

__all__ = ["Answer", "Dataset", "OneChunk", "QueryResult", "SparqlStore", "ask", "construct", "select"]

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

    def query(self, sparql: str, dataset: Dataset | None = None) -> QueryResult:
        """Run a query for internal use: pyoxigraph result objects, no limits."""
        ...

    async def run(self, sparql: str, dataset: Dataset, fmt: ResultFormat, *, timeout: float, max_bytes: int) -> Answer:
        """Answer a public query in `fmt`, within `timeout` seconds and `max_bytes` bytes."""
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


def select(store: SparqlStore, sparql: str, dataset: Dataset | None = None) -> list[ox.QuerySolution]:
    """The solutions of a SELECT query, read at once (pyoxigraph results must not outlive the thread)."""
    result = store.query(sparql, dataset)
    if not isinstance(result, ox.QuerySolutions):
        raise StoreError(f"expected solutions from a SELECT query, got {type(result).__name__}")
    return list(result)


def construct(store: SparqlStore, sparql: str, dataset: Dataset | None = None) -> list[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE query, without duplicates, in the engine's order."""
    result = store.query(sparql, dataset)
    if not isinstance(result, ox.QueryTriples):
        raise StoreError(f"expected triples from a CONSTRUCT query, got {type(result).__name__}")
    return list(dict.fromkeys(result))


def ask(store: SparqlStore, sparql: str, dataset: Dataset | None = None) -> bool:
    """The answer of an ASK query."""
    result = store.query(sparql, dataset)
    if not isinstance(result, ox.QueryBoolean):
        raise StoreError(f"expected a boolean from an ASK query, got {type(result).__name__}")
    return bool(result)
