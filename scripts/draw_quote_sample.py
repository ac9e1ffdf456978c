"""Draw the hand-checked samples of quotes over all the graph's evidence, reproducibly, one file per round.

The population is every mg:Evidence and every mg:Tenure node of the data, whatever the automatic rule of
mgkg.checks.evidence says of its quote. In a round, each node's claim is ranked by the SHA-256 of the round's
seed string and the claim (subject, property, value, time of a tenure, source), and the first SAMPLE_SIZE ranks
are its sample. The quote is left out of the rank on purpose: re-cutting a quote keeps its claim in the sample
(its row is then judged again), and removing a fact only replaces its own row.

Rounds are drawn with fresh seeds because fixing the rows a sample found wrong biases that sample: the latest
round, drawn after the fixes, is the measure; earlier rounds are kept as the record of what they found.

    python scripts/draw_quote_sample.py              # rewrite every round's file (then judge the blank rows)
    python scripts/draw_quote_sample.py --round 2    # rewrite one round's file

Rewriting keeps the verdict and reason of every row still drawn with the quote it was judged on, and leaves
them blank for a claim new to the sample or a quote that changed; the names of those rows are printed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import NamedNode

from mgkg.rdf_files import graph_sources
from mgkg.settings import Settings
from mgkg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / "data" / "review"
SAMPLE_SIZE = 80
VERDICTS = ("SUPPORTED", "PARTLY", "NOT SUPPORTED")
COLUMNS = ("subject", "property", "value", "when", "source", "quote", "verdict", "reason")

_MG = "https://w3id.org/mgkg/ontology#"
_CLAIMS = """PREFIX mg: <https://w3id.org/mgkg/ontology#>
SELECT ?subject ?property ?value ?quote ?source ?startDate ?endDate ?pointInTime WHERE {
  VALUES (?link ?kind) { (mg:evidence mg:Evidence) (mg:tenure mg:Tenure) }
  GRAPH ?file { ?subject ?link ?node . ?node a ?kind ; mg:statesProperty ?property ; mg:statesValue ?value ;
                mg:quote ?quote ; mg:source ?source .
    OPTIONAL { ?node mg:startDate ?startDate } OPTIONAL { ?node mg:endDate ?endDate }
    OPTIONAL { ?node mg:pointInTime ?pointInTime } }
}"""
_TIMES = ("startDate", "endDate", "pointInTime")


@dataclass(frozen=True)
class Round:
    """One hand-checked sample: its name, the seed string of its ranks and the file that keeps its verdicts."""

    name: str
    seed: str
    file: Path


ROUNDS = (
    Round("1", "mgkg quote sample 2026-12", REVIEW / "quote-sample-2026-12.csv"),  # found the errors fixed since
    Round("2", "mgkg quote sample 2026-12 round 2", REVIEW / "quote-sample-2026-12-round-2.csv"),  # mended by fixes
    Round("3", "mgkg quote sample 2026-12 round 3", REVIEW / "quote-sample-2026-12-round-3.csv"),  # the measure
)
LATEST = ROUNDS[-1]  # drawn after the fixes of the rounds before it: the round issue 14's 95 % applies to


class SparqlQueryable(Protocol):
    """Anything that answers a SELECT with rows of pyoxigraph terms, as the embedded store does."""

    def query(self, sparql: str) -> Any: ...


@dataclass(frozen=True, order=True)
class SampledClaim:
    """One evidence or tenure node: its claim in slugs and lexical forms, its source's slug and its quote."""

    subject: str
    property: str
    value: str
    when: str  # a tenure's time ("startDate 2006-01"); empty for an evidence node
    source: str
    quote: str


def claim_of(node: SampledClaim) -> tuple[str, str, str, str, str]:
    """What a node claims, without its quote: the node's rank depends on this alone."""
    return (node.subject, node.property, node.value, node.when, node.source)


def rank(node: SampledClaim, seed: str) -> str:
    return hashlib.sha256("\n".join((seed, *claim_of(node))).encode("utf-8")).hexdigest()


def _short(iri: str) -> str:
    return iri.removeprefix(_MG).rsplit("/", 1)[-1]


def read_evidence(store: SparqlQueryable) -> list[SampledClaim]:
    """Every evidence and tenure node of the store's data files."""
    found = []
    for row in store.query(_CLAIMS):
        value = row["value"]
        when = " ".join(f"{name} {row[name].value}" for name in _TIMES if row[name] is not None)
        found.append(SampledClaim(
            subject=_short(row["subject"].value), property=_short(row["property"].value),
            value=_short(value.value) if isinstance(value, NamedNode) else value.value,
            when=when, source=_short(row["source"].value), quote=row["quote"].value))
    return found


