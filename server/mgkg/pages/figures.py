"""Dated figures as people read them, and a small bar chart (drawn on the server) per kind with several dates.

A figure says what it counts (its kind, what it measures and its unit, and its rdfs:comment when it
has one), shows its value with the source's qualifier ("more than 160") and thousands separators, and
says "as of" which year; figures of one kind at several dates (IOM's members, a convention's
ratifications) become one chart, one bar per figure, in date order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from mgkg.pages.provenance import References

#: What "as of" means in MGKG (README, "Figures"): the date the source gives, else its publication year.
AS_OF_NOTE = ("the date the source gives for the figure; when the text gives none, the year the source "
              "was published, so two sources a year apart need not show a change")
CHART_WIDTH = 320
BAR_AREA = 120
LABEL_ROOM = 34


@dataclass
class Figure:
    """One dated figure of a resource, with the quote behind it."""

    kind: str
    value: str
    number: float | None
    #: The source's hedge on the number, "more than" or "about" (mg:approximation), else "".
    qualifier: str
    as_of: str
    year: str
    note: str
    references: References = field(default_factory=References)

    @property
    def shown(self) -> str:
        """The value with thousands separators ("20,000,000") after the qualifier ("more than 160"); non-numbers
        as written."""
        if self.number is None:
            shown = self.value
        else:
            shown = f"{self.number:,.0f}" if self.number == int(self.number) else f"{self.number:,}"
        return f"{self.qualifier} {shown}".strip()


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: where it stands, and the two labels it carries."""

    x: int
    y: int
    width: int
    height: int
    value: str
    year: str


@dataclass(frozen=True)
class Chart:
    """Bars for the figures of one kind, by date; width and height of the SVG."""

    kind: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: int


def number_of(text: str) -> float | None:
    """The figure's value as a number, or None for a value that is not one."""
    try:
        return float(text)
    except ValueError:
        return None


def charts(figures: list[Figure]) -> list[Chart]:
    """One chart per kind of figure that has numbers at two or more dates."""
    drawn = []
    for kind, group in groupby(sorted(figures, key=lambda f: (f.kind, f.year)), key=lambda f: f.kind):
        dated = [f for f in group if f.number is not None and f.year]
        if len({f.year for f in dated}) >= 2:
            drawn.append(_chart(kind, dated))
    return drawn


def _chart(kind: str, figures: list[Figure]) -> Chart:
    top = max(f.number or 0 for f in figures) or 1
    slot = CHART_WIDTH // len(figures)
    width = max(8, min(48, slot - 10))
    baseline = BAR_AREA + 16  # room for the value over the tallest bar
    bars = []
    for position, figure in enumerate(figures):
        height = max(1, round(BAR_AREA * (figure.number or 0) / top))
        x = position * slot + (slot - width) // 2
        bars.append(Bar(x, baseline - height, width, height, figure.shown, figure.year))
    return Chart(kind, tuple(bars), slot * len(figures), baseline + LABEL_ROOM, baseline)
