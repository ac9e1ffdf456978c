"""Laying out the timeline of migration governance as an SVG drawn on the server (no script).

Years run down a central axis; instruments adopted that year stack on the left, forums founded
on the right. Years without events are left out, so the picture stays short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from mgkg.pages.catalog import Event

WIDTH = 960
ROW = 24
TOP = 40
AXIS = WIDTH // 2
GAP = 40
MAX_CHARS = 56
#: A short name worth showing instead of a long label: "GCIM", "ICESCR".
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,9}")


@dataclass(frozen=True)
class Mark:
    """One event placed on the picture: its text is anchored at (x, y)."""

    x: int
    y: int
    anchor: str
    text: str
    title: str
    href: str
    kind: str


@dataclass(frozen=True)
class Year:
    """A year label on the axis, with the height of its band."""

    y: int
    year: int
    height: int


@dataclass(frozen=True)
class Layout:
    """The whole picture: its height, year bands and marks."""

    width: int
    height: int
    axis: int
    years: list[Year]
    marks: list[Mark]


def layout(events: list[Event]) -> Layout:
    """Place `events` (sorted by date) on the picture."""
    years: list[Year] = []
    marks: list[Mark] = []
    y = TOP
    for year, in_year in groupby(events, key=lambda e: e.year):
        items = list(in_year)
        sides = {kind: [e for e in items if e.kind == kind] for kind in ("instrument", "forum")}
        rows = max(len(side) for side in sides.values())
        years.append(Year(y, year, rows * ROW))
        for kind, side in sides.items():
            x, anchor = (AXIS - GAP, "end") if kind == "instrument" else (AXIS + GAP, "start")
            marks.extend(_mark(x, y + i * ROW, anchor, event) for i, event in enumerate(side))
        y += rows * ROW + ROW // 2
    return Layout(WIDTH, y + ROW, AXIS, years, marks)


def _mark(x: int, y: int, anchor: str, event: Event) -> Mark:
    label = event.entry.label
    short = label if len(label) <= MAX_CHARS else label[: MAX_CHARS - 1].rstrip() + "…"
    acronyms = [alt for alt in event.entry.alt_labels if _ACRONYM.fullmatch(alt)]
    text = acronyms[0] if len(label) > MAX_CHARS and acronyms else short
    return Mark(x, y, anchor, text, f"{label} ({event.when})", event.entry.href, event.kind)
