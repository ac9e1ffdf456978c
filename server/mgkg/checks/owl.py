"""OWL 2 consistency checking with HermiT (through owlready2): is the graph free of contradictions?

The ontology and data are parsed by `rdf_files` (so syntax errors name file and line), written as
one N-Triples file, and handed to owlready2, which runs HermiT in Java. When the graph is
inconsistent, HermiT does not say why; we narrow the data down by halves (the resources' blocks,
always with every resource's types as context) to the resource that makes it so, and name its
file and line.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
import pyoxigraph as ox

from mgkg.errors import ConfigurationError
from mgkg.namespaces import OWL, RDF_TYPE
from mgkg.rdf_files import ParsedFile, SubjectLines, iter_quads, parse_files

_OWL_THING = OWL.Thing
_OWL_NOTHING = OWL.Nothing
_RDF_TYPE = ox.NamedNode(RDF_TYPE)
_MAX_CULPRITS = 10


@dataclass
class ReasoningReport:
    """What HermiT found: whether the graph is consistent, and which classes cannot have members."""

    consistent: bool
    unsatisfiable_classes: list[str] = field(default_factory=list)
    explanation: str = ""
    #: Where the contradiction lies: "data/forums.ttl:12 <https://w3id.org/mgkg/id/x>" lines.
    culprits: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Consistent, and no class is unsatisfiable."""
        return self.consistent and not self.unsatisfiable_classes

    def as_text(self) -> str:
        """The report as `mgkg reason` prints it."""
        lines = [f"consistent: {'yes' if self.consistent else 'NO'}"]
        if not self.consistent and self.explanation:
            lines.append(f"  HermiT: {self.explanation}")
        if self.culprits:
            lines.append("  the contradiction involves:")
            lines.extend(f"    {where}" for where in self.culprits)
        lines.append(f"unsatisfiable classes: {len(self.unsatisfiable_classes)}")
        lines.extend(f"  {iri}" for iri in self.unsatisfiable_classes)
        return "\n".join(lines)


def check_consistency(paths: Iterable[Path], root: Path) -> ReasoningReport:
    """Run HermiT over the RDF files under `paths` and report consistency and unsatisfiable classes."""
    files = parse_files(paths, root)
    report = _hermit([ox.Triple(q.subject, q.predicate, q.object) for q in iter_quads(files)])
    if not report.consistent:
        report.culprits = _locate(_narrow(files, root), files)
    return report


def _hermit(triples: list[ox.Triple]) -> ReasoningReport:
    with tempfile.TemporaryDirectory(prefix="mgkg-reason-") as folder:
        merged = Path(folder) / "graph.nt"
        ox.serialize(triples, output=str(merged), format=ox.RdfFormat.N_TRIPLES)
        return _run_hermit(merged)


def _narrow(files: list[ParsedFile], root: Path) -> list[str]:
    """The resources whose blocks, together with the ontology and all types, are inconsistent."""
    ontology = root / "ontology"
    base: list[ox.Triple] = []
    blocks: dict[str, list[ox.Triple]] = {}
    for parsed in files:
        in_ontology = parsed.path.resolve().is_relative_to(ontology.resolve())
        owners = _blank_owners(parsed.quads)
        for quad in parsed.quads:
            triple = ox.Triple(quad.subject, quad.predicate, quad.object)
            if in_ontology or (quad.predicate == _RDF_TYPE and isinstance(quad.subject, ox.NamedNode)):
                base.append(triple)
            else:
                subject = quad.subject
                owner = owners.get(subject, subject) if isinstance(subject, ox.BlankNode) else subject
                blocks.setdefault(str(owner.value if isinstance(owner, ox.NamedNode) else owner), []).append(triple)
    suspects = sorted(blocks)
    if not _hermit(base).consistent:  # the types alone contradict the ontology
        suspects, blocks, base = _type_blocks(base, ontology, files)
    while len(suspects) > 1:
        half = len(suspects) // 2
        for part in (suspects[:half], suspects[half:]):
            if not _hermit(base + [t for name in part for t in blocks[name]]).consistent:
                suspects = part
                break
        else:
            break  # the contradiction needs resources from both halves: report them all
    return suspects


def _type_blocks(
    base: list[ox.Triple], ontology: Path, files: list[ParsedFile]
) -> tuple[list[str], dict[str, list[ox.Triple]], list[ox.Triple]]:
    """Split the type assertions by resource, with only the ontology as context."""
    ontology_files = {p.path for p in files if p.path.resolve().is_relative_to(ontology.resolve())}
    axioms = [ox.Triple(q.subject, q.predicate, q.object) for p in files if p.path in ontology_files for q in p.quads]
    blocks: dict[str, list[ox.Triple]] = {}
    for triple in base:
        if triple.predicate == _RDF_TYPE and triple not in axioms:
            subject = triple.subject
            blocks.setdefault(subject.value if isinstance(subject, ox.NamedNode) else str(subject), []).append(triple)
    return sorted(blocks), blocks, axioms


def _blank_owners(quads: list[ox.Quad]) -> dict[ox.BlankNode, ox.NamedNode]:
    """For each blank node (evidence, figure): the IRI whose block it is written in."""
    parent = {q.object: q.subject for q in quads if isinstance(q.object, ox.BlankNode)}
    owners: dict[ox.BlankNode, ox.NamedNode] = {}
    for node in parent:
        owner: ox.NamedNode | ox.BlankNode | ox.Triple = node
        seen: set[ox.BlankNode] = set()
        while isinstance(owner, ox.BlankNode) and owner in parent and owner not in seen:
            seen.add(owner)
            owner = parent[owner]
        if isinstance(owner, ox.NamedNode):
            owners[node] = owner
    return owners


def _locate(names: list[str], files: list[ParsedFile]) -> list[str]:
    """"file:line <iri>" for each named resource, at the first file that describes it."""
    located = []
    for name in names[:_MAX_CULPRITS]:
        for parsed in files:
            if any(isinstance(q.subject, ox.NamedNode) and q.subject.value == name for q in parsed.quads):
                line = SubjectLines(parsed.path.read_text(encoding="utf-8")).line_of(name)
                located.append(f"{parsed.path}:{line} <{name}>")
                break
        else:
            located.append(f"<{name}>")
    if len(names) > _MAX_CULPRITS:
        located.append(f"... and {len(names) - _MAX_CULPRITS} more")
    return located


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
