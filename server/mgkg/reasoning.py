"""OWL 2 consistency checking with HermiT (through owlready2): is the graph free of contradictions?

The ontology and data are parsed by `loading` (so syntax errors name file and line), written as
one N-Triples file, and handed to owlready2, which runs HermiT in Java.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
import pyoxigraph as ox

from mgkg.errors import ConfigurationError
from mgkg.loading import iter_quads, parse_files

_OWL_THING = "http://www.w3.org/2002/07/owl#Thing"
_OWL_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"


@dataclass
class ReasoningReport:
    """What HermiT found: whether the graph is consistent, and which classes cannot have members."""

    consistent: bool
    unsatisfiable_classes: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable_classes

    def as_text(self) -> str:
        lines = [f"consistent: {'yes' if self.consistent else 'NO'}"]
        if not self.consistent and self.explanation:
            lines.append(f"  HermiT: {self.explanation}")
        lines.append(f"unsatisfiable classes: {len(self.unsatisfiable_classes)}")
        lines.extend(f"  {iri}" for iri in self.unsatisfiable_classes)
        return "\n".join(lines)


def check_consistency(paths: Iterable[Path], root: Path) -> ReasoningReport:
    """Run HermiT over the RDF files under `paths` and report consistency and unsatisfiable classes."""
    files = parse_files(paths, root)
    with tempfile.TemporaryDirectory(prefix="mgkg-reason-") as folder:
        merged = Path(folder) / "graph.nt"
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in iter_quads(files))
        ox.serialize(triples, output=str(merged), format=ox.RdfFormat.N_TRIPLES)
        return _run_hermit(merged)


def _run_hermit(ntriples: Path) -> ReasoningReport:
    world = owlready2.World()
    ontology = world.get_ontology(ntriples.as_uri()).load(format="ntriples")
    try:
        with ontology:
            # xsd:date and xsd:gYear lie outside the OWL 2 datatype map; HermiT treats them as opaque.
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
    except owlready2.OwlReadyInconsistentOntologyError as error:
        return ReasoningReport(consistent=False, explanation=_first_line(str(error)))
    except owlready2.OwlReadyJavaError as error:
        raise ConfigurationError(f"HermiT could not run (is Java installed?): {str(error).strip()[:2000]}") from None
    unsatisfiable = sorted(
        cls.iri for cls in world.inconsistent_classes() if cls.iri not in (_OWL_NOTHING, _OWL_THING)
    )
    return ReasoningReport(consistent=True, unsatisfiable_classes=unsatisfiable)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text)
