"""FastAPI dependencies shared by the routers, so tests can override them."""

from __future__ import annotations

from fastapi import Request

from mgkg.settings import Settings
from mgkg.store.base import SparqlStore


def get_store(request: Request) -> SparqlStore:
    """The store the app was built with."""
    store: SparqlStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings
