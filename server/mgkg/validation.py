"""SHACL validation of data files against the shapes in shapes/ (with pySHACL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib
from pyshacl import validate

from mgkg.loading import iter_quads, parse_files
from mgkg.settings import GRAPH_NS, Settings

if TYPE_CHECKING:
    from mgkg.app import SparqlStore


@dataclass
class ValidationReport:
    """The outcome of one validation run."""

    conforms: bool
    text: str

    def as_text(self) -> str:
        return self.text


def _to_rdflib(paths: Iterable[Path], root: Path) -> rdflib.Graph:
    """Parse with pyoxigraph (fast, file:line errors) and hand the triples to rdflib."""
    return _triples_to_rdflib(ox.Triple(q.subject, q.predicate, q.object) for q in iter_quads(parse_files(paths, root)))


def _triples_to_rdflib(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate_paths(paths: Iterable[Path], settings: Settings) -> ValidationReport:
    """Validate the RDF files under `paths`, with the ontology for subclass inference."""
    return _validate(_to_rdflib(paths, settings.root), settings)


def validate_store(store: SparqlStore, settings: Settings) -> ValidationReport:
    """Validate what a store holds (embedded or remote): its data graphs, as `validate` does data/."""
    stored = store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{GRAPH_NS}data/')) }}")
    return _validate(_triples_to_rdflib(stored), settings)  # type: ignore[arg-type]


def _validate(data: rdflib.Graph, settings: Settings) -> ValidationReport:
    shapes = _to_rdflib([settings.shapes_dir], settings.root) if settings.shapes_dir.is_dir() else rdflib.Graph()
    ontology = _to_rdflib([settings.ontology_dir], settings.root)
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    return ValidationReport(bool(conforms), str(text))
