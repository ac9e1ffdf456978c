"""A release of the graph: whole-graph dumps with their sizes and SHA-256, and the folder `mgkg release` writes.

    mgkg-{version}.nq.gz    N-Quads, one named graph per source file, gzip-compressed
    mgkg-{version}.trig     TriG, one block a subject and evidence nested, as in the data files
    mgkg-{version}.jsonld   JSON-LD with a @context, one object per named graph
    manifest.json           the version, its date, and per file: format, bytes, SHA-256, statements
    SHA256SUMS              the same checksums, for `sha256sum -c`

Builds are reproducible: blank nodes take their RDFC-1.0 canonical labels, statements are sorted, gzip
records neither a time nor a file name, and the only date written is the version's release date.
The server (/downloads/) and the static mirror serve the same files, built from the store they show.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from mgkg import __version__
from mgkg.errors import ConfigurationError
from mgkg.formats import GRAPH_FORMATS, ResultFormat, format_by_name
from mgkg.namespaces import PREFIXES
from mgkg.rdf_writers import json_ld_dataset, trig
from mgkg.store.base import SparqlStore, select
from mgkg.store.cache import per_store

#: The day this version was released. CITATION.cff and CHANGELOG.md name the same day (tests check);
#: the version itself is pyproject.toml's, read through mgkg.__version__.
RELEASE_DATE = "2026-12-01"
#: The day the first version was published (the last entry of CHANGELOG.md).
FIRST_RELEASE_DATE = "2026-11-25"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"

_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class Dump:
    """One whole-graph file: its name, RDF format, whether it is gzip-compressed, bytes and statement count."""

    name: str
    format: ResultFormat
    gzipped: bool
    body: bytes
    statements: int

    @property
    def size(self) -> int:
        return len(self.body)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def media_type(self) -> str:
        """The type of the file as served: gzip for compressed dumps, else the RDF format's."""
        return "application/gzip" if self.gzipped else self.format.media_type

    def entry(self) -> dict[str, object]:
        """This dump as manifest.json lists it."""
        return {"name": self.name, "format": self.format.media_type, "compression": "gzip" if self.gzipped else None,
                "bytes": self.size, "sha256": self.sha256, "statements": self.statements}


@dataclass(frozen=True)
class Release:
    """A version of the graph: its number, its date, the data it was built from and its dumps."""

    version: str
    date: str
    data_version: str
    dumps: tuple[Dump, ...]

    def manifest(self) -> bytes:
        data = {"name": "MGKG", "version": self.version, "date": self.date, "data_version": self.data_version,
                "files": [dump.entry() for dump in self.dumps]}
        return (json.dumps(data, indent=1) + "\n").encode()

    def checksums(self) -> bytes:
        return "".join(f"{dump.sha256}  {dump.name}\n" for dump in self.dumps).encode()

    def files(self) -> dict[str, bytes]:
        """Every file of the release by name: the dumps, the manifest and the checksum list."""
        return {**{dump.name: dump.body for dump in self.dumps}, MANIFEST: self.manifest(), CHECKSUMS: self.checksums()}

    def dump(self, extension: str) -> Dump:
        """The dump in the format of file extension `extension` (nq, trig, jsonld)."""
        return next(dump for dump in self.dumps if dump.format.extension == extension)


def _format(name: str) -> ResultFormat:
    found = format_by_name(name, GRAPH_FORMATS)
    assert found is not None, name  # the names below are the format table's own
    return found


def canonical_quads(store: SparqlStore) -> list[ox.Quad]:
    """Every quad of the store's named graphs, blank nodes relabelled by RDFC-1.0, sorted."""
    dataset = ox.Dataset(ox.Quad(row["s"], row["p"], row["o"], row["g"])
                         for row in select(store, _ALL_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


@per_store
def build_release(store: SparqlStore) -> Release:
    """The release of what `store` holds (built once per data version and kept beside the store)."""
    quads = canonical_quads(store)
    base = f"mgkg-{__version__}"
    n_quads = "".join(f"{quad} .\n" for quad in quads).encode()
    dumps = (
        Dump(f"{base}.nq.gz", _format("nq"), True, gzip.compress(n_quads, compresslevel=9, mtime=0), len(quads)),
        Dump(f"{base}.trig", _format("trig"), False, trig(quads, PREFIXES).encode(), len(quads)),
        Dump(f"{base}.jsonld", _format("jsonld"), False, json_ld_dataset(quads, PREFIXES).encode(),
             len(quads)),
    )
    return Release(__version__, RELEASE_DATE, store.version, dumps)


def write_release(release: Release, folder: Path) -> Path:
    """Write `release` into `folder`/{version}/; returns that folder.

    Writing the same release again changes nothing; a different build under a version already
    written is refused, so a published version never silently changes."""
    target = folder / release.version
    if target.exists() and not target.is_dir():
        raise ConfigurationError(f"{target} is a file; a release needs a folder there")
    written = target / MANIFEST
    if written.is_file() and written.read_bytes() != release.manifest():
        raise ConfigurationError(
            f"{target} already holds a different build of version {release.version}; "
            "raise the version in pyproject.toml (and CITATION.cff, CHANGELOG.md) or remove that folder")
    target.mkdir(parents=True, exist_ok=True)
    for name, body in release.files().items():
        (target / name).write_bytes(body)
    return target
