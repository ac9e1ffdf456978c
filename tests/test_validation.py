"""SHACL validation of files and of what a store holds give the same verdict."""

from __future__ import annotations

from pathlib import Path

from conftest import violations
from mgkg.persistence import build_store
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore
from mgkg.validation import validate_paths, validate_store


def test_stored_data_gives_the_same_violations_as_the_files(strict: Settings, tmp_path: Path) -> None:
    files = validate_paths([strict.data_dir], strict)
    build_store(tmp_path / "store", [strict.ontology_dir, strict.data_dir], strict.root)
    stored = validate_store(EmbeddedStore.on_disk(tmp_path / "store"), strict)
    assert not files.conforms and not stored.conforms
    assert violations(stored.text) == violations(files.text) > 0
