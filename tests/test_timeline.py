"""The timeline's layout: a proportional axis, instruments left, forums right, short readable names, kinds."""

from __future__ import annotations

from mgkg.pages.catalog import Entry, Event
from mgkg.pages.timeline import MAX_CHARS, PER_YEAR, ROW, layout, years_of

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


def test_dates_sit_on_the_axis_in_proportion_and_names_that_would_overlap_move_down() -> None:
    events = [_event(1990, "instrument", "A", []), _event(1990, "instrument", "B", []), _event(2000, "forum", "C", [])]
    result = layout(events)
    first, second, later = result.marks
    assert first.dot_y == second.dot_y and later.dot_y - first.dot_y == 10 * PER_YEAR  # ten years apart
    assert first.y == first.dot_y and second.y == first.y + ROW  # the second name moves down its side
    assert first.anchor == "end" and later.anchor == "start"
    assert [t.year for t in result.ticks if t.labelled] == [1990, 1995, 2000]  # every year ticked, every 5th named
    assert len(result.ticks) == 12


def test_a_month_and_a_day_move_a_date_along_its_year() -> None:
    assert years_of("1951") == 1951 and years_of("1967-07") == 1967.5
    assert 1951.5 < years_of("1951-07-28") < 1951.6


def test_each_kind_is_counted_for_the_filter() -> None:
    events = [_event(1951, "instrument", "A", []), _event(1967, "instrument", "B", []), _event(2007, "forum", "C", [])]
    kinds = {"x1951instrument": ("Treaty",), "x1967instrument": ("Protocol", "Treaty"), "x2007forum": ("GlobalForum",)}
    assert layout(events, kinds).kinds == [("GlobalForum", 1), ("Protocol", 1), ("Treaty", 2)]
