"""The store: where the graph lives once loaded, and the one place that runs SPARQL on it.

`EmbeddedStore` wraps a pyoxigraph store, in memory (loaded from the source tree) or on disk.
The default graph of a query is the union of all named graphs (one per source file) unless the
query names its dataset. pyoxigraph's exceptions are translated to MgkgError subclasses here.
`Dataset` and `Answer` are the interface types RemoteStore (remote.py) shares with it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from mgkg.errors import QuerySyntaxError, StoreError
from mgkg.formats import ResultFormat
from mgkg.loading import load_graph, rdf_files
from mgkg.persistence import DATABASE, read_manifest

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
_TOKEN = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|[?$]\w+|[\w.-]*:[\w.-]*|[A-Za-z]+',
    re.S,
)
_FORMS = {"select", "ask", "construct", "describe"}


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset the protocol names (default-graph-uri, named-graph-uri); empty: none named."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass
class Answer:
    """A public query's answer: the format it is written in, and its bytes, chunk by chunk."""

    format: ResultFormat
    chunks: AsyncIterator[bytes]


class EmbeddedStore:
    """A pyoxigraph store with MGKG's query defaults."""

    def __init__(self, store: ox.Store, version: str, size: int | None = None) -> None:
        self.oxigraph = store
        #: Changes whenever the data changes; used for ETags.
        self.version = version
        self._size = size  # known without a scan for stores built by `mgkg load`

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
            return cls(store, _folder_version(database))
        return cls(store, manifest.version, manifest.quads if read_only else None)

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
        elif not query_shape(sparql)[1]:  # the union would silently override the query's own FROM
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
        return self._size if self._size is not None else len(self.oxigraph)


def query_shape(sparql: str) -> tuple[str, bool]:
    """The query form (select, ask, construct, describe) and whether it names its own dataset (FROM)."""
    form, has_from = "", False
    for token in _TOKEN.findall(sparql):
        word = token.lower()
        if not form and word in _FORMS:
            form = word
        has_from = has_from or word == "from"
    if not form:
        raise QuerySyntaxError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return form, has_from


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
