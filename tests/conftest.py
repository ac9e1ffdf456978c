"""Shared fixtures: the real graph loaded once, and paths to the test data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from mgkg.loading import graph_sources
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def graph_store(settings: Settings) -> EmbeddedStore:
    """The shipped ontology and data, loaded into memory once for the whole session."""
    return EmbeddedStore.in_memory(graph_sources(settings), settings.root)


@pytest.fixture(scope="session")
def site_store(settings: Settings) -> EmbeddedStore:
    """Ontology, sources and a small refugee-regime sample (with HTML in one label) for the page tests."""
    sources = [settings.ontology_dir, settings.data_dir / "sources.ttl", FIXTURES / "site"]
    return EmbeddedStore.in_memory(sources, settings.root)
