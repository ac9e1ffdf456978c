"""The class pages as tables for analysis: one row per resource with its type, dates, region, seat or
venue and number of quotes, sorted on the server by a column (`?sort=quotes`, `?sort=-quotes`) and
written as CSV for spreadsheets (RFC 4180, UTF-8, IRIs beside labels, safe against formula injection).

The facts are read with two queries per store and kept beside it, like the catalog.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from mgkg.errors import NotFoundError
from mgkg.namespaces import MG, MGID, prologue
from mgkg.pages.addresses import slug_of
from mgkg.pages.catalog import Entry, catalog
from mgkg.pages.vocabulary import Vocabulary
from mgkg.store.base import SparqlStore, asserted, select
from mgkg.store.cache import per_store

#: When a resource began (adopted, founded, opened, signed, published) and when it ended.
STARTS = ("adoptionDate", "foundingDate", "startDate", "signatureDate", "publicationDate")
ENDS = ("endDate", "dissolutionDate")
_PLACES = {MG.coversRegion: "regions", MG.locatedIn: "seats"}

_FACTS = f"""{prologue("mg")}SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o .
  FILTER(?p IN ({", ".join(f"mg:{name}" for name in (*STARTS, *ENDS, "coversRegion", "locatedIn"))})
         && STRSTARTS(STR(?s), "{MGID}"))
}}"""
_QUOTES = f"""{prologue("mg")}SELECT ?s (COUNT(DISTINCT ?quote) AS ?quotes) WHERE {{
  ?s mg:evidence/mg:quote ?quote . FILTER(STRSTARTS(STR(?s), "{MGID}"))
}} GROUP BY ?s"""
#: What a spreadsheet would run as a formula if a cell began with it (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Row:
    """One resource as a class table shows it."""

    entry: Entry
    types: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)
    ends: list[str] = field(default_factory=list)
    regions: list[Entry] = field(default_factory=list)
    seats: list[Entry] = field(default_factory=list)
    quotes: int = 0

    @property
    def start(self) -> str:
        return min(self.starts, default="")

    @property
    def end(self) -> str:
        return min(self.ends, default="")


@dataclass(frozen=True)
class Column:
    """A column of the table: what `?sort=` calls it, its heading and the value rows sort on."""

    key: str
    heading: str
    value: Callable[[Row, Vocabulary], str | int]


def _names(entries: list[Entry]) -> str:
    return ", ".join(sorted(e.label for e in entries))


COLUMNS = (
    Column("label", "Label", lambda row, _: row.entry.label.lower()),
    Column("type", "Type", lambda row, vocab: ", ".join(sorted(vocab.label(t) for t in row.types))),
    Column("dates", "Dates", lambda row, _: row.start or row.end),
    Column("region", "Region", lambda row, _: _names(row.regions)),
    Column("seat", "Seat or venue", lambda row, _: _names(row.seats)),
    Column("quotes", "Quotes", lambda row, _: row.quotes),
)
_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True)
class Table:
    """The rows of one class, sorted by `sort` (a column's key, `-` before it for descending)."""

    rows: list[Row]
    sort: str

    @property
    def sorted_by(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def link_sort(self, column: Column) -> str:
        """The sort a column's heading links to: its own, reversed if it is the current one."""
        return ("" if self.descending else "-") + column.key if column.key == self.sorted_by else column.key


@per_store
def rows(store: SparqlStore) -> dict[str, Row]:
    """Every resource's row, by slug, with its asserted types (two queries, then kept)."""
    entries = catalog(store).entries
    table = {slug: Row(entry, list(entry.types)) for slug, entry in entries.items()}
    dataset = asserted(store)
    for solution in select(store, _FACTS, dataset):
        row = table.get(slug_of(solution["s"].value) or "")
        if row is None:
            continue
        predicate, value = solution["p"].value, solution["o"].value
        if predicate in _PLACES:
            getattr(row, _PLACES[predicate]).append(entries.get(slug_of(value) or "") or Entry("", value))
        else:
            (row.ends if predicate[len(MG):] in ENDS else row.starts).append(value)
    for solution in select(store, _QUOTES, dataset):
        if row := table.get(slug_of(solution["s"].value) or ""):
            row.quotes = int(solution["quotes"].value)
    return table


def class_table(store: SparqlStore, classes: list[str], vocab: Vocabulary, sort: str = "label") -> Table:
    """The rows of every resource typed with one of `classes`, sorted by `sort`; NotFoundError names a
    column that does not exist. Rows without a value in the sorted column come last either way."""
    column = _BY_KEY.get(sort.lstrip("-"))
    if column is None:
        raise NotFoundError(f"sort={sort!r} names no column; sort by {', '.join(_BY_KEY)} (- before it: descending)")
    every = rows(store)
    chosen = [every[entry.slug] for entry in catalog(store).of_classes(classes)]  # by label already
    filled = [row for row in chosen if column.value(row, vocab) != ""]
    filled.sort(key=lambda row: column.value(row, vocab), reverse=sort.startswith("-"))
    return Table(filled + [row for row in chosen if column.value(row, vocab) == ""], sort)


def table_csv(table: Table, vocab: Vocabulary) -> str:
    """`table` as CSV: a header line, then one line per row, CRLF-terminated, quoted where RFC 4180 needs it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["iri", "label", "acronyms", "type", "type_iri", "start", "end",
                     "region", "region_iri", "seat_or_venue", "seat_or_venue_iri", "quotes"])
    for row in table.rows:
        types = sorted(row.types, key=vocab.label)
        writer.writerow([_safe(cell) for cell in (
            MGID + row.entry.slug, row.entry.label, " | ".join(row.entry.alt_labels),
            " | ".join(vocab.label(t) for t in types), " | ".join(types), row.start, row.end,
            " | ".join(e.label for e in row.regions), " | ".join(_iri(e) for e in row.regions),
            " | ".join(e.label for e in row.seats), " | ".join(_iri(e) for e in row.seats), str(row.quotes))])
    return out.getvalue()


def _iri(entry: Entry) -> str:
    return MGID + entry.slug if entry.slug else entry.label


def _safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
