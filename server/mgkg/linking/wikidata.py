"""MGKG's facts beside Wikidata's: which agree, which Wikidata lacks, which conflict.

The ontology maps MGKG properties to Wikidata's (skos:exactMatch / skos:closeMatch to a
`wdt:` property, at the end of ontology/mgkg.ttl). For every resource linked by owl:sameAs, each
fact under a mapped property becomes a `Fact`: its Wikidata item, property and value (an entity
value only when that entity is linked too), and the reference URLs of the sources quoted as its
evidence. One query to Wikidata's SPARQL endpoint (or a saved answer of it) returns the
statements of those items, with the precision of dates; `compare` then calls each fact:

    agrees     Wikidata has the value (dates compared at the coarser of the two precisions)
    missing    Wikidata has no value for the property (or, for a property that takes many values,
               not this one)
    conflict   Wikidata has another value for a property that takes one (a date, a DOI,
               headquarters): a person must look, no command is written
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pyoxigraph as ox

from mgkg import __version__
from mgkg.errors import WikidataError
from mgkg.namespaces import WD, XSD, compact, prologue
from mgkg.pages.addresses import slug_of
from mgkg.store.base import SparqlStore, select

ENTITY = WD
DIRECT = "http://www.wikidata.org/prop/direct/"
USER_AGENT = f"MGKG/{__version__} (https://w3id.org/mgkg/; mgkg wikidata compare)"
#: Item-valued properties that hold one value, where another value is a conflict, not a gap.
SINGLE_VALUED_ITEMS = {"P159"}
#: Wikidata's time precisions (9 year, 10 month, 11 day) and how many characters of a date they keep.
DATE_PRECISION = {XSD + "gYear": 9, XSD + "gYearMonth": 10, XSD + "date": 11, XSD + "dateTime": 11}
KEPT = {9: 4, 10: 7, 11: 10}
STATUSES = ("agrees", "missing", "conflict")
COMPARISON_FIELDS = ["slug", "qid", "property", "pid", "mgkg_value", "wikidata_values", "status", "checked"]

_MAPPINGS = f"""{prologue("skos")}
SELECT ?p ?wdt WHERE {{ ?p skos:exactMatch|skos:closeMatch ?wdt . FILTER(STRSTARTS(STR(?wdt), "{DIRECT}")) }}"""


def facts_query(properties: list[str]) -> str:
    """The query for every fact under `properties` (IRIs) of a resource linked to a Wikidata item."""
    return f"""{prologue("owl", "mg", "schema")}
SELECT ?s ?item ?p ?o ?target ?doi ?url WHERE {{
  ?s owl:sameAs ?item . FILTER(STRSTARTS(STR(?item), "{ENTITY}"))
  VALUES ?p {{ {" ".join(str(ox.NamedNode(iri)) for iri in properties)} }}
  ?s ?p ?o .
  OPTIONAL {{ ?o owl:sameAs ?target . FILTER(STRSTARTS(STR(?target), "{ENTITY}")) }}
  OPTIONAL {{ ?s mg:evidence ?e . ?e mg:statesProperty ?p ; mg:statesValue ?o ; mg:source ?source .
             OPTIONAL {{ ?source mg:doi ?doi }} OPTIONAL {{ ?source schema:url ?url }} }}
}}"""


@dataclass
class Fact:
    """One MGKG fact about a linked item, in Wikidata's terms."""

    slug: str
    qid: str
    property: str
    pid: str
    kind: str  # "item", "time" or "string"
    value: str  # a QID, a date at its precision (1950, 1951-07, 1951-07-28), or text
    precision: int = 11
    references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Statement:
    """One value Wikidata states: a QID, an ISO date-time (with its precision), or text."""

    value: str
    precision: int | None = None


@dataclass(frozen=True)
class Comparison:
    """A fact and what Wikidata says about it."""

    fact: Fact
    status: str
    wikidata: tuple[str, ...]


def property_mappings(store: SparqlStore) -> dict[str, str]:
    """MGKG property IRI -> Wikidata property id (P571), as the ontology maps them."""
    return {row["p"].value: row["wdt"].value[len(DIRECT):] for row in select(store, _MAPPINGS)}


