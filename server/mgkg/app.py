"""Assembling the FastAPI application from its routers."""

from __future__ import annotations

from fastapi import FastAPI

from mgkg import __version__, examples, pages, protocol
from mgkg.loading import graph_sources
from mgkg.remote import RemoteStore
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore

SparqlStore = EmbeddedStore | RemoteStore


def open_store(settings: Settings) -> SparqlStore:
    """The store the settings ask for: a remote engine, an on-disk store, or the source tree in memory."""
    if settings.store_url is not None:
        return RemoteStore.from_settings(settings)
    if settings.store_path is not None:
        return EmbeddedStore.on_disk(settings.store_path)
    return EmbeddedStore.in_memory(graph_sources(settings), settings.root)


def create_app(settings: Settings | None = None, store: SparqlStore | None = None) -> FastAPI:
    """Build the app; tests pass their own `store` so they never need the real data folder."""
    settings = settings or Settings.from_env()
    app = FastAPI(title="MGKG", version=__version__, docs_url="/api", redoc_url=None)
    app.state.settings = settings
    app.state.store = store if store is not None else open_store(settings)
    pages.install(app)  # before the protocol: its hook answers browsers' plain GET /sparql with the editor
    app.include_router(protocol.router)
    app.include_router(examples.router_for(settings.queries_dir))
    return app
