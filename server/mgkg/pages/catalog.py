"""The list of every resource (label, acronyms, types) behind the index, search and timeline pages.

Read with one query per store and kept beside it: the public server never changes its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mgkg.namespaces import MGID, RDFS, SKOS, prologue
from mgkg.pages.addresses import page_path, slug_of
from mgkg.store.base import SparqlStore, select
from mgkg.store.cache import per_store

_ENTRIES = f"""{prologue("rdf", "rdfs", "skos")}SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o . FILTER(?p IN (rdfs:label, skos:altLabel, rdf:type) && STRSTARTS(STR(?s), "{MGID}"))
}}"""

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

    def by_label(self) -> list[Entry]:
        """Every entry, in the order search results tie-break on (search.js relies on it)."""
        return sorted(self.entries.values(), key=_order)

    def of_classes(self, classes: list[str]) -> list[Entry]:
        """Entries typed with any of `classes`, by label."""
        wanted = set(classes)
        return sorted((e for e in self.entries.values() if wanted & set(e.types)), key=_order)

    def search(self, text: str, limit: int = 100) -> list[Entry]:
        """Entries whose label or acronym contains `text`; exact acronyms first, then label prefixes."""
        needle = " ".join(text.lower().split())
        if not needle:
            return []
        ranked = []
        for entry in self.entries.values():
            names = [entry.label.lower(), *(alt.lower() for alt in entry.alt_labels)]
            if any(needle in name for name in names):
                exact = needle in names[1:] or needle == names[0]
                ranked.append((not exact, not names[0].startswith(needle), _order(entry), entry))
        return [item[-1] for item in sorted(ranked, key=lambda item: item[:3])][:limit]


@per_store
def catalog(store: SparqlStore) -> Catalog:
    """The catalog of `store`, read once per data version (two queries) and then served from memory."""
    entries: dict[str, Entry] = {}
    for row in select(store, _ENTRIES):
        slug = slug_of(row["s"].value)
        if slug is None:
            continue
        entry = entries.setdefault(slug, Entry(slug))
        predicate, value = row["p"].value, row["o"].value
        if predicate == RDFS.label:
            entry.label = entry.label or value
        elif predicate == SKOS.altLabel:
            entry.alt_labels.append(value)
        else:
            entry.types.append(value)
    for entry in entries.values():
        entry.label = entry.label or entry.slug
    events = []
    for row in select(store, _EVENTS):
        slug, when = slug_of(row["s"].value), row["when"].value
        if slug in entries and when[:4].isdigit():
            events.append(Event(int(when[:4]), when, row["kind"].value, entries[slug]))
    events.sort(key=lambda e: (e.when, e.kind, e.entry.label.lower()))
    return Catalog(entries, events)


def _order(entry: Entry) -> str:
    return entry.label.lower()
