"""One settings object for the whole program: environment variables (MGKG_*) and CLI flags.

Every default works on a laptop: serve the graph of this source tree from memory on
127.0.0.1:8000. No other module reads os.environ.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mgkg.errors import ConfigurationError


def _source_tree_root() -> Path:
    """The project folder holding ontology/ and data/: beside server/ in a checkout, else cwd."""
    candidate = Path(__file__).resolve().parents[2]
    if (candidate / "ontology").is_dir():
        return candidate
    return Path.cwd()


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Build with `Settings.from_env()` and refine with `replace()`."""

    root: Path = field(default_factory=_source_tree_root)
    host: str = "127.0.0.1"
    port: int = 8000
    #: On-disk Oxigraph store to serve; None means load the source tree into memory.
    store_path: Path | None = None
    #: A remote engine, `sparql+http://host/sparql`; None means the embedded store.
    store_url: str | None = None
    #: The remote engine's SPARQL 1.1 Graph Store Protocol endpoint, for `mgkg load`.
    store_graph_store_url: str | None = None
    #: Credentials for the remote engine (HTTP digest, as Virtuoso asks for writes).
    store_user: str | None = None
    store_password: str | None = None
    query_timeout: float = 30.0
    #: Largest answer in bytes (counted as the native writers produce it, so no per-row work).
    max_result_bytes: int = 200_000_000
    max_body_bytes: int = 1_000_000
    max_query_chars: int = 100_000
    max_query_nesting: int = 200
    #: Query worker processes; 0 evaluates in the server process (no timeout enforcement).
    workers: int = 2
    #: SERVICE endpoints (exact IRIs) a query may call; empty means federation is off.
    service_allowlist: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ("*",)
    log_level: str = "info"
    #: The source documents every quote is checked against (CI lays shared/ beside the clone).
    seeds_dir: Path = field(default_factory=lambda: _source_tree_root().parent / "shared" / "seeds")

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read MGKG_<FIELD> variables (e.g. MGKG_QUERY_TIMEOUT=10) over the defaults."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = "MGKG_" + f.name.upper()
            if f.name == "store_url":
                name = "MGKG_STORE"
            if name in environ:
                values[f.name] = _convert(name, environ[name], f.type)
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given fields replaced; None values are ignored (unset CLI flags)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _convert(name: str, raw: str, annotation: Any) -> Any:
    kind = str(annotation)
    try:
        if "Path" in kind:
            return Path(raw) if raw else None
        if "tuple" in kind:
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} has value {raw!r}, which is not a valid {kind}") from None
    return raw or None if "None" in kind else raw
