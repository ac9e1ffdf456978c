"""The list of every resource (label, acronyms, types, description, quotes) behind the index, search and timeline
pages, and the slugs merged into others (`<old> dcterms:isReplacedBy <kept>`), which redirect.

Read with one query per store and kept beside it: the public server never changes its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mgkg.namespaces import DCTERMS, MGID, RDFS, SKOS, prologue
from mgkg.pages.addresses import page_path, slug_of
from mgkg.store.base import SparqlStore, asserted, select
from mgkg.store.cache import per_store

_ENTRIES = f"""{prologue("rdf", "rdfs", "skos", "dcterms")}SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o . FILTER(?p IN (rdfs:label, skos:altLabel, rdf:type, dcterms:description, dcterms:isReplacedBy)
    && STRSTARTS(STR(?s), "{MGID}"))
}}"""

#: The verbatim quotes behind a resource's facts and figures, each once.
_QUOTES = f"""{prologue("mg")}SELECT DISTINCT ?s ?quote WHERE {{
  ?s mg:evidence|mg:figure ?backing . ?backing mg:quote ?quote . FILTER(STRSTARTS(STR(?s), "{MGID}"))
}} ORDER BY ?s ?quote"""

_EVENTS = f"""{prologue("mg", "rdfs")}SELECT ?s ?kind (MIN(STR(?date)) AS ?when) WHERE {{
  {{ ?s mg:adoptionDate ?date . BIND("instrument" AS ?kind) }}
  UNION {{ ?s mg:foundingDate|mg:startDate ?date . ?s a/rdfs:subClassOf* mg:Forum . BIND("forum" AS ?kind) }}
}} GROUP BY ?s ?kind"""


@dataclass
class Entry:
    """One resource as lists show it."""

    slug: str
    label: str = ""
    alt_labels: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    description: str = ""
    quotes: list[str] = field(default_factory=list)

    @property
    def href(self) -> str:
        return page_path(self.slug)


@dataclass(frozen=True)
class Event:
    """An instrument adopted or a forum founded, for the timeline."""

    year: int
    when: str
    kind: str
    entry: Entry


@dataclass
class Catalog:
    """Every resource by slug, and the dated events among them."""

    entries: dict[str, Entry]
    events: list[Event]
    #: Old slug -> the slug of the resource it was merged into.
    merged: dict[str, str] = field(default_factory=dict)

    def by_label(self) -> list[Entry]:
        """Every entry, in the order search results tie-break on (search.js relies on it)."""
        return sorted(self.entries.values(), key=_order)

    def of_classes(self, classes: list[str]) -> list[Entry]:
        """Entries typed with any of `classes`, by label."""
        wanted = set(classes)
        return sorted((e for e in self.entries.values() if wanted & set(e.types)), key=_order)


@per_store
def catalog(store: SparqlStore) -> Catalog:
    """The catalog of `store`, read once per data version (three queries) and then served from memory."""
    entries: dict[str, Entry] = {}
    dataset = asserted(store)  # types as the files state them, not their superclasses
    merged: dict[str, str] = {}
    for row in select(store, _ENTRIES, dataset):
        slug = slug_of(row["s"].value)
        if slug is None:
            continue
        predicate, value = row["p"].value, row["o"].value
        if predicate == DCTERMS.isReplacedBy:
            merged[slug] = slug_of(value) or slug
            continue
        entry = entries.setdefault(slug, Entry(slug))
        if predicate == RDFS.label:
            entry.label = entry.label or value
        elif predicate == SKOS.altLabel:
            entry.alt_labels.append(value)
        elif predicate == DCTERMS.description:
            entry.description = entry.description or value
        else:
            entry.types.append(value)
    for entry in entries.values():
        entry.label = entry.label or entry.slug
    for row in select(store, _QUOTES):
        owner = entries.get(slug_of(row["s"].value) or "")
        if owner is not None:
            owner.quotes.append(row["quote"].value)
    events = []
    for row in select(store, _EVENTS, dataset):
        slug, when = slug_of(row["s"].value), row["when"].value
        if slug in entries and when[:4].isdigit():
            events.append(Event(int(when[:4]), when, row["kind"].value, entries[slug]))
    events.sort(key=lambda e: (e.when, e.kind, e.entry.label.lower()))
    return Catalog(entries, events, {old: kept for old, kept in merged.items() if kept in entries})


def _order(entry: Entry) -> tuple[str, str]:
    return entry.label.lower(), entry.slug
