"""Synthetic MGKG graphs of any size, with the shape of the real one, deterministic from a seed.

    python bench/generate.py --triples 1000000 --seed 1 --out /tmp/mgkg-1m

writes one N-Triples (or Turtle, `--format ttl`) file per topic — regimes.nt, instruments.nt ...
— so that `mgkg load` puts each in its own named graph, as it does with data/.

The shape is PROFILE below, measured on data/ (410 resources, 9,636 triples): how many resources
of each kind, their classes, and for each kind the mean number of each property per resource and
the kind of resource it points to. Every fact (relation, date, flag) carries an mg:Evidence node
(mg:statesProperty, mg:statesValue, mg:quote, mg:source -> a SourceDocument), as in data/, so
evidence is about two thirds of the triples. Links pick their target with a heavy tail (a few
hubs like UNHCR or IOM receive most links); every kind grows in proportion, so a query about one
regime touches about as much data at 10 million triples as at 100 thousand.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

MG = "https://w3id.org/mgkg/ontology#"
ID = "https://w3id.org/mgkg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
XSD = "http://www.w3.org/2001/XMLSchema#"
GYEAR, DATE, BOOLEAN, INTEGER = (ox.NamedNode(XSD + t) for t in ("gYear", "date", "boolean", "integer"))
FIGURES = ("RatificationCount", "MembershipCount", "ParticipantCount", "MigrantStock", "OtherFigure")
#: Mean triples per resource, measured by generating: turns a triple budget into resource counts.
TRIPLES_PER_RESOURCE = 21.2
#: data/ has 1,074 evidence nodes for about 930 facts: some facts are stated by two sources.
EVIDENCE_PER_FACT = 1.15
#: Targets are drawn as int(n * u**SKEW): the first 1% of resources get about 20% of the links.
SKEW = 3.0


@dataclass(frozen=True)
class Kind:
    """One kind of resource: share of all resources, classes, and per-resource property means."""

    name: str
    share: int
    classes: dict[str, int]
    alt_labels: float
    same_as: float
    figures: float
    links: dict[str, tuple[float, str]]  # property -> (mean per resource, kind of target)
    dates: dict[str, float]  # date property -> mean per resource
    flags: tuple[str, ...] = ()  # boolean properties, each on a fifth of the resources


PROFILE: tuple[Kind, ...] = (
    Kind("regime", 10, {"Regime": 9, "RegimeComplex": 1}, 1.6, 0.0, 0.0,
         {"relatedTo": (0.7, "regime"), "subRegimeOf": (0.4, "regime"), "addresses": (0.3, "topic")}, {}),
    Kind("instrument", 58, {"Treaty": 19, "Agenda": 12, "Instrument": 9, "Declaration": 7, "Protocol": 3,
                            "ProgrammeOfAction": 3, "TradeAgreement": 3, "Resolution": 2}, 1.4, 0.05, 0.47,
         {"partOfRegime": (0.43, "regime"), "protects": (0.43, "topic"), "addresses": (0.4, "topic"),
          "adoptedBy": (0.34, "organisation"), "relatedTo": (0.22, "instrument"),
          "producedBy": (0.21, "organisation"), "adoptedAt": (0.12, "forum"), "emergedFrom": (0.1, "forum"),
          "supplements": (0.05, "instrument"), "successorOf": (0.02, "instrument")},
         {"adoptionDate": 0.4, "entryIntoForce": 0.22, "publicationDate": 0.14}, ("legallyBinding",)),
    Kind("forum", 59, {"RegionalConsultativeProcess": 22, "Conference": 18, "Initiative": 6, "Dialogue": 3,
                       "GlobalForum": 3, "Commission": 3, "HighLevelDialogue": 2, "Forum": 2}, 1.15, 0.0, 0.41,
         {"coversRegion": (0.68, "place"), "partOfRegime": (0.39, "regime"), "relatedTo": (0.34, "forum"),
          "locatedIn": (0.27, "place"), "establishedBy": (0.25, "organisation"), "convenedBy": (0.17, "organisation"),
          "addresses": (0.17, "topic"), "hostedBy": (0.14, "state"), "chairedBy": (0.07, "person"),
          "secretariatProvidedBy": (0.07, "organisation"), "successorOf": (0.02, "forum")},
         {"startDate": 0.34, "foundingDate": 0.19, "endDate": 0.08}, ("formalInstitution",)),
    Kind("organisation", 86, {"UNEntity": 26, "RegionalOrganisation": 17, "NonGovernmentalOrganisation": 12,
                              "IntergovernmentalOrganisation": 10, "InterAgencyGroup": 9, "ResearchOrganisation": 7,
                              "Organisation": 4, "GovernmentBody": 1}, 1.16, 0.21, 0.22,
         {"partOfRegime": (0.36, "regime"), "memberOf": (0.26, "organisation"), "participantIn": (0.2, "forum"),
          "relatedTo": (0.19, "organisation"), "addresses": (0.14, "topic"), "protects": (0.14, "topic"),
          "establishedBy": (0.09, "organisation"), "supervises": (0.06, "instrument"),
          "successorOf": (0.05, "organisation"), "administers": (0.03, "instrument"), "headedBy": (0.02, "person")},
         {"foundingDate": 0.12}, ("inUNSystem",)),
    Kind("state", 53, {"State": 53}, 0.02, 0.47, 0.04,
         {"participantIn": (0.83, "forum"), "memberOf": (0.34, "organisation"), "relatedTo": (0.13, "topic")}, {}),
    Kind("person", 22, {"Person": 22}, 0.68, 0.09, 0.0,
         {"authorOf": (0.95, "publication"), "affiliatedWith": (0.59, "organisation"), "holdsPost": (0.41, "post"),
          "participantIn": (0.14, "forum")}, {}),
    Kind("post", 9, {"Post": 9}, 0.78, 0.0, 0.11,
         {"postIn": (1.11, "organisation"), "partOfRegime": (0.22, "regime"), "establishedBy": (0.22, "organisation")},
         {"foundingDate": 0.22, "startDate": 0.11}),
    Kind("place", 34, {"Region": 20, "City": 14}, 0.03, 0.0, 0.06, {}, {}),
    Kind("publication", 49, {"Report": 24, "Publication": 20, "SourceDocument": 5}, 0.22, 0.0, 0.12,
         {"producedBy": (0.67, "organisation"), "relatedTo": (0.27, "forum"), "addresses": (0.1, "topic")},
         {"publicationDate": 0.82}),
    Kind("topic", 30, {"MigrantGroup": 17, "GovernanceOption": 13}, 0.23, 0.0, 0.63,
         {"proposedBy": (0.53, "publication"), "relatedTo": (0.47, "regime"), "illustratesOption": (0.07, "topic")},
         {}),
)

WORDS = (
    "migration", "governance", "refugee", "labour", "mobility", "protection", "regional", "global",
    "consultative", "process", "convention", "treaty", "forum", "dialogue", "compact", "agenda", "rights",
    "workers", "trafficking", "smuggling", "asylum", "return", "remittances", "development", "cooperation",
    "border", "displacement", "integration", "diaspora",
)


def resource_counts(triples: int) -> dict[str, int]:
    """How many resources of each kind make a graph of about `triples` triples."""
    resources = triples / TRIPLES_PER_RESOURCE
    total = sum(kind.share for kind in PROFILE)
    return {kind.name: max(1, round(resources * kind.share / total)) for kind in PROFILE}


class Writer:
    """Generates the triples of one kind of resource, deterministically from (seed, kind)."""

    def __init__(self, kind: Kind, counts: dict[str, int], seed: int) -> None:
        self.kind, self.counts = kind, counts
        self.random = random.Random(f"{seed}/{kind.name}")
        self.classes = [ox.NamedNode(MG + c) for c in kind.classes]
        self.class_weights = list(kind.classes.values())
        self.blank = 0
        self.properties = {p: ox.NamedNode(MG + p) for p in (*kind.links, *kind.dates, *kind.flags)}
        self.mg = {p: ox.NamedNode(MG + p) for p in ("evidence", "statesProperty", "statesValue", "quote", "source",
                                                      "figure", "value", "asOf", "Evidence", *FIGURES)}

    def target(self, kind: str) -> ox.NamedNode:
        """A resource of `kind`, drawn with a heavy tail so that a few hubs get most links."""
        return ox.NamedNode(f"{ID}{kind}-{int(self.counts[kind] * self.random.random() ** SKEW)}")

    def times(self, mean: float) -> int:
        whole = int(mean)
        return whole + (self.random.random() < mean - whole)

    def words(self, n: int) -> str:
        return " ".join(self.random.choices(WORDS, k=n))

    def year(self) -> ox.Literal:
        return ox.Literal(str(self.random.randint(1919, 2024)), datatype=GYEAR)

    def triples(self) -> Iterator[ox.Triple]:
        for index in range(self.counts[self.kind.name]):
            yield from self.resource(ox.NamedNode(f"{ID}{self.kind.name}-{index}"), index)

    def resource(self, subject: ox.NamedNode, index: int) -> Iterator[ox.Triple]:
        kind = self.kind
        yield ox.Triple(subject, RDF_TYPE, self.random.choices(self.classes, self.class_weights)[0])
        yield ox.Triple(subject, LABEL, ox.Literal(f"{self.words(3).title()} {kind.name} {index}", language="en"))
        yield ox.Triple(subject, DESCRIPTION, ox.Literal(self.words(14).capitalize() + ".", language="en"))
        for _ in range(self.times(kind.alt_labels)):
            yield ox.Triple(subject, ALT_LABEL, ox.Literal(self.words(2).upper().replace(" ", ""), language="en"))
        if self.random.random() < kind.same_as:
            wikidata = f"http://www.wikidata.org/entity/Q{self.random.randint(1, 10**8)}"
            yield ox.Triple(subject, SAME_AS, ox.NamedNode(wikidata))
        for name, (mean, target) in kind.links.items():
            for _ in range(self.times(mean)):
                yield from self.fact(subject, name, self.target(target))
        for name, mean in kind.dates.items():
            for _ in range(self.times(mean)):
                yield from self.fact(subject, name, self.year())
        for name in kind.flags:
            if self.random.random() < 0.2:
                yield from self.fact(subject, name, ox.Literal(self.random.choice(("true", "false")), datatype=BOOLEAN))
        for _ in range(self.times(kind.figures)):
            yield from self.figure(subject)

    def node(self) -> ox.BlankNode:
        self.blank += 1
        return ox.BlankNode(f"{self.kind.name}{self.blank}")

    def fact(self, subject: ox.NamedNode, name: str, value: ox.NamedNode | ox.Literal) -> Iterator[ox.Triple]:
        """The fact and its evidence: which property, which value, a verbatim quote and its source."""
        predicate, mg = self.properties[name], self.mg
        yield ox.Triple(subject, predicate, value)
        for _ in range(self.times(EVIDENCE_PER_FACT)):
            evidence = self.node()
            yield ox.Triple(subject, mg["evidence"], evidence)
            yield ox.Triple(evidence, RDF_TYPE, mg["Evidence"])
            yield ox.Triple(evidence, mg["statesProperty"], predicate)
            yield ox.Triple(evidence, mg["statesValue"], value)
            yield ox.Triple(evidence, mg["quote"], ox.Literal(self.words(16)))
            yield ox.Triple(evidence, mg["source"], self.source())

    def figure(self, subject: ox.NamedNode) -> Iterator[ox.Triple]:
        mg, figure = self.mg, self.node()
        yield ox.Triple(subject, mg["figure"], figure)
        yield ox.Triple(figure, RDF_TYPE, mg[self.random.choice(FIGURES)])
        yield ox.Triple(figure, mg["value"], ox.Literal(str(self.random.randint(1, 10**6)), datatype=INTEGER))
        yield ox.Triple(figure, mg["asOf"], self.year())
        yield ox.Triple(figure, mg["quote"], ox.Literal(self.words(16)))
        yield ox.Triple(figure, mg["source"], self.source())

    def source(self) -> ox.NamedNode:
        return self.target("publication")


def generate(triples: int, seed: int, out: Path, suffix: str = "nt") -> dict[str, int]:
    """Write one file per kind under `out`; returns the triples written per file."""
    out.mkdir(parents=True, exist_ok=True)
    counts = resource_counts(triples)
    fmt = ox.RdfFormat.N_TRIPLES if suffix == "nt" else ox.RdfFormat.TURTLE
    written = {}
    for kind in PROFILE:
        path = out / f"{kind.name}s.{suffix}"
        counter = _Counted(Writer(kind, counts, seed).triples())
        ox.serialize(counter, output=str(path), format=fmt,
                     prefixes={"mg": MG, "mgid": ID} if fmt == ox.RdfFormat.TURTLE else None)
        written[path.name] = counter.count
    return written


class _Counted:
    """Passes triples through to the serializer, counting them on the way (streaming: nothing kept)."""

    def __init__(self, triples: Iterator[ox.Triple]) -> None:
        self.triples, self.count = triples, 0

    def __iter__(self) -> Iterator[ox.Triple]:
        for triple in self.triples:
            self.count += 1
            yield triple


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="about how many triples (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("nt", "ttl"), default="nt")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    args = parser.parse_args()
    started = time.perf_counter()
    written = generate(args.triples, args.seed, args.out, args.format)
    print(f"{sum(written.values())} triples in {len(written)} files under {args.out} "
          f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
