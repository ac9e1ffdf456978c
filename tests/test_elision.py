"""Elided quotes (`mgkg.checks.elision`): parts split at "[…]" or "[...]", found in order with short gaps."""

from __future__ import annotations

from mgkg.checks.elision import MAX_GAP_CHARS, kept_text, parts, why_not_in

TEXT = "Alpha states20 met. " + "x" * 1000 + " 20 Brunei and China. " + "y" * 2500 + " Omega."


def test_both_spellings_of_the_mark_split_a_quote() -> None:
    assert parts("Alpha states20 […] 20 Brunei") == ["Alpha states20", "20 Brunei"]
    assert parts("Alpha states20 [...] 20 Brunei") == ["Alpha states20", "20 Brunei"]
    assert parts("a plain quote (with brackets [sic])") == ["a plain quote (with brackets [sic])"]
    assert kept_text("Alpha states20 […] 20 Brunei") == "Alpha states20 20 Brunei"


def test_parts_in_order_within_the_gap_are_in_the_text() -> None:
    assert why_not_in("Alpha states20 met. […] 20 Brunei and China.", TEXT) is None
    assert why_not_in("Alpha […] Brunei […] China", TEXT) is None


def test_near_misses_say_what_is_wrong() -> None:
    assert why_not_in("20 Brunei […] Alpha states20", TEXT) == "parts out of order: part 2 is not after part 1 in"
    assert why_not_in("Brunei and China. […] Omega.", TEXT) \
        == f"gap after part 1 is 2502 characters, more than {MAX_GAP_CHARS}, in"
    assert why_not_in("Alpha states20 […] 20 Korea", TEXT) == "part 2 not in"
    assert why_not_in("Alpha " + "x" * 300 + " […] Brunei", TEXT) == "quote keeps 313 characters, more than 300, of"


def test_a_later_occurrence_of_the_first_part_may_be_the_one_quoted() -> None:
    text = "the GMG. " + "z" * 2000 + " the GMG. It has created working groups"
    assert why_not_in("the GMG. […] working groups", text) is None
