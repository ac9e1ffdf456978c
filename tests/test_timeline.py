"""The timeline's layout: one band per year, instruments left, forums right, short readable names."""

from __future__ import annotations

from mgkg.pages.catalog import Entry, Event
from mgkg.pages.timeline import MAX_CHARS, layout

LONG = "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families"


def _event(year: int, kind: str, label: str, alt_labels: list[str]) -> Event:
    return Event(year, str(year), kind, Entry(slug=f"x{year}{kind}", label=label, alt_labels=alt_labels))


def test_a_long_label_gives_way_to_its_acronym_not_to_the_first_other_name() -> None:
    event = _event(1990, "instrument", LONG, ["treaty on the rights of migrant workers", "ICRMW", "CMW"])
    (mark,) = layout([event]).marks
    assert mark.text == "ICRMW"
    assert LONG in mark.title


def test_a_long_label_without_acronym_is_cut_with_an_ellipsis() -> None:
    (mark,) = layout([_event(1990, "instrument", LONG, ["A/RES/68/4"])]).marks
    assert mark.text.endswith("…") and len(mark.text) == MAX_CHARS


def test_instruments_and_forums_of_a_year_share_one_band_on_either_side() -> None:
    events = [_event(2006, "instrument", "A", []), _event(2006, "forum", "B", []), _event(2007, "forum", "C", [])]
    result = layout(events)
    assert [year.year for year in result.years] == [2006, 2007]
    left, right, later = result.marks
    assert left.anchor == "end" and right.anchor == "start" and left.y == right.y < later.y
