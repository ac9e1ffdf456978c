"""FastAPI dependencies shared by the routers, so tests can override them."""

from __future__ import annotations

from fastapi import Request

from mgkg.settings import Settings
from mgkg.store.embedded import EmbeddedStore


def get_store(request: Request) -> EmbeddedStore:
    """The store the app was built with."""
    store: EmbeddedStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings
