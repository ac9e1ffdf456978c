"""One query on a pyoxigraph Store, with MGKG's dataset defaults and errors: the leaf of the store.

Both the embedded store and its worker processes evaluate through here, so neither needs the
other: embedded -> workers -> engine -> base.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from mgkg.errors import QuerySyntaxError, StoreError
from mgkg.guard import explain_syntax_error, has_dataset_clause
from mgkg.store.base import Dataset, QueryResult


def query(oxigraph: ox.Store, sparql: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
    """Run a SPARQL query. Without a dataset the default graph is the union of all graphs; relative
    IRIs resolve against `base_iri` unless the query says BASE."""
    try:
        options = _dataset_options(sparql, dataset or Dataset())
        return oxigraph.query(sparql, base_iri=base_iri, **options)  # type: ignore[arg-type]
    except SyntaxError as error:
        raise QuerySyntaxError(explain_syntax_error(str(error), sparql)) from None
    except (OSError, ValueError) as error:
        raise StoreError(str(error)) from None


def open_folder(database: Path, *, read_only: bool = True) -> ox.Store:
    """The RocksDB store in `database`; StoreError naming the folder if it cannot be opened."""
    try:
        return ox.Store.read_only(str(database)) if read_only else ox.Store(str(database))
    except OSError as error:
        raise StoreError(f"cannot open the store at {database}: {error}") from None


def _dataset_options(sparql: str, dataset: Dataset) -> dict[str, object]:
    """pyoxigraph options: the protocol's dataset overrides the query's FROM, which overrides the union."""
    if dataset.given:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in dataset.default_graphs],
            "named_graphs": [ox.NamedNode(iri) for iri in dataset.named_graphs],
        }
    # pyoxigraph's union default graph would silently override the query's own FROM clauses.
    return {} if has_dataset_clause(sparql) else {"use_default_graph_as_union": True}
