"""The meetings of each series (a forum with meetings, `?meeting mg:meetingOf ?series`, such as the GFMD's
annual meetings or the High-level Dialogues), for the table on the series' page: number, dates, host,
city and chair of each.

Read with one query per store and kept beside it, like the catalog.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mgkg.namespaces import MG, MGID, prologue
from mgkg.pages.addresses import slug_of
from mgkg.pages.catalog import Entry, catalog
from mgkg.store.base import SparqlStore, asserted, select
from mgkg.store.cache import per_store

_MEETINGS = f"""{prologue("mg")}SELECT ?series ?meeting ?p ?o WHERE {{
  ?meeting mg:meetingOf ?series .
  OPTIONAL {{ ?meeting ?p ?o .
             FILTER(?p IN (mg:meetingNumber, mg:startDate, mg:endDate, mg:hostedBy, mg:locatedIn, mg:chairedBy,
                          mg:follows)) }}
}}"""
#: Which list of a Meeting each linking property fills.
_LINKS = {MG.hostedBy: "hosts", MG.locatedIn: "cities", MG.chairedBy: "chairs"}


@dataclass
class Meeting:
    """One meeting of a series, as its row shows it."""

    entry: Entry
    number: int | None = None
    start: str = ""
    end: str = ""
    hosts: list[Entry] = field(default_factory=list)
    cities: list[Entry] = field(default_factory=list)
    chairs: list[Entry] = field(default_factory=list)
    #: The IRI of the meeting this one follows (mg:follows), which places a meeting the sources do not date.
    follows: str = ""


@per_store
def series(store: SparqlStore) -> dict[str, list[Meeting]]:
    """Every series' meetings in order, by the series' IRI."""
    entries = catalog(store).entries
    meetings: dict[tuple[str, str], Meeting] = {}
    for row in select(store, _MEETINGS, asserted(store)):
        meeting_slug = slug_of(row["meeting"].value)
        if meeting_slug not in entries:
            continue
        key = (row["series"].value, row["meeting"].value)
        meeting = meetings.setdefault(key, Meeting(entries[meeting_slug]))
        if row["p"] is None:
            continue
        predicate, value = row["p"].value, row["o"].value
        if predicate in _LINKS:
            linked = entries.get(slug_of(value) or "")
            if linked is not None:
                getattr(meeting, _LINKS[predicate]).append(linked)
        elif predicate == MG.follows:
            meeting.follows = value
        elif predicate == MG.meetingNumber and value.isdigit():
            meeting.number = int(value)
        elif predicate == MG.startDate:
            meeting.start = min(filter(None, (meeting.start, value)))
        elif predicate == MG.endDate:
            meeting.end = max(meeting.end, value)
    by_series: defaultdict[str, list[Meeting]] = defaultdict(list)
    for (series_iri, _), meeting in meetings.items():
        by_series[series_iri].append(meeting)
    for listed in by_series.values():
        for names in (m for meeting in listed for m in (meeting.hosts, meeting.cities, meeting.chairs)):
            names.sort(key=lambda e: e.label.lower())
    return {iri: _in_order(listed) for iri, listed in by_series.items()}


def _in_order(meetings: list[Meeting]) -> list[Meeting]:
    """By date (then number); a meeting without a date goes right after the one it follows, else last."""
    dated = sorted((m for m in meetings if m.start), key=lambda m: (m.start, m.number or 0, m.entry.label))
    undated = sorted((m for m in meetings if not m.start), key=lambda m: (m.number or 0, m.entry.label))
    placed = list(dated)
    for meeting in undated:
        before = [i for i, m in enumerate(placed) if MGID + m.entry.slug == meeting.follows]
        placed.insert(before[0] + 1 if before else len(placed), meeting)
    return placed