def linked_facts(store: SparqlStore, mappings: dict[str, str]) -> list[Fact]:
    """Every fact under a mapped property of a linked resource; facts about unlinked entities are left out."""
    if not mappings:
        return []
    facts: dict[tuple[str, str, str], Fact] = {}
    for row in select(store, facts_query(list(mappings))):
        fact = _fact(row, mappings)
        if fact is None:
            continue
        fact = facts.setdefault((fact.slug, fact.property, fact.value), fact)
        for reference in _reference(row):
            if reference not in fact.references:
                fact.references.append(reference)
    return sorted(facts.values(), key=lambda f: (f.slug, f.property, f.value))


def statements_query(qids: list[str], pids: list[str]) -> str:
    """The query asking Wikidata for the (non-deprecated) statements of `qids` under `pids`."""
    return f"""PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX wd: <{ENTITY}>
SELECT ?item ?property ?value ?precision WHERE {{
  VALUES ?item {{ {" ".join("wd:" + q for q in sorted(set(qids)))} }}
  VALUES ?property {{ {" ".join("wd:" + p for p in sorted(set(pids)))} }}
  ?property wikibase:claim ?claim ; wikibase:statementProperty ?statementProperty .
  ?item ?claim ?statement . ?statement ?statementProperty ?value ; wikibase:rank ?rank .
  FILTER(?rank != wikibase:DeprecatedRank)
  OPTIONAL {{ ?property wikibase:statementValue ?statementValue .
             ?statement ?statementValue [ wikibase:timePrecision ?precision ] }}
}}"""


def ask_wikidata(endpoint: str, query: str, timeout: float = 60.0) -> bytes:
    """Wikidata's answer to `query` (SPARQL results JSON); WikidataError naming the endpoint on failure."""
    try:
        response = httpx.post(endpoint, data={"query": query}, timeout=timeout,
                              headers={"Accept": "application/sparql-results+json", "User-Agent": USER_AGENT})
    except httpx.HTTPError as error:
        raise WikidataError(f"could not reach {endpoint}: {error}") from None
    if response.status_code != 200:
        raise WikidataError(f"{endpoint} answered {response.status_code}: {response.text[:200]}")
    return response.content


def read_statements(answer: bytes, source: str) -> dict[tuple[str, str], list[Statement]]:
    """(QID, P-id) -> statements, from an answer to `statements_query`; `source` names it in errors."""
    try:
        rows = ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise WikidataError(f"{source} is not a SPARQL JSON answer: {error}") from None
    if not isinstance(rows, ox.QuerySolutions):
        raise WikidataError(f"{source} is a boolean answer, not the solutions of a SELECT query")
    statements: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for row in rows:
        item, prop, value = row["item"], row["property"], row["value"]
        if item is None or prop is None or value is None:
            raise WikidataError(f"{source}: every row needs ?item, ?property and ?value")
        precision = row["precision"]
        text = value.value[len(ENTITY):] if value.value.startswith(ENTITY) else value.value
        statements[(item.value[len(ENTITY):], prop.value[len(ENTITY):])].append(
            Statement(text, int(precision.value) if precision is not None else None))
    return statements


def compare(facts: list[Fact], statements: dict[tuple[str, str], list[Statement]]) -> list[Comparison]:
    """Each fact with its status (agrees, missing, conflict) and Wikidata's values for it."""
    compared = []
    for fact in facts:
        found = statements.get((fact.qid, fact.pid), [])
        shown = tuple(sorted({_readable(s) for s in found}))
        if any(_agrees(fact, s) for s in found):
            status = "agrees"
        elif not found or (fact.kind == "item" and fact.pid not in SINGLE_VALUED_ITEMS):
            status = "missing"
        else:
            status = "conflict"
        compared.append(Comparison(fact, status, shown))
    return compared


