"""Shared fixtures: the real graph loaded once, and paths to the test data files."""

from __future__ import annotations

import shutil
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


#: Every source document must have a DOI: most in data/sources.ttl have none, so this shape fails.
DOI_REQUIRED = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mg: <https://w3id.org/mgkg/ontology#> .
<urn:shape:doi> a sh:NodeShape ; sh:targetClass mg:SourceDocument ;
    sh:property [ sh:path mg:doi ; sh:minCount 1 ] .
"""


@pytest.fixture(scope="session")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped ontology and data, with a shape they break (to compare validation verdicts)."""
    root = tmp_path_factory.mktemp("strict")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "shapes").mkdir()
    (root / "shapes" / "doi-required.ttl").write_text(DOI_REQUIRED)
    return Settings(root=root)


def violations(report_text: str) -> int:
    """The number of results in a pySHACL report."""
    return int(report_text.split("Results (")[1].split(")")[0])
