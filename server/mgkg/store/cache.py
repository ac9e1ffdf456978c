"""Values computed from a store once per data version (catalog, vocabulary, VoID), kept beside it."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Hashable
from typing import Concatenate, ParamSpec, TypeVar

from mgkg.store.base import SparqlStore

P = ParamSpec("P")
T = TypeVar("T")
#: Argument combinations kept per store (e.g. the base URLs a VoID answer is built for).
MAX_ENTRIES = 8


def per_store(load: Callable[Concatenate[SparqlStore, P], T]) -> Callable[Concatenate[SparqlStore, P], T]:
    """`load(store, ...)`, computed once per store, data version and arguments, then served from memory.

    The store is held weakly (a closed store takes its values with it); a new data version (a remote
    engine reloaded by `mgkg load`) computes them again."""
    cache: weakref.WeakKeyDictionary[SparqlStore, tuple[str, dict[Hashable, T]]] = weakref.WeakKeyDictionary()

    def cached(store: SparqlStore, /, *args: P.args, **kwargs: P.kwargs) -> T:
        version = store.version
        entry = cache.get(store)
        if entry is None or entry[0] != version:
            entry = cache[store] = (version, {})
        key = (args, tuple(sorted(kwargs.items())))
        if key not in entry[1]:
            if len(entry[1]) >= MAX_ENTRIES:
                del entry[1][next(iter(entry[1]))]
            entry[1][key] = load(store, *args, **kwargs)
        return entry[1][key]

    functools.update_wrapper(cached, load)
    return cached
