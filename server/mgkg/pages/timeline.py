"""Laying out the timeline of migration governance as an SVG drawn on the server.

Time runs down a central axis in proportion (PER_YEAR pixels a year, every year ticked, every
LABEL_EVERY years named); instruments adopted sit on the left, forums founded on the right. Each event
is a dot on the axis at its date, joined to its name; names that would overlap move down their side
and keep the line to their dot. Each mark carries its kinds (its classes), which the page's filter
shows or hides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from mgkg.pages.catalog import Event

WIDTH = 960
PER_YEAR = 14
ROW = 18
TOP = 44
AXIS = WIDTH // 2
GAP = 48
LABEL_EVERY = 5
MAX_CHARS = 56
#: A short name worth showing instead of a long label: "GCIM", "ICESCR".
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,9}")
_DATE = re.compile(r"(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True)
class Mark:
    """One event placed on the picture: a dot on the axis at `dot_y`, its text anchored at (x, y)."""

    x: int
    y: int
    dot_y: int
    anchor: str
    text: str
    title: str
    href: str
    side: str
    #: The local names of the event's classes ("Treaty"), which the filter names.
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Tick:
    """A year on the axis; `labelled` every LABEL_EVERY years."""

    y: int
    year: int
    labelled: bool


@dataclass(frozen=True)
class Layout:
    """The whole picture: its size, the axis's ticks, the marks and each kind with its number of events."""

    width: int
    height: int
    axis: int
    ticks: list[Tick]
    marks: list[Mark]
    kinds: list[tuple[str, int]]


def years_of(when: str) -> float:
    """A date of the graph ("1951", "1967-01", "2014-05-14") as a year with its fraction."""
    match = _DATE.match(when)
    if match is None:
        raise ValueError(f"{when!r} is not a date")
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return int(year) + (int(month) - 1) / 12 + (int(day) - 1) / 365.25


def layout(events: list[Event], kinds_of: dict[str, tuple[str, ...]] | None = None) -> Layout:
    """Place `events` (sorted by date) on a proportional axis; `kinds_of` gives each event's kinds by slug."""
    kinds_of = kinds_of or {}
    if not events:
        return Layout(WIDTH, TOP + ROW, AXIS, [], [], [])
    first = min(e.year for e in events) // LABEL_EVERY * LABEL_EVERY
    last = max(e.year for e in events) + 1

    def y_of(years: float) -> int:
        return round(TOP + (years - first) * PER_YEAR)

    ticks = [Tick(y_of(year), year, year % LABEL_EVERY == 0) for year in range(first, last + 1)]
    marks: list[Mark] = []
    lowest = {"instrument": 0, "forum": 0}  # the last name's y on each side
    for event in events:
        dot_y = y_of(years_of(event.when))
        side = "instrument" if event.kind == "instrument" else "forum"
        y = max(dot_y, lowest[side] + ROW)
        lowest[side] = y
        x, anchor = (AXIS - GAP, "end") if side == "instrument" else (AXIS + GAP, "start")
        marks.append(_mark(x, y, dot_y, anchor, event, kinds_of.get(event.entry.slug, ())))
    counted = Counter(kind for mark in marks for kind in mark.kinds)
    height = max(ticks[-1].y, *lowest.values()) + ROW
    return Layout(WIDTH, height, AXIS, ticks, marks, sorted(counted.items()))


def _mark(x: int, y: int, dot_y: int, anchor: str, event: Event, kinds: tuple[str, ...]) -> Mark:
    label = event.entry.label
    short = label if len(label) <= MAX_CHARS else label[: MAX_CHARS - 1].rstrip() + "…"
    acronyms = [alt for alt in event.entry.alt_labels if _ACRONYM.fullmatch(alt)]
    text = acronyms[0] if len(label) > MAX_CHARS and acronyms else short
    return Mark(x, y, dot_y, anchor, text, f"{label} ({event.when})", event.entry.href, event.kind, kinds)