def draw(evidence: Iterable[SampledClaim], seed: str, size: int = SAMPLE_SIZE) -> list[SampledClaim]:
    """The `size` nodes of lowest rank; nodes with one claim (two quotes of one source) follow their quotes' order."""
    return sorted(evidence, key=lambda each: (rank(each, seed), each))[:size]


def read_sample(path: Path) -> list[dict[str, str]]:
    """The rows of a kept sample file, checked to have exactly the sample's columns."""
    with path.open(encoding="utf-8", newline="") as table:
        reader = csv.DictReader(table)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: the columns are {reader.fieldnames}, expected {list(COLUMNS)}")
        return list(reader)


def row_node(row: Mapping[str, str]) -> SampledClaim:
    return SampledClaim(*(row[column] for column in COLUMNS[:6]))


@dataclass(frozen=True)
class Changes:
    """How a kept sample differs from a fresh draw: each list names the rows to judge again or to drop."""

    drawn_new: list[SampledClaim]  # claims drawn now that no kept row holds: judge them
    no_longer_drawn: list[SampledClaim]  # kept rows whose claim left the data or the sample: their rows go
    quote_changed: list[SampledClaim]  # drawn claims whose quote differs from the kept one: judge them again

    def __bool__(self) -> bool:
        return bool(self.drawn_new or self.no_longer_drawn or self.quote_changed)


def compare(sample: Iterable[SampledClaim], kept: Iterable[Mapping[str, str]]) -> Changes:
    """What changed between the kept rows and the sample drawn now, by claim and then by quote."""
    drawn, judged = Counter(sample), Counter(row_node(row) for row in kept)
    drawn_claims, judged_claims = Counter(map(claim_of, drawn.elements())), Counter(map(claim_of, judged.elements()))
    new_claims, gone_claims = drawn_claims - judged_claims, judged_claims - drawn_claims
    unmatched_drawn, unmatched_kept = drawn - judged, judged - drawn
    return Changes(
        drawn_new=[each for each in unmatched_drawn.elements() if claim_of(each) in new_claims],
        no_longer_drawn=[each for each in unmatched_kept.elements() if claim_of(each) in gone_claims],
        quote_changed=[each for each in unmatched_drawn.elements() if claim_of(each) not in new_claims])


def write_sample(path: Path, sample: Iterable[SampledClaim], kept: Iterable[Mapping[str, str]]) -> None:
    """Write the sample in rank order, with the verdicts of the kept rows that still hold the same quote."""
    verdicts = {row_node(row): (row["verdict"], row["reason"]) for row in kept}
    with path.open("w", encoding="utf-8", newline="") as table:
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow(COLUMNS)
        for each in sample:
            verdict, reason = verdicts.get(each, ("", ""))
            writer.writerow((*claim_of(each), each.quote, verdict, reason))


def describe(node: SampledClaim) -> str:
    """A row as a person finds it in the CSV: its claim and its source."""
    when = f" [{node.when}]" if node.when else ""
    return f"{node.subject} {node.property} {node.value}{when} ({node.source})"


def redraw(round_: Round, evidence: Iterable[SampledClaim]) -> Changes:
    """Rewrite a round's file over the current evidence and say which rows to judge (again)."""
    sample = draw(evidence, round_.seed)
    kept = read_sample(round_.file) if round_.file.is_file() else []
    write_sample(round_.file, sample, kept)
    return compare(sample, kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--round", choices=[each.name for each in ROUNDS], action="append", dest="rounds",
                        help="the round to redraw (repeatable); all rounds when left out")
    chosen = parser.parse_args(argv).rounds
    settings = Settings(root=ROOT, workers=0)
    store = EmbeddedStore.in_memory(graph_sources(settings), settings.root)
    evidence = read_evidence(store)
    for round_ in ROUNDS:
        if chosen and round_.name not in chosen:
            continue
        changes = redraw(round_, evidence)
        for each in changes.drawn_new + changes.quote_changed:
            print(f"round {round_.name}, judge: {describe(each)}", file=sys.stderr)
        drawn = min(SAMPLE_SIZE, len(evidence))
        print(f"round {round_.name}: drew {drawn} of {len(evidence)} evidence and tenure nodes into "
              f"{round_.file.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
