"""The data version: one digest recipe behind every store's ETags, manifests and caches."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 1 << 20


def data_version(parts: Iterable[str | bytes]) -> str:
    """A short digest of `parts`, in order: it changes whenever any part does."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def files_version(files: Iterable[tuple[str, Path]]) -> str:
    """The version of data loaded from `files`, each (named graph, path): their names and bytes."""
    return data_version(part for graph, path in files for part in (graph, file_digest(path)))


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (data files can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def timestamp() -> str:
    """Now, in UTC, as manifests record when a load finished (xsd:dateTime)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
