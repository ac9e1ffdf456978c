"""Where the graph lives once loaded, and the only place SPARQL runs on it (knows nothing of HTTP).

    base       the SparqlStore interface every layer above uses, its types, and `asserted` (the files' graphs)
    entailment the RDFS entailments computed at load, in their own named graph
    engine     one query on a pyoxigraph Store (the leaf: embedded and workers both use it)
    embedded   EmbeddedStore: pyoxigraph in memory or on disk
    workers    public queries in worker processes, so a runaway one can be killed
    ondisk     `mgkg load --store`: versioned folders and an atomic switch
    remote     RemoteStore: a SPARQL engine over the SPARQL 1.1 Protocol
    version    the one data-version digest
    cache      values computed once per store and data version
"""

from __future__ import annotations

from mgkg.rdf_files import graph_sources
from mgkg.settings import Settings
from mgkg.store.base import Answer, Dataset, OneChunk, QueryResult, SparqlStore, asserted
from mgkg.store.embedded import EmbeddedStore
from mgkg.store.remote import RemoteStore

__all__ = ["Answer", "Dataset", "EmbeddedStore", "OneChunk", "QueryResult", "RemoteStore", "SparqlStore",
           "asserted", "open_store"]


def open_store(settings: Settings) -> SparqlStore:
    """The store the settings ask for: a remote engine, an on-disk store, or the source tree in memory."""
    if settings.store_url is not None:
        return RemoteStore.from_settings(settings)
    if settings.store_path is not None:
        return EmbeddedStore.on_disk(settings.store_path)
    return EmbeddedStore.in_memory(graph_sources(settings), settings.root)