def compare_store(store: SparqlStore, endpoint: str, answer: Path | None = None) -> list[Comparison]:
    """Compare the store's linked facts with Wikidata: asked at `endpoint`, or read from a saved `answer`."""
    facts = linked_facts(store, property_mappings(store))
    if not facts:
        return []
    if answer is not None:
        try:
            body, source = answer.read_bytes(), str(answer)
        except OSError as error:
            raise WikidataError(f"cannot read {answer}: {error.strerror}") from None
    else:
        query = statements_query([f.qid for f in facts], [f.pid for f in facts])
        body, source = ask_wikidata(endpoint, query), endpoint
    return compare(facts, read_statements(body, source))


def summary(comparisons: list[Comparison]) -> str:
    """A plain-text report: one line a fact, then the count of each status."""
    lines = [f"{c.status:<9} {c.fact.slug} ({c.fact.qid}) {compact(c.fact.property)} ({c.fact.pid}) = {c.fact.value}"
             + (f"; Wikidata: {', '.join(c.wikidata)}" if c.wikidata and c.status != "agrees" else "")
             for c in comparisons]
    counts = ", ".join(f"{sum(c.status == s for c in comparisons)} {s}" for s in STATUSES)
    return "\n".join([*lines, f"{len(comparisons)} facts compared with Wikidata: {counts}"])


def write_comparison(comparisons: list[Comparison], path: Path, checked: date) -> None:
    """Record a comparison as CSV, one fact a row, for the resource pages and for review."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, COMPARISON_FIELDS, lineterminator="\n")
        writer.writeheader()
        for c in comparisons:
            writer.writerow({"slug": c.fact.slug, "qid": c.fact.qid, "property": compact(c.fact.property),
                             "pid": c.fact.pid, "mgkg_value": c.fact.value, "wikidata_values": "; ".join(c.wikidata),
                             "status": c.status, "checked": checked.isoformat()})


@dataclass(frozen=True)
class Recorded:
    """The last recorded comparison: rows by slug, and a stamp that changes when it is recorded again."""

    stamp: str = ""
    by_slug: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def recorded_comparison(path: Path) -> Recorded:
    """The comparison recorded at `path` (empty when none was); read again only when the file changes."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return Recorded()
    return _read_recorded(path, stamp)


@functools.lru_cache(maxsize=4)
def _read_recorded(path: Path, stamp: int) -> Recorded:
    by_slug: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as table:
        for row in csv.DictReader(table):
            by_slug[row["slug"]].append(row)
    return Recorded(str(stamp), dict(by_slug))


def _fact(row: ox.QuerySolution, mappings: dict[str, str]) -> Fact | None:
    slug = slug_of(row["s"].value)
    value = row["o"]
    if slug is None or value is None:
        return None
    qid, prop = row["item"].value[len(ENTITY):], row["p"].value
    if isinstance(value, ox.Literal):
        precision = DATE_PRECISION.get(value.datatype.value)
        if precision is not None:
            return Fact(slug, qid, prop, mappings[prop], "time", value.value[:KEPT[precision]], precision)
        return Fact(slug, qid, prop, mappings[prop], "string", value.value)
    target = row["target"]
    return Fact(slug, qid, prop, mappings[prop], "item", target.value[len(ENTITY):]) if target is not None else None


def _reference(row: ox.QuerySolution) -> list[str]:
    """The URL of the source quoted for a fact: its DOI resolved, else its own URL."""
    if row["doi"] is not None:
        return ["https://doi.org/" + row["doi"].value]
    url = row["url"]
    return [url.value] if url is not None and url.value.startswith(("https://", "http://")) else []


def _agrees(fact: Fact, statement: Statement) -> bool:
    if fact.kind == "time":
        precision = min(fact.precision, statement.precision if statement.precision is not None else 11)
        kept = KEPT.get(precision, 4)
        return statement.value.lstrip("+")[:kept] == fact.value[:kept]
    if fact.kind == "string":
        return statement.value.casefold() == fact.value.casefold()
    return statement.value == fact.value


def _readable(statement: Statement) -> str:
    if statement.precision is not None:
        return statement.value.lstrip("+")[:KEPT.get(statement.precision, 10)]
    return statement.value
